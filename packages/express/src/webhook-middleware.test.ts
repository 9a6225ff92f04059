import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@kabar/core';
import { createBot } from '@kabar/core/bot';
import { waviro } from '@kabar/core/waviro';
import { computeSignature, verifyMetaHandshake, type WebhookEvent } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';
import { describeWebhookAdapter, eventually, useSandbox } from '@kabar/sandbox/vitest';
import express4 from 'express4';
import express5 from 'express5';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type WebhookMiddlewareDelivery,
  type WebhookMiddlewareOptions,
  webhookMiddleware,
} from './webhook-middleware.js';

const sandbox = useSandbox();
const META_SECRET = 'meta_app_secret';
const VERIFY_TOKEN = 'token-rahasia-verifikasi';
const WAVIRO_KEY = 'kunci-webhook-penawaran';
const customer = '6281234567890';
const quiet = { warn: () => undefined, error: () => undefined };

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(app: { listen: (port: number, host: string, cb: () => void) => Server }) {
  const started = await new Promise<Server>((resolve) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server = started;
  return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
}

async function post(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
  const text = await response.text();
  return { status: response.status, text, body: text.startsWith('{') ? JSON.parse(text) : text };
}

const metaSigned = (body: string, secret = META_SECRET) => ({
  'x-hub-signature-256': computeSignature(body, secret),
});

/** Lets the dispatch that follows an answer run, so "no call" means none is coming. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe.each([
  ['Express 4', express4],
  ['Express 5', express5],
])('webhookMiddleware on %s', (_name, express) => {
  type Call = { events: WebhookEvent[]; delivery: WebhookMiddlewareDelivery };

  /** An app with the middleware at /webhook, then express.json() as the README says. */
  async function app(options: Partial<WebhookMiddlewareOptions> = {}) {
    const calls: Call[] = [];
    const instance = express();
    instance.use(
      '/webhook',
      webhookMiddleware({
        provider: 'meta',
        secret: META_SECRET,
        verifyToken: VERIFY_TOKEN,
        logger: quiet,
        onEvents: (events, delivery) => {
          calls.push({ events, delivery });
        },
        ...options,
      }),
    );
    instance.use(express.json());
    instance.get('/webhook', (_req, res) => {
      res.send('next');
    });
    const base = await listen(instance);
    return { url: `${base}/webhook`, calls };
  }

  describeWebhookAdapter('Meta webhooks', {
    start: async (options) => ({ url: (await app(options)).url }),
    checkDelivery: (delivery) =>
      expect((delivery as WebhookMiddlewareDelivery).req.headers['x-hub-signature-256']).toMatch(
        /^sha256=/,
      ),
  });

  it('takes the gateway’s signed delivery and handshake, and skips its redelivery', async () => {
    const { url, calls } = await app();
    await sandbox.setWebhook('meta', { url, secret: META_SECRET });
    expect(await sandbox.verifyMetaWebhook(VERIFY_TOKEN)).toMatchObject({ verified: true });
    const { deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: customer,
      text: 'halo',
    });
    expect(deliveries.map((d) => [d.status, JSON.parse(d.responseBody)])).toEqual([
      [200, { received: 1 }],
    ]);
    await eventually(
      async () => calls,
      (c) => c.length > 0,
    );
    expect(calls[0]?.events).toEqual([
      expect.objectContaining({ from: customer, content: { type: 'text', text: 'halo' } }),
    ]);
    expect(calls[0]?.delivery.req.headers['x-hub-signature-256']).toMatch(/^sha256=/);

    const redelivered = await sandbox.redeliver(deliveries[0]?.id ?? '');
    expect(redelivered.status).toBe(200);
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('answers Meta’s handshake from req.query as Express parses it (ParsedQs)', async () => {
    const instance = express();
    instance.get('/handshake', (req, res) => {
      try {
        // req.query is ParsedQs: this line is also the type check.
        res.type('text/plain').send(verifyMetaHandshake(req.query, VERIFY_TOKEN));
      } catch {
        res.sendStatus(403);
      }
    });
    const base = await listen(instance);
    const handshake = (query: string) => fetch(`${base}/handshake?${query}`);
    const ok = await handshake(
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, '42']);
    // A nested parameter is an object in ParsedQs, never a token that matches.
    const nested = await handshake(
      `hub.mode=subscribe&hub.verify_token[a]=${VERIFY_TOKEN}&hub.challenge=42`,
    );
    expect(nested.status).toBe(403);
  });

  it('leaves GETs it does not answer, and other methods, to the next route', async () => {
    const { url } = await app({ provider: 'kirem', secret: 'kirem_webhook_secret' });
    const get = await fetch(`${url}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x`);
    expect([get.status, await get.text()]).toEqual([200, 'next']);
    const put = await fetch(url, { method: 'PUT' });
    expect(put.status).toBe(404); // Express's own answer: nothing else handles PUT
  });

  it('answers a Waviro keyword call with the replies the bot builds', async () => {
    const bot = createBot({
      client: createClient({ provider: waviro(sandbox.waviro) }),
    }).hears('penawaran#', (chat) => {
      const [name] = chat.event.content.type === 'keyword' ? chat.event.content.data : [];
      return chat.reply.text(`Halo ${name}, penawaran kami sudah dikirim.`);
    });
    const { url } = await app({
      provider: 'waviro',
      secret: WAVIRO_KEY,
      verifyToken: undefined,
      onEvents: (events, delivery) => bot.handle(events, delivery),
    });
    await sandbox.addWaviroKeyword({ keyword: 'penawaran#', url, webhookKey: WAVIRO_KEY });
    const { deliveries } = await sandbox.inbound({
      provider: 'waviro',
      from: customer,
      text: 'penawaran#Budi#budi@toko.id',
    });
    expect(deliveries.map((d) => [d.status, JSON.parse(d.responseBody)])).toEqual([
      [
        200,
        {
          success: true,
          message: {
            reply: [{ type: 'message', content: 'Halo Budi, penawaran kami sudah dikirim.' }],
          },
        },
      ],
    ]);
    // Waviro sends the answer's replies itself.
    expect((await sandbox.latest({ to: customer }))?.text).toBe(
      'Halo Budi, penawaran kami sudah dikirim.',
    );

    const wrongKey = JSON.stringify({
      keyword: 'penawaran#',
      data: [],
      webhookkey: 'not-the-webhook-key',
      from: customer,
    });
    expect((await post(url, wrongKey)).status).toBe(401);
  });

  it('says so clearly when express.json() ran first, and takes express.raw()’s bytes', async () => {
    const calls: WebhookEvent[][] = [];
    const options = {
      provider: 'meta' as const,
      secret: META_SECRET,
      logger: quiet,
      onEvents: (events: WebhookEvent[]) => {
        calls.push(events);
      },
    };
    const instance = express();
    instance.use('/raw', express.raw({ type: 'application/json' }), webhookMiddleware(options));
    instance.use(express.json());
    instance.use('/parsed', webhookMiddleware(options));
    const base = await listen(instance);

    const parsed = await post(
      `${base}/parsed`,
      metaWebhookTextRawBody,
      metaSigned(metaWebhookTextRawBody),
    );
    expect(parsed).toMatchObject({
      status: 500,
      body: { error: 'invalid_config', message: expect.stringMatching(/before express\.json\(\)/) },
    });
    const raw = await post(
      `${base}/raw`,
      metaWebhookTextRawBody,
      metaSigned(metaWebhookTextRawBody),
    );
    expect(raw).toMatchObject({ status: 200, body: { received: 1 } });
    await settle();
    expect(calls).toHaveLength(1);
  });
});
