import { readSamples, type Sample, sampleTotal } from '@kabar/prometheus';
import { testRedis } from '@kabar/redis/testing';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis } from './redis-outbox.js';
import type { RunningService } from './service.js';
import {
  ADMIN_TOKEN,
  approveTemplate,
  deliver,
  type LogLine,
  startAgainst,
  wooOrder,
} from './test-support.js';

const redis = await testRedis('woo-notify /metrics, request ids and pagination on Redis');
const PATIENT = { timeoutMs: 20_000, intervalMs: 50 };

/** GET /metrics, parsed as Prometheus reads it. */
async function scrape(service: RunningService): Promise<Sample[]> {
  const response = await fetch(`${service.url}/metrics`);
  expect(response.status).toBe(200);
  // Prometheus's text format, version 0.0.4.
  expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return readSamples(await response.text());
}

function phoneOf(id: number) {
  return `0812${String(id).padStart(8, '0')}`;
}

async function admin(service: RunningService, path: string) {
  const response = await fetch(`${service.url}${path}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const modes = [
  { mode: 'sqlite', runnable: true },
  { mode: 'redis', runnable: redis.runnable },
] as const;

describe.each(modes)('operating the service ($mode outbox)', ({ mode, runnable }) => {
  const sandbox = useSandbox();
  let prefix = '';
  let running: (RunningService & { logs: LogLine[] })[] = [];

  async function start(overrides: Record<string, unknown> = {}) {
    const outbox = mode === 'redis' ? { outbox: { kind: 'redis', url: redis.url, prefix } } : {};
    const service = await startAgainst(sandbox, { admin: { phone: '' }, ...overrides, ...outbox });
    running.push(service);
    return service;
  }

  async function drained(service: RunningService) {
    return eventually(
      async () => service.store.counts(),
      (c) => c.pending === 0 && c.sending === 0,
      PATIENT,
    );
  }

  beforeEach(async () => {
    prefix = `woo-ops:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`;
    await approveTemplate(sandbox);
  });
  afterEach(async () => {
    await Promise.all(running.map((service) => service.close()));
    running = [];
    if (mode === 'redis') {
      const client = connectRedis({ url: redis.url });
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    }
  });

  describe.runIf(runnable)(mode, () => {
    it('/metrics after a burst of orders: N accepted, M refused by reason, N sent, outbox empty, one latency sample per gateway request', async () => {
      const service = await start();
      const N = 12;
      const orders = Array.from({ length: N }, (_, i) =>
        wooOrder({ id: 8100 + i, billing: { ...wooOrder().billing, phone: phoneOf(8100 + i) } }),
      );
      const answers = await Promise.all([
        ...orders.map((order) => deliver(service.url, order)),
        deliver(service.url, orders[0], { secret: 'not-the-secret-at-all' }),
        deliver(service.url, orders[1], { signature: 'bm90IGEgc2lnbmF0dXJl' }),
        deliver(service.url, { ...orders[2], line_items: 'none' }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([...Array(N).fill(200), 401, 401, 400]);
      await eventually(
        () => sandbox.messages({ direction: 'outbound' }),
        (m) => m.length >= N,
        PATIENT,
      );
      await drained(service);
      // A redelivery of a notified order: accepted, nothing queued, nothing sent.
      expect((await deliver(service.url, orders[3])).status).toBe(200);

      const samples = await scrape(service);
      const deliveries = 'woo_notify_webhook_deliveries_total';
      expect(sampleTotal(samples, deliveries, { outcome: 'accepted', reason: 'queued' })).toBe(N);
      expect(sampleTotal(samples, deliveries, { outcome: 'accepted', reason: 'duplicate' })).toBe(
        1,
      );
      expect(
        sampleTotal(samples, deliveries, { outcome: 'refused', reason: 'bad_signature' }),
      ).toBe(2);
      expect(sampleTotal(samples, deliveries, { outcome: 'refused', reason: 'not_an_order' })).toBe(
        1,
      );
      expect(sampleTotal(samples, deliveries, { outcome: 'refused' })).toBe(3);
      expect(sampleTotal(samples, 'woo_notify_messages_sent_total')).toBe(N);
      expect(sampleTotal(samples, 'woo_notify_outbox_rows', { state: 'sent' })).toBe(N);
      for (const state of ['pending', 'sending', 'dead', 'maybe_sent', 'failed', 'skipped']) {
        expect(sampleTotal(samples, 'woo_notify_outbox_rows', { state })).toBe(0);
      }
      expect(sampleTotal(samples, 'woo_notify_outbox_oldest_pending_age_seconds')).toBe(0);
      expect(sampleTotal(samples, 'kabar_failures_total')).toBe(0);
      // Every gateway request the service made, and only those: the N sends.
      const requests = await sandbox.messages({ direction: 'outbound' });
      expect(requests).toHaveLength(N);
      const latency = 'kabar_gateway_request_duration_seconds_count';
      expect(sampleTotal(samples, latency)).toBe(N);
      expect(
        sampleTotal(samples, latency, {
          provider: 'kirem',
          operation: 'send',
          status_class: '2xx',
        }),
      ).toBe(N);
      expect(sampleTotal(samples, 'kabar_gateway_requests_total', { status_class: '2xx' })).toBe(N);
      // Node's own process metrics come along.
      expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
    });

    it('shows a gateway refusal: failures by Kabar error code and the age of the oldest pending row', async () => {
      const service = await start();
      // Retry-After: 60 keeps the row pending, not sending, while the metrics are read.
      await sandbox.fault({ provider: 'kirem', path: '/messages', status: 429, retryAfter: 60 });
      const order = wooOrder({
        id: 8200,
        billing: { ...wooOrder().billing, phone: phoneOf(8200) },
      });
      expect((await deliver(service.url, order)).status).toBe(200);
      await eventually(
        async () => service.logs.filter((l) => l.event === 'message_retry').length,
        (n) => n >= 1,
        PATIENT,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const samples = await scrape(service);
      expect(
        sampleTotal(samples, 'kabar_failures_total', { operation: 'send', code: 'rate_limited' }),
      ).toBe(1);
      expect(sampleTotal(samples, 'kabar_gateway_requests_total', { status_class: '4xx' })).toBe(1);
      expect(sampleTotal(samples, 'woo_notify_outbox_rows', { state: 'pending' })).toBe(1);
      const age = sampleTotal(samples, 'woo_notify_outbox_oldest_pending_age_seconds');
      expect(age).toBeGreaterThanOrEqual(0.3);
      expect(age).toBeLessThan(20);
      expect(sampleTotal(samples, 'woo_notify_messages_sent_total')).toBe(0);
    });

    it('keeps a valid X-Request-Id (else makes one), echoes it, and logs it on the request and the delivery it caused', async () => {
      const service = await start();
      const order = wooOrder({
        id: 8300,
        billing: { ...wooOrder().billing, phone: phoneOf(8300) },
      });
      const body = JSON.stringify(order);
      const { signWoo } = await import('./app.js');
      const { SECRET } = await import('./test-support.js');
      const post = (requestId?: string) =>
        fetch(`${service.url}/webhooks/woocommerce`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-wc-webhook-topic': 'order.created',
            'x-wc-webhook-signature': signWoo(body, SECRET),
            ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
          },
          body,
        });
      const given = 'lb-7f3a9c2e.0042';
      const first = await post(given);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-request-id')).toBe(given);
      const sent = await eventually(
        async () => service.logs.find((l) => l.event === 'message_sent'),
        (line) => line !== undefined,
        PATIENT,
      );
      expect(sent?.requestId).toBe(given);
      expect(service.logs.find((l) => l.event === 'order_accepted')?.requestId).toBe(given);

      // Ours: a UUID without dashes, which the log's phone masking never touches.
      const uuid = /^[0-9a-f]{32}$/;
      // Not kept: spaces, too long, not ASCII, or with a phone number in it (the log would mask it).
      for (const refused of ['two words', 'x'.repeat(129), 'a\u00e9b', 'req-0812-3456-7890']) {
        const answer = await post(refused);
        expect(answer.headers.get('x-request-id')).toMatch(uuid);
      }
      const none = await fetch(`${service.url}/healthz`);
      expect(none.headers.get('x-request-id')).toMatch(uuid);
      // The redeliveries above were duplicates: logged under their own ids, the row keeps the first.
      const accepted = service.logs.filter((l) => l.event === 'order_accepted');
      expect(accepted.map((l) => l.requestId)).toEqual([
        given,
        ...Array(4).fill(expect.stringMatching(uuid)),
      ]);
      expect(service.logs.filter((l) => l.event === 'message_sent')).toHaveLength(1);
    });

    it('pages through the failed rows with a cursor, more rows than one page', async () => {
      const service = await start();
      const bad = Array.from({ length: 25 }, (_, i) =>
        wooOrder({ id: 8400 + i, billing: { ...wooOrder().billing, phone: '12' } }),
      );
      const good = wooOrder({ id: 8499, billing: { ...wooOrder().billing, phone: phoneOf(8499) } });
      for (const order of [...bad.slice(0, 12), good, ...bad.slice(12)]) {
        expect((await deliver(service.url, order)).status).toBe(200);
      }
      await drained(service);
      const pages: {
        failed: { id: number; order: string; state: string }[];
        next: string | null;
      }[] = [];
      let cursor: string | null = '';
      // Bounded: a cursor that never moves on must fail the test, not hang it.
      while (cursor !== null && pages.length < 5) {
        const { status, body } = await admin(
          service,
          `/admin/failed?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(status).toBe(200);
        const page = body as (typeof pages)[number];
        pages.push(page);
        cursor = page.next;
      }
      expect(pages.map((p) => p.failed.length)).toEqual([10, 10, 5]);
      const rows = pages.flatMap((p) => p.failed);
      expect(rows.map((r) => r.order)).toEqual(bad.map((o) => String(o.id)));
      expect(rows.every((r) => r.state === 'failed')).toBe(true);
      const ids = rows.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      // Without a limit: the first 100.
      expect(((await admin(service, '/admin/failed')).body.failed as unknown[]).length).toBe(25);
      expect((await admin(service, '/admin/failed?limit=0')).status).toBe(400);
      expect((await admin(service, '/admin/failed?limit=1001')).status).toBe(400);
      expect((await admin(service, '/admin/failed?cursor=abc')).status).toBe(400);
      if (mode === 'redis') {
        // Read from the failed rows' index, not from every row.
        const client = connectRedis({ url: redis.url });
        expect(await client.zcard(`${prefix}:failed`)).toBe(25);
        expect(await client.hlen(`${prefix}:rows`)).toBe(26);
        client.disconnect();
      }
    });
  });
});

describe.runIf(redis.runnable)('the Redis outbox indexes', () => {
  const sandbox = useSandbox();
  const prefix = `woo-index:${process.pid}:${Date.now()}`;
  afterEach(async () => {
    const client = connectRedis({ url: redis.url });
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  it('are built once, at startup, for rows written before they existed', async () => {
    await approveTemplate(sandbox);
    const overrides = { admin: { phone: '' }, outbox: { kind: 'redis', url: redis.url, prefix } };
    const first = await startAgainst(sandbox, overrides);
    for (const [id, phone] of [
      [8501, phoneOf(8501)],
      [8502, phoneOf(8502)],
      [8503, '12'],
    ] as const) {
      const order = wooOrder({ id, billing: { ...wooOrder().billing, phone } });
      expect((await deliver(first.url, order)).status).toBe(200);
    }
    await eventually(
      async () => first.store.counts(),
      (c) => c.sent === 2,
      PATIENT,
    );
    await first.close();
    // As a version without the indexes left them.
    const client = connectRedis({ url: redis.url });
    await client.del(
      `${prefix}:counts`,
      `${prefix}:failed`,
      `${prefix}:pending`,
      `${prefix}:uncertain`,
      `${prefix}:sent`,
      `${prefix}:indexed:2`,
    );
    client.disconnect();

    const second = await startAgainst(sandbox, overrides);
    try {
      expect(second.logs.find((l) => l.event === 'outbox_indexed')).toMatchObject({ rows: 3 });
      expect(await second.store.counts()).toMatchObject({ sent: 2, failed: 1, pending: 0 });
      expect((await second.store.failedPage(0, 10)).rows.map((r) => r.order_number)).toEqual([
        '8503',
      ]);
      expect(await second.redisOutbox?.index()).toBe(0);
    } finally {
      await second.close();
    }
  });
});

describe('/metrics behind a token', () => {
  const sandbox = useSandbox();
  const token = 'prometheus-scrape-token-42';

  it('answers a scraper with the token, and 401 to anyone else, never logging what they sent', async () => {
    const service = await startAgainst(sandbox, { admin: { phone: '' }, metricsToken: token });
    try {
      const scrapeWith = (authorization?: string) =>
        fetch(`${service.url}/metrics`, authorization ? { headers: { authorization } } : {});
      const refused = await Promise.all([
        scrapeWith(),
        scrapeWith(`Bearer ${token}x`),
        scrapeWith(`Bearer ${ADMIN_TOKEN}`),
      ]);
      expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
      expect(await refused[0]?.json()).toEqual({
        error: 'metrics token required: Authorization: Bearer <token>',
      });
      const allowed = await scrapeWith(`Bearer ${token}`);
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('woo_notify_outbox_rows');
      expect(service.logs.filter((l) => l.event === 'unauthorized')).toEqual(
        Array(3).fill(expect.objectContaining({ path: '/metrics' })),
      );
      expect(JSON.stringify(service.logs)).not.toContain(token);
      expect(service.logs.map((l) => l.event)).not.toContain('metrics_open');
      // The admin API keeps its own token: the scraper's opens nothing there.
      const admin = await fetch(`${service.url}/admin/stats`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(admin.status).toBe(401);
    } finally {
      await service.close();
    }
  });

  it('warns at start when /metrics is open on an address other machines can reach', async () => {
    const open = await startAgainst(sandbox, { admin: { phone: '' }, host: '0.0.0.0' });
    const guarded = await startAgainst(sandbox, {
      admin: { phone: '' },
      host: '0.0.0.0',
      metricsToken: token,
    });
    try {
      expect(open.logs.find((l) => l.event === 'metrics_open')).toMatchObject({
        level: 'warn',
        hint: expect.stringContaining('WOO_NOTIFY_METRICS_TOKEN'),
      });
      expect(guarded.logs.map((l) => l.event)).not.toContain('metrics_open');
    } finally {
      await Promise.all([open.close(), guarded.close()]);
    }
  });
});
