import { computeSignature, type WebhookDelivery, type WebhookEvent } from '@kabar/core/webhooks';
import Fastify, { type FastifyInstance } from 'fastify';
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

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(options: Partial<WhatsappWebhookOptions> = {}) {
  const onEvents = vi.fn<(events: WebhookEvent[], delivery: WebhookDelivery) => void>();
  const logger = { warn: vi.fn(), error: vi.fn() };
  app = Fastify();
  await app.register(whatsappWebhook, {
    path: '/webhook',
    provider: 'meta',
    secret: SECRET,
    verifyToken: VERIFY_TOKEN,
    onEvents,
    logger,
    ...options,
  });
  // Another route of the same app: Fastify's own JSON parsing must still apply to it.
  app.post('/orders', async (request) => ({ parsed: request.body }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}/webhook`, address, onEvents, logger };
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

describe('whatsappWebhook (Fastify)', () => {
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
    // A body tampered with after signing fails the same way.
    const tampered = await post(url, metaTextWebhook('Transfer ke rekening lain'), {
      'x-hub-signature-256': computeSignature(body, SECRET),
    });
    expect(tampered.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onEvents).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
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

  it("leaves the app's other routes on Fastify's JSON parser", async () => {
    const { address } = await start();
    const response = await post(`${address}/orders`, JSON.stringify({ sku: 'KOPI-250', qty: 2 }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ parsed: { sku: 'KOPI-250', qty: 2 } });
    // And Fastify, not the webhook handler, still refuses other types there.
    const xml = await post(`${address}/orders`, '<order/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(await xml.json()).toMatchObject({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
  });

  it('mounts under a register prefix, and close() waits for running handlers', async () => {
    let finish: () => void = () => undefined;
    const finished = vi.fn();
    app = Fastify();
    await app.register(whatsappWebhook, {
      prefix: '/hooks',
      path: '/meta',
      provider: 'meta',
      secret: SECRET,
      onEvents: () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished();
            resolve();
          };
        }),
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await signed(`${address}/hooks/meta`, metaTextWebhook());
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = app.close();
    app = undefined;
    setTimeout(() => finish(), 50);
    await closing;
    expect(finished).toHaveBeenCalledTimes(1);
  });

  it('fails to register with a missing secret', async () => {
    app = Fastify();
    await expect(
      app.register(whatsappWebhook, { provider: 'meta', secret: '', onEvents: () => undefined }),
    ).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
