import type { GasFetchRequest } from './gas';
import { DEFAULT_BASE_URLS, type Settings } from './settings';

export interface SendJob {
  /** 1-based sheet row. */
  row: number;
  /** Digits-only international form. */
  phone: string;
  /** Body parameters {{1}}, {{2}}, ... */
  params: string[];
}

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
    };

/** The messages endpoint of the configured gateway. */
export function messagesUrl(settings: Settings): string {
  const base = settings.baseUrl || DEFAULT_BASE_URLS[settings.gateway];
  if (settings.gateway === 'meta') {
    return `${base}/${settings.apiVersion}/${settings.phoneNumberId}/messages`;
  }
  return settings.phoneNumberId
    ? `${base}/v1/${settings.phoneNumberId}/messages`
    : `${base}/v1/messages`;
}

/**
 * One template message in Meta's format (Kirem speaks the same). Kirem also gets an Idempotency-Key
 * stable for this campaign, row and content, so a row retried after an unclear failure (a dropped
 * connection mid-chunk) is not delivered twice.
 */
export function buildRequest(
  settings: Settings,
  apiKey: string,
  job: SendJob,
  idempotencyScope: string,
): GasFetchRequest {
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
  const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}` };
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

/** Meta error codes that mean "slow down", not "this message is wrong". */
const THROTTLED_CODES = new Set([4, 80007, 130429, 131048, 131056]);

/** Reads Kirem's `{status,message,data|errors}` and Meta's `{messages}` / `{error}` answers. */
export function parseResponse(status: number, body: string, secrets: string[]): SendOutcome {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const data = record(json);
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

/**
 * Meta error codes (Kirem passes them on) that refuse a contact rather than a message, as the send
 * policy of `@kabar/core` does before the request: the row is skipped, not failed.
 */
const SKIP_CODES: Record<number, 'optOut' | 'outsideWindow'> = {
  131047: 'outsideWindow',
  131050: 'optOut',
};

/** Removes every secret from a text bound for a cell or a log. */
export function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

function firstFieldError(errors: Record<string, unknown>): string | undefined {
  for (const [field, value] of Object.entries(errors)) {
    if (['message', 'type', 'code', 'error_subcode', 'fbtrace_id'].includes(field)) continue;
    if (typeof value === 'string') return `${field} ${value}`;
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
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
