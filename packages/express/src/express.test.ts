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
import { otpRouter } from './otp-router.js';
import { requireVerifiedPhone, signVerifiedPhone } from './verified-phone.js';
import { webhookMiddleware } from './webhook-middleware.js';

const sandbox = useSandbox();
const TOKEN_SECRET = 'token-secret-0123456789';
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

describe.each([
  ['Express 4', express4],
  ['Express 5', express5],
])('%s', (_name, express) => {
  async function otpApp(
    extra: Parameters<typeof otpRouter>[0]['limits'] = undefined,
    engineOptions: { dailyLimit?: number; cooldownSeconds?: number } = {},
  ) {
    const app = express();
    const otp = createOtpEngine({
      secret: 'otp-secret-0123456789abcdef',
      delivery: { client: kiremClient(), template: { name: 'otp_verification', language: 'id' } },
      ...engineOptions,
    });
    app.use('/otp', otpRouter({ engine: otp, token: { secret: TOKEN_SECRET }, limits: extra }));
    app.get('/me', requireVerifiedPhone({ secret: TOKEN_SECRET }), (req, res) => {
      res.json({ phone: req.verifiedPhone });
    });
    return listen(app);
  }

  it('logs a number in: request, verify, then a guarded route', async () => {
    const base = await otpApp();
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
  });

  it('answers the Qirim error table case by case, with Retry-After on every 429', async () => {
    const base = await otpApp();
    const invalidPhone = await post(`${base}/otp/request`, { phone: '0812' });
    expect(invalidPhone).toMatchObject({
      status: 422,
      body: { success: false, error: { code: 'invalid_phone' } },
    });

    const validation = await post(`${base}/otp/request`, { phone, code_length: 12 });
    expect(validation).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_error' } },
    });
    expect(validation.body.error.fields).toBeTruthy();
    expect((await post(`${base}/otp/request`, '{"phone":')).body.error.code).toBe(
      'validation_error',
    );

    expect((await post(`${base}/otp/verify`, { phone, code: '123456' })).body.error.code).toBe(
      'otp_expired',
    );

    await post(`${base}/otp/request`, { phone });
    const code = await receivedCode();
    const wrongCode = code === '000000' ? '111111' : '000000';
    const cooldown = await post(`${base}/otp/resend`, { phone });
    expect(cooldown).toMatchObject({ status: 429, body: { error: { code: 'resend_cooldown' } } });
    expect(Number(cooldown.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(cooldown.body.error.retry_after).toBe(Number(cooldown.headers.get('retry-after')));

    const incorrect = await post(`${base}/otp/verify`, { phone, code: wrongCode });
    expect(incorrect).toMatchObject({
      status: 422,
      body: { error: { code: 'otp_incorrect', attempts_remaining: 4 } },
    });
    let last = incorrect;
    for (let i = 0; i < 4; i++) last = await post(`${base}/otp/verify`, { phone, code: wrongCode });
    expect(last).toMatchObject({ status: 429, body: { error: { code: 'too_many_attempts' } } });
    expect(last.headers.get('retry-after')).toBeTruthy();
    expect(JSON.stringify(last.body)).not.toContain(code);
  });

  it('answers daily_limit with a Retry-After until midnight in Jakarta', async () => {
    const base = await otpApp(undefined, { dailyLimit: 1, cooldownSeconds: 0 });
    expect((await post(`${base}/otp/request`, { phone })).status).toBe(201);
    const limited = await post(`${base}/otp/request`, { phone });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'daily_limit' } } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
  });

  it('stops a flood of codes to one number, and from one address, with 429s', async () => {
    const base = await otpApp({
      perNumber: { limit: 2, windowMs: 60_000 },
      perIp: { limit: 4, windowMs: 60_000 },
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
