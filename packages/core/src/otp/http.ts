import { type ErrorCode, KabarError } from '../errors.js';
import { normalizePhone } from '../phone.js';
import { memoryRequestLimiter, type RequestLimiter } from '../request-limiter.js';
import type { OtpEngine } from './engine.js';

/**
 * OTP login over HTTP with Qirim's API shape, for any framework: the Express router and the NestJS
 * controller both answer through this, so a front end written against one works with the other.
 */

export interface Limit {
  limit: number;
  windowMs: number;
}

export interface OtpHttpOptions {
  engine: OtpEngine;
  /** Caps against SMS-pumping style abuse; 429 with Retry-After past them. */
  limits?: {
    /** Default: in memory. Pass `redisRequestLimiter` when several instances serve the routes. */
    store?: RequestLimiter;
    /** Every OTP call from one IP. Default 30 per 10 minutes. */
    perIp?: Limit;
    /** Codes asked for one number. Default 5 per 10 minutes. */
    perNumber?: Limit;
  };
}

export type OtpRoute = 'request' | 'verify' | 'resend';

export interface OtpHttpRequest {
  route: OtpRoute;
  /** The caller's address, for the per-IP limit. */
  ip: string;
  /** The parsed JSON body. */
  body: unknown;
}

export interface OtpHttpResponse {
  status: number;
  body: Record<string, unknown>;
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

function secondsToJakartaMidnight(): number {
  const jakarta = Date.now() + 7 * 3600_000;
  return Math.ceil((86_400_000 - (jakarta % 86_400_000)) / 1000);
}

/** The answer for a failed OTP call; gateway failures are reported without their details. */
export function otpErrorResponse(error: unknown): OtpHttpResponse {
  const known = KabarError.isInstance(error) ? WIRE[error.code] : undefined;
  if (!known || !KabarError.isInstance(error)) {
    return {
      status: 502,
      headers: {},
      body: {
        success: false,
        error: { code: 'delivery_failed', message: 'the code could not be sent; try again later' },
      },
    };
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

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  return value === undefined ? undefined : Number(value);
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    return body as Record<string, unknown>;
  }
  throw new KabarError('validation', 'body must be a JSON object', { status: 422 });
}

/**
 * Answers POST /request, /verify and /resend: `{success, data}` or `{success:false, error}` with
 * Qirim's status codes, and Retry-After on every 429. Never throws; every failure is an answer.
 */
export function createOtpHttpHandler(
  options: OtpHttpOptions,
): (request: OtpHttpRequest) => Promise<OtpHttpResponse> {
  const { engine } = options;
  if (!engine || typeof engine.request !== 'function') {
    throw new KabarError('invalid_config', 'OTP routes: option "engine" is required');
  }
  const store = options.limits?.store ?? memoryRequestLimiter();
  const perIp = options.limits?.perIp ?? { limit: 30, windowMs: 600_000 };
  const perNumber = options.limits?.perNumber ?? { limit: 5, windowMs: 600_000 };

  async function limit(key: string, { limit, windowMs }: Limit) {
    const { allowed, retryAfterMs } = await store.hit(key, limit, windowMs);
    if (!allowed) {
      throw new KabarError('rate_limited', 'too many requests; slow down', {
        status: 429,
        retryAfter: Math.ceil(retryAfterMs / 1000),
      });
    }
  }

  async function answer({ route, ip, body: rawBody }: OtpHttpRequest): Promise<OtpHttpResponse> {
    await limit(`otp:ip:${ip}`, perIp);
    const body = objectBody(rawBody);
    const phone = stringField(body, 'phone') ?? '';
    const purpose = stringField(body, 'purpose');
    if (route === 'verify') {
      const verified = await engine.verify({
        phone,
        code: stringField(body, 'code') ?? '',
        purpose,
      });
      return {
        status: 200,
        headers: {},
        body: { success: true, data: { verified: true, phone: verified.phone } },
        verifiedPhone: verified.phone,
      };
    }
    // Counted per normalised number, so spelling it differently buys no extra codes.
    await limit(`otp:phone:${normalizePhone(phone)}`, perNumber);
    const input = {
      phone,
      purpose,
      codeLength: numberField(body, 'code_length'),
      ttl: numberField(body, 'ttl'),
    };
    const issued = route === 'resend' ? await engine.resend(input) : await engine.request(input);
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

  return (request) => answer(request).catch(otpErrorResponse);
}
