import type { IssueResult, OtpStore, VerifyResult } from '@kabar/core/otp';
import { luaScript, type RedisClient, runScriptBatched } from './script.js';

/** Options of `redisOtpStore`. */
export interface RedisStoreOptions {
  /**
   * Your ioredis client (ioredis 5.3 or later, or 6): a `Redis` or a `Cluster`. The store never
   * closes it.
   */
  redis: RedisClient;
  /** Prepended to every key. Default `kabar:`. */
  prefix?: string;
}

// Each script is one atomic step: Redis runs a script alone, so two instances racing on the same
// number can neither both pass a cooldown nor both verify one code.
const ISSUE = luaScript(`
local code, daily = KEYS[1], KEYS[2]
local requestId, codeHash = ARGV[1], ARGV[2]
local issuedAt, expiresAt = tonumber(ARGV[3]), tonumber(ARGV[4])
local keepAttempts, cooldown, limit = ARGV[5] == '1', tonumber(ARGV[6]), tonumber(ARGV[7])
if tonumber(redis.call('GET', daily) or '0') >= limit then return {'daily_limit'} end
local previous = redis.call('HMGET', code, 'issuedAt', 'expiresAt', 'attempts')
local attempts = 0
if previous[1] then
  if issuedAt - tonumber(previous[1]) < cooldown then
    return {'resend_cooldown', tostring(tonumber(previous[1]) + cooldown - issuedAt)}
  end
  if keepAttempts and tonumber(previous[2]) > issuedAt then attempts = tonumber(previous[3]) end
end
redis.call('DEL', code)
redis.call('HSET', code, 'requestId', requestId, 'codeHash', codeHash, 'issuedAt', issuedAt,
  'expiresAt', expiresAt, 'attempts', attempts)
redis.call('PEXPIRE', code, math.max(expiresAt - issuedAt, cooldown) + 1000)
redis.call('INCR', daily)
redis.call('EXPIRE', daily, 172800)
return {'ok'}
`);

const VERIFY = luaScript(`
local code = KEYS[1]
local codeHash, now, maxAttempts = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local stored = redis.call('HMGET', code, 'codeHash', 'expiresAt', 'attempts')
if not stored[1] or tonumber(stored[2]) <= now then
  redis.call('DEL', code)
  return {'otp_expired'}
end
if tonumber(stored[3]) >= maxAttempts then return {'too_many_attempts'} end
if stored[1] == codeHash then
  redis.call('DEL', code)
  return {'ok'}
end
local attempts = redis.call('HINCRBY', code, 'attempts', 1)
if attempts >= maxAttempts then return {'too_many_attempts'} end
return {'otp_incorrect', tostring(maxAttempts - attempts)}
`);

const REVOKE = luaScript(`
if redis.call('HGET', KEYS[1], 'requestId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`);

/**
 * The OTP store on Redis, for engines on many machines sharing one set of codes and limits. Each
 * step (issue with its cooldown and daily limit, verify-and-consume, revoke) is one Lua script, so
 * two instances racing on one number never both pass a cooldown or both verify one code. Codes are
 * kept only as keyed hashes, and every key expires. Scripts run with EVALSHA (the script text goes
 * once per node). `redis` may be a `Redis` or a `Cluster`: a number's keys share one hash tag,
 * `<prefix>{otp:<phone>}:code:<purpose>` and `<prefix>{otp:<phone>}:daily:<day>`, so they live in
 * one Cluster slot.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { createOtpEngine } from '@kabar/core/otp';
 * import { redisOtpStore } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const otp = createOtpEngine({
 *   secret: process.env.OTP_SECRET!,
 *   store: redisOtpStore({ redis }),
 *   delivery: { client: createClient({ provider: kirem({ apiKey: process.env.KIREM_API_KEY! }) }) },
 * });
 * await otp.request({ phone: '0812-3456-7890', purpose: 'login' });
 * ```
 */
export function redisOtpStore(options: RedisStoreOptions): OtpStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'kabar:';
  // One hash tag per number, so its codes and its daily count share a Cluster slot and ISSUE and
  // REVOKE can touch both. The engine's key is `<phone>\n<purpose>`.
  const tag = (phone: string) => `${prefix}{otp:${encodeURIComponent(phone)}}`;
  const codeKey = (key: string) => {
    const cut = key.indexOf('\n');
    if (cut < 0) return `${tag(key)}:code`;
    return `${tag(key.slice(0, cut))}:code:${encodeURIComponent(key.slice(cut + 1))}`;
  };
  const dailyKey = (phone: string, day: string) => `${tag(phone)}:daily:${day}`;

  return {
    async issue({ key, phone, day, record, keepAttempts, cooldownMs, dailyLimit }) {
      const [reason, retryAfterMs] = await runScriptBatched<[string, string?]>(
        redis,
        ISSUE,
        [codeKey(key), dailyKey(phone, day)],
        [
          record.requestId,
          record.codeHash,
          record.issuedAt,
          record.expiresAt,
          keepAttempts ? '1' : '0',
          cooldownMs,
          dailyLimit,
        ],
      );
      if (reason === 'ok') return { ok: true };
      if (reason === 'resend_cooldown') {
        return { ok: false, reason, retryAfterMs: Number(retryAfterMs) };
      }
      return { ok: false, reason: 'daily_limit' } satisfies IssueResult;
    },

    async verify({ key, codeHash, now, maxAttempts }): Promise<VerifyResult> {
      const [reason, remaining] = await runScriptBatched<[string, string?]>(
        redis,
        VERIFY,
        [codeKey(key)],
        [codeHash, now, maxAttempts],
      );
      if (reason === 'ok') return { ok: true };
      if (reason === 'otp_incorrect') {
        return { ok: false, reason, attemptsRemaining: Number(remaining) };
      }
      return { ok: false, reason: reason as 'otp_expired' | 'too_many_attempts' };
    },

    async revoke(key, requestId, phone, day) {
      await runScriptBatched(redis, REVOKE, [codeKey(key), dailyKey(phone, day)], [requestId]);
    },
  };
}
