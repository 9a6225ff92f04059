import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { createSandbox } from './index.js';
import { call, expectedSignature, useReceiver } from './test-helpers.js';
import { useSandbox } from './vitest.js';
import { type DeliveryRequest, WebhookDeliveries } from './webhook-delivery.js';

const sandbox = useSandbox();

const receiver = useReceiver(() => ({ status: 200, body: { ok: true } }));

/** A port nothing listens on: bound, then released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

describe('webhook configuration', () => {
  it('sets, lists and removes webhooks, with the default secrets', async () => {
    expect(await sandbox.webhooks()).toEqual([]);
    await sandbox.setWebhook('meta', { url: `${receiver.url}/m` });
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/k`, secret: 's3cret' });
    expect(await sandbox.webhooks()).toEqual([
      { provider: 'kirem', url: `${receiver.url}/k`, secret: 's3cret' },
      { provider: 'meta', url: `${receiver.url}/m`, secret: 'meta_app_secret' },
    ]);
    await sandbox.removeWebhook('kirem');
    expect((await sandbox.webhooks()).map((webhook) => webhook.provider)).toEqual(['meta']);
    await expect(sandbox.removeWebhook('kirem')).rejects.toThrow(/404/);
  });

  it('rejects other providers and URLs that are not http(s)', async () => {
    const put = (provider: string, json: unknown) =>
      call(`${sandbox.url}/api/v1/webhooks/${provider}`, { method: 'PUT', json });
    expect((await put('waviro', { url: receiver.url })).body.error).toMatch(/waviro\/keywords/);
    expect((await put('meta', { url: 'ftp://example.com' })).status).toBe(400);
    expect((await put('meta', { url: receiver.url, secret: '' })).status).toBe(400);
  });

  it('takes webhooks from the options and the CLI, and reset restores the options', async () => {
    const configured = await createSandbox({ webhooks: { meta: { url: receiver.url } } });
    try {
      await configured.removeWebhook('meta');
      await configured.reset();
      expect(await configured.webhooks()).toEqual([
        { provider: 'meta', url: receiver.url, secret: 'meta_app_secret' },
      ]);
    } finally {
      await configured.close();
    }
    await expect(createSandbox({ webhooks: { meta: { url: 'nope' } } })).rejects.toThrow(/url/);

    const command = parseCliArgs(['--webhook-url', 'kirem=http://localhost:3000/hooks/kirem'], {});
    expect(command).toMatchObject({
      options: { webhooks: { kirem: { url: 'http://localhost:3000/hooks/kirem' } } },
    });
    const fromEnv = parseCliArgs([], {
      KABAR_SANDBOX_WEBHOOK_URLS: 'meta=http://a.test/m,kirem=http://a.test/k',
    });
    expect(fromEnv).toMatchObject({
      options: {
        webhooks: { meta: { url: 'http://a.test/m' }, kirem: { url: 'http://a.test/k' } },
      },
    });
    expect(parseCliArgs(['--webhook-url', 'qirim=http://a.test'], {}).kind).toBe('error');
  });
});

describe('delivery log', () => {
  it('records every POST with headers, raw body, status and response', async () => {
    await sandbox.setWebhook('kirem', { url: receiver.url, secret: 'k' });
    await sandbox.inbound({ provider: 'kirem', from: '62812345678', text: 'Halo' });
    const [delivery] = await sandbox.deliveries();
    const raw = receiver.received[0]?.raw ?? Buffer.alloc(0);
    expect(delivery).toEqual({
      id: expect.any(String),
      provider: 'kirem',
      kind: 'message',
      url: receiver.url,
      headers: {
        'content-type': 'application/json',
        'x-kirem-signature': expectedSignature('k', raw),
      },
      body: raw.toString('utf8'),
      status: 200,
      responseBody: '{"ok":true}',
      durationMs: expect.any(Number),
      attempt: 1,
      at: expect.any(String),
    });
    expect(await sandbox.deliveries({ provider: 'meta' })).toEqual([]);
  });

  it('redelivers the same raw body and signature as a new attempt', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    const { deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      text: 'Ulang 🔁',
    });
    const first = deliveries[0];
    if (!first) throw new Error('no delivery');
    const second = await sandbox.redeliver(first.id);
    const third = await sandbox.redeliver(second.id);

    expect([second.attempt, third.attempt]).toEqual([2, 3]);
    expect(second.id).not.toBe(first.id);
    const [a, b, c] = receiver.received;
    expect(b?.raw.equals(a?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(c?.headers['x-hub-signature-256']).toBe(a?.headers['x-hub-signature-256']);
    expect((await sandbox.deliveries()).map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
    await expect(sandbox.redeliver('nope')).rejects.toThrow(/404/);
  });

  it('logs a receiver that answers 500, without retrying', async () => {
    receiver.respond = () => ({ status: 500, body: { error: 'boom' } });
    await sandbox.setWebhook('meta', { url: receiver.url });
    const { deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      text: 'a',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 500, responseBody: '{"error":"boom"}' });
    expect(await sandbox.deliveries()).toHaveLength(1);
  });

  it('logs a receiver that is down, and Kirem logs the failure too', async () => {
    const url = await closedPortUrl();
    await sandbox.setWebhook('kirem', { url });
    const { deliveries } = await sandbox.inbound({
      provider: 'kirem',
      from: '62812345678',
      text: 'a',
    });
    expect(deliveries[0]).toMatchObject({
      status: null,
      responseBody: '',
      error: expect.stringMatching(/ECONNREFUSED/),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sandbox.deliveries()).toHaveLength(1);
    const logs = await call(`${sandbox.kirem.baseUrl}/v1/analytics/webhooks?is_success=false`, {
      token: sandbox.kirem.apiKey,
    });
    expect(logs.body.data.logs[0]).toMatchObject({ url, status_code: 0, is_success: false });
  });

  it('reset clears the webhook configuration and the log', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    await sandbox.addWaviroKeyword({ keyword: 'promo#', url: receiver.url, webhookKey: 'k' });
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'a' });
    await sandbox.reset();
    expect(await sandbox.webhooks()).toEqual([]);
    expect(await sandbox.deliveries()).toEqual([]);
    const after = await sandbox.inbound({
      provider: 'waviro',
      from: '6281234567890',
      text: 'promo#x',
    });
    expect(after.deliveries).toEqual([]);
    expect(receiver.received).toHaveLength(1);
  });
});

describe("Meta's subscription handshake", () => {
  it('GETs the webhook URL with hub.* parameters and checks the echoed challenge', async () => {
    receiver.respond = (request) => {
      const query = new URL(request.path, 'http://x').searchParams;
      const ok = query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === 'vt';
      return ok
        ? { status: 200, body: query.get('hub.challenge') ?? '' }
        : { status: 403, body: '' };
    };
    await expect(sandbox.verifyMetaWebhook('vt')).rejects.toThrow(/404/);
    await sandbox.setWebhook('meta', { url: `${receiver.url}/meta` });

    const verified = await sandbox.verifyMetaWebhook('vt');
    expect(verified).toEqual({
      verified: true,
      url: expect.stringContaining('/meta?hub.mode=subscribe&hub.verify_token=vt&hub.challenge='),
      challenge: expect.stringMatching(/^\d{10}$/),
      status: 200,
      responseBody: verified.challenge,
    });
    expect(receiver.received[0]?.method).toBe('GET');
    expect(await sandbox.verifyMetaWebhook('wrong')).toMatchObject({
      verified: false,
      status: 403,
    });
    expect(await sandbox.deliveries()).toEqual([]);
  });
});

describe('automatic retries', () => {
  const request = (url: string): DeliveryRequest => ({
    provider: 'kirem',
    kind: 'message',
    url,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const LONG_DELAY = 60_000;
  const retryTimers = (spy: { mock: { calls: unknown[][]; results: { value: unknown }[] } }) =>
    spy.mock.calls.flatMap((args, index) =>
      args[1] === LONG_DELAY ? [spy.mock.results[index]?.value as NodeJS.Timeout] : [],
    );

  it('waits on timers that never keep the process alive, and schedules none once closed', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const deliveries = new WebhookDeliveries(10, () => undefined);
      const url = await closedPortUrl();
      const first = await deliveries.sendWithRetries(request(url), [LONG_DELAY]);
      expect(first).toMatchObject({ attempt: 1, status: null });
      const [timer] = retryTimers(spy);
      expect(timer?.hasRef()).toBe(false);

      deliveries.close();
      await deliveries.sendWithRetries(request(url), [LONG_DELAY]);
      expect(retryTimers(spy)).toHaveLength(1);
      expect(deliveries.list()).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('schedules no retry after a 2xx', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const deliveries = new WebhookDeliveries(10, () => undefined);
      const ok = await deliveries.sendWithRetries(request(receiver.url), [LONG_DELAY]);
      expect(ok.status).toBe(200);
      expect(retryTimers(spy)).toEqual([]);
      deliveries.close();
    } finally {
      spy.mockRestore();
    }
  });
});
