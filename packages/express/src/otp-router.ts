import {
  createOtpHttpHandler,
  type OtpHttpOptions,
  type OtpRoute,
  otpErrorResponse,
} from '@kabar/core/otp';
import { clientIp, jsonBody, type Middleware, type Request, sendJson } from './http.js';
import { signVerifiedPhone } from './verified-phone.js';

export type { Limit } from '@kabar/core/otp';

export interface OtpRouterOptions extends OtpHttpOptions {
  /** Sign a short-lived token into the verify answer, for `requireVerifiedPhone`. */
  token?: { secret: string; ttlSeconds?: number };
  /** Called once a number is verified (create the session here). */
  onVerified?: (phone: string, req: Request) => void | Promise<void>;
  /** JSON body cap in bytes. Default 10 KiB. */
  bodyLimit?: number;
}

const ROUTES = new Map<string, OtpRoute>([
  ['/request', 'request'],
  ['/verify', 'verify'],
  ['/resend', 'resend'],
]);

/**
 * OTP login routes with Qirim's API shape: mount it (`app.use('/otp', otpRouter({ engine }))`)
 * for POST /request, /verify and /resend. Answers `{success, data}` or `{success:false, error}`
 * with the seed's status codes, and Retry-After on every 429.
 */
export function otpRouter(options: OtpRouterOptions): Middleware {
  const answer = createOtpHttpHandler(options);
  const bodyLimit = options.bodyLimit ?? 10 * 1024;

  async function handle(route: OtpRoute, req: Request) {
    const body = await jsonBody(req, bodyLimit);
    const response = await answer({ route, ip: clientIp(req), body });
    if (response.verifiedPhone) {
      await options.onVerified?.(response.verifiedPhone, req);
      if (options.token) {
        const { secret, ttlSeconds = 600 } = options.token;
        const data = response.body.data as Record<string, unknown>;
        data.token = signVerifiedPhone(response.verifiedPhone, secret, ttlSeconds);
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
      .then(({ status, body, headers }) => sendJson(res, status, body, headers));
  };
}
