import { requireSecret } from '@kabar/core';
import {
  createOtpHttpHandler,
  createTrustedOtpHttpHandler,
  type OtpHttpHandler,
  type OtpHttpOptions,
  type OtpRoute,
  otpErrorResponse,
  type TrustedOtpHttpOptions,
} from '@kabar/core/otp';
import { clientIp, jsonBody, type Middleware, type Request, sendJson } from './http.js';
import { signVerifiedPhone } from './verified-phone.js';

export type { Limit, OtpHttpLimits } from '@kabar/core/otp';

/** What the Express side adds to either contract. */
export interface OtpRouterExtras {
  /**
   * Sign a short-lived token into the verify answer (`data.token`), for `requireVerifiedPhone`.
   * `secret`: 12+ characters; `ttlSeconds`: the token's lifetime, default 600.
   */
  token?: { secret: string; ttlSeconds?: number };
  /** Called once a number is verified (create the session here). */
  onVerified?: (phone: string, req: Request) => void | Promise<void>;
  /** JSON body cap in bytes. Default 10 KiB. */
  bodyLimit?: number;
}

/** Options of `otpRouter`: the browser contract of `@kabar/core/otp` plus the Express extras. */
export interface OtpRouterOptions extends OtpHttpOptions, OtpRouterExtras {}

/** Options of `trustedOtpRouter`: the backend-to-backend contract plus the Express extras. */
export interface TrustedOtpRouterOptions extends TrustedOtpHttpOptions, OtpRouterExtras {}

const ROUTES = new Map<string, OtpRoute>([
  ['/request', 'request'],
  ['/verify', 'verify'],
  ['/resend', 'resend'],
]);

/**
 * OTP login routes for browsers, with Qirim's API shape: mount it
 * (`app.use('/otp', otpRouter({ engine }))`) for POST /request, /verify and /resend. Code length,
 * lifetime and purposes are server settings; any other body field is refused with 422, and every
 * failed verify gets the same 422 `otp_invalid`. Retry-After on every 429. Other methods and paths
 * go on to `next()`. Throws `invalid_config` at once when `token.secret` is missing or short.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { createOtpEngine } from '@kabar/core/otp';
 * import { otpRouter } from '@kabar/express';
 * import express from 'express';
 *
 * const client = createClient({ provider: kirem({ apiKey: process.env.KIREM_API_KEY ?? '' }) });
 * const engine = createOtpEngine({
 *   secret: process.env.OTP_SECRET ?? '',
 *   delivery: { client, template: { name: 'otp_verification', language: 'id', button: 'none' } },
 * });
 *
 * const app = express();
 * app.use(
 *   '/otp',
 *   otpRouter({
 *     engine,
 *     purposes: ['login'],
 *     allowedCountries: ['ID'],
 *     token: { secret: process.env.TOKEN_SECRET ?? '' },
 *   }),
 * );
 * ```
 */
export function otpRouter(options: OtpRouterOptions): Middleware {
  return router(createOtpHttpHandler(options), options);
}

/**
 * Qirim's backend-to-backend contract, for your own servers: callers present `apiKey` (as
 * `X-Api-Key` or a Bearer token) and may choose `code_length`, `ttl` and `purpose`; failed
 * verifies answer in detail. Never mount it where browsers call.
 */
export function trustedOtpRouter(options: TrustedOtpRouterOptions): Middleware {
  return router(createTrustedOtpHttpHandler(options), options);
}

function router(answer: OtpHttpHandler, options: OtpRouterExtras): Middleware {
  const bodyLimit = options.bodyLimit ?? 10 * 1024;
  const token = options.token && {
    secret: requireSecret(options.token.secret, 'OTP router option "token.secret"'),
    ttlSeconds: options.token.ttlSeconds ?? 600,
  };

  async function handle(route: OtpRoute, req: Request) {
    const body = await jsonBody(req, bodyLimit);
    const response = await answer({ route, ip: clientIp(req), body, headers: req.headers });
    if (response.verifiedPhone) {
      await options.onVerified?.(response.verifiedPhone, req);
      if (token) {
        const data = response.body.data as Record<string, unknown>;
        data.token = signVerifiedPhone(response.verifiedPhone, token.secret, token.ttlSeconds);
      }
    }
    return response;
  }

  return (req, res, next) => {
    const route = ROUTES.get((req.url ?? '').split('?')[0] ?? '');
    if (req.method !== 'POST' || !route) {
      next();
      return;
    }
    handle(route, req)
      .catch(otpErrorResponse)
      .then(({ status, body, headers }) =>
        // A body over the cap was left unread: closing the connection after the answer spares
        // reading the rest of it.
        sendJson(res, status, body, status === 413 ? { ...headers, connection: 'close' } : headers),
      );
  };
}
