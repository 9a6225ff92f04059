import { KabarError } from './errors.js';

/**
 * Decides when the next request for `key` may go. `@kabar/redis` implements the same interface so
 * many processes share one budget.
 */
export interface RateLimiter {
  /** Resolves when one request for `key` may be sent; rejects if `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
}

/** A token bucket's rate: `limit` requests every `intervalMs` milliseconds. */
export interface TokenBucketOptions {
  /** Requests allowed per interval; must be positive. */
  limit: number;
  /** The interval's length in milliseconds; must be positive. */
  intervalMs: number;
  /** Requests that may go at once after a quiet period. Default: `limit`. */
  burst?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * An in-memory token bucket per key. A caller that finds no token reserves the next one (the
 * count goes negative) and waits exactly until it is due, so waiters are served in arrival order
 * without polling. One bucket paces one process; `redisRateLimiter` from `@kabar/redis` shares a
 * budget between processes.
 *
 * Throws `invalid_config` when `limit` or `intervalMs` is not positive. `acquire` rejects with
 * `aborted` when its signal aborts while it waits, and hands the reserved token back.
 *
 * @example
 * ```ts
 * import { createClient, tokenBucket } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 *
 * // 20 messages a second, and at most 5 at once after a quiet spell
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 *   rateLimit: tokenBucket({ limit: 20, intervalMs: 1000, burst: 5 }),
 * });
 *
 * // or pace any work of your own, per key
 * const reports = tokenBucket({ limit: 1, intervalMs: 60_000 });
 * await reports.acquire('daily-report'); // resolves when the next one may go
 * ```
 */
export function tokenBucket(options: TokenBucketOptions): RateLimiter {
  const { limit, intervalMs } = options;
  if (!(limit > 0) || !(intervalMs > 0)) {
    throw new KabarError('invalid_config', 'rate limit: limit and intervalMs must be positive');
  }
  const burst = options.burst ?? limit;
  const tokensPerMs = limit / intervalMs;
  const buckets = new Map<string, Bucket>();

  return {
    acquire(key, signal) {
      const now = performance.now();
      const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * tokensPerMs);
      bucket.updatedAt = now;
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      if (bucket.tokens >= 0) return Promise.resolve();

      const waitMs = -bucket.tokens / tokensPerMs;
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          bucket.tokens += 1; // hand the reserved token back
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

/** `{ perSecond: 80 }`, `{ perMinute: 5 }`, or a full token bucket. */
export type RateLimitOptions =
  | { perSecond: number; burst?: number }
  | { perMinute: number; burst?: number }
  | TokenBucketOptions;

/** The limiter a `rateLimit` option describes: itself, or a token bucket for its rate. */
export function rateLimiterFrom(options: RateLimitOptions | RateLimiter): RateLimiter {
  if ('acquire' in options) return options;
  if ('perSecond' in options) {
    return tokenBucket({ limit: options.perSecond, intervalMs: 1000, burst: options.burst });
  }
  if ('perMinute' in options) {
    return tokenBucket({ limit: options.perMinute, intervalMs: 60_000, burst: options.burst });
  }
  return tokenBucket(options);
}
