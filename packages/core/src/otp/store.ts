import { timingSafeEqual } from 'node:crypto';

/** One issued code, as a store keeps it: never the code itself, only its keyed hash. */
export interface OtpRecord {
  /** The id `request` and `resend` answer with. */
  requestId: string;
  /** HMAC-SHA256 (hex) of phone, purpose and code, keyed with the engine's secret. */
  codeHash: string;
  /** When the code was issued, in milliseconds since the epoch. */
  issuedAt: number;
  /** When the code stops working, in milliseconds since the epoch. */
  expiresAt: number;
  /** Wrong guesses so far; carried over by a resend, so resending does not buy more guesses. */
  attempts: number;
}

/** What the engine asks of `OtpStore.issue` for one new code. */
export interface IssueInput {
  /** phone + purpose: one live code per pair. */
  key: string;
  /** The number, for the daily limit. */
  phone: string;
  /** Calendar day the daily limit counts in (Jakarta time), e.g. '2026-11-22'. */
  day: string;
  record: OtpRecord;
  /** true for a resend: the attempts of the code it replaces carry over. */
  keepAttempts: boolean;
  /** Milliseconds that must have passed since the key's previous code was issued. */
  cooldownMs: number;
  /** Codes allowed for `phone` on `day`, this one included. */
  dailyLimit: number;
}

/**
 * The outcome of `OtpStore.issue`: the code was stored, or it was refused by the cooldown
 * (`retryAfterMs`: milliseconds until the next code may be issued) or by the daily limit.
 */
export type IssueResult =
  | { ok: true }
  | { ok: false; reason: 'resend_cooldown'; retryAfterMs: number }
  | { ok: false; reason: 'daily_limit' };

/** What the engine asks of `OtpStore.verify` for one guess. */
export interface VerifyInput {
  /** phone + purpose, as in `IssueInput.key`. */
  key: string;
  /** The keyed hash of the guessed code, to compare with the stored one. */
  codeHash: string;
  /** The current time, in milliseconds since the epoch. */
  now: number;
  /** Wrong guesses after which the code is locked. */
  maxAttempts: number;
}

/**
 * The outcome of `OtpStore.verify`: the guess was right (the code is used up), there is no live
 * code (`otp_expired`), the guess was wrong (`attemptsRemaining` left), or the code is locked
 * (`too_many_attempts`, also for the guess that used up the last attempt).
 */
export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'otp_expired' }
  | { ok: false; reason: 'otp_incorrect'; attemptsRemaining: number }
  | { ok: false; reason: 'too_many_attempts' };

/**
 * Where OTP state lives. Each method is one atomic step, so two requests racing (on one machine,
 * or many sharing `@kabar/redis`) can neither both pass a cooldown nor both verify one code.
 */
export interface OtpStore {
  /** Checks the daily limit and the cooldown, then replaces any live code for the key. */
  issue(input: IssueInput): Promise<IssueResult>;
  /** Checks a guess; a right one consumes the code, a wrong one spends an attempt. */
  verify(input: VerifyInput): Promise<VerifyResult>;
  /** Takes back a code that could not be delivered (only if it is still that request's). */
  revoke(key: string, requestId: string, phone: string, day: string): Promise<void>;
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * State in this process's memory. Expired entries are dropped when next touched, so no timer
 * keeps the process alive.
 */
export function memoryOtpStore(): OtpStore {
  const codes = new Map<string, OtpRecord>();
  const daily = new Map<string, number>();

  // Numbers that never come back would otherwise stay forever; a sweep now and then keeps the
  // maps to live codes and today's counts. Today's counts survive a sweep, so on a busy day the
  // maps stay above any fixed size: the next sweep waits until they have doubled, or every code
  // would scan them all.
  let sweepAbove = 20_000;
  function sweep(now: number, day: string) {
    for (const [key, record] of codes) if (record.expiresAt <= now) codes.delete(key);
    for (const dayKey of daily.keys()) if (!dayKey.endsWith(`:${day}`)) daily.delete(dayKey);
    sweepAbove = Math.max(20_000, (codes.size + daily.size) * 2);
  }

  return {
    async issue({ key, phone, day, record, keepAttempts, cooldownMs, dailyLimit }) {
      if (codes.size + daily.size > sweepAbove) sweep(record.issuedAt, day);
      const dayKey = `${phone}:${day}`;
      const sentToday = daily.get(dayKey) ?? 0;
      if (sentToday >= dailyLimit) return { ok: false, reason: 'daily_limit' };
      const previous = codes.get(key);
      if (previous && record.issuedAt - previous.issuedAt < cooldownMs) {
        return {
          ok: false,
          reason: 'resend_cooldown',
          retryAfterMs: previous.issuedAt + cooldownMs - record.issuedAt,
        };
      }
      const live = previous && previous.expiresAt > record.issuedAt;
      codes.set(key, {
        ...record,
        attempts: keepAttempts && live ? previous.attempts : record.attempts,
      });
      daily.set(dayKey, sentToday + 1);
      return { ok: true };
    },

    async verify({ key, codeHash, now, maxAttempts }) {
      const record = codes.get(key);
      if (!record || record.expiresAt <= now) {
        codes.delete(key);
        return { ok: false, reason: 'otp_expired' };
      }
      if (record.attempts >= maxAttempts) return { ok: false, reason: 'too_many_attempts' };
      if (sameHash(record.codeHash, codeHash)) {
        codes.delete(key);
        return { ok: true };
      }
      record.attempts += 1;
      if (record.attempts >= maxAttempts) return { ok: false, reason: 'too_many_attempts' };
      return {
        ok: false,
        reason: 'otp_incorrect',
        attemptsRemaining: maxAttempts - record.attempts,
      };
    },

    async revoke(key, requestId, phone, day) {
      if (codes.get(key)?.requestId !== requestId) return;
      codes.delete(key);
      const dayKey = `${phone}:${day}`;
      daily.set(dayKey, Math.max(0, (daily.get(dayKey) ?? 1) - 1));
    },
  };
}
