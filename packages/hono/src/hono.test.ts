import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { computeSignature } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';
import { describeWebhookAdapter } from '@kabar/sandbox/vitest';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { type WhatsappWebhookOptions, whatsappWebhook } from './index.js';

const SECRET = 'meta_app_secret_for_tests';

function webhookApp(options: WhatsappWebhookOptions) {
  const app = new Hono();
  app.on(['GET', 'POST'], '/webhook', whatsappWebhook(options));
  return app;
}

describeWebhookAdapter('whatsappWebhook (Hono on Node)', {
  /** Serves the app on Node over real HTTP. */
  async start(options) {
    const app = webhookApp(options);
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(listening),
      );
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/webhook`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
  checkDelivery: (delivery) => expect(delivery).toEqual({ provider: 'meta' }),
});

describe('whatsappWebhook (Hono)', () => {
  it("passes the handlers' work to executionCtx.waitUntil where the runtime has one", async () => {
    const onEvents = vi.fn();
    const app = webhookApp({ provider: 'meta', secret: SECRET, onEvents });
    const waitUntil = vi.fn<(promise: Promise<unknown>) => void>();
    const request = new Request('https://worker.example/webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': computeSignature(metaWebhookTextRawBody, SECRET),
      },
      body: metaWebhookTextRawBody,
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
      body: metaWebhookTextRawBody,
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'invalid_config' });
  });
});
