export {
  type ConsentRecord,
  type ConsentStore,
  type RedisConsentStoreOptions,
  redisConsentStore,
} from './consent-store.js';
export { type DedupeStore, redisDedupeStore } from './dedupe-store.js';
export { type MessageIdStore, redisMessageIdStore } from './message-id-store.js';
export { type RedisStoreOptions, redisOtpStore } from './otp-store.js';
export {
  type RedisRateLimiterOptions,
  redisRateLimiter,
  redisRequestLimiter,
} from './rate-limiter.js';
export type { RedisClient } from './script.js';
export {
  type ConversationKey,
  type RedisWindowStoreOptions,
  redisWindowStore,
  type WindowStore,
} from './window-store.js';
