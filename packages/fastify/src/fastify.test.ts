import { computeSignature } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';
import { describeWebhookAdapter } from '@kabar/sandbox/vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WhatsappWebhookOptions, whatsappWebhook } from './index.js';

const SECRET = 'meta_app_secret_for_tests';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app with the plugin at /webhook and a JSON route of its own at /orders. */
async function listen(options: WhatsappWebhookOptions) {
  const instance = Fastify();
  await instance.register(whatsappWebhook, { path: '/webhook', ...options });
  // Another route of the same app: Fastify's own JSON parsing must still apply to it.
  instance.post('/orders', async (request) => ({ parsed: request.body }));
  const address = await instance.listen({ port: 0, host: '127.0.0.1' });
  return { instance, address };
}

function post(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describeWebhookAdapter('whatsappWebhook (Fastify)', {
  async start(options) {
    const { instance, address } = await listen(options);
    return { url: `${address}/webhook`, close: () => instance.close() };
  },
  checkDelivery: (delivery) => expect(delivery).toEqual({ provider: 'meta' }),
});

describe('whatsappWebhook (Fastify)', () => {
  it("leaves the app's other routes on Fastify's JSON parser", async () => {
    const { instance, address } = await listen({
      provider: 'meta',
      secret: SECRET,
      onEvents: vi.fn(),
    });
    app = instance;
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
    const response = await post(`${address}/hooks/meta`, metaWebhookTextRawBody, {
      'x-hub-signature-256': computeSignature(metaWebhookTextRawBody, SECRET),
    });
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
