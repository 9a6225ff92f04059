import type {
  RateLimiter,
  RequestLimiter,
  RequestLimitHit,
  RequestLimitResult,
  TokenBucketOptions,
} from '@kabar/core';
import { KabarError } from '@kabar/core';
import { luaScript, type RedisClient, runScript, runScriptBatched } from './script.js';

// The sliding log of core's tokenBucket, on Redis: a sorted set per key of grant times in whole
// microseconds of Redis's own clock (TIME), each its own member and score. A grant is placed at
// the earliest time when fewer than `perWindow` grants fall in the window before it (and fewer
// than `burst` in the shorter burst window), never before the last grant, so waiters are served in
// the order they asked. Grants in the future are reservations: the caller sleeps `wait` first.
// Grants that can no longer hold anyone back (older than one window) are dropped.
// ARGV: perWindow, windowUs, burst, burstWindowUs. Answers {wait in µs, the grant's member}.
const RESERVE = luaScript(`
local key = KEYS[1]
local perWindow, windowUs = tonumber(ARGV[1]), tonumber(ARGV[2])
local burst, burstUs = tonumber(ARGV[3]), tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowUs)
local at = now
local count = redis.call('ZCARD', key)
if count > 0 then
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  at = math.max(at, tonumber(last[2]) + 1)
end
if count >= perWindow then
  local oldest = redis.call('ZRANGE', key, -perWindow, -perWindow, 'WITHSCORES')
  at = math.max(at, tonumber(oldest[2]) + windowUs)
end
if burst < perWindow and count >= burst then
  local first = redis.call('ZRANGE', key, -burst, -burst, 'WITHSCORES')
  at = math.max(at, tonumber(first[2]) + burstUs)
end
local member = string.format('%.0f', at)
redis.call('ZADD', key, at, member)
redis.call('PEXPIRE', key, math.ceil((at - now + windowUs) / 1000) + 1000)
return {at - now, member}
`);

/** One reservation: how long to wait, and the grant (its time on Redis's clock, in µs). */
interface Reservation {
  waitMs: number;
  grant: string;
}

/** Options of `redisRateLimiter`. */
export type RedisRateLimiterOptions = TokenBucketOptions & {
  /** Your ioredis client, a `Redis` or a `Cluster`; the limiter never closes it. */
  redis: RedisClient;
  /** Prepended to every key. Default `kabar:`. */
  prefix?: string;
};

/** For tests: the limiter, and every reservation it made (with the grant time on Redis's clock). */
export function redisRateLimiterWithLog(
  options: RedisRateLimiterOptions,
  onReserve?: (reservation: Reservation) => void,
): RateLimiter {
  const { redis, limit, intervalMs } = options;
  if (!(limit > 0) || !(intervalMs > 0)) {
    throw new KabarError('invalid_config', 'rate limit: limit and intervalMs must be positive');
  }
  // As core's tokenBucket: whole grants per window (a fractional rate becomes 1 per a longer
  // window), and a burst below the limit is a second, shorter window. Windows in whole
  // microseconds, rounded up: never shorter than asked.
  const perWindow = Math.max(1, Math.floor(limit));
  const windowUs = Math.ceil((perWindow * intervalMs * 1000) / limit);
  const burst = Math.max(1, Math.min(perWindow, Math.floor(options.burst ?? perWindow)));
  const burstUs = Math.ceil((burst * intervalMs * 1000) / limit);
  const prefix = options.prefix ?? 'kabar:';

  return {
    async acquire(key, signal) {
      const log = `${prefix}rate-log:${key}`;
      const [waitUs, grant] = await runScript<[number, string]>(
        redis,
        RESERVE,
        [log],
        [perWindow, windowUs, burst, burstUs],
      );
      onReserve?.({ waitMs: waitUs / 1000, grant });
      if (waitUs <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          // The slot goes back: the grant leaves the log (later reservations keep theirs).
          redis.zrem(log, grant).catch(() => {});
          reject(new KabarError('aborted', 'aborted while waiting for the rate limit'));
        };
        // Timers round to whole milliseconds; never wake early.
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.ceil(waitUs / 1000),
        );
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/**
 * One send budget shared by every process that uses the same Redis and key, exact like core's
 * `tokenBucket`: in no window of `intervalMs` (the first one included) do more than `limit`
 * grants go, and after a quiet spell at most `burst` (default `limit`) go at once, the rest spaced
 * at the rate. Each key is a sorted set of grant times on Redis's own clock
 * (`<prefix>rate-log:<key>`), and one Lua script (run with EVALSHA) reserves the earliest free slot
 * atomically and answers how long to wait. Waiters are served in the order they asked, whichever
 * process asked; an aborted wait gives its slot back. `redis` may be a `Redis` or a `Cluster`.
 * Pass it as a client's `rateLimit`. Throws `invalid_config` unless `limit` and `intervalMs` are
 * positive.
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
export function redisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  return redisRateLimiterWithLog(options);
}

// Counts each key in turn (INCR; a window starts with a key's first count), stopping after the
// first count over its limit, so the keys after a refusal are not counted. ARGV: for each key, the
// highest count it allows, then its window. Answers {count, ttl} for each key counted, in order.
const HIT_IN_ORDER = luaScript(`
local answers = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
  answers[#answers + 1] = count
  answers[#answers + 1] = redis.call('PTTL', key)
  if count > tonumber(ARGV[2 * i - 1]) then break end
end
return answers
`);

/**
 * The highest count `limit` allows, as a whole number Lua reads back exactly: `count <= limit` is
 * `count <= allowedCount(limit)` for every count, so the script stops where `hit` would refuse.
 */
function allowedCount(limit: number): number {
  if (Number.isNaN(limit)) return -1;
  return Math.max(-1, Math.min(Number.MAX_SAFE_INTEGER, Math.floor(limit)));
}

/**
 * The slot a key lives in, as far as it can be told without hashing: keys with the same hash tag
 * (the text between the first `{` and the next `}`, when not empty) share one; any other key is
 * taken to be alone, which at worst costs a round trip.
 */
function slotGroup(key: string): string {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return `{${key.slice(open + 1, close)}}`;
  }
  return key;
}

/**
 * Fixed-window request counts shared by every instance (the OTP routes' abuse limits): one atomic
 * `INCR` per call (one Lua script, run with EVALSHA), the window starting with a key's first
 * call. `hitInOrder` counts several keys in one script, one round trip, stopping at the first
 * refusal as separate hits would; on a Cluster, whose keys may live on different nodes, it makes
 * one call per run of keys sharing a hash tag, in turn. `redis` may be a `Redis` or a `Cluster`.
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
export function redisRequestLimiter(options: {
  redis: RedisClient;
  prefix?: string;
}): RequestLimiter {
  const { redis } = options;
  const prefix = `${options.prefix ?? 'kabar:'}requests:`;

  /** One script call for `hits`, whose keys share a slot; the results of the keys counted. */
  async function countInOrder(hits: readonly RequestLimitHit[]): Promise<RequestLimitResult[]> {
    const keys: string[] = [];
    const args: number[] = [];
    for (const { key, limit, windowMs } of hits) {
      keys.push(`${prefix}${key}`);
      args.push(allowedCount(limit), windowMs);
    }
    const answers = await runScriptBatched<number[]>(redis, HIT_IN_ORDER, keys, args);
    const results: RequestLimitResult[] = [];
    for (let i = 0; i < answers.length; i += 2) {
      const hit = hits[i / 2] as RequestLimitHit;
      results.push({
        allowed: (answers[i] as number) <= hit.limit,
        retryAfterMs: Math.max(0, answers[i + 1] as number),
      });
    }
    return results;
  }

  return {
    async hit(key, limit, windowMs) {
      return (await countInOrder([{ key, limit, windowMs }]))[0] as RequestLimitResult;
    },

    async hitInOrder(hits) {
      if (hits.length === 0) return [];
      if (!redis.isCluster) return countInOrder(hits);
      // A script may only touch keys of one slot: runs of keys sharing a hash tag go together, in
      // turn, and nothing after a refusal is counted.
      const results: RequestLimitResult[] = [];
      let start = 0;
      while (start < hits.length) {
        const group = slotGroup(`${prefix}${(hits[start] as RequestLimitHit).key}`);
        let end = start + 1;
        while (
          end < hits.length &&
          slotGroup(`${prefix}${(hits[end] as RequestLimitHit).key}`) === group
        ) {
          end += 1;
        }
        const counted = await countInOrder(hits.slice(start, end));
        results.push(...counted);
        if (counted.some((result) => !result.allowed)) break;
        start = end;
      }
      return results;
    },
  };
}
