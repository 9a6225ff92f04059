import type { AddressInfo } from 'node:net';
import { meta } from '@kabar/core/meta';
import { computeSignature } from '@kabar/core/webhooks';
import { WhatsAppModule } from '@kabar/nestjs';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppModule } from './app.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PRICES } from './shop/shop.bot.js';
import { ShopModule } from './shop/shop.module.js';

const sandbox = useSandbox();
const customer = '6281234567890';
const APP_SECRET = 'meta_app_secret';

let app: INestApplication;
afterEach(() => app?.close());

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

  it('tells the customer their order shipped', async () => {
    const response = await request(app.getHttpServer()).post('/orders/1042/shipped').send(shipped);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ notified: true, messageId: expect.any(String) });
    const message = await sandbox.latest({ to: customer });
    expect(message?.provider).toBe('meta');
    expect(message?.text).toContain('Halo Budi, pesanan #1042 sudah dikirim dengan JNE');
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
    expect(wrong.body.error).toMatchObject({ code: 'otp_incorrect', attempts_remaining: 4 });

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
    await request(app.getHttpServer()).post('/orders/7/shipped').send(shipped).expect(202);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'harga' });
    const texts = await eventually(replies, (t) => t.length === 2);
    expect(texts[0]).toContain('pesanan #7');
    expect(texts[1]).toBe(PRICES);
  });
});
