import type { GatewayRequest } from '../../gateway.js';
import type { Reply } from '../../http.js';
import { newWebMessageId } from '../../ids.js';
import { normalizeIndonesian } from '../../phone.js';
import { invalidPhone, jsonObject, qirimError, qirimOk, validationError } from './reply.js';
import type { QirimContext } from './state.js';

/** POST /otp/request and /otp/resend: the docs give both the same body and the same rules. */
export function requestOtp(state: QirimContext, req: GatewayRequest): Reply {
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

/** POST /otp/verify: the newest code for the phone, which works once and locks after five misses. */
export function verifyOtp(state: QirimContext, req: GatewayRequest): Reply {
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
