import { fillMessage } from './message';
import { gatewayLabel, REGISTRY } from './registry';
import {
  type Credentials,
  type Gateway,
  gatewayBaseUrl,
  isGateway,
  type Settings,
} from './settings';

/** One row to send. */
export interface SendJob {
  /** 1-based sheet row. */
  row: number;
  /** Digits-only international form. */
  phone: string;
  /** Body parameters {{1}}, {{2}}, ...; for Fonnte and Wablas, the values of {name} and {promo}. */
  params: string[];
}

/** What became of one row's request. */
export type SendOutcome =
  | { ok: true; messageId: string }
  | {
      ok: false;
      error: string;
      retryable: boolean;
      /**
       * The gateway refused the row for who the contact is, not for what was sent: `optOut`
       * (Meta 131050, the contact stopped marketing messages) or `outsideWindow` (Meta 131047,
       * the 24-hour window is closed). Marked DILEWATI, not GAGAL.
       */
      skip?: 'optOut' | 'outsideWindow';
      /**
       * The gateway may have taken the message (its answer was lost, unreadable or a server error)
       * and it does not drop duplicates: the row is marked TIDAK PASTI, which later runs skip
       * until someone has checked the gateway's log and cleared the status.
       */
      unclear?: true;
    };

/** A request for `UrlFetchApp.fetchAll`; the body is always encoded here, as a string. */
export type FetchRequest = GoogleAppsScript.URL_Fetch.URLFetchRequest & { payload: string };

/** How the Apps Script talks to one gateway. */
interface Sender {
  /** The endpoint a message goes to. */
  url(settings: Settings): string;
  request(
    settings: Settings,
    credentials: Credentials,
    job: SendJob,
    idempotencyScope: string,
  ): FetchRequest;
  /** Reads the answer to one request. */
  parse(status: number, body: string, secrets: string[]): SendOutcome;
  /**
   * Whether the rows of a fetchAll that threw (some requests may have gone out) are unclear
   * rather than worth retrying: true for gateways that would deliver a repeated send twice.
   */
  unclearWhenCut: boolean;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * One template message in Meta's format (Kirem speaks the same). Kirem also gets an Idempotency-Key
 * stable for this campaign, row and content, so a row retried after an unclear failure (a dropped
 * connection mid-chunk) is not delivered twice.
 */
function templateRequest(
  settings: Settings,
  credentials: Credentials,
  job: SendJob,
  idempotencyScope: string,
): FetchRequest {
  const payload = JSON.stringify({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: job.phone,
    type: 'template',
    template: {
      name: settings.templateName,
      language: { code: settings.language },
      components: [
        { type: 'body', parameters: job.params.map((value) => ({ type: 'text', text: value })) },
      ],
    },
  });
  const headers: Record<string, string> = { Authorization: `Bearer ${credentials.apiKey}` };
  if (settings.gateway === 'kirem') {
    headers['Idempotency-Key'] = `kabar-${idempotencyScope}-r${job.row}-${hash(payload)}`;
  }
  return {
    url: messagesUrl(settings),
    method: 'post',
    contentType: 'application/json',
    headers,
    payload,
    muteHttpExceptions: true,
    followRedirects: false,
  };
}

/**
 * A form POST. The payload is encoded here rather than handed to UrlFetchApp as an object, so the
 * body is plain ASCII whatever the text holds (emoji included) and needs no charset.
 */
function formRequest(
  url: string,
  authorization: string,
  fields: Record<string, string>,
): FetchRequest {
  return {
    url,
    method: 'post',
    contentType: FORM,
    headers: { Authorization: authorization },
    payload: formEncode(fields),
    muteHttpExceptions: true,
    followRedirects: false,
  };
}

/** Meta error codes that mean "slow down", not "this message is wrong". */
const THROTTLED_CODES = new Set([4, 80007, 130429, 131048, 131056]);

/**
 * Meta error codes (Kirem passes them on) that refuse a contact rather than a message, as the send
 * policy of `@kabar/core` does before the request: the row is skipped, not failed.
 */
const SKIP_CODES: Record<number, 'optOut' | 'outsideWindow'> = {
  131047: 'outsideWindow',
  131050: 'optOut',
};

/** Reads Kirem's `{status,message,data|errors}` and Meta's `{messages}` / `{error}` answers. */
function parseGraphResponse(status: number, body: string, secrets: string[]): SendOutcome {
  const data = record(parseJson(body));
  if (status >= 200 && status < 300) {
    const messages = record(data.data).messages ?? data.messages;
    const id = Array.isArray(messages) ? record(messages[0]).id : undefined;
    if (typeof id === 'string' && id !== '') return { ok: true, messageId: id };
    return { ok: false, error: `HTTP ${status} tanpa message id`, retryable: false };
  }
  const graph = record(data.error);
  const kiremErrors = record(data.errors);
  const code = graph.code ?? kiremErrors.code;
  let message =
    str(graph.message) ?? str(data.message) ?? (body.trim() === '' ? '' : 'respons bukan JSON');
  const details = str(record(graph.error_data).details) ?? firstFieldError(kiremErrors);
  if (details && !message.includes(details)) message = message ? `${message}: ${details}` : details;
  const retryable =
    status === 408 || status === 429 || status >= 500 || THROTTLED_CODES.has(Number(code));
  const error = redact(`HTTP ${status}${message ? ` ${message}` : ''}`, secrets).slice(0, 300);
  const skip = status < 500 ? SKIP_CODES[Number(code)] : undefined;
  return skip ? { ok: false, error, retryable: false, skip } : { ok: false, error, retryable };
}

/** A Fonnte refusal that means "not now": nothing was taken, so the row may be sent again. */
const RATE_LIMITED = /too\s+many|rate.?limit/i;

/**
 * Fonnte answers every refusal with HTTP 200, `status: false` and a `reason` (`detail` on some
 * endpoints, capitalised keys in older answers). As `@kabar/core`'s Fonnte provider, a refusal is
 * definite; a 5xx, an unreadable answer or a yes without a message id may have been taken.
 */
function parseFonnte(status: number, body: string, secrets: string[]): SendOutcome {
  const json = parseJson(body);
  const data = record(json);
  const verdict =
    typeof (data.status ?? data.Status) === 'boolean' ? (data.status ?? data.Status) : undefined;
  const reason = firstText(data, ['reason', 'detail', 'Reason', 'Detail', 'message']);
  const error = (text: string) => errorText('fonnte', status, text, secrets);
  if (verdict === false && status < 500 && status !== 429 && status !== 408) {
    const text = reason ?? 'permintaan ditolak';
    return { ok: false, error: error(text), retryable: RATE_LIMITED.test(text) };
  }
  return parseUnrefused('fonnte', status, json, verdict === true, fonnteId(data.id), secrets);
}

/** Fonnte's first message id: a string in older answers, a number in newer ones. */
function fonnteId(ids: unknown): string | undefined {
  return idText(Array.isArray(ids) ? ids[0] : ids);
}

/**
 * Wablas answers `{status:true, data:{messages:[{id,…}]}}`. Its refusals are `status:false` with a
 * `message`, sent as HTTP 400 by some servers and 500 by others, so the body decides, not the
 * status (as in `@kabar/core`'s Wablas provider).
 */
function parseWablas(status: number, body: string, secrets: string[]): SendOutcome {
  const json = parseJson(body);
  const data = record(json);
  const refused =
    data.status === false ||
    (typeof data.status === 'string' && /^(false|error|fail(ed)?)$/i.test(data.status));
  if (refused && status !== 429) {
    const text = str(data.message) ?? 'permintaan ditolak';
    return { ok: false, error: errorText('wablas', status, text, secrets), retryable: false };
  }
  return parseUnrefused('wablas', status, json, data.status === true, wablasId(data), secrets);
}

/**
 * The first message id of a Wablas answer: usually `data.messages[0].id`; answers sent from a
 * random device make `data` a list whose items hold `messages` or `message`, as one object or a
 * list. Ids are UUIDs, but numbers are taken too.
 */
function wablasId(data: Record<string, unknown>): string | undefined {
  const holders = [...objects(data.data), data];
  for (const holder of holders) {
    for (const key of ['messages', 'message']) {
      for (const item of objects(holder[key])) {
        const id = idText(item.id);
        if (id !== undefined) return id;
      }
    }
  }
  return undefined;
}

/**
 * An answer that is no refusal, from a gateway that does not drop duplicates: a yes with an id is
 * sent; a 408 or 429 turned the request away (retry later); another 3xx or 4xx never reached the
 * sending (wrong URL or key); anything else (a 5xx, an unreadable 2xx, a yes without an id) may
 * have been taken, so the row is unclear, never silently sent again.
 */
function parseUnrefused(
  gateway: Gateway,
  status: number,
  json: unknown,
  accepted: boolean,
  id: string | undefined,
  secrets: string[],
): SendOutcome {
  const ok = status >= 200 && status < 300;
  if (ok && accepted && id !== undefined) return { ok: true, messageId: id };
  const said = firstText(record(json), ['message', 'reason', 'detail']);
  const unreadable = json === undefined ? 'respons bukan JSON' : 'respons tanpa status';
  const error = (fallback: string) => errorText(gateway, status, said ?? fallback, secrets);
  if (status === 408 || status === 429) {
    const turnedAway = status === 429 ? 'terlalu banyak permintaan' : 'waktu habis';
    return { ok: false, error: error(turnedAway), retryable: true };
  }
  if ((status >= 300 && status < 500) || status < 200) {
    return { ok: false, error: error(unreadable), retryable: false };
  }
  const unclear =
    ok && accepted
      ? errorText(gateway, status, 'diterima tanpa message id', secrets)
      : error(unreadable);
  return { ok: false, error: unclear, retryable: false, unclear: true };
}

/** `Fonnte: invalid token`, or `Wablas HTTP 500: …` when the status says more than the text. */
function errorText(gateway: Gateway, status: number, text: string, secrets: string[]): string {
  const where =
    status >= 200 && status < 300
      ? gatewayLabel(gateway)
      : `${gatewayLabel(gateway)} HTTP ${status}`;
  return redact(`${where}: ${text}`, secrets).slice(0, 300);
}

/**
 * The senders, one per gateway the Apps Script can send through. Typed by `Gateway`, so a gateway
 * added there fails to compile until it has a sender here.
 */
const SENDERS: Record<Gateway, Sender> = {
  kirem: {
    url: (settings) =>
      settings.phoneNumberId
        ? `${gatewayBaseUrl(settings)}/v1/${settings.phoneNumberId}/messages`
        : `${gatewayBaseUrl(settings)}/v1/messages`,
    request: templateRequest,
    parse: parseGraphResponse,
    // The Idempotency-Key makes a repeated row safe.
    unclearWhenCut: false,
  },
  meta: {
    url: (settings) =>
      `${gatewayBaseUrl(settings)}/${settings.apiVersion}/${settings.phoneNumberId}/messages`,
    request: templateRequest,
    parse: parseGraphResponse,
    // Meta keeps the behaviour it has always had here: a cut chunk is marked "coba lagi".
    unclearWhenCut: false,
  },
  fonnte: {
    url: (settings) => `${gatewayBaseUrl(settings)}/send`,
    // Fonnte would rewrite a leading 0 with its `countryCode`; the number is already
    // international, and "0" turns that rewriting off.
    request: (settings, credentials, job) =>
      formRequest(messagesUrl(settings), credentials.apiKey, {
        target: digits(job.phone),
        message: fillMessage(settings.messageText, job),
        countryCode: '0',
      }),
    parse: parseFonnte,
    unclearWhenCut: true,
  },
  wablas: {
    url: (settings) => `${gatewayBaseUrl(settings)}/api/send-message`,
    // Accounts made before Wablas had secret keys authenticate with the token alone.
    request: (settings, credentials, job) =>
      formRequest(
        messagesUrl(settings),
        credentials.secretKey
          ? `${credentials.apiKey}.${credentials.secretKey}`
          : credentials.apiKey,
        { phone: digits(job.phone), message: fillMessage(settings.messageText, job) },
      ),
    parse: parseWablas,
    unclearWhenCut: true,
  },
};

function senderOf(gateway: Gateway): Sender {
  // Settings stored by hand or by another version may name a gateway this bundle lacks.
  if (!isGateway(gateway)) throw new Error(`Gateway ${String(gateway)} tidak dikenal.`);
  return SENDERS[gateway];
}

/** The gateways the settings dialog offers: core's registry, in its order, that have a sender. */
export function gatewayChoices(): { name: Gateway; label: string }[] {
  return REGISTRY.flatMap((entry) =>
    isGateway(entry.name) && Object.hasOwn(SENDERS, entry.name)
      ? [{ name: entry.name, label: entry.label }]
      : [],
  );
}

/** The messages endpoint of the configured gateway. */
export function messagesUrl(settings: Settings): string {
  return senderOf(settings.gateway).url(settings);
}

/**
 * One row's request: Meta's template JSON for Kirem (with an Idempotency-Key stable for this
 * campaign, row and content) and Meta; the settings' text, filled from the row, as a form for
 * Fonnte (`target`, `message`, `countryCode`) and Wablas (`phone`, `message`).
 */
export function buildRequest(
  settings: Settings,
  credentials: Credentials,
  job: SendJob,
  idempotencyScope: string,
): FetchRequest {
  return senderOf(settings.gateway).request(settings, credentials, job, idempotencyScope);
}

/** Reads the gateway's answer to one request; `secrets` are blanked out of the error text. */
export function parseResponse(
  gateway: Gateway,
  status: number,
  body: string,
  secrets: string[],
): SendOutcome {
  return senderOf(gateway).parse(status, body, secrets);
}

/**
 * The outcome of every row of a fetchAll that threw: Apps Script throws for the whole batch when
 * one request fails below HTTP, although others may have been delivered. Kirem's rows are safe to
 * retry (Idempotency-Key); Fonnte's and Wablas' are unclear, since a retry could send twice.
 */
export function cutOutcome(gateway: Gateway, reason: string): SendOutcome {
  const error = `koneksi gagal: ${reason}`;
  return senderOf(gateway).unclearWhenCut
    ? { ok: false, error, retryable: false, unclear: true }
    : { ok: false, error, retryable: true };
}

/** Removes every secret from a text bound for a cell or a log. */
export function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

/** `application/x-www-form-urlencoded`, with lone surrogates (a cut emoji) replaced, not thrown on. */
export function formEncode(fields: Record<string, string>): string {
  return Object.keys(fields)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(wellFormed(fields[key] ?? ''))}`)
    .join('&');
}

function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}

function firstFieldError(errors: Record<string, unknown>): string | undefined {
  for (const [field, value] of Object.entries(errors)) {
    if (['message', 'type', 'code', 'error_subcode', 'fbtrace_id'].includes(field)) continue;
    if (typeof value === 'string') return `${field} ${value}`;
  }
  return undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function objects(value: unknown): Record<string, unknown>[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter(
    (item): item is Record<string, unknown> =>
      typeof item === 'object' && item !== null && !Array.isArray(item),
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstText(data: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = str(data[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** FNV-1a, 32 bits, hex: enough to tell two payloads of the same row apart. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
