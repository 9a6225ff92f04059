import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@kabar/core';
import { createBot } from '@kabar/core/bot';
import { kirem } from '@kabar/core/kirem';
import { createOtpEngine } from '@kabar/core/otp';
import { useSandbox } from '@kabar/sandbox/vitest';
import express4 from 'express4';
import express5 from 'express5';
import { afterEach, describe, expect, it } from 'vitest';
import './index.js';
import { type OtpRouterOptions, otpRouter, trustedOtpRouter } from './otp-router.js';
import { readVerifiedPhone, requireVerifiedPhone, signVerifiedPhone } from './verified-phone.js';
import { webhookMiddleware } from './webhook-middleware.js';

const sandbox = useSandbox();
const TOKEN_SECRET = 'token-secret-0123456789';
const OTP_SECRET = 'otp-secret-0123456789abcdef';
const API_KEY = 'trusted-backend-key-0123456789';
const phone = '0812-3456-7890';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function kiremClient() {
  return createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
}

async function listen(app: { listen: (port: number, host: string, cb: () => void) => Server }) {
  const started = await new Promise<Server>((resolve) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server = started;
  return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function receivedCode(): Promise<string> {
  return /\d{6}/.exec((await sandbox.latest({ to: '6281234567890' }))?.text ?? '')?.[0] ?? '';
}

function engine(options: { dailyLimit?: number; cooldownSeconds?: number } = {}) {
  return createOtpEngine({
    secret: OTP_SECRET,
    delivery: {
      client: kiremClient(),
      template: { name: 'otp_verification', language: 'id', button: 'none' },
    },
    ...options,
  });
}

/** A token signed like `signVerifiedPhone` would sign it, but with an empty key. */
function forgedWithEmptyKey(number: string): string {
  const payload = Buffer.from(JSON.stringify({ phone: number, exp: Date.now() + 60_000 })).toString(
    'base64url',
  );
  return `${payload}.${createHmac('sha256', '').update(payload).digest('base64url')}`;
}

describe('secrets', () => {
  it('refuses a missing, empty or short secret at construction, so no forged token gets through', () => {
    const forged = forgedWithEmptyKey('6281234567890');
    for (const secret of [undefined, '', 'short']) {
      expect(() => requireVerifiedPhone({ secret: secret as string })).toThrow(
        /requireVerifiedPhone option "secret"/,
      );
    }
    expect(() => readVerifiedPhone(forged, '')).toThrow(/secret/);
    expect(() => signVerifiedPhone('6281234567890', '', 600)).toThrow(/secret/);
    expect(() => otpRouter({ engine: engine(), token: { secret: '' } })).toThrow(/token\.secret/);
    expect(() =>
      webhookMiddleware({ provider: 'kirem', secret: '', onEvents: () => undefined }),
    ).toThrow(/webhookMiddleware option "secret"/);
    expect(() => trustedOtpRouter({ engine: engine(), apiKey: '' })).toThrow(/apiKey/);
  });

  it('never echoes the secret it refuses', () => {
    const error = (() => {
      try {
        requireVerifiedPhone({ secret: 'tooshort-1' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/too short/);
    expect(error?.message).not.toContain('tooshort-1');
  });
});

describe.each([
  ['Express 4', express4],
  ['Express 5', express5],
])('%s', (_name, express) => {
  async function otpApp(
    options: Partial<OtpRouterOptions> = {},
    engineOptions: { dailyLimit?: number; cooldownSeconds?: number } = {},
  ) {
    const app = express();
    app.use(
      '/otp',
      otpRouter({ engine: engine(engineOptions), token: { secret: TOKEN_SECRET }, ...options }),
    );
    app.get('/me', requireVerifiedPhone({ secret: TOKEN_SECRET }), (req, res) => {
      res.json({ phone: req.verifiedPhone });
    });
    return listen(app);
  }

  it('logs a number in: request, verify, then a guarded route', async () => {
    const base = await otpApp({ purposes: ['login'], allowedCountries: ['ID'] });
    const requested = await post(`${base}/otp/request`, { phone, purpose: 'login' });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      success: true,
      data: { phone: '6281234567890', expires_in: 300 },
    });

    const verified = await post(`${base}/otp/verify`, {
      phone,
      purpose: 'login',
      code: await receivedCode(),
    });
    expect(verified).toMatchObject({
      status: 200,
      body: { success: true, data: { verified: true } },
    });
    const token = verified.body.data.token as string;

    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ phone: '6281234567890' });
    expect((await fetch(`${base}/me`)).status).toBe(401);
    expect(
      (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}x` } })).status,
    ).toBe(401);
    const expired = signVerifiedPhone('6281234567890', TOKEN_SECRET, -1);
    expect(
      (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${expired}` } })).status,
    ).toBe(401);
    const forged = forgedWithEmptyKey('6281234567890');
    expect(
      (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
  });

  it('refuses what only the server may set: code_length, ttl, other purposes, foreign numbers', async () => {
    const base = await otpApp({ purposes: ['login'], allowedCountries: ['ID'] });
    for (const [body, field] of [
      [{ phone, code_length: 4 }, 'code_length'],
      [{ phone, ttl: 1800 }, 'ttl'],
      [{ phone, purpose: 'reset_password' }, 'purpose'],
      [{ phone: '+1 202 555 0123' }, 'phone'],
    ] as const) {
      const refused = await post(`${base}/otp/request`, body);
      expect(refused).toMatchObject({
        status: 422,
        body: { success: false, error: { code: 'validation_error' } },
      });
      expect(Object.keys(refused.body.error.fields)).toEqual([field]);
    }
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('answers its error table case by case, with Retry-After on every 429', async () => {
    const base = await otpApp();
    const invalidPhone = await post(`${base}/otp/request`, { phone: '0812' });
    expect(invalidPhone).toMatchObject({
      status: 422,
      body: { success: false, error: { code: 'invalid_phone' } },
    });
    expect((await post(`${base}/otp/request`, '{"phone":')).body.error.code).toBe(
      'validation_error',
    );
    const tooLarge = await post(`${base}/otp/request`, { phone, pad: 'x'.repeat(20_000) });
    expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: 'validation_error' } } });
    // Far over the cap: still a 413, and the connection closes rather than the rest being read.
    const farTooLarge = await post(`${base}/otp/request`, { phone, pad: 'x'.repeat(2_000_000) });
    expect(farTooLarge).toMatchObject({
      status: 413,
      body: { error: { code: 'validation_error' } },
    });
    expect(farTooLarge.headers.get('connection')).toBe('close');

    const refused = {
      status: 422,
      body: {
        success: false,
        error: {
          code: 'otp_invalid',
          message: 'the code is wrong or has expired; request a new one',
        },
      },
    };
    const neverRequested = await post(`${base}/otp/verify`, { phone, code: '123456' });
    expect(neverRequested).toMatchObject(refused);

    await post(`${base}/otp/request`, { phone });
    const code = await receivedCode();
    const wrongCode = code === '000000' ? '111111' : '000000';
    const cooldown = await post(`${base}/otp/resend`, { phone });
    expect(cooldown).toMatchObject({ status: 429, body: { error: { code: 'resend_cooldown' } } });
    expect(Number(cooldown.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(cooldown.body.error.retry_after).toBe(Number(cooldown.headers.get('retry-after')));

    // Wrong, then locked: the same answer as for a number that never asked.
    for (let i = 0; i < 6; i++) {
      const wrong = await post(`${base}/otp/verify`, { phone, code: wrongCode });
      expect(wrong.status).toBe(refused.status);
      expect(wrong.body).toEqual(neverRequested.body);
    }
    const locked = await post(`${base}/otp/verify`, { phone, code });
    expect(locked.body).toEqual(neverRequested.body);
  });

  it('answers daily_limit with a Retry-After until midnight in Jakarta', async () => {
    const base = await otpApp({}, { dailyLimit: 1, cooldownSeconds: 0 });
    expect((await post(`${base}/otp/request`, { phone })).status).toBe(201);
    const limited = await post(`${base}/otp/request`, { phone });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'daily_limit' } } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
  });

  it('stops a flood of codes to one number, and from one address, with 429s', async () => {
    const base = await otpApp({
      limits: { perNumber: { limit: 2, windowMs: 60_000 }, perIp: { limit: 4, windowMs: 60_000 } },
    });
    const numbers = ['081200000001', '081200000001', '081200000001'];
    const statuses = [];
    for (const number of numbers)
      statuses.push((await post(`${base}/otp/request`, { phone: number })).status);
    // The second code is held by the cooldown, the third by the per-number cap.
    expect(statuses[0]).toBe(201);
    const third = await post(`${base}/otp/request`, { phone: '081200000001' });
    expect(third).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(third.headers.get('retry-after')).toBeTruthy();
    const fromSameIp = await post(`${base}/otp/request`, { phone: '081200000099' });
    expect(fromSameIp).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
  });

  it('lets one address spend only its share of a number’s codes', async () => {
    const app = express();
    app.set('trust proxy', true);
    app.use('/otp', otpRouter({ engine: engine({ cooldownSeconds: 0 }) }));
    const base = await listen(app);
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const attacker = [];
    for (let i = 0; i < 5; i++)
      attacker.push((await post(`${base}/otp/request`, { phone }, from('203.0.113.7'))).status);
    expect(attacker).toEqual([201, 201, 201, 201, 429]);
    expect((await post(`${base}/otp/request`, { phone }, from('198.51.100.1'))).status).toBe(201);
  });

  it('keeps Qirim’s detailed contract behind trustedOtpRouter and its API key', async () => {
    const app = express();
    app.use('/internal/otp', trustedOtpRouter({ engine: engine(), apiKey: API_KEY }));
    const base = await listen(app);
    const key = { 'x-api-key': API_KEY };
    const body = { phone, purpose: 'withdrawal', code_length: 8, ttl: 120 };
    expect(await post(`${base}/internal/otp/request`, body)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    expect(await post(`${base}/internal/otp/request`, body, key)).toMatchObject({
      status: 201,
      body: { data: { expires_in: 120 } },
    });
    const code = /\d{8}/.exec((await sandbox.latest({ to: '6281234567890' }))?.text ?? '')?.[0];
    const wrong = await post(
      `${base}/internal/otp/verify`,
      { phone, purpose: 'withdrawal', code: code === '00000000' ? '11111111' : '00000000' },
      { authorization: `Bearer ${API_KEY}` },
    );
    expect(wrong).toMatchObject({
      status: 422,
      body: { error: { code: 'otp_incorrect', attempts_remaining: 4 } },
    });
    const verified = await post(
      `${base}/internal/otp/verify`,
      { phone, purpose: 'withdrawal', code },
      key,
    );
    expect(verified).toMatchObject({ status: 200, body: { data: { verified: true } } });
  });

  it('turns a gateway failure into a 502 without its details', async () => {
    const base = await otpApp();
    await sandbox.fault({ provider: 'kirem', status: 401, times: 1 });
    const failed = await post(`${base}/otp/request`, { phone });
    expect(failed).toMatchObject({ status: 502, body: { error: { code: 'delivery_failed' } } });
    expect(JSON.stringify(failed.body)).not.toContain(sandbox.kirem.apiKey);
  });

  it('receives signed webhooks, answers 200 at once and routes them to a bot', async () => {
    const bot = createBot({ client: kiremClient() }).hears('harga', (chat) =>
      chat.reply.text('Paket Pro Rp 249.000'),
    );
    const app = express();
    app.use(
      '/webhook',
      webhookMiddleware({
        provider: 'kirem',
        secret: 'kirem_webhook_secret',
        onEvents: (events) => bot.handle(events),
      }),
    );
    app.use(express.json());
    const base = await listen(app);
    await sandbox.setWebhook('kirem', { url: `${base}/webhook`, secret: 'kirem_webhook_secret' });
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'berapa harga?' });
    let reply: string | undefined;
    for (let i = 0; i < 50 && !reply; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      reply = (await sandbox.latest({ to: '6281234567890' }))?.text;
    }
    expect(reply).toBe('Paket Pro Rp 249.000');

    const unsigned = await post(`${base}/webhook`, { event: 'messages.received', data: {} });
    expect(unsigned).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });
});
