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

interface Waiter {
  resolve(): void;
  reject(error: KabarError): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** One key's recent grants (when each was let through, oldest first) and its queue. */
interface Lane {
  granted: number[];
  waiting: Waiter[];
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * An in-memory rate limit per key that is exact: in no window of `intervalMs` (the first one
 * included) are more than `limit` requests let through, and after a quiet spell at most `burst` go
 * at once, the rest spaced at the rate. A classic token bucket starts full and refills while it
 * drains, so its first interval lets up to twice the rate through; a gateway that bans numbers for
 * bursts (Waviro advises 5 a minute) must never see that. Waiters are served in arrival order by
 * one timer per key, without polling. One limiter paces one process; `redisRateLimiter` from
 * `@kabar/redis` shares a budget between processes.
 *
 * Throws `invalid_config` when `limit` or `intervalMs` is not positive. `acquire` rejects with
 * `aborted` when its signal aborts while it waits; it then holds no place in the queue.
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
  // Whole requests per window: a fractional rate (0.5 a second) becomes 1 per a longer window.
  const perWindow = Math.max(1, Math.floor(limit));
  const windowMs = (perWindow * intervalMs) / limit;
  const burst = Math.max(1, Math.min(perWindow, Math.floor(options.burst ?? perWindow)));
  // A burst smaller than the limit is a second, shorter window: `burst` per the time the rate
  // takes to earn them.
  const burstWindowMs = (burst * intervalMs) / limit;
  const lanes = new Map<string, Lane>();

  /** When the next request may go, given the grants so far. */
  function nextAt(lane: Lane): number {
    const { granted } = lane;
    let at = Number.NEGATIVE_INFINITY;
    if (granted.length >= perWindow) {
      at = (granted[granted.length - perWindow] as number) + windowMs;
    }
    if (burst < perWindow && granted.length >= burst) {
      at = Math.max(at, (granted[granted.length - burst] as number) + burstWindowMs);
    }
    return at;
  }

  function grant(lane: Lane, now: number): void {
    lane.granted.push(now);
    // Only the last `perWindow` grants can still hold a later one back.
    if (lane.granted.length > perWindow) lane.granted.splice(0, lane.granted.length - perWindow);
  }

  /** Lets through every waiter whose time has come, then sleeps until the next one's. */
  function pump(lane: Lane): void {
    lane.timer = undefined;
    while (lane.waiting.length > 0) {
      const now = performance.now();
      const at = nextAt(lane);
      if (at > now) {
        // Timers round to whole milliseconds; never wake early.
        lane.timer = setTimeout(() => pump(lane), Math.ceil(at - now));
        return;
      }
      const waiter = lane.waiting.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      grant(lane, now);
      waiter.resolve();
    }
  }

  return {
    acquire(key, signal) {
      const lane = lanes.get(key) ?? { granted: [], waiting: [] };
      lanes.set(key, lane);
      const now = performance.now();
      if (lane.waiting.length === 0 && nextAt(lane) <= now) {
        grant(lane, now);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal };
        if (signal?.aborted) {
          reject(new KabarError('aborted', 'aborted while waiting for the rate limit'));
          return;
        }
        if (signal) {
          waiter.onAbort = () => {
            const index = lane.waiting.indexOf(waiter);
            if (index >= 0) lane.waiting.splice(index, 1);
            reject(new KabarError('aborted', 'aborted while waiting for the rate limit'));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        lane.waiting.push(waiter);
        if (lane.timer === undefined) pump(lane);
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
