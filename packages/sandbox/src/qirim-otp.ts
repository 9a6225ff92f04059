import { randomInt, randomUUID } from 'node:crypto';
import { wibDay } from './calendar';
import type { GatewayRequest } from './gateway';
import type { Reply } from './http';
import { newWebMessageId } from './ids';
import { normalizeIndonesian } from './phone';
import { invalidPhone, jsonObject, qirimError, qirimOk, validationError } from './qirim-reply';
import type { SandboxState } from './state';
import type { QirimOtp } from './types';

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

/** POST /otp/request and /otp/resend: the docs give both the same body and the same rules. */
export function requestOtp(state: SandboxState, req: GatewayRequest): Reply {
  const body = jsonObject(req);
  if (!body.ok) return body.reply;
  const { phone, purpose, code_length = 6, ttl = 300 } = body.value;
  const fields: Record<string, string> = {};
  if (typeof phone !== 'string' || phone === '') fields.phone = 'is required';
  if (purpose !== undefined && purpose !== null && typeof purpose !== 'string') {
    fields.purpose = 'must be a string';
  }
  if (!isIntegerIn(code_length, 4, 8)) fields.code_length = 'must be an integer from 4 to 8';
  if (!isIntegerIn(ttl, 30, 1800)) fields.ttl = 'must be an integer from 30 to 1800 (seconds)';
  if (Object.keys(fields).length > 0) return validationError(fields);

  const normalized = normalizeIndonesian(phone as string);
  if (!normalized) return invalidPhone();
  const seconds = ttl as number;
  const issued = state.qirim.otps.issue(
    normalized,
    typeof purpose === 'string' ? purpose : null,
    code_length as number,
    seconds,
  );
  if (!issued.ok) {
    if (issued.reason === 'daily-limit') {
      return qirimError(429, 'daily_limit', 'Batas OTP harian per nomor tercapai');
    }
    const reply = qirimError(429, 'resend_cooldown', 'Terlalu cepat minta ulang', {
      retry_after: issued.retryAfter,
    });
    return { ...reply, headers: { 'retry-after': String(issued.retryAfter) } };
  }

  const { otp } = issued;
  state.messages.add({
    id: newWebMessageId(),
    provider: 'qirim',
    direction: 'outbound',
    to: normalized,
    type: 'otp',
    text: `Kode OTP kamu: ${otp.code}. Berlaku ${seconds} detik. Jangan bagikan kode ini kepada siapa pun.`,
    payload: body.value,
    status: 'sent',
    createdAt: new Date(otp.issuedAt).toISOString(),
  });
  return qirimOk(201, {
    request_id: otp.request_id,
    phone: normalized,
    expires_in: seconds,
    expires_at: otp.expires_at,
  });
}

export function verifyOtp(state: SandboxState, req: GatewayRequest): Reply {
  const body = jsonObject(req);
  if (!body.ok) return body.reply;
  const { phone, code, purpose } = body.value;
  const fields: Record<string, string> = {};
  if (typeof phone !== 'string' || phone === '') fields.phone = 'is required';
  if (!(typeof code === 'string' && /^\d+$/.test(code)) && !Number.isInteger(code)) {
    fields.code = 'is required and must be digits';
  }
  if (purpose !== undefined && typeof purpose !== 'string') fields.purpose = 'must be a string';
  if (Object.keys(fields).length > 0) return validationError(fields);

  const normalized = normalizeIndonesian(phone as string);
  if (!normalized) return invalidPhone();
  const result = state.qirim.otps.verify(
    normalized,
    String(code),
    typeof purpose === 'string' ? purpose : undefined,
  );
  switch (result.kind) {
    case 'verified':
      return qirimOk(200, { verified: true, phone: normalized });
    case 'incorrect':
      return qirimError(422, 'otp_incorrect', 'Kode salah', {
        attempts_remaining: result.attemptsRemaining,
      });
    case 'too-many-attempts':
      return qirimError(429, 'too_many_attempts', 'Salah terlalu sering, minta kode baru');
    case 'expired':
      return qirimError(422, 'otp_expired', 'Kode kadaluarsa / belum diminta');
  }
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}
