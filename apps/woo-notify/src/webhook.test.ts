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
    expect(line).toMatchObject({ level: 'error', order: '903', phone: '****' });
    const failed = await fetch(`${service.url}/admin/failed`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json() as Promise<{ failed: { state: string; error: string }[] }>);
    expect(failed.failed).toHaveLength(1);
    expect(failed.failed[0]?.state).toBe('failed');
    expect(failed.failed[0]?.error).toContain('invalid_phone');
    expect(failed.failed[0]?.error).toContain('"12"');
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
    // Sends fail with a 503 that may have come after the gateway took them; its message log,
    // still up, shows they never did, so they are dead letters that a replay sends once.
    await sandbox.fault({ provider: 'kirem', path: '/v1/messages', method: 'POST', status: 503 });
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
    )) as {
      failed: { id: number; state: string; attempts: number; order: string; error: string }[];
    };
    expect(list.failed.map((f) => [f.order, f.state, f.attempts])).toEqual([
      ['1100', 'dead', 3],
      ['1101', 'dead', 3],
    ]);
    expect(list.failed.map((f) => f.error)).toEqual([
      expect.stringMatching(/^gave up after 3 attempts, never delivered/),
      expect.stringMatching(/^gave up after 3 attempts, never delivered/),
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

describe('deliveries woo-notify can never handle', () => {
  const billing = wooOrder().billing;

  it('answers 400 with a short JSON reason, never a 500 or a stack, and queues nothing', async () => {
    service = await startAgainst(sandbox);
    const bodies: [unknown, string][] = [
      [wooOrder({ total: 150000 }), 'total'],
      [wooOrder({ line_items: 'Kopi Gayo' }), 'line_items'],
      [wooOrder({ line_items: [null] }), 'line_items[0]'],
      [wooOrder({ line_items: [{ name: 'Kopi', quantity: 'dua' }] }), 'line_items[0].quantity'],
      [wooOrder({ billing: 'Budi' }), 'billing'],
      [wooOrder({ billing: { ...billing, first_name: 5 } }), 'billing.first_name'],
      [wooOrder({ shipping: [] }), 'shipping'],
      [wooOrder({ number: 727 }), 'number'],
      [wooOrder({ id: '727' }), 'id'],
      [[wooOrder()], 'order object'],
    ];
    for (const [body, field] of bodies) {
      const response = await deliver(svc().url, body);
      const text = await response.text();
      expect(response.status, field).toBe(400);
      expect(JSON.parse(text)).toEqual({ error: expect.stringContaining(field) });
      expect(text.length).toBeLessThan(200);
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    expect(service.outbox.all()).toHaveLength(0);
    expect(service.logs.filter((l) => l.event === 'http_error')).toEqual([]);
  });

  it('still notifies a well-formed order that lacks optional fields', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' } });
    const order = {
      id: 950,
      status: 'completed',
      number: null,
      total: null,
      billing: { phone: '0812-3456-7890', first_name: null },
      shipping: null,
      line_items: [{ quantity: 1 }],
    };
    expect((await deliver(service.url, order)).status).toBe(200);
    const [message] = await eventually(
      () => outbound(),
      (m) => m.length >= 1,
      PATIENT,
    );
    expect(message?.text).toBe(
      'Halo Pelanggan, pesanan #950 dari Toko Kabar sudah selesai dan dikirim:\n- Produk x1\nTotal: Rp 0. Terima kasih telah berbelanja!',
    );
  });

  it('notifies no one for statuses named like Object members', async () => {
    service = await startAgainst(sandbox);
    for (const status of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await deliver(svc().url, wooOrder({ id: 960, status }), {
        topic: 'order.updated',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true, ignored: 'unmapped_status' });
    }
    expect(service.outbox.all()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
  });

  it('sends a clean, shortened message for an order full of line breaks, controls and a 10,000-character product', async () => {
    service = await startAgainst(sandbox);
    const order = wooOrder({
      id: 970,
      billing: {
        ...billing,
        first_name: 'Budi\r\n\nPesanan dibatalkan',
        last_name: 'San\u202etoso\t\u2028\u0085',
      },
      line_items: [
        { name: `Kopi\nGayo ${'A'.repeat(10_000)}`, quantity: 2 },
        ...Array.from({ length: 200 }, (_, i) => ({ name: `Gula Aren ${i}`, quantity: 1 })),
      ],
    });
    expect((await deliver(service.url, order)).status).toBe(200);
    const [customer] = await eventually(
      () => outbound(),
      (m) => m.length >= 1,
      PATIENT,
    );
    // A template parameter with a new line or tab would have been refused by WhatsApp.
    expect(customer?.text).toContain('Halo Budi Pesanan dibatalkan Santoso, terima kasih');
    const [admin] = await eventually(
      () => outbound(ADMIN_PHONE),
      (m) => m.length >= 1,
      PATIENT,
    );
    const text = admin?.text ?? '';
    expect(Array.from(text).length).toBeLessThanOrEqual(4096);
    expect(text.split('\n')[1]).toMatch(/^- Kopi Gayo A+… x2$/);
    expect(text).toContain('- … dan 181 produk lainnya');
    expect(text.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u);
    expect(service.outbox.counts()).toMatchObject({ dead: 0 });
  });

  it('delivers a USD store’s order with HTML entities in names as the customer and the admin should read it', async () => {
    service = await startAgainst(sandbox);
    const order = wooOrder({
      id: 971,
      status: 'completed',
      currency: 'USD',
      total: '25.50',
      billing: { ...billing, first_name: 'Siti &amp; Budi', last_name: '' },
      line_items: [{ name: 'Kopi Gayo &#8211; 250g &quot;Arabika&quot;', quantity: 2 }],
    });
    expect((await deliver(service.url, order)).status).toBe(200);
    const [customer] = await eventually(
      () => outbound(),
      (m) => m.length >= 1,
      PATIENT,
    );
    expect(customer?.text).toBe(
      'Halo Siti & Budi, pesanan #971 dari Toko Kabar sudah selesai dan dikirim:\n- Kopi Gayo – 250g "Arabika" x2\nTotal: US$25,50. Terima kasih telah berbelanja!',
    );
    // A new order in the same store: the admin's summary in dollars too, the template's amount bare.
    await deliver(service.url, { ...order, id: 972, number: '972', status: 'processing' });
    const [admin] = await eventually(
      () => outbound(ADMIN_PHONE),
      (m) => m.length >= 1,
      PATIENT,
    );
    expect(admin?.text).toBe(
      `Pesanan baru #972 dari Siti & Budi (${CUSTOMER}):\n- Kopi Gayo – 250g "Arabika" x2\nTotal: US$25,50`,
    );
  });
});

describe('privacy', () => {
  it('masks phone numbers in every log line, also in gateway errors that quote one; the admin API keeps them', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' } });
    await sandbox.fault({
      provider: 'kirem',
      path: '/v1/messages',
      method: 'POST',
      status: 400,
      body: {
        status: 400,
        message: `Recipient ${CUSTOMER} is not a WhatsApp user`,
        errors: { to: `${CUSTOMER} is not registered` },
      },
    });
    const unusable = '021 1111 2222 3333 44';
    expect((await deliver(service.url, wooOrder({ id: 980 }))).status).toBe(200);
    const badPhone = { ...wooOrder().billing, phone: unusable };
    expect((await deliver(service.url, wooOrder({ id: 981, billing: badPhone }))).status).toBe(200);
    await eventually(
      async () => svc().outbox.counts().dead,
      (n) => n === 1,
      PATIENT,
    );
    const logs = JSON.stringify(service.logs);
    expect(service.logs.map((l) => l.event)).toEqual(
      expect.arrayContaining(['message_dead', 'order_phone_unusable']),
    );
    for (const number of [
      CUSTOMER,
      '081234567890',
      '0812-3456-7890',
      unusable,
      '0211111222233334',
    ]) {
      expect(logs).not.toContain(number);
    }
    expect(logs).toContain('62812****7890');
    const failed = await fetch(`${service.url}/admin/failed`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json() as Promise<{ failed: { error: string }[] }>);
    const errors = failed.failed.map((f) => f.error).join('\n');
    expect(errors).toContain(`Recipient ${CUSTOMER} is not a WhatsApp user`);
    expect(errors).toContain(unusable);
  });
});

interface AdminRow {
  id: number;
  state: string;
  order: string;
  recipient: string;
  error: string;
  review?: {
    startedAt: string | null;
    lastAttemptAt: string | null;
    idempotencyKey: string | null;
    evidence: string | null;
    checkedAt: string | null;
  };
}

async function adminFailed(s: RunningService): Promise<AdminRow[]> {
  const response = await fetch(`${s.url}/admin/failed`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { failed: AdminRow[] }).failed;
}

/** Answers lost after the gateway accepted the send (Kirem's message log still has it). */
const ANSWER_LOST = {
  provider: 'kirem',
  path: '/v1/messages',
  method: 'POST',
  reset: true,
  when: 'after',
} as const;

describe('reconciling sends that may have gone through', () => {
  it('a send whose answer was lost ends sent with the gateway message id: no person, no second message', async () => {
    service = await startAgainst(sandbox, {
      admin: { phone: '' },
      gateway: { deduplicates: false },
    });
    await sandbox.fault({ ...ANSWER_LOST, times: 1 });
    expect((await deliver(svc().url, wooOrder({ id: 1500 }))).status).toBe(200);
    const [row] = await eventually(
      async () => svc().outbox.all(),
      (rows) => rows[0]?.state === 'sent',
      PATIENT,
    );
    const messages = await outbound();
    expect(messages).toHaveLength(1);
    expect(row?.gateway_message_id).toBe(messages[0]?.id);
    expect(row?.evidence).toContain(`kirem log: ${messages[0]?.id}`);
    expect(svc().logs.map((l) => l.event)).toEqual(
      expect.arrayContaining(['message_maybe_sent', 'message_reconciled']),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await outbound()).toHaveLength(1);
  });

  it('a send the gateway never logged is sent once more, with the same Idempotency-Key', async () => {
    service = await startAgainst(sandbox, {
      admin: { phone: '' },
      gateway: { deduplicates: false },
    });
    await sandbox.fault({ ...ANSWER_LOST, when: 'before', times: 1 });
    expect((await deliver(svc().url, wooOrder({ id: 1510 }))).status).toBe(200);
    await eventually(
      async () => svc().outbox.counts().sent,
      (n) => n === 1,
      PATIENT,
    );
    const messages = await outbound();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.idempotencyKey).toBe(`woo:1510:processing:${CUSTOMER}`);
    const reconciled = svc().logs.find((l) => l.event === 'message_reconciled');
    expect(reconciled).toMatchObject({ verdict: 'requeued' });
    expect(svc().outbox.all()[0]).toMatchObject({ attempts: 2, uncertain_since: null });
  });

  it('on a deduplicating gateway, a message given up after lost answers is settled as sent, not dead', async () => {
    service = await startAgainst(sandbox, { admin: { phone: '' }, worker: { maxAttempts: 2 } });
    await sandbox.fault(ANSWER_LOST);
    expect((await deliver(svc().url, wooOrder({ id: 1520 }))).status).toBe(200);
    const [row] = await eventually(
      async () => svc().outbox.all(),
      (rows) => rows[0]?.state === 'sent',
      PATIENT,
    );
    expect(row).toMatchObject({ attempts: 2 });
    const messages = await outbound();
    expect(messages).toHaveLength(1);
    expect(row?.gateway_message_id).toBe(messages[0]?.id);
    expect(svc().logs.find((l) => l.event === 'message_maybe_sent')?.error).toContain('network');
    expect(svc().logs.some((l) => l.event === 'message_dead')).toBe(false);
  });

  it('settles several uncertain sends to one number together, or leaves them all to a person', async () => {
    // Only the admin number gets messages (the customers' numbers are unusable), one at a time.
    // Both sends must be uncertain at the first sweep: with a sweep every 100 ms, one could fall
    // between them on a busy machine, and the first would rightly be settled on its own.
    service = await startAgainst(sandbox, {
      gateway: { deduplicates: false },
      worker: { concurrency: 1 },
      reconcile: { intervalMs: 2000, settleMs: 300 },
    });
    const noPhone = { ...wooOrder().billing, phone: '12' };
    await sandbox.fault({ ...ANSWER_LOST, times: 1 });
    await sandbox.fault({ ...ANSWER_LOST, when: 'before', times: 1 });
    const answers = await Promise.all(
      [1530, 1531].map((id) => deliver(svc().url, wooOrder({ id, billing: noPhone }))),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const rows = await eventually(
      () => adminFailed(svc()),
      (found) => found.filter((r) => r.review?.evidence).length === 2,
      PATIENT,
    );
    // One of the two reached the admin; the log cannot say which order it was for.
    expect(await outbound(ADMIN_PHONE)).toHaveLength(1);
    for (const row of rows.filter((r) => r.state === 'maybe_sent')) {
      expect(row.review?.evidence).toBe(
        '1 of 2 uncertain sends to this number are in the kirem log, which cannot tell which order each was for',
      );
    }
    expect(rows.filter((r) => r.state === 'maybe_sent')).toHaveLength(2);
    expect(svc().logs.filter((l) => l.event === 'message_needs_review')).toHaveLength(2);
  });

  it('settles several uncertain sends to one number when the log has each of them', async () => {
    service = await startAgainst(sandbox, {
      gateway: { deduplicates: false },
      worker: { concurrency: 1 },
    });
    const noPhone = { ...wooOrder().billing, phone: '12' };
    await sandbox.fault({ ...ANSWER_LOST, times: 2 });
    for (const id of [1540, 1541]) {
      expect((await deliver(svc().url, wooOrder({ id, billing: noPhone }))).status).toBe(200);
    }
    await eventually(
      async () => svc().outbox.counts().sent,
      (n) => n === 2,
      PATIENT,
    );
    const ids = svc()
      .outbox.all()
      .map((r) => r.gateway_message_id)
      .filter(Boolean);
    const messages = await outbound(ADMIN_PHONE);
    expect(messages).toHaveLength(2);
    expect(new Set(ids)).toEqual(new Set(messages.map((m) => m.id)));
  });

  it('leaves the row maybe_sent with the reason, start time and key when the gateway will not show its log', async () => {
    service = await startAgainst(sandbox, {
      admin: { phone: '' },
      gateway: { deduplicates: false },
    });
    // Kirem's analytics API is not on every plan.
    await sandbox.fault({ provider: 'kirem', path: '/v1/analytics/messages', status: 403 });
    await sandbox.fault({ ...ANSWER_LOST, times: 1 });
    expect((await deliver(svc().url, wooOrder({ id: 1550 }))).status).toBe(200);
    const [row] = await eventually(
      () => adminFailed(svc()),
      (rows) => Boolean(rows[0]?.review?.evidence),
      PATIENT,
    );
    expect(row).toMatchObject({
      state: 'maybe_sent',
      recipient: CUSTOMER,
      review: {
        idempotencyKey: `woo:1550:processing:${CUSTOMER}`,
        evidence: expect.stringMatching(/^the kirem gateway would not show its records: forbidden/),
      },
    });
    expect(Date.parse(row?.review?.startedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    // Several sweeps later, still one review line, and nothing resent.
    await new Promise((r) => setTimeout(r, 500));
    expect(svc().logs.filter((l) => l.event === 'message_needs_review')).toHaveLength(1);
    expect(await outbound()).toHaveLength(1);
  });

  it('POST /admin/reconcile settles maybe_sent rows on demand', async () => {
    service = await startAgainst(sandbox, {
      admin: { phone: '' },
      gateway: { deduplicates: false },
      reconcile: { intervalMs: 0 },
    });
    await sandbox.fault({ ...ANSWER_LOST, times: 1 });
    expect((await deliver(svc().url, wooOrder({ id: 1560 }))).status).toBe(200);
    await eventually(
      async () => svc().outbox.counts().maybe_sent,
      (n) => n === 1,
      PATIENT,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(svc().outbox.counts().maybe_sent).toBe(1);
    const url = `${svc().url}/admin/reconcile`;
    expect((await fetch(url, { method: 'POST' })).status).toBe(401);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await response.json()).toMatchObject({
      ok: true,
      counts: { sent: 1, unknown: 0 },
      rows: [{ order: '1560', verdict: 'sent' }],
    });
    expect(svc().outbox.counts()).toMatchObject({ sent: 1, maybe_sent: 0 });
    expect(await outbound()).toHaveLength(1);
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
