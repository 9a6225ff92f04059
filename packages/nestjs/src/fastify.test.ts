import { kirem } from '@kabar/core/kirem';
import { computeSignature } from '@kabar/core/webhooks';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { Injectable, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Hears, Text, WhatsAppModule } from './index.js';

// The webhook controller on Nest's Fastify platform: the signature is checked over the raw body
// Fastify keeps with `rawBody: true`, and the reply goes out through Fastify's reply object.
const sandbox = useSandbox();
const customer = '6281234567890';
const SECRET = 'kirem_webhook_secret';

let app: NestFastifyApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

@Injectable()
class OrderBot {
  @Hears(/^pesan \d+$/i)
  order(@Text() text: string) {
    return `Dicatat: ${text}`;
  }
}

async function bootOnFastify(): Promise<string> {
  @Module({
    imports: [
      WhatsAppModule.forRoot({
        provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
        webhook: { provider: 'kirem', secret: SECRET },
        webhookPath: 'whatsapp/webhook',
      }),
    ],
    providers: [OrderBot],
  })
  class AppModule {}
  const testing = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = testing.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    rawBody: true,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}/whatsapp/webhook`.replace('[::1]', '127.0.0.1');
  await sandbox.setWebhook('kirem', { url, secret: SECRET });
  return url;
}

describe('the webhook controller on Fastify', () => {
  it('checks the signature over the raw body and replies through the gateway', async () => {
    await bootOnFastify();
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'pesan 42' });
    const replies = () => sandbox.messages({ to: customer, direction: 'outbound' });
    await eventually(replies, (messages) => messages.length === 1);
    expect((await replies()).map((message) => message.text)).toEqual(['Dicatat: pesan 42']);
    const deliveries = await sandbox.deliveries({ provider: 'kirem' });
    expect(deliveries.filter((d) => d.kind === 'message').map((d) => d.status)).toEqual([200]);
  });

  it('answers 401 to a forged signature, with the JSON refusal', async () => {
    const url = await bootOnFastify();
    const raw = JSON.stringify({ event: 'message.received' });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-kirem-signature': computeSignature(raw, 'not-the-secret'),
      },
      body: raw,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: 'invalid_signature' });
  });
});
