import { computeSignature } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';
import { describeWebhookAdapter, type WebhookAdapterOptions } from '@kabar/sandbox/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../lib/whatsapp', () => ({ handleWhatsAppEvents: vi.fn() }));

type Route = typeof import('./route');

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/**
 * A fresh route module (a fresh handler, with its own memory of handled messages) reading the
 * secrets from the environment, its events going to `options.onEvents` and its console lines to
 * `options.logger`.
 */
async function loadRoute(options: WebhookAdapterOptions): Promise<Route> {
  vi.stubEnv('META_APP_SECRET', options.secret);
  vi.stubEnv('META_VERIFY_TOKEN', options.verifyToken);
  // The handler logs to the console: its default logger.
  vi.spyOn(console, 'warn').mockImplementation((message) => options.logger.warn(message));
  vi.spyOn(console, 'error').mockImplementation((message, error) =>
    options.logger.error(message, error),
  );
  vi.resetModules();
  const route = await import('./route');
  const { handleWhatsAppEvents } = await import('../../../lib/whatsapp');
  vi.mocked(handleWhatsAppEvents).mockImplementation(async (events, delivery) => {
    options.onEvents(events, delivery);
  });
  return route;
}

describeWebhookAdapter('app/api/whatsapp/route.ts', {
  async start(options) {
    const route = await loadRoute(options);
    return { fetch: (request) => (request.method === 'GET' ? route.GET : route.POST)(request) };
  },
  // The route takes no options: the handler's default cap applies.
  fixedBodyLimit: 3 * 1024 * 1024,
  checkDelivery: (delivery) => expect(delivery).toEqual({ provider: 'meta' }),
});

describe('app/api/whatsapp/route.ts', () => {
  it('declares the Node.js runtime and no caching', async () => {
    const route: Route = await import('./route');
    expect(route.runtime).toBe('nodejs');
    expect(route.dynamic).toBe('force-dynamic');
  });

  it('imports without secrets (as `next build` does) and refuses to answer without them', async () => {
    vi.stubEnv('META_APP_SECRET', undefined);
    vi.resetModules();
    const bare: Route = await import('./route');
    const request = new Request('https://toko.example/api/whatsapp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': computeSignature(
          metaWebhookTextRawBody,
          'meta_app_secret_for_tests',
        ),
      },
      body: metaWebhookTextRawBody,
    });
    await expect(bare.POST(request)).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
