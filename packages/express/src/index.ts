export type { Middleware, Next, Request, Response } from './http.js';
export { type Limit, type OtpRouterOptions, otpRouter } from './otp-router.js';
export { readVerifiedPhone, requireVerifiedPhone, signVerifiedPhone } from './verified-phone.js';
export { type WebhookMiddlewareOptions, webhookMiddleware } from './webhook-middleware.js';
