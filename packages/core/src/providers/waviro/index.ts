import { type ErrorCode, type KabarError, UnsupportedFeatureError } from '../../errors.js';
import type { HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import type { Contact, LocationContent, PreparedMessage } from '../../message.js';
import type { Feature, Provider, ProviderContext, RateLimitDefault } from '../../provider.js';
import { redactText } from '../../redact.js';
import type { ConnectionStatus, Group } from '../../resources.js';
import { baseUrlFrom, isObject, requireOption } from '../shared.js';

/** What `waviro` takes. */
export interface WaviroOptions {
  /** The `secretkey` of your Waviro bot. */
  secretKey: string;
  /** Your bot's URL, e.g. `https://yourbot.waviro.com`. */
  botUrl: string;
  /** Default `notifyurl` for delivery acks; a message's own `notifyUrl` wins. */
  notifyUrl?: string;
}

const NAME = 'waviro';

/** What Waviro can do: the `capabilities` of every `waviro()` provider. */
export const WAVIRO_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>([
  'text',
  'image',
  'video',
  'audio',
  'document',
  'location',
  'contacts',
  'group',
  'notifyUrl',
  'groups.list',
  'connection.status',
  'numbers.check',
]);

/** How fast `waviro()` sends unless the client is given its own `rateLimit`. */
export const WAVIRO_RATE_LIMIT: RateLimitDefault = { limit: 5, intervalMs: 60_000 };

/**
 * Waviro answers every failure with HTTP 400 and a free-text `errorMessage`; the seed lists the
 * causes, so the text is what tells them apart.
 */
const ERROR_PATTERNS: [RegExp, ErrorCode][] = [
  [/secret\s*key|secretkey|unauthori[sz]ed/i, 'unauthenticated'],
  [
    /not\s+connected|belum\s+terhubung|belum\s+terkoneksi|disconnected|not\s+authenticated/i,
    'session_inactive',
  ],
  [/same\s+message|pesan\s+yang\s+sama|duplicate/i, 'conflict'],
  [/nomor|number|phone|nohp/i, 'invalid_phone'],
];

function waviroError(response: HttpResponse, secrets: readonly string[]): KabarError {
  const body = isObject(response.body) ? response.body : {};
  const message = redactText(
    typeof body.errorMessage === 'string'
      ? body.errorMessage
      : typeof response.body === 'string'
        ? response.body.slice(0, 200)
        : 'request failed',
    secrets,
  );
  const code =
    response.status === 400
      ? (ERROR_PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ?? 'validation')
      : response.status < 400
        ? 'provider_error'
        : undefined;
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message,
    code,
    details: { errorMessage: message },
  });
}

function locationCaption(location: LocationContent): string {
  return [location.name, location.address].filter(Boolean).join(', ');
}

function contactCard(contacts: Contact[]): { name: string; numbers: string[] } {
  if (contacts.length !== 1) {
    throw new UnsupportedFeatureError(NAME, 'several contacts in one message');
  }
  const [contact] = contacts as [Contact];
  return {
    name: contact.name.formattedName,
    numbers: (contact.phones ?? []).map((p) => p.waId ?? p.phone.replace(/\D/g, '')),
  };
}

/** The endpoint and Waviro's Indonesian field names for one prepared message. */
function waviroRequest(prepared: PreparedMessage, notifyurl: string | undefined) {
  const group = prepared.recipientType === 'group';
  const target = group ? { groupid: prepared.to } : { nohp: prepared.to };
  const toGroup = group ? 'togroup' : '';
  switch (prepared.kind) {
    case 'text':
      return {
        path: `/api/sendwa${toGroup}`,
        body: { ...target, pesan: prepared.content, notifyurl },
      };
    case 'image':
    case 'video':
    case 'audio':
    case 'document': {
      const media = prepared.content;
      if (media.link === undefined) {
        throw new UnsupportedFeatureError(NAME, `${prepared.kind} by media id (send a link)`);
      }
      return {
        path: `/api/sendmedia${toGroup}`,
        body: { ...target, pesan: media.caption ?? '', mediaurl: media.link, notifyurl },
      };
    }
    case 'location': {
      const location = prepared.content;
      return {
        path: `/api/sendlocation${toGroup}`,
        body: {
          ...target,
          // The seed sends coordinates as strings ("0.525960").
          latitude: String(location.latitude),
          longitude: String(location.longitude),
          pesan: locationCaption(location),
          notifyurl,
        },
      };
    }
    case 'contacts':
      return {
        path: `/api/sendcontact${toGroup}`,
        body: { ...target, contact: contactCard(prepared.content), notifyurl },
      };
    default:
      throw new UnsupportedFeatureError(NAME, prepared.kind);
  }
}

/**
 * Waviro: a WhatsApp bot behind a `secretkey`, with group sends, QR status and delivery acks.
 * Media goes by link only, and a contacts message carries one contact. Default rate limit: 5
 * messages a minute, Waviro's advice for keeping the number from being blocked by WhatsApp.
 *
 * Throws `invalid_config` when `secretKey` or `botUrl` is missing or `botUrl` is not an http(s)
 * URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { waviro } from '@kabar/core/waviro';
 *
 * const wa = createClient({
 *   provider: waviro({
 *     secretKey: process.env.WAVIRO_SECRET_KEY!,
 *     botUrl: 'http://127.0.0.1:4010/waviro', // your bot, e.g. https://yourbot.waviro.com
 *   }),
 * });
 * const { authenticated, qrCode } = await wa.connection.status(); // scan qrCode to log in
 * if (authenticated) {
 *   await wa.send({ to: '0812-3456-7890', text: 'Pesanan Anda sudah dikirim.' });
 *   const [group] = await wa.groups.list();
 *   if (group) await wa.send({ to: { group: group.id }, text: 'Rapat jam 10.00.' });
 * }
 * ```
 */
export function waviro(options: WaviroOptions): Provider {
  const secretKey = requireOption(NAME, 'secretKey', options?.secretKey);
  const botUrl = baseUrlFrom(NAME, requireOption(NAME, 'botUrl', options.botUrl), '');
  const secrets = [secretKey];

  async function call(context: ProviderContext, path: string, json?: unknown) {
    const response = await context.request({
      method: 'POST',
      url: `${botUrl}${path}`,
      headers: { secretkey: secretKey },
      json: json ?? {},
    });
    const body = isObject(response.body) ? response.body : {};
    if (response.status >= 400 || body.success !== true) throw waviroError(response, secrets);
    return body.message;
  }

  return {
    name: NAME,
    capabilities: WAVIRO_CAPABILITIES,
    deduplicates: false,
    // The seed: "Kirimkan hanya 5 pesan per menit untuk menghindari blokir dari WhatsApp."
    defaultRateLimit: WAVIRO_RATE_LIMIT,
    rateLimitKey: `${NAME}:${botUrl}`,
    secrets,

    async send(prepared, context) {
      const { path, body } = waviroRequest(
        prepared,
        prepared.message.notifyUrl ?? options.notifyUrl,
      );
      const message = await call(context, path, body);
      const id = isObject(message) ? message.id : undefined;
      if (typeof id !== 'string') throw waviroError(answerWithoutId(message), secrets);
      return { id, to: prepared.to, provider: NAME, raw: message };
    },

    async listGroups(context): Promise<Group[]> {
      const groups = await call(context, '/api/groups');
      return (Array.isArray(groups) ? groups.filter(isObject) : []).map((g) => ({
        id: String(g.groupid),
        name: String(g.groupname ?? ''),
        lastChatAt:
          typeof g.grouplastchat === 'number' ? new Date(g.grouplastchat * 1000) : undefined,
      }));
    },

    async connectionStatus(context): Promise<ConnectionStatus> {
      const status = await call(context, '/api/getqr');
      const s = isObject(status) ? status : {};
      return {
        authenticated: s.isAuthenticated === true,
        number: typeof s.number === 'string' && s.number !== '' ? s.number : undefined,
        name: typeof s.name === 'string' && s.name !== '' ? s.name : undefined,
        qrCode: typeof s.qrcode === 'string' && s.qrcode !== '' ? s.qrcode : undefined,
      };
    },

    async checkNumber(phone, context) {
      return (await call(context, '/api/checknumber', { nohp: phone })) === true;
    },
  };
}

// A 200 whose body lacks the message id is still a failure the caller must see. Made on demand:
// a `Headers` at module load would be a side effect, and some runtimes (Apps Script) have none.
function answerWithoutId(body: unknown): HttpResponse {
  return { status: 200, headers: new Headers(), body };
}
