import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningService } from './service.js';
import {
  ADMIN_PHONE,
  ADMIN_TOKEN,
  approveTemplate,
  deliver,
  type LogLine,
  startAgainst,
  wooOrder,
} from './test-support.js';

const sandbox = useSandbox();
const CUSTOMER = '6281234567890';
const PATIENT = { timeoutMs: 15_000, intervalMs: 50 };
let service: (RunningService & { logs: LogLine[] }) | undefined;

function svc() {
  if (!service) throw new Error('the service is not running');
  return service;
}

beforeEach(async () => {
  await approveTemplate(sandbox);
});
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const outbound = (to = CUSTOMER) => sandbox.messages({ to, direction: 'outbound' });
async function drained(s: RunningService) {
  return eventually(
    async () => s.outbox.counts(),
    (c) => c.pending === 0 && c.sending === 0,
    PATIENT,
  );
}

describe('POST /webhooks/woocommerce', () => {
  it('answers the creation ping (form-encoded webhook_id, no signature) with 200', async () => {
    service = await startAgainst(sandbox);
    const response = await fetch(`${service.url}/webhooks/woocommerce`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=7',
    });
    expect(response.status).toBe(200);
    expect(service.outbox.all()).toHaveLength(0);
  });

  it('sends notif_pesanan_baru to the customer and a summary to the admin for a new order', async () => {
    service = await startAgainst(sandbox);
    const response = await deliver(service.url, wooOrder());
    expect(response.status).toBe(200);
    const [message] = await eventually(
      () => outbound(),
      (m) => m.length >= 1,
      PATIENT,
    );
    expect(message?.template?.name).toBe('notif_pesanan_baru');
    expect(message?.text).toContain(
      'Halo Budi Santoso, terima kasih telah berbelanja di Toko Kabar!',
    );
    expect(message?.text).toContain('Pesanan #727 telah kami terima.');
    expect(message?.text).toContain('Total: Rp 150.000');
    expect(message?.idempotencyKey).toBe(`woo:727:processing:${CUSTOMER}`);
    const [admin] = await eventually(
      () => outbound(ADMIN_PHONE),
      (m) => m.length >= 1,
      PATIENT,
    );
    expect(admin?.text).toBe(
      `Pesanan baru #727 dari Budi Santoso (${CUSTOMER}):\n- Kopi Gayo 250g x2\n- Gula Aren 500g x1\nTotal: Rp 150.000`,
    );
  });

  it('refuses a wrong signature or none with 401 and queues nothing', async () => {
    service = await startAgainst(sandbox);
    const wrong = await deliver(service.url, wooOrder(), { secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    const missing = await fetch(`${service.url}/webhooks/woocommerce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created' },
      body: JSON.stringify(wooOrder()),
    });
    expect(missing.status).toBe(401);
    // A body changed after signing fails too: the HMAC covers the raw bytes.
    const tampered = await fetch(`${service.url}/webhooks/woocommerce`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': 'order.created',
        'x-wc-webhook-signature': (await import('./app.js')).signWoo(
          JSON.stringify(wooOrder()),
          'rahasia&toko"kabar',
        ),
      },
      body: JSON.stringify(wooOrder({ total: '1' })),
    });
    expect(tampered.status).toBe(401);
    expect(service.outbox.all()).toHaveLength(0);
    expect(service.logs.filter((l) => l.event === 'webhook_bad_signature')).toHaveLength(3);
  });

  it('sends one message however often the same delivery arrives', async () => {
    service = await startAgainst(sandbox);
    const order = wooOrder();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        deliver(svc().url, order, { topic: i === 0 ? 'order.created' : 'order.updated' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    await drained(service);
    await new Promise((r) => setTimeout(r, 200));
    expect(await outbound()).toHaveLength(1);
    expect(await outbound(ADMIN_PHONE)).toHaveLength(1);
    expect(service.outbox.all()).toHaveLength(2);
  });

  it('sends the configured message for every mapped status, once each, ignoring order.updated repeats', async () => {
    service = await startAgainst(sandbox);
    const statuses = ['processing', 'on-hold', 'completed', 'cancelled', 'refunded'];
    for (const status of statuses) {
      for (const topic of ['order.updated', 'order.updated']) {
        expect((await deliver(service.url, wooOrder({ id: 900, status }), { topic })).status).toBe(
          200,
        );
      }
    }
    const messages = await eventually(
      () => outbound(),
      (m) => m.length >= 5,
      PATIENT,
    );
    await drained(service);
    const texts = (await outbound()).reverse().map((m) => m.text);
    expect(texts).toHaveLength(5);
    expect(texts[0]).toContain('Pesanan #900 telah kami terima.');
    expect(texts[1]).toBe(
      'Halo Budi Santoso, pesanan #900 di Toko Kabar menunggu pembayaran sebesar Rp 150.000. Terima kasih!',
    );
    expect(texts[2]).toBe(
      'Halo Budi Santoso, pesanan #900 dari Toko Kabar sudah selesai dan dikirim:\n- Kopi Gayo 250g x2\n- Gula Aren 500g x1\nTotal: Rp 150.000. Terima kasih telah berbelanja!',
    );
    expect(texts[3]).toContain('telah dibatalkan');
    expect(texts[4]).toContain('sebesar Rp 150.000 telah dikembalikan');
    expect(messages.length).toBeGreaterThanOrEqual(5);
    // Only the new order (processing) reaches the admin.
    expect(await outbound(ADMIN_PHONE)).toHaveLength(1);
  });

  it('ignores checkout-draft, unmapped statuses and other topics', async () => {
    service = await startAgainst(sandbox);
    for (const [status, topic] of [
      ['checkout-draft', 'order.created'],
      ['checkout-draft', 'order.updated'],
      ['pending', 'order.updated'],
      ['failed', 'order.updated'],
      ['processing', 'order.deleted'],
      ['processing', 'product.updated'],
    ] as const) {
      const response = await deliver(service.url, wooOrder({ id: 901, status }), { topic });
      expect(response.status).toBe(200);
    }
    expect(service.outbox.all()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
    expect(service.logs.filter((l) => l.event === 'order_ignored').map((l) => l.reason)).toEqual([
      'checkout-draft',
      'checkout-draft',
      'unmapped_status',
      'unmapped_status',
    ]);
  });

  it('uses the shipping phone when billing has none, normalised with the billing country', async () => {
    service = await startAgainst(sandbox);
    const order = wooOrder({
      id: 902,
      billing: { ...wooOrder().billing, phone: '', country: 'MY' },
      shipping: { ...wooOrder().shipping, phone: '012-345 6789' },
    });
    expect((await deliver(service.url, order)).status).toBe(200);
    const messages = await eventually(
      () => outbound('60123456789'),
      (m) => m.length >= 1,
      PATIENT,
    );
    expect(messages).toHaveLength(1);
  });

  it('records an unusable phone number as a failure with a clear log line, and still tells the admin', async () => {
    service = await startAgainst(sandbox);
    const order = wooOrder({ id: 903, billing: { ...wooOrder().billing, phone: '12' } });
    expect((await deliver(service.url, order)).status).toBe(200);
    const line = service.logs.find((l) => l.event === 'order_phone_unusable');
    expect(line).toMatchObject({ level: 'error', order: '903', phone: '12' });
    const failed = await fetch(`${service.url}/admin/failed`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json() as Promise<{ failed: { state: string; error: string }[] }>);
    expect(failed.failed).toHaveLength(1);
    expect(failed.failed[0]?.state).toBe('failed');
    expect(failed.failed[0]?.error).toContain('invalid_phone');
    await eventually(
      () => outbound(ADMIN_PHONE),
      (m) => m.length >= 1,
      PATIENT,
    );
  });
});

describe('the outbox under gateway failures', () => {
  it('keeps acknowledging orders during an outage and sends each exactly once after it', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' } });
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 503, retryAfter: 0 });
    const ids = Array.from({ length: 20 }, (_, i) => 1000 + i);
    for (const id of ids) {
      const order = wooOrder({ id, billing: { ...wooOrder().billing, phone: `0812000${id}` } });
      expect((await deliver(service.url, order)).status).toBe(200);
    }
    await eventually(
      async () => svc().logs.filter((l) => l.event === 'message_retry').length,
      (n) => n >= 20,
      PATIENT,
    );
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
    await sandbox.clearFaults();
    await eventually(
      () => sandbox.messages({ direction: 'outbound' }),
      (m) => m.length >= 20,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await drained(service);
    const messages = await sandbox.messages({ direction: 'outbound' });
    const perOrder = new Map<string, number>();
    for (const m of messages) perOrder.set(m.to, (perOrder.get(m.to) ?? 0) + 1);
    expect(perOrder.size).toBe(20);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
    expect(service.outbox.counts()).toMatchObject({ sent: 20, dead: 0, pending: 0 });
  });

  it('moves a message to the dead letters after max attempts; the admin API lists and replays it', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' }, worker: { maxAttempts: 3 } });
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 503 });
    expect((await deliver(service.url, wooOrder({ id: 1100 }))).status).toBe(200);
    expect(
      (
        await deliver(
          service.url,
          wooOrder({ id: 1101, billing: { ...wooOrder().billing, phone: '081299998888' } }),
        )
      ).status,
    ).toBe(200);
    await eventually(
      async () => svc().outbox.counts().dead,
      (n) => n === 2,
      PATIENT,
    );

    const unauthorized = await fetch(`${service.url}/admin/failed`);
    expect(unauthorized.status).toBe(401);
    const wrongToken = await fetch(`${service.url}/admin/failed`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrongToken.status).toBe(401);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = (await fetch(`${service.url}/admin/failed`, { headers: auth }).then((r) =>
      r.json(),
    )) as { failed: { id: number; state: string; attempts: number; order: string }[] };
    expect(list.failed.map((f) => [f.order, f.state, f.attempts])).toEqual([
      ['1100', 'dead', 3],
      ['1101', 'dead', 3],
    ]);
    await sandbox.clearFaults();
    expect((await fetch(`${service.url}/admin/failed/1/replay`, { method: 'POST' })).status).toBe(
      401,
    );
    const one = await fetch(`${service.url}/admin/failed/${list.failed[0]?.id}/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(one.status).toBe(200);
    await eventually(
      () => outbound(),
      (m) => m.length >= 1,
      PATIENT,
    );
    const all = await fetch(`${service.url}/admin/failed/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(await all.json()).toMatchObject({ replayed: 1 });
    await eventually(
      () => outbound('6281299998888'),
      (m) => m.length >= 1,
      PATIENT,
    );
    await drained(service);
    expect(await outbound()).toHaveLength(1);
    expect(service.outbox.counts()).toMatchObject({ sent: 2, dead: 0 });
    const missing = await fetch(`${service.url}/admin/failed/99999/replay`, {
      method: 'POST',
      headers: auth,
    });
    expect(missing.status).toBe(404);
  });

  it('a permanent gateway error (template not approved) goes to the dead letters without retrying', async () => {
    await sandbox.setTemplateStatus('kirem', 'notif_pesanan_baru', 'PAUSED');
    service = await startAgainst(sandbox, { admin: { phone: '' } });
    expect((await deliver(service.url, wooOrder({ id: 1200 }))).status).toBe(200);
    await eventually(
      async () => svc().outbox.counts().dead,
      (n) => n === 1,
      PATIENT,
    );
    expect(service.outbox.all()[0]?.attempts).toBe(1);
  });
});

describe('a gateway that does not deduplicate', () => {
  it('never resends a send that may have gone through; it lists it as maybe_sent for the admin', async () => {
    service = await startAgainst(sandbox, {
      admin: { phone: '' },
      gateway: { deduplicates: false },
    });
    // The gateway takes the message, then the answer is lost (a 500 after processing).
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 500,
      when: 'after',
      times: 1,
    });
    expect((await deliver(svc().url, wooOrder({ id: 1500 }))).status).toBe(200);
    await eventually(
      async () => svc().outbox.counts().maybe_sent,
      (n) => n === 1,
      PATIENT,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await outbound()).toHaveLength(1);
    const list = (await fetch(`${svc().url}/admin/failed`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json())) as { failed: { state: string; attempts: number }[] };
    expect(list.failed).toMatchObject([{ state: 'maybe_sent', attempts: 1 }]);
  });
});

describe('operations', () => {
  it('serves /healthz and /readyz', async () => {
    service = await startAgainst(sandbox);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ok: true,
      checks: { database: true, worker: true },
    });
  });

  it('logs one JSON object per event and never the secrets', async () => {
    service = await startAgainst(sandbox);
    await deliver(service.url, wooOrder({ id: 1300 }));
    await deliver(service.url, wooOrder({ id: 1301 }), { secret: 'bad' });
    await fetch(`${service.url}/admin/failed`, { headers: { authorization: 'Bearer wrong' } });
    await eventually(
      () => outbound(),
      (m) => m.length >= 1,
      PATIENT,
    );
    await drained(service);
    const text = JSON.stringify(service.logs);
    for (const secret of ['rahasia', ADMIN_TOKEN, sandbox.kirem.apiKey]) {
      expect(text).not.toContain(secret);
    }
    expect(
      service.logs.every((l) => typeof l.event === 'string' && typeof l.level === 'string'),
    ).toBe(true);
  });

  it('on shutdown stops accepting, finishes the in-flight send and closes the database', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' } });
    await sandbox.fault({ provider: 'kirem', path: '/messages', latencyMs: 1500, times: 1 });
    expect((await deliver(service.url, wooOrder({ id: 1400 }))).status).toBe(200);
    await eventually(
      async () => svc().worker.inFlight,
      (n) => n === 1,
      PATIENT,
    );
    const closing = service.close();
    const refused = await deliver(service.url, wooOrder({ id: 1401 })).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(refused).toBe('refused');
    await closing;
    expect(service.outbox.open).toBe(false);
    const messages = await outbound();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain('#1400');
    service = undefined;
  });
});
