import {
  type ErrorCode,
  KabarError,
  memoryRequestLimiter,
  normalizePhone,
  type RequestLimiter,
} from '@kabar/core';
import type { OtpEngine } from '@kabar/core/otp';
import {
  clientIp,
  jsonBody,
  type Middleware,
  type Request,
  type Response,
  sendJson,
} from './http.js';
import { signVerifiedPhone } from './verified-phone.js';

export interface Limit {
  limit: number;
  windowMs: number;
}

export interface OtpRouterOptions {
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
  /** Sign a short-lived token into the verify answer, for `requireVerifiedPhone`. */
  token?: { secret: string; ttlSeconds?: number };
  /** Called once a number is verified (create the session here). */
  onVerified?: (phone: string, req: Request) => void | Promise<void>;
  /** JSON body cap in bytes. Default 10 KiB. */
  bodyLimit?: number;
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

function sendError(res: Response, error: unknown) {
  const known = KabarError.isInstance(error) ? WIRE[error.code] : undefined;
  if (!known || !KabarError.isInstance(error)) {
    // A gateway failure while sending the code: say so without passing on its details.
    sendJson(res, 502, {
      success: false,
      error: { code: 'delivery_failed', message: 'the code could not be sent; try again later' },
    });
    return;
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
  sendJson(
    res,
    status,
    { success: false, error: { code, message: error.message, ...extra } },
    headers,
  );
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  return value === undefined ? undefined : Number(value);
}

/**
 * OTP login routes with Qirim's API shape: mount it (`app.use('/otp', otpRouter({ engine }))`)
 * for POST /request, /verify and /resend. Answers `{success, data}` or `{success:false, error}`
 * with the seed's status codes, and Retry-After on every 429.
 */
export function otpRouter(options: OtpRouterOptions): Middleware {
  const { engine } = options;
  if (!engine || typeof engine.request !== 'function') {
    throw new KabarError('invalid_config', 'otpRouter: option "engine" is required');
  }
  const store = options.limits?.store ?? memoryRequestLimiter();
  const perIp = options.limits?.perIp ?? { limit: 30, windowMs: 600_000 };
  const perNumber = options.limits?.perNumber ?? { limit: 5, windowMs: 600_000 };
  const bodyLimit = options.bodyLimit ?? 10 * 1024;

  async function limit(key: string, { limit, windowMs }: Limit) {
    const { allowed, retryAfterMs } = await store.hit(key, limit, windowMs);
    if (!allowed) {
      throw new KabarError('rate_limited', 'too many requests; slow down', {
        status: 429,
        retryAfter: Math.ceil(retryAfterMs / 1000),
      });
    }
  }

  async function handle(route: string, req: Request, res: Response) {
    await limit(`otp:ip:${clientIp(req)}`, perIp);
    const body = await jsonBody(req, bodyLimit);
    const phone = stringField(body, 'phone') ?? '';
    const purpose = stringField(body, 'purpose');
    if (route === '/verify') {
      const verified = await engine.verify({
        phone,
        code: stringField(body, 'code') ?? '',
        purpose,
      });
      await options.onVerified?.(verified.phone, req);
      const token = options.token
        ? signVerifiedPhone(verified.phone, options.token.secret, options.token.ttlSeconds ?? 600)
        : undefined;
      sendJson(res, 200, { success: true, data: { verified: true, phone: verified.phone, token } });
      return;
    }
    // Counted per normalised number, so spelling it differently buys no extra codes.
    await limit(`otp:phone:${normalizePhone(phone)}`, perNumber);
    const input = {
      phone,
      purpose,
      codeLength: numberField(body, 'code_length'),
      ttl: numberField(body, 'ttl'),
    };
    const issued = route === '/resend' ? await engine.resend(input) : await engine.request(input);
    sendJson(res, 201, {
      success: true,
      data: {
        request_id: issued.requestId,
        phone: issued.phone,
        expires_in: issued.expiresIn,
        expires_at: issued.expiresAt,
      },
    });
  }

  return (req, res, next) => {
    const route = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || !['/request', '/verify', '/resend'].includes(route)) {
      next();
      return;
    }
    handle(route, req, res).catch((error: unknown) => sendError(res, error));
  };
}
