import { type ErrorCode, KabarError } from '../errors.js';
import type { OtpRequested } from '../resources.js';

/** An answer of the OTP routes, for the framework adapter to write. */
export interface OtpHttpResponse {
  /** The HTTP status: 201 issued, 200 verified, 401, 413, 422, 429 or 502. */
  status: number;
  /**
   * The JSON body: `{success: true, data}`, or `{success: false, error: {code, message, ...}}`
   * with Qirim's wire codes (`validation_error`, `otp_invalid`, `rate_limited`, ...).
   */
  body: Record<string, unknown>;
  /** Headers to add, with lower-case names: `retry-after` (seconds) on every 429. */
  headers: Record<string, string>;
  /** Set when a code was verified: the number, normalised, so the caller can start a session. */
  verifiedPhone?: string;
}

/** Qirim's table: our error code to its HTTP status and wire code. */
const WIRE: Partial<Record<ErrorCode, [number, string]>> = {
  invalid_phone: [422, 'invalid_phone'],
  validation: [422, 'validation_error'],
  payload_too_large: [413, 'validation_error'],
  resend_cooldown: [429, 'resend_cooldown'],
  daily_limit: [429, 'daily_limit'],
  otp_expired: [422, 'otp_expired'],
  otp_incorrect: [422, 'otp_incorrect'],
  too_many_attempts: [429, 'too_many_attempts'],
  rate_limited: [429, 'rate_limited'],
};

function failure(status: number, code: string, message: string): OtpHttpResponse {
  return { status, headers: {}, body: { success: false, error: { code, message } } };
}

function secondsToJakartaMidnight(): number {
  const jakarta = Date.now() + 7 * 3600_000;
  return Math.ceil((86_400_000 - (jakarta % 86_400_000)) / 1000);
}

/**
 * The answer for a failed OTP call, for routes of your own that share the handlers' answers. Known
 * errors keep their code and status (429s with `retry_after` and a `retry-after` header); anything
 * else, a gateway failure included, becomes 502 `delivery_failed` without its details.
 */
export function otpErrorResponse(error: unknown): OtpHttpResponse {
  const known = KabarError.isInstance(error) ? WIRE[error.code] : undefined;
  if (!known || !KabarError.isInstance(error)) {
    return failure(502, 'delivery_failed', 'the code could not be sent; try again later');
  }
  const [status, code] = known;
  const details = (typeof error.details === 'object' && error.details) || {};
  const extra: Record<string, unknown> = {};
  if ('attempts_remaining' in details) extra.attempts_remaining = details.attempts_remaining;
  if (error.code === 'validation' && 'field' in error) {
    extra.fields = { [String((error as { field: string }).field)]: error.message };
  }
  const headers: Record<string, string> = {};
  if (status === 429) {
    const retryAfter =
      error.retryAfter ?? (error.code === 'daily_limit' ? secondsToJakartaMidnight() : 60);
    extra.retry_after = retryAfter;
    headers['retry-after'] = String(retryAfter);
  }
  return {
    status,
    headers,
    body: { success: false, error: { code, message: error.message, ...extra } },
  };
}

/**
 * The browser contract's one answer to every failed verify: wrong, expired, never requested or
 * locked after too many guesses all read the same, so the answer cannot tell anyone whether a
 * number has a live code.
 */
export function codeRefusedResponse(): OtpHttpResponse {
  return failure(422, 'otp_invalid', 'the code is wrong or has expired; request a new one');
}

/** The trusted contract's answer to a caller without the right API key. */
export function unauthenticatedResponse(): OtpHttpResponse {
  return {
    ...failure(401, 'unauthenticated', 'a valid API key is required (X-Api-Key or Bearer)'),
    headers: { 'www-authenticate': 'Bearer' },
  };
}

/** 201 with the request's id and expiry; never the code. */
export function issuedResponse(issued: OtpRequested): OtpHttpResponse {
  return {
    status: 201,
    headers: {},
    body: {
      success: true,
      data: {
        request_id: issued.requestId,
        phone: issued.phone,
        expires_in: issued.expiresIn,
        expires_at: issued.expiresAt,
      },
    },
  };
}

/** 200 for a verified code, carrying the number for the adapter to start a session with. */
export function verifiedResponse(phone: string): OtpHttpResponse {
  return {
    status: 200,
    headers: {},
    body: { success: true, data: { verified: true, phone } },
    verifiedPhone: phone,
  };
}
