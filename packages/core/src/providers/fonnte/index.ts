import {
  type ErrorCode,
  invalidConfig,
  type KabarError,
  UnsupportedFeatureError,
  ValidationError,
} from '../../errors.js';
import type { HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import type { PreparedMessage, SendResult } from '../../message.js';
import type { Feature, Provider, ProviderContext, RateLimitDefault } from '../../provider.js';
import { redactText } from '../../redact.js';
import type { ConnectionStatus, Group } from '../../resources.js';
import { baseUrlFrom, isObject, requireOption, secretTag } from '../shared.js';

/** What `fonnte` takes. */
export interface FonnteOptions {
  /** The device token from Fonnte's device list (one per connected WhatsApp number). */
  token: string;
  /** Default `https://api.fonnte.com`. Point it at the sandbox in tests. */
  baseUrl?: string;
  /**
   * Fonnte's `delay` between the messages of one send to several recipients, in seconds: `'2'`
   * waits 2 s each time, `'1-10'` a random time in that range. Unset, Fonnte sends them back to back.
   */
  delay?: string;
}

const NAME = 'fonnte';

/** What the Fonnte provider can do; the gateway registry lists it without making a provider. */
export const FONNTE_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>([
  'text',
  'image',
  'video',
  'audio',
  'document',
  'location',
  'group',
  'batch',
  'schedule',
  'reply',
  'connection.status',
  'numbers.check',
  'groups.list',
]);

/**
 * Fonnte's dashboard spaces the messages of one send 5 s apart by default. It publishes no API
 * rate, and a WhatsApp-Web number that sends fast gets banned by WhatsApp, so one message every
 * 5 s is the safe default.
 */
export const FONNTE_RATE_LIMIT: RateLimitDefault = { limit: 1, intervalMs: 5_000 };

/**
 * Fonnte answers refusals with HTTP 200, `status: false` and free text; no list of the texts is
 * published, so these match the ones seen in its docs and in client code, loosely.
 */
const ERROR_PATTERNS: [RegExp, ErrorCode][] = [
  [/token|unknown\s+user|unauthori[sz]ed/i, 'unauthenticated'],
  [/quota|kuota/i, 'quota_exceeded'],
  [/disconnect|not\s+connect|belum\s+terhubung/i, 'session_inactive'],
  [/target|number|nomor|not\s+registered/i, 'invalid_phone'],
];

/** A refusal that says "not now" rather than "no": nothing was taken, so it may be repeated. */
const RATE_LIMITED = /too\s+many|rate.?limit/i;

/** `reason` on most endpoints, `detail` on others; older or odd answers capitalise them. */
function reasonOf(body: Record<string, unknown>): string | undefined {
  for (const key of ['reason', 'detail', 'Reason', 'Detail', 'message']) {
    const value = body[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Whether the answer says yes (`true`), no (`false`), or nothing readable (`undefined`). */
function verdictOf(body: Record<string, unknown>): boolean | undefined {
  const status = body.status ?? body.Status;
  return typeof status === 'boolean' ? status : undefined;
}

/** One Fonnte answer, read far enough to tell an acceptance from a refusal. */
interface Answer {
  response: HttpResponse;
  body: Record<string, unknown>;
  ok: boolean;
  /** The refusal's text, redacted; empty when accepted. */
  reason: string;
}

/** The error for a definite `status: false` refusal. */
function refusalError(answer: Answer): KabarError {
  const { response, reason } = answer;
  const message = reason || 'request refused';
  const rateLimited = RATE_LIMITED.test(message);
  const code = rateLimited
    ? 'rate_limited'
    : (ERROR_PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ?? 'provider_error');
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message,
    code,
    // Fonnte said no, so it holds no message to duplicate; only a "too many requests" is worth
    // repeating later.
    transient: rateLimited ? 'turned_away' : 'permanent',
    details: { reason: message },
  });
}

/**
 * The error for an answer that says neither yes nor no (a proxy's page, a gateway error, a 200
 * without the expected fields): the message may have been taken, so a send is not repeated.
 */
function ambiguousError(response: HttpResponse, message: string): KabarError {
  const ok = response.status >= 200 && response.status < 300;
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message,
    code: ok ? 'provider_error' : undefined,
    transient: ok ? 'maybe_accepted' : undefined,
  });
}

/** The file types Fonnte sends, by kind (https://docs.fonnte.com/file-limitation/). */
const FILE_TYPES: Record<'image' | 'video' | 'audio' | 'document', readonly string[]> = {
  image: ['jpg', 'jpeg', 'png', 'webp'],
  video: ['mp4'],
  audio: ['mp3'],
  document: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'csv', 'txt'],
};

/**
 * Refuses, before the network, a link whose file extension Fonnte does not send for that kind (an
 * `.ogg` voice note): Fonnte would refuse it anyway. A link without an extension is left to Fonnte.
 */
function refuseFileType(kind: keyof typeof FILE_TYPES, link: string): void {
  const path = URL.canParse(link) ? new URL(link).pathname : link;
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension !== undefined && !FILE_TYPES[kind].includes(extension)) {
    throw new UnsupportedFeatureError(
      NAME,
      `${kind} files of type .${extension} (Fonnte sends ${FILE_TYPES[kind].join(', ')})`,
    );
  }
}

/** The form fields of `/send` for one prepared message, without the ones every send carries. */
function sendFields(prepared: PreparedMessage): Record<string, string> {
  switch (prepared.kind) {
    case 'text':
      return { message: prepared.content };
    case 'image':
    case 'video':
    case 'audio':
    case 'document': {
      const media = prepared.content;
      if (media.link === undefined) {
        // Fonnte takes uploads only inline with the send; Kabar's uploaded media is an id.
        throw new UnsupportedFeatureError(NAME, `${prepared.kind} by media id (send a link)`);
      }
      refuseFileType(prepared.kind, media.link);
      const fields: Record<string, string> = { url: media.link };
      if (media.caption) fields.message = media.caption;
      if (prepared.kind === 'document' && prepared.content.filename) {
        fields.filename = prepared.content.filename;
      }
      return fields;
    }
    case 'location': {
      const { latitude, longitude, name, address } = prepared.content;
      const caption = [name, address].filter(Boolean).join(', ');
      return {
        location: `${latitude},${longitude}`,
        ...(caption ? { message: caption } : {}),
      };
    }
    default:
      throw new UnsupportedFeatureError(NAME, prepared.kind);
  }
}

/** Fonnte addresses a group by its full WhatsApp id: `120363…@g.us`. */
function targetOf(recipient: string, type: PreparedMessage['recipientType']): string {
  return type === 'group' && !recipient.includes('@') ? `${recipient}@g.us` : recipient;
}

/** An id Fonnte gave as a string (older answers) or a number (newer ones), as a string. */
function idString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Fonnte: an Indonesian WhatsApp gateway that drives a WhatsApp Web session per device. Sends
 * text, media by link, locations, to groups and to several numbers at once (one message id each,
 * in `SendResult.messages`), now or at `sendAt`, optionally quoting an incoming message
 * (`replyTo` takes the webhook's message id). Also reports the session (with the QR code to scan
 * when it is logged out), checks numbers and lists groups.
 *
 * Fonnte answers refusals with HTTP 200: they become errors with Kabar's codes (`unauthenticated`,
 * `session_inactive`, `invalid_phone`, `quota_exceeded`, else `provider_error`) and are never
 * retried. Fonnte does not deduplicate, so a send whose answer was lost is not retried either.
 * Default rate limit: one message every 5 seconds, the spacing Fonnte's own dashboard uses.
 *
 * Throws `invalid_config` when `token` is missing, `baseUrl` is not an http(s) URL or `delay` is
 * not seconds (`'2'`) or a range of seconds (`'1-10'`).
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { fonnte } from '@kabar/core/fonnte';
 *
 * const wa = createClient({
 *   provider: fonnte({
 *     token: process.env.FONNTE_TOKEN!,
 *     baseUrl: 'http://127.0.0.1:4010/fonnte', // @kabar/sandbox; omit in production
 *   }),
 * });
 * const { authenticated, qrCode } = await wa.connection.status(); // scan qrCode to log in
 * if (authenticated) {
 *   await wa.send({ to: '0812-3456-7890', text: 'Pesanan Anda sudah dikirim.' });
 *   const sent = await wa.send({
 *     to: ['0812-3456-7890', '0813-1111-2222'],
 *     text: 'Promo akhir pekan!',
 *     sendAt: new Date(Date.now() + 60 * 60 * 1000),
 *   });
 *   console.log(sent.messages); // one { id, to } per number
 * }
 * ```
 */
export function fonnte(options: FonnteOptions): Provider {
  const token = requireOption(NAME, 'token', options?.token);
  const baseUrl = baseUrlFrom(NAME, options.baseUrl, 'https://api.fonnte.com');
  const delay = options.delay;
  if (delay !== undefined && !/^\d+(-\d+)?$/.test(delay)) {
    throw invalidConfig(NAME, 'delay', 'must be seconds such as "2" or a range such as "1-10"');
  }
  const secrets = [token];

  /** One POST; rejects only when the answer is not a Fonnte answer at all. */
  async function post(
    context: ProviderContext,
    path: string,
    fields: Record<string, string>,
  ): Promise<Answer> {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    const response = await context.request({
      method: 'POST',
      url: `${baseUrl}${path}`,
      headers: { Authorization: token },
      form,
    });
    const body = isObject(response.body) ? response.body : undefined;
    const verdict = body ? verdictOf(body) : undefined;
    const { status } = response;
    // Fonnte refuses with HTTP 200, but should it ever send a 4xx with its refusal body, the text
    // still says best what went wrong. A 429, a 408 and a 5xx keep their HTTP meaning.
    const refused = verdict === false && status < 500 && status !== 429 && status !== 408;
    if (body && refused) {
      return { response, body, ok: false, reason: redactText(reasonOf(body) ?? '', secrets) };
    }
    if (status < 200 || status >= 300 || !body || verdict === undefined) {
      const text = body
        ? (reasonOf(body) ?? 'answer without a status')
        : typeof response.body === 'string'
          ? response.body.slice(0, 200)
          : 'empty answer';
      throw ambiguousError(response, redactText(text, secrets));
    }
    return { response, body, ok: true, reason: '' };
  }

  /** One POST whose refusal is an error. */
  async function call(context: ProviderContext, path: string, fields: Record<string, string>) {
    const answer = await post(context, path, fields);
    if (!answer.ok) throw refusalError(answer);
    return answer;
  }

  // Fonnte warns that a validate call started while another runs on the same device can spoil the
  // earlier one's answer, so this provider's checks wait for each other.
  let validating: Promise<unknown> = Promise.resolve();

  return {
    name: NAME,
    capabilities: FONNTE_CAPABILITIES,
    deduplicates: false,
    defaultRateLimit: FONNTE_RATE_LIMIT,
    rateLimitKey: `${NAME}:${baseUrl}:${secretTag(token)}`,
    secrets,

    async send(prepared, context): Promise<SendResult> {
      const fields: Record<string, string> = {
        target: prepared.recipients.map((to) => targetOf(to, prepared.recipientType)).join(','),
        ...sendFields(prepared),
        // Kabar already wrote the numbers in full international form; "0" turns Fonnte's own
        // rewriting off so they arrive exactly as given.
        countryCode: '0',
      };
      const { replyTo, sendAt } = prepared.message;
      if (replyTo !== undefined) {
        if (!/^\d+$/.test(replyTo)) {
          throw new ValidationError(
            'replyTo',
            'must be the id of a message from a Fonnte webhook (its inboxid, digits only)',
          );
        }
        fields.inboxid = replyTo;
      }
      if (sendAt !== undefined) fields.schedule = String(Math.floor(sendAt.getTime() / 1000));
      if (delay !== undefined && prepared.recipients.length > 1) fields.delay = delay;

      const { body, response } = await call(context, '/send', fields);
      const ids = (Array.isArray(body.id) ? body.id : [body.id]).map(idString);
      const targets = Array.isArray(body.target) ? body.target : [];
      const messages = ids.flatMap((id, i) =>
        id === undefined
          ? []
          : [{ id, to: String(targets[i] ?? prepared.recipients[i] ?? prepared.to) }],
      );
      const [first] = messages;
      // Fonnte said yes but named no message: the caller cannot track it, and it may still go out.
      if (!first) throw ambiguousError(response, 'accepted without a message id');
      return {
        id: first.id,
        to: first.to,
        provider: NAME,
        ...(messages.length > 1 ? { messages } : {}),
        raw: body,
      };
    },

    async connectionStatus(context): Promise<ConnectionStatus> {
      const { body } = await call(context, '/device', {});
      const number = idString(body.device);
      const name = typeof body.name === 'string' && body.name !== '' ? body.name : undefined;
      if (body.device_status === 'connect') return { authenticated: true, number, name };
      const qr = await post(context, '/qr', { type: 'qr', whatsapp: number ?? '' });
      if (!qr.ok) {
        // The device connected between the two calls.
        if (/already\s+connect/i.test(qr.reason)) return { authenticated: true, number, name };
        throw refusalError(qr);
      }
      const url = typeof qr.body.url === 'string' && qr.body.url !== '' ? qr.body.url : undefined;
      return {
        authenticated: false,
        number,
        name,
        // Fonnte gives the PNG's base64 alone; a data URL can go straight into an <img>.
        qrCode: url && !url.startsWith('data:') ? `data:image/png;base64,${url}` : url,
      };
    },

    async checkNumber(phone, context): Promise<boolean> {
      const check = validating.then(() =>
        call(context, '/validate', { target: phone, countryCode: '0' }),
      );
      validating = check.catch(() => undefined);
      const { body } = await check;
      return Array.isArray(body.registered) && body.registered.map(String).includes(phone);
    },

    async listGroups(context): Promise<Group[]> {
      // Fonnte lists the copy it last fetched from WhatsApp. Refreshing it (/fetch-group) is left
      // to the dashboard: Fonnte warns that calling it often can get the number banned.
      const answer = await post(context, '/get-whatsapp-group', {});
      if (!answer.ok) {
        if (/no\s+whatsapp\s+group/i.test(answer.reason)) return [];
        throw refusalError(answer);
      }
      const groups = Array.isArray(answer.body.data) ? answer.body.data.filter(isObject) : [];
      return groups.flatMap((group) => {
        const id = idString(group.id);
        return id === undefined
          ? []
          : [{ id, name: typeof group.name === 'string' ? group.name : '' }];
      });
    },
  };
}
