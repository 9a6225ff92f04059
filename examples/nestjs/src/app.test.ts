import type { AddressInfo } from 'node:net';
import { meta } from '@kabar/core/meta';
import { computeSignature } from '@kabar/core/webhooks';
import { WhatsAppModule } from '@kabar/nestjs';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppModule } from './app.module.js';
import { DEV_SECRETS, refuseDevSecretsOn } from './dev-secrets.js';
import { OrdersModule } from './orders/orders.module.js';
import { PRICES } from './shop/shop.bot.js';
import { ShopModule } from './shop/shop.module.js';

const sandbox = useSandbox();
const customer = '6281234567890';
const APP_SECRET = 'meta_app_secret';
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let app: INestApplication;
beforeEach(() => {
  process.env.ADMIN_TOKEN = ADMIN_TOKEN;
});
afterEach(async () => {
  await app?.close();
  vi.restoreAllMocks();
});

/** Boots the modules as main.ts does, on a free port, and points the sandbox's Meta webhook at it. */
async function start(imports: unknown[]) {
  const testing = await Test.createTestingModule({ imports: imports as never[] }).compile();
  app = testing.createNestApplication({ rawBody: true, logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  await sandbox.setWebhook('meta', {
    url: `http://127.0.0.1:${port}/whatsapp/webhook`,
    secret: APP_SECRET,
  });
  return app;
}

const replies = async () =>
  (await sandbox.messages({ to: customer, direction: 'outbound' })).reverse().map((m) => m.text);

const shipped = { phone: '0812-3456-7890', name: 'Budi', courier: 'JNE', trackingNumber: 'JN123' };

describe('the example app (forRootAsync with ConfigService, isGlobal)', () => {
  beforeEach(async () => {
    process.env.META_BASE_URL = sandbox.meta.baseUrl;
    process.env.META_ACCESS_TOKEN = sandbox.meta.accessToken;
    process.env.META_PHONE_NUMBER_ID = sandbox.meta.phoneNumberId;
    await start([AppModule]);
  });

  it('tells the customer their order shipped, and logs the number masked', async () => {
    const logs = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const response = await request(app.getHttpServer())
      .post('/orders/1042/shipped')
      .set(admin)
      .send(shipped);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ notified: true, messageId: expect.any(String) });
    const message = await sandbox.latest({ to: customer });
    expect(message?.provider).toBe('meta');
    expect(message?.text).toContain('Halo Budi, pesanan #1042 sudah dikirim dengan JNE');
    const logged = logs.mock.calls.flat().join('\n');
    expect(logged).toContain('order #1042: 62812****7890 notified');
    expect(logged).not.toContain(customer);
  });

  it('ships only for callers with the admin token', async () => {
    const server = app.getHttpServer();
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: ADMIN_TOKEN }]) {
      const refused = await request(server).post('/orders/1042/shipped').set(headers).send(shipped);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'unauthenticated' });
    }
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
  });

  it('answers a bad number 422, a busy gateway 429 and a broken gateway 502, never 500', async () => {
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const server = app.getHttpServer();
    const ship = (order: object) =>
      request(server)
        .post('/orders/7/shipped')
        .set(admin)
        .send({ ...shipped, ...order });

    const badNumber = await ship({ phone: '0812' });
    expect(badNumber.status).toBe(422);
    expect(badNumber.body).toMatchObject({ error: 'invalid_phone', message: /0812/ });

    await sandbox.fault({ provider: 'meta', status: 429, retryAfter: 120, times: 1 });
    const busy = await ship({});
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('120');

    await sandbox.fault({ provider: 'meta', status: 401, times: 1 });
    const broken = await ship({});
    expect(broken.status).toBe(502);
    expect(broken.body).toEqual({
      statusCode: 502,
      error: 'unauthenticated',
      message: 'the WhatsApp gateway could not take the message; try again later',
    });
    expect(JSON.stringify(broken.body)).not.toContain(sandbox.meta.accessToken);

    const warned = warnings.mock.calls.flat().join('\n');
    expect(warned).toContain('order #7: could not notify 62812****7890 (unauthenticated)');
    expect(warned).not.toContain(customer);
  });

  it('answers a signed customer message and a button tap through its decorated handlers', async () => {
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'berapa harga kaos?' });
    await eventually(replies, (texts) => texts.length === 1);
    await sandbox.inbound({
      provider: 'meta',
      from: customer,
      button: { id: 'lacak:1042', title: 'Lacak paket' },
    });
    expect(await eventually(replies, (texts) => texts.length === 2)).toEqual([
      PRICES,
      'Pesanan #1042 sedang dalam perjalanan.',
    ]);
  });

  it('answers 401 to a webhook with a bad signature, and nobody is messaged', async () => {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    const forged = await request(app.getHttpServer())
      .post('/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', computeSignature(body, 'not-the-app-secret'))
      .send(body);
    expect(forged.status).toBe(401);
    const signed = await request(app.getHttpServer())
      .post('/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', computeSignature(body, APP_SECRET))
      .send(body);
    expect(signed.status).toBe(200);
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
  });

  it('passes Meta’s subscription handshake', async () => {
    expect(await sandbox.verifyMetaWebhook('kabar-verify-token')).toMatchObject({ verified: true });
  });

  it('logs a customer in with a WhatsApp code over HTTP', async () => {
    const server = app.getHttpServer();
    const requested = await request(server).post('/otp/request').send({ phone: '0812-3456-7890' });
    expect(requested.status).toBe(201);
    expect(requested.body.data).toMatchObject({ phone: customer, expires_in: 300 });

    const wrong = await request(server)
      .post('/otp/verify')
      .send({ phone: customer, code: '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toEqual({
      code: 'otp_invalid',
      message: 'the code is wrong or has expired; request a new one',
    });
    const foreign = await request(server).post('/otp/request').send({ phone: '+1 202 555 0123' });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.fields).toHaveProperty('phone');

    const code = /\d{6}/.exec((await sandbox.latest({ to: customer }))?.text ?? '')?.[0];
    const verified = await request(server).post('/otp/verify').send({ phone: customer, code });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ success: true, data: { verified: true, phone: customer } });
  });

  it('reports the gateway in its health check', async () => {
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info.whatsapp).toMatchObject({ status: 'up', provider: 'meta' });
  });
});

describe('the same features under WhatsAppModule.forRoot', () => {
  it('sends and handles webhooks with static options', async () => {
    await start([
      WhatsAppModule.forRoot({
        isGlobal: true,
        provider: meta({
          accessToken: sandbox.meta.accessToken,
          phoneNumberId: sandbox.meta.phoneNumberId,
          baseUrl: sandbox.meta.baseUrl,
        }),
        webhook: { provider: 'meta', secret: APP_SECRET },
        webhookPath: 'whatsapp/webhook',
      }),
      OrdersModule,
      ShopModule,
    ]);
    await request(app.getHttpServer())
      .post('/orders/7/shipped')
      .set(admin)
      .send(shipped)
      .expect(202);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'harga' });
    const texts = await eventually(replies, (t) => t.length === 2);
    expect(texts[0]).toContain('pesanan #7');
    expect(texts[1]).toBe(PRICES);
  });
});

describe('starting the example', () => {
  it('refuses to start with an empty ADMIN_TOKEN', async () => {
    process.env.ADMIN_TOKEN = '';
    // Caught by hand: a module that compiles after all is too big for vitest to print.
    const error = await Test.createTestingModule({ imports: [AppModule] })
      .compile()
      .then(
        () => undefined,
        (caught: Error) => caught,
      );
    expect(error?.message).toMatch(/ADMIN_TOKEN is required/);
  });

  it('refuses to listen beyond this machine with the public development secrets', () => {
    expect(() => refuseDevSecretsOn('0.0.0.0', {})).toThrow(
      /META_APP_SECRET, OTP_SECRET, ADMIN_TOKEN/,
    );
    expect(() =>
      refuseDevSecretsOn('0.0.0.0', { OTP_SECRET: 'a-real-otp-secret-0123456789' }),
    ).toThrow(/META_APP_SECRET, ADMIN_TOKEN/);
    expect(() => refuseDevSecretsOn('127.0.0.1', {})).not.toThrow();
    const real = {
      META_APP_SECRET: 'a-real-app-secret-0123456789',
      OTP_SECRET: 'a-real-otp-secret-0123456789',
      ADMIN_TOKEN: 'a-real-admin-token-0123456789',
    };
    expect(() => refuseDevSecretsOn('0.0.0.0', real)).not.toThrow();
    try {
      refuseDevSecretsOn('0.0.0.0', {});
    } catch (error) {
      for (const secret of Object.values(DEV_SECRETS)) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });
});
