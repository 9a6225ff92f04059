import { randomInt, randomUUID } from 'node:crypto';
import { wibDay } from '../../calendar.js';
import type { QirimOtp } from '../../types.js';

/** Qirim's docs: "kena cooldown kalau terlalu cepat (default 60 dtk)". */
const COOLDOWN_MS = 60_000;
const MAX_ATTEMPTS = 5;

interface Otp extends QirimOtp {
  issuedAt: number;
  expiresAt: number;
  /** Too many wrong codes: only a new code helps. */
  locked: boolean;
}

type Issued =
  | { ok: true; otp: Otp }
  | { ok: false; reason: 'cooldown'; retryAfter: number }
  | { ok: false; reason: 'daily-limit' };

type Verification =
  | { kind: 'verified' }
  | { kind: 'incorrect'; attemptsRemaining: number }
  | { kind: 'too-many-attempts' }
  | { kind: 'expired' };

/** The OTP codes Qirim issued, and how many each phone number got today. */
export class QirimOtps {
  #otps: Otp[] = [];
  #issuedToday = new Map<string, { day: string; count: number }>();

  constructor(private readonly dailyLimit: number) {}

  issue(phone: string, purpose: string | null, codeLength: number, ttl: number): Issued {
    const now = Date.now();
    const today = wibDay(now);
    const daily = this.#issuedToday.get(phone);
    const count = daily?.day === today ? daily.count : 0;
    if (count >= this.dailyLimit) return { ok: false, reason: 'daily-limit' };
    const previous = this.#otps.findLast((otp) => otp.phone === phone && otp.purpose === purpose);
    if (previous && now - previous.issuedAt < COOLDOWN_MS) {
      const retryAfter = Math.ceil((previous.issuedAt + COOLDOWN_MS - now) / 1000);
      return { ok: false, reason: 'cooldown', retryAfter };
    }

    let code = '';
    while (code.length < codeLength) code += String(randomInt(0, 10));
    const otp: Otp = {
      request_id: randomUUID(),
      phone,
      purpose,
      code,
      expires_at: qirimTime(now + ttl * 1000),
      attempts: 0,
      verified: false,
      issuedAt: now,
      expiresAt: now + ttl * 1000,
      locked: false,
    };
    // A new code replaces the older ones for the same phone and purpose.
    this.#otps = this.#otps.filter((old) => old.phone !== phone || old.purpose !== purpose);
    this.#otps.push(otp);
    this.#issuedToday.set(phone, { day: today, count: count + 1 });
    return { ok: true, otp };
  }

  /** Checks the newest code for the phone (for that purpose, when one is given). */
  verify(phone: string, code: string, purpose: string | undefined): Verification {
    const otp = this.#otps.findLast(
      (candidate) =>
        candidate.phone === phone && (purpose === undefined || candidate.purpose === purpose),
    );
    if (!otp || otp.verified || Date.now() > otp.expiresAt) return { kind: 'expired' };
    if (otp.locked) return { kind: 'too-many-attempts' };
    if (otp.code === code) {
      otp.verified = true;
      return { kind: 'verified' };
    }
    otp.attempts += 1;
    if (otp.attempts < MAX_ATTEMPTS) {
      return { kind: 'incorrect', attemptsRemaining: MAX_ATTEMPTS - otp.attempts };
    }
    otp.locked = true;
    return { kind: 'too-many-attempts' };
  }

  latest(phone: string): QirimOtp | undefined {
    const otp = this.#otps.findLast((candidate) => candidate.phone === phone);
    if (!otp) return undefined;
    const { request_id, purpose, code, expires_at, attempts, verified } = otp;
    return { request_id, phone, purpose, code, expires_at, attempts, verified };
  }

  reset(): void {
    this.#otps = [];
    this.#issuedToday.clear();
  }
}

/** '2026-06-26T10:31:01+00:00', the way Qirim (Laravel) writes times. */
function qirimTime(time: number): string {
  return `${new Date(time).toISOString().slice(0, 19)}+00:00`;
}
