import type { RateLimiter, RequestLimiter, TokenBucketOptions } from '@kabar/core';
import { KabarError } from '@kabar/core';
import type { Redis } from 'ioredis';

// A token bucket that reserves: the caller learns how long to wait for its token, and the bucket
// may go below zero so waiters are served in order. Redis's own clock is the only clock.
const RESERVE = `
local key = KEYS[1]
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate) - 1
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', key, math.ceil(burst / rate) + 60000)
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
`;

const REFUND = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBYFLOAT', KEYS[1], 'tokens', 1) end
return 1
`;

/**
 * One send budget shared by every process that uses the same Redis and key: a token bucket of
 * `limit` sends per `intervalMs` (up to `burst` at once, default `limit`) on Redis's own clock.
 * Waiters are served in order; an aborted wait gives its token back. Pass it as a client's
 * `rateLimit`. Throws `invalid_config` unless `limit` and `intervalMs` are positive.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { redisRateLimiter } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY! }),
 *   // 80 sends a second for every instance together.
 *   rateLimit: redisRateLimiter({ redis, limit: 80, intervalMs: 1000 }),
 * });
 * ```
 */
export function redisRateLimiter(
  options: TokenBucketOptions & { redis: Redis; prefix?: string },
): RateLimiter {
  const { redis, limit, intervalMs } = options;
  if (!(limit > 0) || !(intervalMs > 0)) {
    throw new KabarError('invalid_config', 'rate limit: limit and intervalMs must be positive');
  }
  const burst = options.burst ?? limit;
  const tokensPerMs = limit / intervalMs;
  const prefix = options.prefix ?? 'kabar:';

  return {
    async acquire(key, signal) {
      const bucket = `${prefix}rate:${key}`;
      const waitMs = Number(await redis.eval(RESERVE, 1, bucket, tokensPerMs, burst));
      if (waitMs <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          redis.eval(REFUND, 1, bucket).catch(() => {});
          reject(new KabarError('aborted', 'aborted while waiting for the rate limit'));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, waitMs);
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

/**
 * Fixed-window request counts shared by every instance (the OTP routes' abuse limits): one atomic
 * `INCR` per call, the window starting with a key's first call.
 *
 * @example
 * ```ts
 * import { redisRequestLimiter } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const limiter = redisRequestLimiter({ redis: new Redis(process.env.REDIS_URL!) });
 * // At most 5 requests per IP address a minute:
 * const { allowed, retryAfterMs } = await limiter.hit('ip:203.0.113.7', 5, 60_000);
 * ```
 */
export function redisRequestLimiter(options: { redis: Redis; prefix?: string }): RequestLimiter {
  const prefix = `${options.prefix ?? 'kabar:'}requests:`;
  return {
    async hit(key, limit, windowMs) {
      const [count, ttl] = (await options.redis.eval(HIT, 1, `${prefix}${key}`, windowMs)) as [
        number,
        number,
      ];
      return { allowed: count <= limit, retryAfterMs: Math.max(0, ttl) };
    },
  };
}
