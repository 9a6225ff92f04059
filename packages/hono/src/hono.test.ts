import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { computeSignature, type WebhookDelivery, type WebhookEvent } from '@kabar/core/webhooks';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WhatsappWebhookOptions, whatsappWebhook } from './index.js';

const SECRET = 'meta_app_secret_for_tests';
const VERIFY_TOKEN = 'verify-token-kabar';

/** A text message exactly as Meta's Cloud API posts it. */
function metaTextWebhook(text = 'Halo, pesanan saya sudah dikirim?'): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '6281100001234',
                phone_number_id: '106540352242922',
              },
              contacts: [{ profile: { name: 'Budi Santoso' }, wa_id: '6281234567890' }],
              messages: [
                {
                  from: '6281234567890',
                  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNUE3RjU2QjZDOEQ3RTBBAA==',
                  timestamp: '1767225600',
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

function webhookApp(options: Partial<WhatsappWebhookOptions> = {}) {
  const onEvents = vi.fn<(events: WebhookEvent[], delivery: WebhookDelivery) => void>();
  const logger = { warn: vi.fn(), error: vi.fn() };
  const app = new Hono();
  app.on(
    ['GET', 'POST'],
    '/webhook',
    whatsappWebhook({
      provider: 'meta',
      secret: SECRET,
      verifyToken: VERIFY_TOKEN,
      onEvents,
      logger,
      ...options,
    }),
  );
  return { app, onEvents, logger };
}

/** Serves the app on Node over real HTTP. */
async function start(options: Partial<WhatsappWebhookOptions> = {}) {
  const { app, onEvents, logger } = webhookApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening),
    );
  });
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhook`, onEvents, logger };
}

function post(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

function signed(url: string, body: string) {
  return post(url, body, { 'x-hub-signature-256': computeSignature(body, SECRET) });
}

describe('whatsappWebhook (Hono on Node)', () => {
  it('hands a signed Meta text message to onEvents after answering 200', async () => {
    const { url, onEvents } = await start();
    const response = await signed(url, metaTextWebhook());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ received: 1 });
    await vi.waitFor(() => expect(onEvents).toHaveBeenCalledTimes(1));
    const [events, delivery] = onEvents.mock.calls[0] ?? [];
    expect(delivery).toEqual({ provider: 'meta' });
    expect(events).toMatchObject([
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        name: 'Budi Santoso',
        id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNUE3RjU2QjZDOEQ3RTBBAA==',
        content: { type: 'text', text: 'Halo, pesanan saya sudah dikirim?' },
        business: { phoneNumberId: '106540352242922' },
      },
    ]);
  });

  it('refuses a forged signature with 401, and no handler runs', async () => {
    const { url, onEvents, logger } = await start();
    const body = metaTextWebhook();
    const response = await post(url, body, {
      'x-hub-signature-256': computeSignature(body, 'not-the-app-secret'),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_signature' });
    const unsigned = await post(url, body);
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onEvents).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('answers 413 past the body cap, declared or streamed', async () => {
    const { url, onEvents } = await start({ bodyLimit: 1024 });
    const body = metaTextWebhook('x'.repeat(2048));
    const declared = await signed(url, body);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });

    // Chunked, with no Content-Length: refused once the chunks pass the cap.
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 512) {
          controller.enqueue(bytes.subarray(offset, offset + 512));
        }
        controller.close();
      },
    });
    const streamed = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': computeSignature(body, SECRET),
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(onEvents).not.toHaveBeenCalled();
  });

  it('answers a redelivery 200 without running the handler again', async () => {
    const { url, onEvents } = await start();
    const body = metaTextWebhook();
    const first = await signed(url, body);
    const replay = await signed(url, body);
    expect([first.status, replay.status]).toEqual([200, 200]);
    await vi.waitFor(() => expect(onEvents).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onEvents).toHaveBeenCalledTimes(1);
  });

  it("answers Meta's GET handshake with the challenge, and 403 for a wrong token", async () => {
    const { url } = await start();
    const ok = await fetch(
      `${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');

    const wrong = await fetch(
      `${url}?hub.mode=subscribe&hub.verify_token=guessed&hub.challenge=1158201444`,
    );
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: 'verification_failed' });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { url, onEvents } = await start();
    const body = 'hub.mode=subscribe';
    const response = await post(url, body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-hub-signature-256': computeSignature(body, SECRET),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' });
    expect(onEvents).not.toHaveBeenCalled();
  });

  it("passes the handlers' work to executionCtx.waitUntil where the runtime has one", async () => {
    const { app, onEvents } = webhookApp();
    const waitUntil = vi.fn<(promise: Promise<unknown>) => void>();
    const body = metaTextWebhook();
    const request = new Request('https://worker.example/webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': computeSignature(body, SECRET),
      },
      body,
    });
    const response = await app.fetch(
      request,
      {},
      { waitUntil, passThroughOnException() {}, props: {} },
    );
    expect(response.status).toBe(200);
    expect(waitUntil).toHaveBeenCalledTimes(1);
    await waitUntil.mock.calls[0]?.[0];
    expect(onEvents).toHaveBeenCalledTimes(1);
  });

  it('says so when a middleware before it already read the body', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await c.req.json();
      await next();
    });
    app.post('/webhook', whatsappWebhook({ provider: 'meta', secret: SECRET, onEvents: vi.fn() }));
    app.onError((error, c) => c.json({ error: (error as { code?: string }).code }, 500));
    const response = await app.request('/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: metaTextWebhook(),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'invalid_config' });
  });
});
