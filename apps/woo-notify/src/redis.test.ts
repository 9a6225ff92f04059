import { testRedis, testRedisCluster } from '@kabar/redis/testing';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planOrder } from './order.js';
import { connectRedis, keyPrefixOf, openRedisOutbox } from './redis-outbox.js';
import type { RunningService } from './service.js';
import {
  ADMIN_TOKEN,
  approveTemplate,
  deliver,
  type LogLine,
  startAgainst,
  testConfig,
  wooOrder,
} from './test-support.js';

const single = await testRedis('woo-notify redis outbox tests');
const cluster = await testRedisCluster('woo-notify redis outbox tests on Redis Cluster');
const firstNode = cluster.nodes[0] ?? { host: '127.0.0.1', port: 7000 };

// Every test runs on one Redis node and on a 3-master Redis Cluster (`outbox.cluster`).
const targets = [
  { name: 'one Redis node', runnable: single.runnable, url: single.url, cluster: false },
  {
    name: 'Redis Cluster',
    runnable: cluster.runnable,
    url: `redis://${firstNode.host}:${firstNode.port}`,
    cluster: true,
  },
];

describe.each(targets)('on $name', ({ runnable, url: REDIS_URL, cluster: isCluster }) => {
  const target = { url: REDIS_URL, cluster: isCluster };
  const sandbox = useSandbox();
  const PATIENT = { timeoutMs: 20_000, intervalMs: 50 };
  /** Every key matching `pattern`: on a Cluster, from each master. */
  async function keysOf(redis: ReturnType<typeof connectRedis>, pattern: string) {
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    return (await Promise.all(nodes.map((node) => node.keys(pattern)))).flat();
  }
  let prefix = '';
  let running: (RunningService & { logs: LogLine[] })[] = [];

  /** Two instances (A and B) sharing one Redis prefix, as behind a load balancer. */
  async function twoInstances(overrides: Record<string, unknown> = {}) {
    const outbox = { outbox: { kind: 'redis', url: REDIS_URL, prefix, cluster: isCluster } };
    const a = await startAgainst(sandbox, { ...overrides, ...outbox });
    const b = await startAgainst(sandbox, { ...overrides, ...outbox });
    running.push(a, b);
    return [a, b] as const;
  }

  function phoneOf(id: number) {
    return `0812${String(id).padStart(8, '0')}`;
  }

  async function drained(service: RunningService) {
    return eventually(
      async () => service.store.counts(),
      (c) => c.pending === 0 && c.sending === 0,
      PATIENT,
    );
  }

  async function perRecipient() {
    const messages = await sandbox.messages({ direction: 'outbound' });
    const counts = new Map<string, number>();
    for (const m of messages) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    return counts;
  }

  async function admin(service: RunningService, path: string, method = 'GET') {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  describe.runIf(runnable)('the redis outbox (several instances on one Redis)', () => {
    beforeEach(async () => {
      prefix = `woo-test:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`;
      await approveTemplate(sandbox);
    });
    afterEach(async () => {
      await Promise.all(running.map((service) => service.close()));
      running = [];
      const redis = connectRedis(target);
      const keys = await keysOf(redis, `${keyPrefixOf(target, prefix)}:*`);
      await Promise.all(keys.map((key) => redis.del(key)));
      redis.disconnect();
    });
    afterAll(() => {
      running = [];
    });

    it('sends one message when a webhook is redelivered to another instance, even after the job is cleaned up', async () => {
      const [a, b] = await twoInstances({ admin: { phone: '' } });
      const order = wooOrder({
        id: 2001,
        billing: { ...wooOrder().billing, phone: phoneOf(2001) },
      });
      const first = await deliver(a.url, order);
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ queued: 1, duplicates: 0 });
      await eventually(
        () => sandbox.messages({ direction: 'outbound' }),
        (m) => m.length >= 1,
        PATIENT,
      );
      await drained(a);
      // The finished BullMQ job is gone (removeOnComplete); the dedupe record in Redis is not.
      const second = await deliver(b.url, order);
      expect(second.status).toBe(200);
      expect(await second.json()).toMatchObject({ queued: 0, duplicates: 1 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(1);
      expect(await b.store.counts()).toMatchObject({ sent: 1, pending: 0, dead: 0 });
      const [row] = (await b.redisOutbox?.all()) ?? [];
      expect(row?.gateway_message_id).toBeTruthy();
    });

    it('sends exactly one message per order for 50 orders spread over both instances, each delivered twice', async () => {
      const [a, b] = await twoInstances({ admin: { phone: '' } });
      const ids = Array.from({ length: 50 }, (_, i) => 3000 + i);
      const responses = await Promise.all(
        ids.flatMap((id, i) => {
          const order = wooOrder({ id, billing: { ...wooOrder().billing, phone: phoneOf(id) } });
          // Each order to one instance, and its redelivery to the other one.
          const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
          return [deliver(first.url, order), deliver(second.url, order)];
        }),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      await eventually(perRecipient, (m) => m.size >= 50, PATIENT);
      await drained(a);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts = await perRecipient();
      expect(counts.size).toBe(50);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(await a.store.counts()).toMatchObject({ sent: 50, pending: 0, dead: 0 });
      // Every send is logged by exactly one of the two instances.
      const sentBy = (s: RunningService & { logs: LogLine[] }) =>
        s.logs.filter((l) => l.event === 'message_sent').length;
      expect(sentBy(a) + sentBy(b)).toBe(50);
    });

    it('loses nothing through a gateway outage (503) and recovery', async () => {
      const [a, b] = await twoInstances({ admin: { phone: '' } });
      await sandbox.fault({ provider: 'kirem', path: '/messages', status: 503, retryAfter: 0 });
      const ids = Array.from({ length: 20 }, (_, i) => 4000 + i);
      for (const [i, id] of ids.entries()) {
        const order = wooOrder({ id, billing: { ...wooOrder().billing, phone: phoneOf(id) } });
        expect((await deliver((i % 2 === 0 ? a : b).url, order)).status).toBe(200);
      }
      const retries = () =>
        [a, b].flatMap((s) => s.logs).filter((l) => l.event === 'message_retry').length;
      await eventually(
        async () => retries(),
        (n) => n >= 20,
        PATIENT,
      );
      expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
      await sandbox.clearFaults();
      await eventually(perRecipient, (m) => m.size >= 20, { timeoutMs: 30_000, intervalMs: 100 });
      await drained(a);
      const counts = await perRecipient();
      expect(counts.size).toBe(20);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(await b.store.counts()).toMatchObject({ sent: 20, dead: 0, pending: 0 });
    });

    it('dead-letters after max attempts; /admin/failed, replay and /admin/stats work on any instance; /readyz checks Redis', async () => {
      const [a, b] = await twoInstances({ admin: { phone: '' }, worker: { maxAttempts: 2 } });
      expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${a.url}/readyz`)).json()).toMatchObject({
        checks: { redis: true, worker: true },
      });
      // 503s that may have come after the gateway took the message: dead once its log shows not.
      await sandbox.fault({ provider: 'kirem', path: '/v1/messages', method: 'POST', status: 503 });
      for (const id of [5001, 5002]) {
        const order = wooOrder({ id, billing: { ...wooOrder().billing, phone: phoneOf(id) } });
        expect((await deliver(a.url, order)).status).toBe(200);
      }
      await eventually(
        async () => (await b.store.counts()).dead,
        (n) => n === 2,
        PATIENT,
      );
      const failed = await admin(b, '/admin/failed');
      const rows = failed.body.failed as { id: number; state: string; attempts: number }[];
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.state === 'dead' && r.attempts === 2)).toBe(true);
      expect((await admin(b, '/admin/stats')).body.outbox).toMatchObject({ dead: 2 });
      await sandbox.clearFaults();
      const one = await admin(a, `/admin/failed/${rows[0]?.id}/replay`, 'POST');
      expect(one.body).toMatchObject({ replayed: 1 });
      expect((await admin(b, `/admin/failed/${rows[0]?.id}/replay`, 'POST')).status).toBe(404);
      await eventually(perRecipient, (m) => m.size >= 1, PATIENT);
      expect((await admin(b, '/admin/failed/replay', 'POST')).body).toMatchObject({ replayed: 1 });
      await eventually(perRecipient, (m) => m.size >= 2, PATIENT);
      await drained(a);
      expect([...(await perRecipient()).values()]).toEqual([1, 1]);
      expect(await a.store.counts()).toMatchObject({ sent: 2, dead: 0 });
    });

    it('shares checkout consent through Redis: an opt-out taken by one instance skips marketing on the other', async () => {
      const [a, b] = await twoInstances({
        admin: { phone: '' },
        statuses: {
          completed: {
            text: 'Pesanan #{number} selesai. Kode HEMAT10 untuk Anda!',
            category: 'marketing',
          },
          refunded: { text: 'Dana pesanan #{number} telah dikembalikan.' },
        },
      });
      const id = 5101;
      const phone = `62${phoneOf(id).slice(1)}`;
      const consentKey = `kabar:consent:${phone}`;
      const redis = connectRedis(target);
      try {
        const billing = { ...wooOrder().billing, phone: phoneOf(id) };
        const optOut = { meta_data: [{ key: '_wa_optin', value: 'no' }] };
        expect(
          (await deliver(a.url, wooOrder({ id, billing, ...optOut, status: 'on-hold' }))).status,
        ).toBe(200);
        expect(await redis.get(consentKey)).toContain('opted_out');
        // The marketing status arrives at B without the field; the ledger A wrote decides.
        await deliver(b.url, wooOrder({ id, billing, status: 'completed' }), {
          topic: 'order.updated',
        });
        await deliver(b.url, wooOrder({ id, billing, status: 'refunded' }), {
          topic: 'order.updated',
        });
        await drained(a);
        const rows = (await b.store.failedPage(0, 100)).rows.map((r) => [
          r.status,
          r.state,
          r.last_error?.split(':')[0],
        ]);
        expect(rows).toEqual([['completed', 'skipped', 'opted_out']]);
        expect((await admin(a, '/admin/stats')).body.outbox).toMatchObject({ sent: 1, skipped: 1 });
        const texts = (await sandbox.messages({ to: phone, direction: 'outbound' })).map(
          (m) => m.text,
        );
        expect(texts).toEqual([expect.stringContaining('dikembalikan')]);
      } finally {
        await redis.del(consentKey);
        redis.disconnect();
      }
    });

    it('settles a send whose answer was lost from the gateway log: sent, with its id, once', async () => {
      const [a, b] = await twoInstances({ admin: { phone: '' }, gateway: { deduplicates: false } });
      await sandbox.fault({
        provider: 'kirem',
        path: '/v1/messages',
        method: 'POST',
        reset: true,
        when: 'after',
        times: 1,
      });
      const order = wooOrder({
        id: 7001,
        billing: { ...wooOrder().billing, phone: phoneOf(7001) },
      });
      expect((await deliver(a.url, order)).status).toBe(200);
      const [row] = await eventually(
        async () => (await b.redisOutbox?.all()) ?? [],
        (rows) => rows[0]?.state === 'sent',
        PATIENT,
      );
      const messages = await sandbox.messages({ direction: 'outbound' });
      expect(messages).toHaveLength(1);
      expect(row?.gateway_message_id).toBe(messages[0]?.id);
      const events = [a, b].flatMap((s) => s.logs.map((l) => l.event));
      expect(events).toEqual(expect.arrayContaining(['message_maybe_sent', 'message_reconciled']));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(1);
    });

    it('resends, on one instance only, a send the gateway never logged', async () => {
      const [a, b] = await twoInstances({ admin: { phone: '' }, gateway: { deduplicates: false } });
      await sandbox.fault({
        provider: 'kirem',
        path: '/v1/messages',
        method: 'POST',
        reset: true,
        when: 'before',
        times: 1,
      });
      const order = wooOrder({
        id: 7002,
        billing: { ...wooOrder().billing, phone: phoneOf(7002) },
      });
      expect((await deliver(b.url, order)).status).toBe(200);
      await eventually(
        async () => (await a.store.counts()).sent,
        (n) => n === 1,
        PATIENT,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(1);
      const requeued = [a, b]
        .flatMap((s) => s.logs)
        .filter((l) => l.event === 'message_reconciled' && l.verdict === 'requeued');
      expect(requeued).toHaveLength(1);
    });

    it('claims a row for one job only; the same job re-run after its instance died resumes or stops as maybe_sent', async () => {
      const outbox = openRedisOutbox(REDIS_URL, prefix, { maxAttempts: 3, cluster: isCluster });
      try {
        const plan = planOrder(wooOrder({ id: 6001 }), testConfig(sandbox));
        if (plan.kind !== 'jobs') throw new Error('expected jobs');
        expect(await outbox.enqueueGroups([plan.jobs])).toEqual([plan.jobs.length]);
        // On a Cluster every key of the outbox (and of its BullMQ queue) is under one hash tag.
        expect(outbox.redis instanceof Cluster).toBe(isCluster);
        expect(outbox.keyPrefix).toBe(isCluster ? `{${prefix}}` : prefix);
        expect(await outbox.redis.exists(`${outbox.keyPrefix}:rows`)).toBe(1);
        expect(await outbox.enqueueGroups([plan.jobs])).toEqual([0]);
        const key = plan.jobs[0]?.dedupeKey as string;
        expect((await outbox.claim(key, 'job-1', true)).result).toBe('claimed');
        expect((await outbox.claim(key, 'job-2', true)).result).toBe('skip');
        expect((await outbox.claim(key, 'job-1', false)).result).toBe('interrupted');
        const resumed = await outbox.claim(key, 'job-1', true);
        expect(resumed).toMatchObject({
          result: 'resumed',
          row: { state: 'sending', attempts: 2 },
        });
        // The first run's attempt may have reached the gateway: the reconciler will look from then.
        expect(resumed.row?.uncertain_since).toBeTypeOf('number');
        expect(resumed.row?.uncertain_until).toBe(resumed.row?.uncertain_since);
        expect(JSON.parse(resumed.row?.message ?? '{}')).toMatchObject({ idempotencyKey: key });
      } finally {
        await outbox.close();
      }
    });

    it('indexes what the reconciler reads, so a sweep reads those rows, not every row', async () => {
      const outbox = openRedisOutbox(REDIS_URL, prefix, { maxAttempts: 3, cluster: isCluster });
      try {
        const config = testConfig(sandbox, { admin: { phone: '' } });
        const jobs = [6101, 6102, 6103, 6104].flatMap((id) => {
          const order = wooOrder({ id, billing: { ...wooOrder().billing, phone: phoneOf(id) } });
          const plan = planOrder(order, config);
          return plan.kind === 'jobs' ? plan.jobs : [];
        });
        await outbox.enqueueGroups([jobs]);
        const [sent, maybe, retried, waiting] = jobs;
        if (!sent || !maybe || !retried || !waiting) throw new Error('expected four jobs');
        await outbox.claim(sent.dedupeKey, 'job-1', true);
        await outbox.update(sent.dedupeKey, { state: 'sent', gateway_message_id: 'wamid.A' });
        await outbox.claim(maybe.dedupeKey, 'job-2', true);
        await outbox.update(maybe.dedupeKey, { state: 'maybe_sent', uncertain_since: 1 });
        await outbox.claim(retried.dedupeKey, 'job-3', true);
        await outbox.update(retried.dedupeKey, { state: 'pending', uncertain_since: 2 });

        /** What the reconciler reads, from the indexes. */
        const read = async () => ({
          uncertain: (await outbox.uncertainRows()).map((row) => row.dedupe_key),
          ids: await Promise.all(jobs.map((job) => outbox.messageIdsTo(job.recipient))),
        });
        /** The same, from every row. */
        const scanned = async () => {
          const rows = await outbox.all();
          return {
            uncertain: rows
              .filter(
                (row) =>
                  row.state === 'maybe_sent' ||
                  row.state === 'sending' ||
                  (row.state === 'pending' && row.uncertain_since != null),
              )
              .map((row) => row.dedupe_key),
            ids: jobs.map((job) =>
              rows.flatMap((row) =>
                row.recipient === job.recipient && row.gateway_message_id
                  ? [row.gateway_message_id]
                  : [],
              ),
            ),
          };
        };
        expect(await read()).toEqual({
          uncertain: [maybe.dedupeKey, retried.dedupeKey],
          ids: [['wamid.A'], [], [], []],
        });
        const uncertain = await outbox.row(maybe.dedupeKey);
        if (!uncertain) throw new Error('expected the maybe_sent row');
        const verdict = {
          state: 'sent',
          gateway_message_id: 'wamid.B',
          uncertain_since: null,
        } as const;
        expect(await outbox.settle(uncertain, verdict)).toBe(true);
        expect(await read()).toEqual({
          uncertain: [retried.dedupeKey],
          ids: [['wamid.A'], ['wamid.B'], [], []],
        });
        expect(await read()).toEqual(await scanned());

        // Rows written by a version without these indexes are indexed once, at the next start.
        const p = outbox.keyPrefix;
        await outbox.redis.del(`${p}:uncertain`, `${p}:sent`, `${p}:indexed:2`);
        expect(await read()).toEqual({ uncertain: [], ids: [[], [], [], []] });
        expect(await outbox.index()).toBe(4);
        expect(await outbox.index()).toBe(0);
        expect(await read()).toEqual(await scanned());
        expect(await outbox.counts()).toMatchObject({ sent: 2, pending: 2, sending: 0 });
      } finally {
        await outbox.close();
      }
    });
  });
});
