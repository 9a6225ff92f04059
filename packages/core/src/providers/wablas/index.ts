import {
  type ErrorCode,
  invalidConfig,
  type KabarError,
  UnsupportedFeatureError,
  ValidationError,
} from '../../errors.js';
import type { HttpRequest, HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import { mediaKindForMime, uploadBlob } from '../../media.js';
import type { LocationContent, PreparedMessage, SendResult } from '../../message.js';
import type { Feature, Provider, RateLimitDefault } from '../../provider.js';
import { redactText } from '../../redact.js';
import type { ConnectionStatus } from '../../resources.js';
import { requireHttpUrl, requireString } from '../../validate-fields.js';
import { baseUrlFrom, isObject, requireOption, secretTag, withQuery } from '../shared.js';

/** What `wablas` takes: `token`, and `server` or `baseUrl`. */
export interface WablasOptions {
  /** The device token from the Wablas dashboard (Device, then Settings). */
  token: string;
  /**
   * The device's secret key, generated in the device settings. With it every request carries
   * `Authorization: {token}.{secretKey}`; without it, the token alone (accounts made before
   * Wablas added secret keys).
   */
  secretKey?: string;
  /**
   * Your account's server as the dashboard shows it, e.g. `bdg` for `https://bdg.wablas.com`.
   * Required unless `baseUrl` is given.
   */
  server?: string;
  /** The API host, e.g. `https://bdg.wablas.com`; wins over `server`. Point it at the sandbox in tests. */
  baseUrl?: string;
  /** The host of the number check, which Wablas runs apart. Default `https://phone.wablas.com`. */
  phoneCheckUrl?: string;
}

const NAME = 'wablas';

/** What the Wablas provider can do; also its gateway definition's `capabilities`. */
export const WABLAS_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>([
  'text',
  'image',
  'video',
  'audio',
  'document',
  'location',
  'group',
  'batch',
  'schedule',
  'media.upload',
  'connection.status',
  'numbers.check',
]);

/**
 * One message every 5 seconds per device. Wablas publishes no request rate; its own pacing is the
 * device speed setting, at fastest 5 messages per 10 seconds, and a WhatsApp Web number that
 * sends faster than a person could risks a ban. One message per 5 seconds stays well inside both.
 */
export const WABLAS_RATE_LIMIT: RateLimitDefault = { limit: 1, intervalMs: 5_000 };

/** The docs' limit for `message` on every send endpoint (WhatsApp itself allows 4096). */
const MAX_TEXT = 1024;
/** The docs' cap on `data` items in one v2 request. */
const MAX_BATCH = 100;
/** Wablas refuses media over 2 MB, far below WhatsApp's own limits that `uploadBlob` checks. */
const MAX_MEDIA_BYTES = 2 * 1024 * 1024;
/** The docs' example timezone: `date` and `time` are written in it, so Wablas reads them right. */
const SCHEDULE_TIMEZONE = 'Asia/Jakarta';
const FORM = 'application/x-www-form-urlencoded';

/**
 * Wablas documents no failure bodies; these texts come from client code (`token invalid or device
 * expired`, `secret key invalid`, `need secret key`, `device not found`, `param invalid`, `device
 * disconnected, need to scan qr code again`). Quota comes first: "quota expired" is no auth fault.
 * A wrong server also answers `token invalid`, so the token is not the only suspect.
 */
const ERROR_PATTERNS: [RegExp, ErrorCode][] = [
  [/quota/i, 'quota_exceeded'],
  [/token|secret\s*key|expired|device\s+not\s+found|unauthori[sz]ed/i, 'unauthenticated'],
  [/disconnect|scan\s*qr|not\s+connected/i, 'session_inactive'],
  [
    /(phone|number|nomor)\b.*\b(invalid|not\s+valid|not\s+registered)|invalid\s+(phone|number)/i,
    'invalid_phone',
  ],
  [/param|required/i, 'validation'],
];

/** Whether Wablas said no in its body: `status:false`, or a failure word on check-phone's host. */
function isRefusal(body: Record<string, unknown>): boolean {
  return (
    body.status === false ||
    (typeof body.status === 'string' && /^(false|error|fail(ed)?)$/i.test(body.status))
  );
}

function wablasError(
  response: HttpResponse,
  secrets: readonly string[],
  unclear?: 'maybe_accepted',
): KabarError {
  const body = isObject(response.body) ? response.body : {};
  const said = typeof body.message === 'string' && body.message !== '' ? body.message : undefined;
  const message = redactText(
    said ??
      (typeof response.body === 'string' && response.body !== ''
        ? response.body.slice(0, 200)
        : 'request failed'),
    secrets,
  );
  // A 429 is the gateway turning the request away for now, whatever the body says.
  const refused = isRefusal(body) && response.status !== 429;
  // The same refusal arrives as HTTP 400 in one report and 500 in another, so those statuses
  // say nothing; only the text does. Other statuses (401, 404, 413) keep their usual meaning.
  const meaningless = response.status < 400 || response.status === 400 || response.status >= 500;
  const code = refused
    ? (ERROR_PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ??
      (meaningless ? 'provider_error' : undefined))
    : response.status < 400
      ? 'provider_error'
      : undefined;
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message,
    code,
    // A `status:false` answer is Wablas deciding not to send: repeating it cannot help.
    transient: refused ? 'permanent' : response.status < 400 ? unclear : undefined,
    details: said === undefined ? undefined : { message },
  });
}

/** The answer's body when Wablas says it succeeded, else the error it amounts to. */
function successBody(
  response: HttpResponse,
  secrets: readonly string[],
  succeeded: (body: Record<string, unknown>) => boolean,
  unclear?: 'maybe_accepted',
): Record<string, unknown> {
  const body = isObject(response.body) ? response.body : undefined;
  if (response.status >= 300 || body === undefined || !succeeded(body)) {
    throw wablasError(response, secrets, unclear);
  }
  return body;
}

const statusTrue = (body: Record<string, unknown>) => body.status === true;

// One Wablas request: v1 endpoints take form fields, v2 endpoints and location take JSON.
type WablasCall =
  | { path: string; form: Record<string, string | undefined> }
  | { path: string; json: unknown };

/** The media's URL: a link, or an id from `media.upload`, which on Wablas is the file's URL. */
function mediaUrl(content: { link?: string; id?: string }, kind: string): string {
  if (content.link !== undefined) return content.link;
  requireHttpUrl(content.id, `${kind}.id`);
  return content.id as string;
}

function locationItem(phone: string, isGroup: string, location: LocationContent) {
  return {
    phone,
    isGroup,
    message: {
      name: location.name ?? '',
      address: location.address ?? '',
      latitude: location.latitude,
      longitude: location.longitude,
    },
  };
}

let jakartaClock: Intl.DateTimeFormat | undefined;

/** `sendAt` as the wall-clock date and time in Jakarta, the form `/api/schedule` takes. */
function scheduleFields(sendAt: Date): { date: string; time: string; timezone: string } {
  jakartaClock ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: SCHEDULE_TIMEZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const part: Record<string, string> = {};
  for (const { type, value } of jakartaClock.formatToParts(sendAt)) part[type] = value;
  return {
    date: `${part.year}-${part.month}-${part.day}`,
    time: `${part.hour}:${part.minute}:${part.second}`,
    timezone: SCHEDULE_TIMEZONE,
  };
}

/** The endpoint and fields for one prepared message. */
function wablasCall(prepared: PreparedMessage): WablasCall {
  const batch = Array.isArray(prepared.message.to);
  const group = prepared.recipientType === 'group';
  // Wablas wants the string "true": a boolean is documented as wrong.
  const isGroup = group ? 'true' : undefined;
  if (batch && prepared.recipients.length > MAX_BATCH) {
    // Splitting would make one send several requests, and a failure halfway would leave the
    // caller unsure which recipients got the message.
    throw new ValidationError(
      'to',
      `Wablas takes at most ${MAX_BATCH} recipients per message (got ${prepared.recipients.length})`,
    );
  }
  const sendAt = prepared.message.sendAt;
  if (sendAt !== undefined) {
    // `/api/v2/schedule` takes media too, but its answer is undocumented; text is what we know.
    if (prepared.kind !== 'text') {
      throw new UnsupportedFeatureError(NAME, `scheduled ${prepared.kind} messages`);
    }
    return {
      path: '/api/schedule',
      form: {
        phone: prepared.recipients.join(','),
        message: requireString(prepared.content, 'text', MAX_TEXT),
        ...scheduleFields(sendAt),
        isGroup,
      },
    };
  }
  const each = <T>(item: (phone: string) => T) => ({
    data: prepared.recipients.map(item),
  });
  switch (prepared.kind) {
    case 'text': {
      const message = requireString(prepared.content, 'text', MAX_TEXT);
      return batch
        ? {
            path: '/api/v2/send-message',
            json: each((phone) => ({ phone, message, isGroup: 'false' })),
          }
        : { path: '/api/send-message', form: { phone: prepared.to, message, isGroup } };
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document': {
      const kind = prepared.kind;
      const fields: Record<string, string | undefined> = {
        [kind]: mediaUrl(prepared.content, kind),
      };
      // For a document Wablas calls `caption` the "name of document".
      if (prepared.kind === 'document') {
        fields.caption = prepared.content.filename ?? prepared.content.caption;
      } else if (prepared.kind !== 'audio') {
        fields.caption = prepared.content.caption;
      }
      return batch
        ? {
            path: `/api/v2/send-${kind}`,
            json: each((phone) => ({ phone, ...fields, isGroup: 'false' })),
          }
        : { path: `/api/send-${kind}`, form: { phone: prepared.to, ...fields, isGroup } };
    }
    case 'location': {
      const location = prepared.content;
      // Only a v2 endpoint sends locations, so one recipient goes as a one-item batch.
      return {
        path: '/api/v2/send-location',
        json: each((phone) => locationItem(phone, group ? 'true' : 'false', location)),
      };
    }
    default:
      throw new UnsupportedFeatureError(NAME, prepared.kind);
  }
}

function httpRequest(call: WablasCall, baseUrl: string, auth: Record<string, string>): HttpRequest {
  const url = `${baseUrl}${call.path}`;
  if ('json' in call) return { method: 'POST', url, headers: auth, json: call.json };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(call.form)) {
    if (value !== undefined) params.set(key, value);
  }
  return {
    method: 'POST',
    url,
    headers: { ...auth, 'content-type': FORM },
    body: new Blob([params.toString()], { type: FORM }),
  };
}

function objects(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Every message id in a send answer. The usual place is `data.messages[]`; a schedule answer
 * has `messages[]` at the top; `random=true` answers make `data` a list of devices whose key is
 * `messages` or `message`, an object or a list. `phone` is sometimes a JSON number.
 */
function sentMessages(
  body: Record<string, unknown>,
  recipients: string[],
): { id: string; to: string }[] {
  const found: { id: string; to: string }[] = [];
  const add = (item: Record<string, unknown>) => {
    const id = text(item.id);
    if (id !== undefined) {
      found.push({ id, to: text(item.phone) ?? recipients[found.length] ?? recipients[0] ?? '' });
    }
  };
  for (const holder of [...objects(body.data), body]) {
    for (const key of ['messages', 'message']) objects(holder[key]).forEach(add);
  }
  return found;
}

const UPLOAD_EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'video/mp4': 'mp4',
  'video/mpeg': 'mpeg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'text/plain': 'txt',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
};

/** A file name with an extension, since Wablas checks uploads against a list of extensions. */
function uploadName(mimeType: string, filename: string | undefined): string {
  if (filename !== undefined && filename !== '') return filename;
  const extension = UPLOAD_EXTENSIONS[mimeType.toLowerCase().split(';')[0]?.trim() ?? ''];
  return extension === undefined ? 'file' : `file.${extension}`;
}

function urlOption(name: string, value: string): string {
  if (!/^https?:\/\/[^/]/i.test(value)) throw invalidConfig(NAME, name, 'must be an http(s) URL');
  return value.replace(/\/+$/, '');
}

/** `baseUrl`, else the server's host; the docs write the base with `/api`, which paths add. */
function hostOf(options: WablasOptions): string {
  if (options.baseUrl !== undefined && options.baseUrl !== '') {
    return baseUrlFrom(NAME, options.baseUrl, '').replace(/\/api$/i, '');
  }
  const server = options.server;
  if (server === undefined || server === '') {
    throw invalidConfig(NAME, 'server', 'is required (or baseUrl), e.g. "bdg"');
  }
  if (typeof server !== 'string' || !/^[a-z0-9-]+$/i.test(server)) {
    throw invalidConfig(NAME, 'server', 'must be a server name such as "bdg"');
  }
  return `https://${server.toLowerCase()}.wablas.com`;
}

/**
 * Wablas: a WhatsApp Web gateway with one host per server (`bdg.wablas.com`, ...). Text, media by
 * link, locations, WhatsApp groups (`to: { group }` with the id from an incoming webhook's
 * `phone`), batches of up to 100 numbers in one request, scheduled text (`sendAt`), uploads, the
 * device's connection status and a number check.
 *
 * A media id is a URL on Wablas: `media.upload` stores the file and answers with its public URL,
 * and `{ image: { id } }` sends that URL as a link would. Captions and text are at most 1024
 * characters, files at most 2 MB. Wablas does not drop duplicate sends, so a send whose answer was
 * lost (a timeout, a 5xx) is not retried. Default rate limit: one message every 5 seconds per
 * device (`WABLAS_RATE_LIMIT`).
 *
 * Throws `invalid_config` when `token` is missing, there is neither a `server` nor a `baseUrl`,
 * `server` is not a plain name, or `baseUrl` or `phoneCheckUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { wablas } from '@kabar/core/wablas';
 *
 * const wa = createClient({
 *   provider: wablas({
 *     token: process.env.WABLAS_TOKEN!,
 *     secretKey: process.env.WABLAS_SECRET_KEY,
 *     baseUrl: 'http://127.0.0.1:4010/wablas', // the Kabar sandbox; or server: 'bdg'
 *     phoneCheckUrl: 'http://127.0.0.1:4010/wablas/phone',
 *   }),
 * });
 * const { authenticated } = await wa.connection.status(); // false: scan the QR on the dashboard
 * if (authenticated && (await wa.numbers.check('0812-3456-7890'))) {
 *   await wa.send({ to: '0812-3456-7890', text: 'Pesanan Anda sudah dikirim.' });
 *   await wa.send({
 *     to: '0812-3456-7890',
 *     text: 'Pengingat: pembayaran jatuh tempo besok.',
 *     sendAt: new Date(Date.now() + 60 * 60 * 1000),
 *   });
 * }
 * ```
 */
export function wablas(options: WablasOptions): Provider {
  const token = requireOption(NAME, 'token', options?.token);
  const secretKey = options.secretKey === '' ? undefined : options.secretKey;
  if (secretKey !== undefined && typeof secretKey !== 'string') {
    throw invalidConfig(NAME, 'secretKey', 'must be a string');
  }
  const baseUrl = hostOf(options);
  const phoneCheckUrl = urlOption(
    'phoneCheckUrl',
    options.phoneCheckUrl === undefined || options.phoneCheckUrl === ''
      ? 'https://phone.wablas.com'
      : options.phoneCheckUrl,
  );
  const auth = { authorization: secretKey === undefined ? token : `${token}.${secretKey}` };
  const secrets = secretKey === undefined ? [token] : [token, secretKey];

  return {
    name: NAME,
    capabilities: WABLAS_CAPABILITIES,
    deduplicates: false,
    defaultRateLimit: WABLAS_RATE_LIMIT,
    rateLimitKey: `${NAME}:${baseUrl}:${secretTag(token)}`,
    secrets,

    async send(prepared, context): Promise<SendResult> {
      const response = await context.request(httpRequest(wablasCall(prepared), baseUrl, auth));
      // After a 2xx that is neither a success nor a refusal the message may well be queued.
      const body = successBody(response, secrets, statusTrue, 'maybe_accepted');
      const messages = sentMessages(body, prepared.recipients);
      const [first] = messages;
      if (first === undefined) {
        throw errorForStatus({
          status: response.status,
          headers: response.headers,
          provider: NAME,
          message: 'the answer carries no message id',
          code: 'provider_error',
          transient: 'maybe_accepted',
        });
      }
      const batch = Array.isArray(prepared.message.to) || messages.length > 1;
      return {
        id: first.id,
        to: first.to,
        provider: NAME,
        ...(batch ? { messages } : {}),
        raw: body,
      };
    },

    async uploadMedia(upload, context) {
      const file = uploadBlob(upload);
      if (file.size > MAX_MEDIA_BYTES) {
        throw new ValidationError(
          'file',
          `Wablas takes files of at most ${MAX_MEDIA_BYTES} bytes (got ${file.size})`,
        );
      }
      const kind = mediaKindForMime(upload.mimeType);
      if (kind === 'sticker') {
        // A WebP is a sticker; Wablas uploads images of jpg, jpeg and png only.
        throw new UnsupportedFeatureError(NAME, 'WebP uploads (send jpg or png)');
      }
      const form = new FormData();
      form.append('file', file, uploadName(upload.mimeType, upload.filename));
      const response = await context.request({
        method: 'POST',
        url: `${baseUrl}/api/upload/${kind}`,
        headers: auth,
        form,
      });
      const body = successBody(response, secrets, statusTrue);
      const data = isObject(body.data) ? body.data : {};
      const url = objects(data.messages)
        .map((item) => text(item.url))
        .find((value) => value !== undefined);
      if (url === undefined) {
        throw wablasError(
          {
            status: response.status,
            headers: response.headers,
            body: 'the upload answer carries no url',
          },
          secrets,
        );
      }
      return { id: url };
    },

    /**
     * The device's session from `/api/device/info`. `qrCode` stays undefined: Wablas shows the QR
     * only as an HTML page (`/api/device/scan`), so scan it on the dashboard.
     */
    async connectionStatus(context): Promise<ConnectionStatus> {
      const response = await context.request({
        method: 'GET',
        url: withQuery(`${baseUrl}/api/device/info`, { token }),
        headers: auth,
      });
      const body = successBody(response, secrets, statusTrue);
      const data = isObject(body.data) ? body.data : {};
      return {
        authenticated: data.status === 'connected',
        number: text(data.sender),
        name: text(data.name),
      };
    },

    async checkNumber(phone, context) {
      const response = await context.request({
        method: 'GET',
        url: withQuery(`${phoneCheckUrl}/check-phone-number`, { phones: phone }),
        // This host serves every server, so it is told which one; the docs show the bare token.
        headers: { authorization: token, url: baseUrl },
      });
      // Unlike every other endpoint, this one answers `"status":"success"`.
      const body = successBody(response, secrets, (b) => b.status === 'success');
      const entries = objects(body.data);
      const entry =
        entries.find((item) => text(item.phone) === phone) ??
        (entries.length === 1 ? entries[0] : undefined);
      if (entry === undefined) {
        throw wablasError(
          {
            status: response.status,
            headers: response.headers,
            body: 'the answer does not list the number',
          },
          secrets,
        );
      }
      return entry.status === 'online';
    },
  };
}
