export type { Middleware, Next, Request, Response } from './http.js';
export {
  type Limit,
  type OtpHttpLimits,
  type OtpRouterExtras,
  type OtpRouterOptions,
  otpRouter,
  type TrustedOtpRouterOptions,
  trustedOtpRouter,
} from './otp-router.js';
export { readVerifiedPhone, requireVerifiedPhone, signVerifiedPhone } from './verified-phone.js';
export {
  type WebhookMiddlewareDelivery,
  type WebhookMiddlewareOptions,
  webhookMiddleware,
} from './webhook-middleware.js';

declare global {
  // Express merges this namespace into its Request type (Express 4 and 5 alike), so
  // `req.verifiedPhone` is typed in handlers behind requireVerifiedPhone().
  namespace Express {
    interface Request {
      /** Set by `requireVerifiedPhone()`: the number the client proved it controls. */
      verifiedPhone?: string;
    }
  }
}
