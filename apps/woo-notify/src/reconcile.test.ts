import { rmSync } from 'node:fs';
import { createClient } from '@kabar/core';
import { meta } from '@kabar/core/meta';
import { useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDbPath } from './config.js';
import { createLogger } from './log.js';
import { planOrder } from './order.js';
import { readOrder } from './order-input.js';
import { type Outbox, openOutbox } from './outbox.js';
import { reconcileOnce } from './reconcile.js';
import { createGatewayClient } from './service.js';
import { type LogLine, testConfig, wooOrder } from './test-support.js';

const sandbox = useSandbox();
let outbox: Outbox | undefined;
let path = '';

afterEach(() => {
  outbox?.close();
  outbox = undefined;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
});

describe('reconciling on a gateway that keeps no queryable record (Meta)', () => {
  it('leaves the row maybe_sent, with the reason, the start time and the key for a person', async () => {
    path = tempDbPath('reconcile-meta');
    outbox = openOutbox(path);
    const input = readOrder(wooOrder({ id: 8001, status: 'completed' }));
    if (!input.ok) throw new Error(input.problem);
    const config = testConfig(sandbox, {
      admin: { phone: '' },
      reconcile: { intervalMs: 0, settleMs: 0 },
    });
    const plan = planOrder(input.order, config);
    if (plan.kind !== 'jobs') throw new Error('expected jobs');
    outbox.enqueue(plan.jobs);
    // A send cut off mid-way (kill -9) on a gateway that does not drop resends.
    const [claimed] = outbox.claim(1);
    outbox.close();
    outbox = openOutbox(path);
    expect(outbox.recover(false)).toEqual({ requeued: 0, maybeSent: 1 });

    const client = createClient({
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        baseUrl: sandbox.meta.baseUrl,
      }),
    });
    const logs: LogLine[] = [];
    const log = createLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine));
    const report = await reconcileOnce({ store: outbox, client, config, log });

    const evidence = 'the meta gateway keeps no record of sends that Kabar can query';
    expect(report).toEqual({
      counts: { sent: 0, failed: 0, requeued: 0, dead: 0, unknown: 1, deferred: 0 },
      rows: [{ id: claimed?.id, order: '8001', verdict: 'unknown', evidence }],
    });
    const [row] = outbox.failedPage(0, 100).rows;
    expect(row).toMatchObject({
      state: 'maybe_sent',
      evidence,
      uncertain_since: claimed?.attempt_started_at,
      last_error: 'interrupted while sending: may have been delivered',
    });
    expect(logs).toEqual([
      expect.objectContaining({
        event: 'message_needs_review',
        evidence,
        idempotencyKey: 'woo:8001:completed:62812****7890',
        startedAt: new Date(claimed?.attempt_started_at ?? 0).toISOString(),
      }),
    ]);
  });
});

describe('reconciling while another send to the same number is in flight', () => {
  it('waits: the in-flight message could be the log entry the uncertain one is matched with', async () => {
    path = tempDbPath('reconcile-in-flight');
    outbox = openOutbox(path);
    const config = testConfig(sandbox, {
      admin: { phone: '' },
      gateway: { deduplicates: false },
      reconcile: { intervalMs: 0, settleMs: 0 },
    });
    // Two orders of one customer, each announced with the same kind of message.
    for (const id of [8101, 8102]) {
      const input = readOrder(wooOrder({ id, status: 'completed' }));
      if (!input.ok) throw new Error(input.problem);
      const plan = planOrder(input.order, config);
      if (plan.kind !== 'jobs') throw new Error('expected jobs');
      outbox.enqueue(plan.jobs);
    }
    // The first send was cut off before it reached the gateway (kill -9): maybe_sent.
    outbox.claim(1);
    outbox.close();
    outbox = openOutbox(path);
    expect(outbox.recover(false)).toEqual({ requeued: 0, maybeSent: 1 });
    // The second, to the same number, is being sent right now: the gateway has logged it, and
    // the worker has not yet recorded its message id.
    const [inFlight] = outbox.claim(1);
    if (!inFlight?.message) throw new Error('expected a second row to send');
    const client = createGatewayClient(config);
    await client.send(JSON.parse(inFlight.message));

    const log = createLogger('debug', () => undefined);
    const report = await reconcileOnce({ store: outbox, client, config, log });
    // Matching the one log entry to the first row would mark an undelivered message as sent.
    expect(report.counts).toMatchObject({ sent: 0, deferred: 1 });
    expect(outbox.failedPage(0, 100).rows).toMatchObject([
      { state: 'maybe_sent', order_number: '8101' },
    ]);
  });
});
