import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { KabarError } from '../errors.js';
import { kirem } from '../providers/kirem/index.js';
import { kirimy } from '../providers/kirimy/index.js';
import { qirim } from '../providers/qirim/index.js';
import { failure } from '../test-helpers.js';
import { createOtpEngine, type OtpEngineOptions, qirimOtpEngine } from './engine.js';
import { memoryOtpStore, type OtpStore } from './store.js';

const sandbox = useSandbox();
const phone = '0812-3456-7890';
const SECRET = 'otp-test-secret-0123456789';

function kiremClient() {
  return createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
}

/** An engine sending Kirem's approved `otp_verification` template, on a clock the test moves. */
function engine(extra: Partial<OtpEngineOptions> = {}) {
  const clock = { now: Date.parse('2026-11-22T03:00:00Z') };
  const otp = createOtpEngine({
    secret: SECRET,
    delivery: {
      client: kiremClient(),
      template: { name: 'otp_verification', language: 'id', button: 'none' },
    },
    now: () => clock.now,
    ...extra,
  });
  return { otp, clock };
}

/** The code as the customer received it: the digits of the last message to them. */
async function receivedCode(): Promise<string> {
  const message = await sandbox.latest({ to: '6281234567890' });
  const code = /\d{4,8}/.exec(message?.text ?? '')?.[0];
  if (!code) throw new Error(`no code in ${JSON.stringify(message?.text)}`);
  return code;
}

describe('createOtpEngine', () => {
  it('sends a 6-digit code through the template, and verifies it once', async () => {
    const { otp } = engine();
    const requested = await otp.request({ phone, purpose: 'login' });
    expect(requested).toMatchObject({ phone: '6281234567890', expiresIn: 300 });
    expect(JSON.stringify(requested)).not.toMatch(/\b\d{6}\b/);
    const code = await receivedCode();
    expect(code).toMatch(/^\d{6}$/);
    expect((await sandbox.latest())?.payload).toMatchObject({
      type: 'template',
      template: { name: 'otp_verification' },
    });

    expect(await otp.verify({ phone: '+62 812 3456 7890', code, purpose: 'login' })).toEqual({
      verified: true,
      phone: '6281234567890',
    });
    const again = await failure(otp.verify({ phone, code, purpose: 'login' }));
    expect(again).toMatchObject({ code: 'otp_expired', status: 422 });
  });

  it('counts wrong guesses down, then locks the code until a new one is requested', async () => {
    const { otp, clock } = engine();
    await otp.request({ phone });
    const code = await receivedCode();
    const wrong = code === '000000' ? '111111' : '000000';
    const remaining: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const error = await failure(otp.verify({ phone, code: wrong }));
      expect(error.code).toBe('otp_incorrect');
      remaining.push((error.details as { attempts_remaining: number }).attempts_remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1]);
    expect((await failure(otp.verify({ phone, code: wrong }))).code).toBe('too_many_attempts');
    const locked = await failure(otp.verify({ phone, code }));
    expect(locked).toMatchObject({ code: 'too_many_attempts', status: 429 });
    expect(JSON.stringify([locked.message, locked.details])).not.toContain(code);

    clock.now += 61_000;
    await otp.request({ phone });
    expect(await otp.verify({ phone, code: await receivedCode() })).toMatchObject({
      verified: true,
    });
  });

  it('holds a resend to the cooldown; a resend replaces the code but keeps the spent attempts', async () => {
    const { otp, clock } = engine();
    await otp.request({ phone });
    const first = await receivedCode();
    clock.now += 10_000;
    const early = await failure(otp.resend({ phone }));
    expect(early).toMatchObject({ code: 'resend_cooldown', status: 429, retryAfter: 50 });

    await failure(otp.verify({ phone, code: first === '000000' ? '111111' : '000000' }));
    clock.now += 50_000;
    await otp.resend({ phone });
    const second = await receivedCode();
    if (second !== first)
      expect((await failure(otp.verify({ phone, code: first }))).code).toBe('otp_incorrect');
    const error = await failure(
      otp.verify({ phone, code: second === '000000' ? '111111' : '000000' }),
    );
    // One wrong guess on the first code, maybe one on the old code, and this one: no fresh five.
    expect(
      (error.details as { attempts_remaining: number }).attempts_remaining,
    ).toBeLessThanOrEqual(3);
  });

  it('stops at the daily limit per number, and lets expired codes go', async () => {
    const { otp, clock } = engine({ dailyLimit: 2, cooldownSeconds: 0 });
    await otp.request({ phone, ttl: 30 });
    const code = await receivedCode();
    clock.now += 31_000;
    expect((await failure(otp.verify({ phone, code }))).code).toBe('otp_expired');
    await otp.request({ phone });
    expect(await failure(otp.request({ phone }))).toMatchObject({
      code: 'daily_limit',
      status: 429,
    });
    clock.now += 24 * 3600_000;
    await expect(otp.request({ phone })).resolves.toMatchObject({ phone: '6281234567890' });
  });

  it('counts the daily limit per day in Jakarta, which turns at 17:00 UTC', async () => {
    const inner = memoryOtpStore();
    const days: string[] = [];
    const store: OtpStore = {
      issue: (input) => {
        days.push(input.day);
        return inner.issue(input);
      },
      verify: (input) => inner.verify(input),
      revoke: (...args) => inner.revoke(...args),
    };
    const { otp, clock } = engine({ store, dailyLimit: 1, cooldownSeconds: 0 });
    clock.now = Date.parse('2026-11-22T16:59:59.999Z'); // 23:59:59.999 in Jakarta
    await otp.request({ phone });
    expect((await failure(otp.request({ phone }))).code).toBe('daily_limit');
    clock.now += 1; // midnight in Jakarta: a new day
    await otp.request({ phone });
    expect((await failure(otp.request({ phone }))).code).toBe('daily_limit');
    clock.now = Date.parse('2026-11-21T17:00:00.000Z'); // back to the first day's first moment
    expect((await failure(otp.request({ phone }))).code).toBe('daily_limit');
    expect(days).toEqual(['2026-11-22', '2026-11-22', '2026-11-23', '2026-11-23', '2026-11-22']);
  });

  it('draws every digit in every position of a code, leading zeros included', async () => {
    const codes: string[] = [];
    const client = createClient({
      provider: kirem({ apiKey: 'test-key', baseUrl: 'http://gateway.invalid' }),
      rateLimit: false,
      // In-process gateway: a thousand codes through the sandbox would take long.
      fetch: async (_url, init) => {
        const body = JSON.parse(String(init?.body));
        codes.push(body.template.components[0].parameters[0].text);
        return Response.json(
          { data: { messages: [{ id: 'wamid.x' }], contacts: [{ wa_id: body.to }] } },
          { status: 201 },
        );
      },
    });
    const otp = createOtpEngine({
      secret: SECRET,
      delivery: { client, template: { name: 'otp_verification', language: 'id', button: 'none' } },
      codeLength: 4,
      cooldownSeconds: 0,
      dailyLimit: 1000,
    });
    for (let i = 0; i < 1000; i++) await otp.request({ phone });
    expect(codes.every((code) => /^\d{4}$/.test(code))).toBe(true);
    for (let position = 0; position < 4; position++) {
      // Any digit missing from a position in 1000 draws: chance 10 × 0.9^1000, about 1e-45.
      expect(new Set(codes.map((code) => code[position])).size).toBe(10);
    }
  });

  it('gives exactly one success to 1000 concurrent checks of the right code', async () => {
    const { otp } = engine();
    await otp.request({ phone });
    const code = await receivedCode();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 1000 }, () => otp.verify({ phone, code })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  it('keeps only a keyed hash of the code', async () => {
    const inner = memoryOtpStore();
    const seen: string[] = [];
    const store: OtpStore = {
      issue: (input) => {
        seen.push(JSON.stringify(input));
        return inner.issue(input);
      },
      verify: (input) => inner.verify(input),
      revoke: (...args) => inner.revoke(...args),
    };
    const { otp } = engine({ store });
    await otp.request({ phone });
    const code = await receivedCode();
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain(code);
    expect(seen[0]).toMatch(/"codeHash":"[0-9a-f]{64}"/);
  });

  it('takes back a code that could not be delivered, so the user may ask again at once', async () => {
    const { otp } = engine();
    await sandbox.fault({ provider: 'kirem', status: 401, times: 1 });
    expect((await failure(otp.request({ phone }))).code).toBe('unauthenticated');
    await expect(otp.request({ phone })).resolves.toMatchObject({ phone: '6281234567890' });
  });

  it('sends a text where the gateway has no templates', async () => {
    const client = createClient({
      provider: kirimy({
        apiKey: sandbox.kirimy.apiKey,
        baseUrl: sandbox.kirimy.baseUrl,
        sessionId: sandbox.kirimy.sessionId,
      }),
    });
    const { otp } = engine({
      delivery: { client, template: { name: 'otp_verification', language: 'id', button: 'none' } },
    });
    await otp.request({ phone });
    const message = await sandbox.latest({ provider: 'kirimy' });
    expect(message?.text).toMatch(/^Kode verifikasi Anda: \d{6}\. Berlaku 5 menit\./);
    expect(await otp.verify({ phone, code: await receivedCode() })).toMatchObject({
      verified: true,
    });
  });

  it('refuses bad input before anything is stored or sent', async () => {
    const { otp } = engine();
    expect((await failure(otp.request({ phone: '0812' }))).code).toBe('invalid_phone');
    expect((await failure(otp.request({ phone, codeLength: 9 }))).code).toBe('validation');
    expect((await failure(otp.request({ phone, ttl: 5 }))).code).toBe('validation');
    expect((await failure(otp.verify({ phone, code: 'abc' }))).code).toBe('validation');
    expect(await sandbox.messages()).toHaveLength(0);
    expect(() => createOtpEngine({ secret: 'short', delivery: { client: kiremClient() } })).toThrow(
      /secret/,
    );
  });
});

describe('qirimOtpEngine', () => {
  it('delegates to Qirim’s OTP endpoints with the same results and errors', async () => {
    const client = createClient({
      provider: qirim({ apiKey: sandbox.qirim.apiKey, baseUrl: sandbox.qirim.baseUrl }),
    });
    const otp = qirimOtpEngine(client);
    await otp.request({ phone, purpose: 'login' });
    const issued = await sandbox.qirimOtp('6281234567890');
    const wrong = await failure(
      otp.verify({ phone, code: '000000' === issued?.code ? '111111' : '000000' }),
    );
    expect(wrong.code).toBe('otp_incorrect');
    expect(await otp.verify({ phone, code: issued?.code ?? '' })).toMatchObject({ verified: true });
    expect(() => qirimOtpEngine(kiremClient())).toThrow(KabarError);
  });
});
