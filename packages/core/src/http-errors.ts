import { type ErrorCode, KabarError } from './errors.js';

/** `Retry-After` in seconds, from either form the header may take (seconds or an HTTP date). */
export function parseRetryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation',
  429: 'rate_limited',
};

export interface StatusErrorInput {
  status: number;
  headers: Headers;
  provider: string;
  message: string;
  code?: ErrorCode;
  providerCode?: string | number;
  details?: unknown;
  /**
   * What the gateway's own error code says beyond the status, e.g. Meta's throughput error 130429
   * arrives as HTTP 400 but means "not accepted, try later". A 429 or a Retry-After still counts
   * as turned away whatever the code says. `permanent`: repeating cannot help (a daily limit).
   */
  transient?: 'turned_away' | 'maybe_accepted' | 'permanent';
  /** Seconds to wait, when the gateway says so in its body rather than a header. */
  retryAfter?: number;
}

/**
 * Builds the error for an HTTP failure and decides whether a retry could double-send:
 * a 408, a 429 and a 503 that names a Retry-After mean the gateway turned the request away;
 * any other 5xx may have happened after the gateway accepted it.
 */
export function errorForStatus(input: StatusErrorInput): KabarError {
  const { status, headers } = input;
  const retryAfter = input.retryAfter ?? parseRetryAfter(headers);
  const code =
    input.code ?? CODE_BY_STATUS[status] ?? (status >= 500 ? 'provider_error' : 'validation');
  const turnedAway =
    input.transient === 'turned_away' ||
    status === 408 ||
    status === 429 ||
    (status === 503 && retryAfter !== undefined);
  const isRetryable =
    input.transient !== 'permanent' &&
    (input.transient !== undefined || status === 408 || status === 429 || status >= 500);
  return new KabarError(code, `${input.provider}: ${input.message} (HTTP ${status})`, {
    status,
    provider: input.provider,
    providerCode: input.providerCode,
    retryAfter,
    isRetryable,
    maybeAccepted: isRetryable && !turnedAway,
    details: input.details,
  });
}
