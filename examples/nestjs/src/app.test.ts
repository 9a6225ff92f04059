import { meta } from '@kabar/core/meta';
import { computeSignature } from '@kabar/core/webhooks';
import { WhatsAppModule } from '@kabar/nestjs';
import { createWhatsAppTestingApp, type WhatsAppTestingApp } from '@kabar/nestjs/testing';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppModule } from './app.module.js';
import { DEV_SECRETS, refuseDevSecretsOn } from './dev-secrets.js';
import { OrdersModule } from './orders/orders.module.js';
import { PRICES } from './shop/shop.bot.js';
import { ShopModule } from './shop/shop.module.js';

const customer = '6281234567890';
const APP_SECRET = 'meta_app_secret';
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

// The real modules on a free port, their WhatsApp client and webhook wired to a sandbox of their
// own; close() stops both.
let whatsapp: WhatsAppTestingApp | undefined;
beforeEach(() => {
  process.env.ADMIN_TOKEN = ADMIN_TOKEN;
});
afterEach(async () => {
  await whatsapp?.close();
  whatsapp = undefined;
  vi.restoreAllMocks();
});

const shipped = { phone: '0812-3456-7890', name: 'Budi', courier: 'JNE', trackingNumber: 'JN123' };

describe('the example app (forRootAsync with ConfigService, isGlobal)', () => {
  let shop: WhatsAppTestingApp;
  let app: WhatsAppTestingApp['app'];
  let sandbox: WhatsAppTestingApp['sandbox'];
  beforeEach(async () => {
    // No META_* variables: the testing app gives the client the sandbox's URL and credentials.
    shop = await createWhatsAppTestingApp({ imports: [AppModule] });
    whatsapp = shop;
    ({ app, sandbox } = shop);
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
    const budi = shop.customer(customer);
    expect((await budi.send('berapa harga kaos?')).text).toBe(PRICES);
    const tracked = await budi.tap('lacak:1042', 'Lacak paket');
    expect(tracked.text).toBe('Pesanan #1042 sedang dalam perjalanan.');
  });

  it('greets a customer by name with buttons, and answers the one they tap', async () => {
    const budi = shop.customer(customer, { name: 'Budi' });
    const greeting = await budi.send('halo');
    expect(greeting.text).toBe('Halo Budi! Ada yang bisa kami bantu?');
    expect(JSON.stringify(greeting.messages[0]?.payload)).toContain('Daftar harga');
    expect((await budi.tap('harga', 'Daftar harga')).text).toBe(PRICES);
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
    whatsapp = await createWhatsAppTestingApp({
      imports: [
        WhatsAppModule.forRoot({
          isGlobal: true,
          // Production settings: the testing app points the client at its sandbox.
          provider: meta({ accessToken: 'EAAG-production', phoneNumberId: '1234567890' }),
          webhook: { provider: 'meta', secret: APP_SECRET },
          webhookPath: 'whatsapp/webhook',
        }),
        OrdersModule,
        ShopModule,
      ],
    });
    await request(whatsapp.app.getHttpServer())
      .post('/orders/7/shipped')
      .set(admin)
      .send(shipped)
      .expect(202);
    expect((await whatsapp.sandbox.latest({ to: customer }))?.text).toContain('pesanan #7');
    expect((await whatsapp.customer(customer).send('harga')).text).toBe(PRICES);
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
