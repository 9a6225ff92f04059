export { type DedupeStore, redisDedupeStore } from './dedupe-store.js';
export { type RedisStoreOptions, redisOtpStore } from './otp-store.js';
export { redisRateLimiter, redisRequestLimiter } from './rate-limiter.js';
