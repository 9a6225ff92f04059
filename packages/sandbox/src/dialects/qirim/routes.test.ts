import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandbox } from '../../index.js';
import * as seed from '../../seed-examples.js';
import { type Answer, type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

afterEach(() => {
  vi.useRealTimers();
});

const qirim = (path: string, options: CallOptions = {}) =>
  call(`${sandbox.qirim.baseUrl}${path}`, {
    ...options,
    headers: { 'x-api-key': sandbox.qirim.apiKey, ...options.headers },
  });

const requestOtp = (body: unknown) => qirim('/otp/request', { json: body });
const verifyOtp = (body: unknown) => qirim('/otp/verify', { json: body });

/** Moves the sandbox's clock (same process) forward; timers keep running for real. */
function advanceClock(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}

async function issuedCode(phone = seed.qirimOtpRequest.phone): Promise<string> {
  const otp = await sandbox.qirimOtp(phone);
  if (!otp) throw new Error(`no OTP for ${phone}`);
  return otp.code;
}

const errorOf = (answer: Answer) => ({ status: answer.status, code: answer.body.error?.code });

describe('Qirim auth and health', () => {
  it('answers /health without a key', async () => {
    const answer = await call(`${sandbox.qirim.baseUrl}/health`);
    expect(answer).toMatchObject({ status: 200, body: { success: true, data: { status: 'ok' } } });
  });

  it('accepts X-Api-Key and Authorization: Bearer', async () => {
    expect((await requestOtp(seed.qirimOtpRequest)).status).toBe(201);
    const bearer = await call(`${sandbox.qirim.baseUrl}/otp/request`, {
      token: sandbox.qirim.apiKey,
      json: { ...seed.qirimOtpRequest, purpose: 'register' },
    });
    expect(bearer.status).toBe(201);
  });

  it.each([
    ['a wrong key', { 'x-api-key': 'qirim_xxxx' }],
    ['no key', {}],
  ])('answers 401 unauthenticated for %s', async (_name, headers) => {
    const answer = await call(`${sandbox.qirim.baseUrl}/otp/request`, {
      json: seed.qirimOtpRequest,
      headers,
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      success: false,
      error: { code: 'unauthenticated', message: 'API key salah / hilang' },
    });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('answers 403 feature_disabled for OTP with a notif-only key, which can still notify', async () => {
    const headers = { 'x-api-key': 'qirim_notif_only_key' };
    const otp = await qirim('/otp/request', { json: seed.qirimOtpRequest, headers });
    expect(otp.status).toBe(403);
    expect(otp.body).toEqual({
      success: false,
      error: { code: 'feature_disabled', message: 'Fitur otp belum aktif untuk key ini' },
    });
    expect((await qirim('/otp/verify', { json: seed.qirimOtpVerify, headers })).status).toBe(403);
    expect((await qirim('/notifications/send', { json: seed.qirimSendText, headers })).status).toBe(
      202,
    );
  });

  it('answers 404 not_found for an unknown path', async () => {
    const answer = await qirim('/otp/cancel', { json: {} });
    expect(errorOf(answer)).toEqual({ status: 404, code: 'not_found' });
  });
});

describe('Qirim OTP', () => {
  it('requests the seed example: 201 in the seed shape, code sent by WhatsApp, never returned', async () => {
    const answer = await requestOtp(seed.qirimOtpRequest);

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      success: true,
      data: {
        request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        phone: seed.qirimOtpRequestResponse.data.phone,
        expires_in: 300,
        expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
      },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/code/);
    const expiresAt = Date.parse(answer.body.data.expires_at);
    expect(Math.abs(expiresAt - (Date.now() + 300_000))).toBeLessThan(2000);

    const otp = await sandbox.qirimOtp('+62 812-3456-789');
    expect(otp).toEqual({
      request_id: answer.body.data.request_id,
      phone: '628123456789',
      purpose: 'login',
      code: expect.stringMatching(/^\d{6}$/),
      expires_at: answer.body.data.expires_at,
      attempts: 0,
      verified: false,
    });
    expect(await sandbox.latest({ provider: 'qirim' })).toMatchObject({
      to: '628123456789',
      type: 'otp',
      status: 'sent',
      text: expect.stringContaining(otp?.code ?? 'missing'),
      payload: seed.qirimOtpRequest,
    });
  });

  it.each([['08123456789'], ['+628123456789'], ['628123456789']])(
    'normalises %s to 62…',
    async (phone) => {
      const answer = await requestOtp({ phone });
      expect(answer.body.data.phone).toBe('628123456789');
    },
  );

  it('honours code_length and ttl', async () => {
    const answer = await requestOtp({ phone: '08123456789', code_length: 8, ttl: 30 });
    expect(answer.body.data.expires_in).toBe(30);
    expect(await issuedCode()).toMatch(/^\d{8}$/);
  });

  it('verifies the right code once, as in the seed', async () => {
    await requestOtp(seed.qirimOtpRequest);
    const answer = await verifyOtp({ ...seed.qirimOtpVerify, code: await issuedCode() });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(seed.qirimOtpVerifyResponse);
    expect((await sandbox.qirimOtp('08123456789'))?.verified).toBe(true);

    // A code works once.
    const again = await verifyOtp({ ...seed.qirimOtpVerify, code: await issuedCode() });
    expect(errorOf(again)).toEqual({ status: 422, code: 'otp_expired' });
  });

  it('counts wrong codes down, then invalidates the code after 5', async () => {
    await requestOtp(seed.qirimOtpRequest);
    const code = await issuedCode();
    const wrong = code === '000000' ? '111111' : '000000';
    for (const remaining of [4, 3, 2, 1]) {
      const answer = await verifyOtp({ phone: '08123456789', code: wrong });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toEqual({
        code: 'otp_incorrect',
        message: 'Kode salah',
        attempts_remaining: remaining,
      });
    }
    const fifth = await verifyOtp({ phone: '08123456789', code: wrong });
    expect(errorOf(fifth)).toEqual({ status: 429, code: 'too_many_attempts' });
    // Even the right code is refused now; a new code is needed.
    expect(errorOf(await verifyOtp({ phone: '08123456789', code }))).toEqual({
      status: 429,
      code: 'too_many_attempts',
    });
    expect((await sandbox.qirimOtp('08123456789'))?.attempts).toBe(5);
  });

  it('answers 422 otp_expired when no code was requested or it has expired', async () => {
    expect(errorOf(await verifyOtp(seed.qirimOtpVerify))).toEqual({
      status: 422,
      code: 'otp_expired',
    });
    await requestOtp({ phone: '08123456789', ttl: 30 });
    const code = await issuedCode();
    advanceClock(31_000);
    expect(errorOf(await verifyOtp({ phone: '08123456789', code }))).toEqual({
      status: 422,
      code: 'otp_expired',
    });
  });

  it('answers 429 resend_cooldown with retry_after within 60 s, for request and resend', async () => {
    await requestOtp(seed.qirimOtpRequest);
    const first = await qirim('/otp/resend', { json: seed.qirimOtpRequest });
    expect(first.status).toBe(429);
    expect(first.body.error).toEqual({
      code: 'resend_cooldown',
      message: 'Terlalu cepat minta ulang',
      retry_after: expect.any(Number),
    });
    expect(first.body.error.retry_after).toBeGreaterThan(55);
    expect(first.body.error.retry_after).toBeLessThanOrEqual(60);
    expect(first.headers.get('retry-after')).toBe(String(first.body.error.retry_after));
    expect(errorOf(await requestOtp(seed.qirimOtpRequest))).toEqual({
      status: 429,
      code: 'resend_cooldown',
    });
    // The cooldown is per phone and purpose.
    expect((await requestOtp({ ...seed.qirimOtpRequest, purpose: 'reset' })).status).toBe(201);
  });

  it('resends a new code after the cooldown, and the old code stops working', async () => {
    await requestOtp(seed.qirimOtpRequest);
    const oldCode = await issuedCode();
    advanceClock(61_000);
    const resent = await qirim('/otp/resend', { json: seed.qirimOtpRequest });
    expect(resent.status).toBe(201);
    const newCode = await issuedCode();
    if (newCode !== oldCode) {
      expect((await verifyOtp({ phone: '08123456789', code: oldCode })).status).toBe(422);
    }
    expect((await verifyOtp({ phone: '08123456789', code: newCode })).status).toBe(200);
    expect(await sandbox.messages({ type: 'otp' })).toHaveLength(2);
  });

  it('answers 429 daily_limit after 10 codes for one number in a day', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await requestOtp({ phone: '08123456789', purpose: `p${i}` })).status).toBe(201);
    }
    const answer = await requestOtp({ phone: '08123456789', purpose: 'p10' });
    expect(errorOf(answer)).toEqual({ status: 429, code: 'daily_limit' });
    expect((await requestOtp({ phone: '08129999999' })).status).toBe(201);
    advanceClock(24 * 60 * 60 * 1000);
    expect((await requestOtp({ phone: '08123456789', purpose: 'p10' })).status).toBe(201);
  });

  it('answers 422 invalid_phone for a number that is not Indonesian mobile', async () => {
    for (const phone of ['12345', '+6591234567', '0812...', '021-5551234']) {
      expect(errorOf(await requestOtp({ phone }))).toEqual({ status: 422, code: 'invalid_phone' });
    }
    expect(errorOf(await verifyOtp({ phone: '12345', code: '123456' }))).toEqual({
      status: 422,
      code: 'invalid_phone',
    });
  });

  it('answers 422 validation_error naming every bad field', async () => {
    const answer = await requestOtp({ purpose: 7, code_length: 9, ttl: 10 });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toEqual({
      code: 'validation_error',
      message: 'Body tidak valid',
      fields: {
        phone: 'is required',
        purpose: 'must be a string',
        code_length: 'must be an integer from 4 to 8',
        ttl: 'must be an integer from 30 to 1800 (seconds)',
      },
    });
    const verify = await verifyOtp({ phone: '08123456789' });
    expect(verify.body.error.fields).toEqual({ code: 'is required and must be digits' });
    const notJson = await qirim('/otp/request', {
      body: 'phone=0812',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.body.error).toMatchObject({
      code: 'validation_error',
      fields: { body: 'must be a JSON object' },
    });
  });

  it("produces every error in the seed's table with its HTTP status", async () => {
    const seen = new Map<string, number>();
    const record = (answer: Answer) => {
      if (!seen.has(answer.body.error.code)) seen.set(answer.body.error.code, answer.status);
    };

    record(await call(`${sandbox.qirim.baseUrl}/otp/request`, { json: seed.qirimOtpRequest }));
    record(
      await qirim('/otp/request', {
        json: seed.qirimOtpRequest,
        headers: { 'x-api-key': 'qirim_notif_only_key' },
      }),
    );
    record(await requestOtp({ phone: '123' }));
    record(await requestOtp({}));
    record(await verifyOtp(seed.qirimOtpVerify)); // otp_expired: nothing requested yet
    await requestOtp(seed.qirimOtpRequest);
    record(await requestOtp(seed.qirimOtpRequest)); // resend_cooldown
    const wrong = (await issuedCode()) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) record(await verifyOtp({ phone: '08123456789', code: wrong }));
    for (let i = 0; i < 10; i++) await requestOtp({ phone: '08127777777', purpose: `p${i}` });
    record(await requestOtp({ phone: '08127777777', purpose: 'p10' }));

    for (const { code, status } of seed.qirimErrorCodes)
      expect([code, seen.get(code)]).toEqual([code, status]);
  });
});

describe('Qirim options', () => {
  it('takes the daily OTP limit and the keys from the options', async () => {
    const own = await createSandbox({
      qirim: { apiKeys: ['own_key'], notifOnlyKeys: [], otpDailyLimit: 1 },
    });
    try {
      const request = (phone: string, key = 'own_key') =>
        call(`${own.qirim.baseUrl}/otp/request`, {
          json: { phone },
          headers: { 'x-api-key': key },
        });
      expect(own.qirim.apiKey).toBe('own_key');
      expect((await request('08123456789')).status).toBe(201);
      expect(errorOf(await request('08123456789'))).toEqual({ status: 429, code: 'daily_limit' });
      expect((await request('08123456789', 'qirim_notif_only_key')).status).toBe(401);
    } finally {
      await own.close();
    }
    await expect(createSandbox({ qirim: { otpDailyLimit: 0 } })).rejects.toThrow(RangeError);
  });
});

describe('Qirim control API and reset', () => {
  it('answers 404 for a phone without an OTP, 400 for a bad phone', async () => {
    expect(await sandbox.qirimOtp('08123456789')).toBeUndefined();
    await expect(sandbox.qirimOtp('abc')).rejects.toThrow(/400/);
  });

  it('reset forgets codes, cooldowns and daily counts', async () => {
    await requestOtp(seed.qirimOtpRequest);
    await sandbox.reset();
    expect(await sandbox.qirimOtp('08123456789')).toBeUndefined();
    expect((await requestOtp(seed.qirimOtpRequest)).status).toBe(201);
  });

  it('lists qirim messages by provider', async () => {
    await requestOtp(seed.qirimOtpRequest);
    expect(await sandbox.messages({ provider: 'qirim' })).toHaveLength(1);
    expect(await sandbox.messages({ provider: 'kirem' })).toHaveLength(0);
  });
});

describe('Qirim faults', () => {
  it('answers an injected 503 in the Qirim error shape without issuing a code', async () => {
    await sandbox.fault({ provider: 'qirim', path: '/otp/request', status: 503, times: 1 });
    const answer = await requestOtp(seed.qirimOtpRequest);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      success: false,
      error: { code: 'service_unavailable', message: 'Service Unavailable' },
    });
    expect(await sandbox.qirimOtp('08123456789')).toBeUndefined();
    expect((await requestOtp(seed.qirimOtpRequest)).status).toBe(201);
  });

  it('issues the code, then drops the connection, with when: after', async () => {
    await sandbox.fault({ provider: 'qirim', path: '/otp/request', reset: true, when: 'after' });
    await expect(requestOtp(seed.qirimOtpRequest)).rejects.toThrow();
    expect(await sandbox.qirimOtp('08123456789')).toBeDefined();
  });
});
