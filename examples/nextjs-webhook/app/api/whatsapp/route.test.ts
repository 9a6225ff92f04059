import { computeSignature, type WebhookDelivery, type WebhookEvent } from '@kabar/core/webhooks';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';

vi.mock('../../../lib/whatsapp', () => ({ handleWhatsAppEvents: vi.fn() }));

const SECRET = 'meta_app_secret_for_tests';
const VERIFY_TOKEN = 'verify-token-kabar';
const URL_BASE = 'https://toko.example/api/whatsapp';

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

type Route = typeof import('./route');
let route: Route;
let onEvents: Mock<(events: WebhookEvent[], delivery: WebhookDelivery) => Promise<void>>;

beforeEach(async () => {
  vi.stubEnv('META_APP_SECRET', SECRET);
  vi.stubEnv('META_VERIFY_TOKEN', VERIFY_TOKEN);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  // A fresh module per test: a fresh handler, with its own memory of handled messages.
  vi.resetModules();
  route = await import('./route');
  onEvents = (await import('../../../lib/whatsapp')).handleWhatsAppEvents as typeof onEvents;
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(URL_BASE, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

function signed(body: string): Request {
  return post(body, { 'x-hub-signature-256': computeSignature(body, SECRET) });
}

describe('app/api/whatsapp/route.ts', () => {
  it('declares the Node.js runtime and no caching', () => {
    expect(route.runtime).toBe('nodejs');
    expect(route.dynamic).toBe('force-dynamic');
  });

  it('hands a signed Meta text message to onEvents after answering 200', async () => {
    const response = await route.POST(signed(metaTextWebhook()));
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
        content: { type: 'text', text: 'Halo, pesanan saya sudah dikirim?' },
        business: { phoneNumberId: '106540352242922' },
      },
    ]);
  });

  it('refuses a forged signature with 401, and no handler runs', async () => {
    const body = metaTextWebhook();
    const forged = await route.POST(
      post(body, { 'x-hub-signature-256': computeSignature(body, 'not-the-app-secret') }),
    );
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'invalid_signature' });
    const tampered = await route.POST(
      post(metaTextWebhook('Transfer ke rekening lain'), {
        'x-hub-signature-256': computeSignature(body, SECRET),
      }),
    );
    expect(tampered.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onEvents).not.toHaveBeenCalled();
  });

  it('answers 413 for a body past the 3 MiB cap', async () => {
    const body = metaTextWebhook('x'.repeat(3 * 1024 * 1024));
    const response = await route.POST(signed(body));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    expect(onEvents).not.toHaveBeenCalled();
  });

  it('answers a redelivery 200 without running the handler again', async () => {
    const body = metaTextWebhook();
    const first = await route.POST(signed(body));
    const replay = await route.POST(signed(body));
    expect([first.status, replay.status]).toEqual([200, 200]);
    await vi.waitFor(() => expect(onEvents).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onEvents).toHaveBeenCalledTimes(1);
  });

  it("answers Meta's GET handshake with the challenge, and 403 for a wrong token", async () => {
    const ok = await route.GET(
      new Request(
        `${URL_BASE}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
      ),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');

    const wrong = await route.GET(
      new Request(`${URL_BASE}?hub.mode=subscribe&hub.verify_token=guessed&hub.challenge=1`),
    );
    expect(wrong.status).toBe(403);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const body = 'hub.mode=subscribe';
    const response = await route.POST(
      post(body, {
        'content-type': 'application/x-www-form-urlencoded',
        'x-hub-signature-256': computeSignature(body, SECRET),
      }),
    );
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' });
    expect(onEvents).not.toHaveBeenCalled();
  });

  it('imports without secrets (as `next build` does) and refuses to answer without them', async () => {
    vi.unstubAllEnvs();
    vi.stubEnv('META_APP_SECRET', undefined);
    vi.resetModules();
    const bare: Route = await import('./route');
    await expect(bare.POST(signed(metaTextWebhook()))).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });
});
