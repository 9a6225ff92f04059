export {
  type AuthenticationTemplateOptions,
  authenticationTemplate,
} from './authentication-template.js';
export {
  type CallOptions,
  type ClientOptions,
  createClient,
  type MarkAsReadOptions,
  type WhatsAppClient,
} from './client.js';
export {
  type ErrorCode,
  InvalidPhoneError,
  KabarError,
  type KabarErrorOptions,
  UnsupportedFeatureError,
  ValidationError,
} from './errors.js';
export type { FailureEvent, Hooks, RequestEvent, ResponseEvent, RetryEvent } from './hooks.js';
export type { HttpRequest, HttpResponse } from './http.js';
export { mediaKindForMime } from './media.js';
export type * from './message.js';
export { MESSAGE_KINDS } from './message.js';
export {
  type CountryCode,
  maskPhone,
  maskPhonesIn,
  type NormalizePhoneOptions,
  normalizePhone,
  tryNormalizePhone,
} from './phone.js';
export * from './policy/index.js';
export type { Feature, Provider, ProviderContext, RateLimitDefault } from './provider.js';
export { clearlyNotAccepted, failover } from './providers/failover.js';
export {
  type RateLimiter,
  type RateLimitOptions,
  type TokenBucketOptions,
  tokenBucket,
} from './rate-limit.js';
export {
  type ReconcileOptions,
  type Reconciliation,
  reconcileSend,
  type UncertainSend,
} from './reconcile.js';
export {
  memoryRequestLimiter,
  type RequestLimiter,
  type RequestLimitHit,
  type RequestLimitResult,
} from './request-limiter.js';
export type * from './resources.js';
export type { RetryOptions } from './retry.js';
export {
  type DevSecretSetting,
  isLoopbackHost,
  MIN_SECRET_LENGTH,
  refuseDevSecrets,
  requireSecret,
  secretMatches,
} from './secret.js';
export type { FetchFunction } from './transport/fetch.js';
export { LIMITS, prepareMessage } from './validate.js';
