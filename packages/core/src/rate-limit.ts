import { KabarError } from './errors.js';

/**
 * Decides when the next request for `key` may go. `@kabar/redis` implements the same interface so
 * many processes share one budget.
 */
export interface RateLimiter {
  /** Resolves when one request for `key` may be sent; rejects if `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
}

export interface TokenBucketOptions {
  /** Requests allowed per interval. */
  limit: number;
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
 * without polling.
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
