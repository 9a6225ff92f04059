import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, createConversationTracker, type OutgoingMessage } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { meta as metaCloud } from '@kabar/core/meta';
import type { SandboxMessage } from '@kabar/sandbox';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BroadcastQueue,
  type BroadcastQueueConnection,
  type BroadcastQueueResult,
  type BroadcastQueueRow,
  createBroadcastQueue,
} from './broadcast-queue/index.js';
import { bullPrefixFor, hashTagOf } from './broadcast-queue/keys.js';
import { fixedWindowsFor } from './broadcast-queue/limit.js';
import { redisConsentStore } from './consent-store.js';
import type { RedisClient } from './script.js';
import { testRedis, testRedisCluster } from './testing.js';
import { redisWindowStore } from './window-store.js';

// The worker script is TypeScript; vite-node (vitest's own runner) runs it in a plain child process.
const testFile = fileURLToPath(import.meta.url);
const vitestPackage = createRequire(testFile).resolve('vitest/package.json');
const viteNode = createRequire(vitestPackage).resolve('vite-node/vite-node.mjs');
const workerScript = join(dirname(testFile), 'broadcast-queue.worker-fixture.ts');
// A test package that runs this suite on other majors of ioredis and BullMQ (see
// packages/redis-ioredis5-test) names the Vite config whose aliases the workers must load too.
const workerConfig = process.env.KABAR_REDIS_WORKER_VITE_CONFIG;
const workerArgs = [...(workerConfig ? ['--config', workerConfig] : []), workerScript];

const single = await testRedis('@kabar/redis broadcast queue tests');
const cluster = await testRedisCluster('@kabar/redis broadcast queue tests on Redis Cluster');

/** Where a suite runs: one Redis node, or a 3-master Redis Cluster. */
interface Target {
  name: string;
  runnable: boolean;
  /** A client of the target, for the test's own reads and as an application's shared client. */
  connect(): RedisClient;
  /**
   * What a test queue is given: the URL on one node (the queue opens and closes its own
   * connection), a `Cluster` on the cluster (closed after the test, the queue keeps it open).
   */
  connection(): BroadcastQueueConnection;
  /** How a worker process reaches the target (broadcast-queue.worker-fixture.ts). */
  env: Record<string, string>;
  /** Every run gets its own BullMQ prefix per target, and every test its own queue under it. */
  prefix: string;
}

const sandbox = useSandbox();
const runId = `${process.pid}-${Date.now()}`;
const clusterNodes = cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',');
/** Cluster clients the tests opened; closed after each test, once its queues are. */
const openClients = new Set<RedisClient>();
const opened = <T extends RedisClient>(client: T): T => {
  openClients.add(client);
  return client;
};

// Every suite of the queue runs twice: on one Redis node and on a 3-master Redis Cluster.
const targets: Target[] = [
  {
    name: 'one Redis node',
    runnable: single.runnable,
    connect: () => new Redis(single.url),
    connection: () => single.url,
    env: { BQ_REDIS_URL: single.url, BQ_CLUSTER_NODES: '' },
    prefix: `kabar-test-bq-${runId}`,
  },
  {
    name: 'Redis Cluster',
    runnable: cluster.runnable,
    connect: () => new Cluster(cluster.nodes),
    connection: () => opened(new Cluster(cluster.nodes)),
    env: { BQ_REDIS_URL: '', BQ_CLUSTER_NODES: clusterNodes },
    prefix: `kabar-test-bq-${runId}-c`,
  },
];

let queueCount = 0;
const queues: BroadcastQueue[] = [];
const children = new Set<ChildProcess>();

function newQueueOn(
  target: Target,
  options: {
    attempts?: number;
    backoffMs?: number;
    connection?: BroadcastQueueConnection;
    prefix?: string;
  } = {},
): BroadcastQueue {
  const { connection = target.connection(), ...rest } = options;
  const queue = createBroadcastQueue({
    connection,
    name: `q${++queueCount}`,
    prefix: target.prefix,
    ...rest,
  });
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  const clients = [...openClients];
  openClients.clear();
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
});

/** Every key matching `pattern`: on a Cluster, from each master (known once it is ready). */
async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  if (client instanceof Cluster && client.status !== 'ready') {
    await new Promise((resolve) => client.once('ready', resolve));
  }
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

interface WorkerProcess {
  child: ChildProcess;
  active: string[];
  completed: string[];
  failed: string[];
}

interface WorkerSettings {
  gateway: 'kirem' | 'meta';
  queue: BroadcastQueue;
  limitMax?: number;
  limitMs?: number;
  limitJitterMs?: number;
  concurrency?: number;
  /** Unset: the queue's defaults. */
  lockMs?: number;
  stalledMs?: number;
  maxStalled?: number;
}

/** Forks `count` worker processes and resolves once every one is connected and working. */
async function startWorkersOn(
  target: Target,
  count: number,
  settings: WorkerSettings,
): Promise<WorkerProcess[]> {
  const env = {
    ...process.env,
    ...target.env,
    BQ_GATEWAY: settings.gateway,
    BQ_QUEUE_NAME: settings.queue.name,
    BQ_QUEUE_PREFIX: target.prefix,
    BQ_LIMIT_MAX: String(settings.limitMax ?? 1000),
    BQ_LIMIT_MS: String(settings.limitMs ?? 1000),
    BQ_LIMIT_JITTER_MS: settings.limitJitterMs === undefined ? '' : String(settings.limitJitterMs),
    BQ_CONCURRENCY: String(settings.concurrency ?? 8),
    BQ_LOCK_MS: settings.lockMs === undefined ? '' : String(settings.lockMs),
    BQ_STALLED_MS: settings.stalledMs === undefined ? '' : String(settings.stalledMs),
    BQ_MAX_STALLED: settings.maxStalled === undefined ? '' : String(settings.maxStalled),
    BQ_KIREM_KEY: sandbox.kirem.apiKey,
    BQ_KIREM_BASE_URL: sandbox.kirem.baseUrl,
    BQ_META_TOKEN: sandbox.meta.accessToken,
    BQ_META_PHONE_NUMBER_ID: sandbox.meta.phoneNumberId,
    BQ_META_BASE_URL: sandbox.meta.baseUrl,
  };
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = fork(viteNode, workerArgs, { env, stdio: 'inherit' });
      children.add(child);
      const worker: WorkerProcess = { child, active: [], completed: [], failed: [] };
      return new Promise<WorkerProcess>((resolve, reject) => {
        child.on('message', (message: { type: string; jobId: string }) => {
          if (message.type === 'ready') resolve(worker);
          else if (message.type === 'active') worker.active.push(message.jobId);
          else if (message.type === 'completed') worker.completed.push(message.jobId);
          else if (message.type === 'failed') worker.failed.push(message.jobId);
        });
        child.once('exit', (code, signal) =>
          reject(new Error(`worker process exited before it was ready (${code ?? signal})`)),
        );
      });
    }),
  );
}

/** A distinct valid Indonesian mobile number per row, in the local 08… form. */
const phoneOf = (index: number) => `0812${String(3_000_000 + index)}`;

/** Rows as a database cursor would hand them out: an async generator. */
async function* rowsOf(
  count: number,
  text: (index: number) => string,
  from = 0,
): AsyncGenerator<BroadcastQueueRow> {
  for (let index = from; index < from + count; index++) {
    yield { key: `row-${index}`, message: { to: phoneOf(index), text: text(index) } };
  }
}

/** How many of each text the sandbox stored. */
function textCounts(messages: SandboxMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message.text, (counts.get(message.text) ?? 0) + 1);
  return counts;
}

/** The largest number of timestamps inside any window [t, t + windowMs). */
function peakInWindow(timestamps: number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function allResults(queue: BroadcastQueue, broadcastId: string) {
  const results: BroadcastQueueResult[] = [];
  for await (const result of queue.results(broadcastId)) results.push(result);
  return results.sort((a, b) => a.key.localeCompare(b.key));
}

function kiremClient() {
  return createClient({ provider: kiremProvider(), rateLimit: false });
}

function kiremProvider() {
  return kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl });
}

function metaClient() {
  return createClient({
    provider: metaCloud({
      accessToken: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      baseUrl: sandbox.meta.baseUrl,
    }),
    rateLimit: false,
    retry: false,
  });
}

describe.each(targets)('on $name', (target) => {
  const { runnable, prefix } = target;
  const newQueue = (options?: Parameters<typeof newQueueOn>[1]) => newQueueOn(target, options);
  const startWorkers = (count: number, settings: WorkerSettings) =>
    startWorkersOn(target, count, settings);

  afterAll(async () => {
    if (!runnable) return;
    const redis = target.connect();
    // One node: the prefix as given; a Cluster: the queues' hash tag, and the policy stores' keys.
    const keys = [
      ...(await scanKeys(redis, `${prefix}:*`)),
      ...(await scanKeys(redis, `{${prefix}}:*`)),
    ];
    // One by one: on a Cluster the keys of the policy stores live in other slots.
    await Promise.all(keys.map((key) => redis.del(key)));
    redis.disconnect();
  });

  describe.runIf(runnable)('createBroadcastQueue', () => {
    it('keeps what the gateway sees within one global limit for three worker processes, each row once', async () => {
      const queue = newQueue();
      // Sends reach a gateway with jitter. Here the first eight, as if stuck on cold connections,
      // arrive 500 ms late and bunch up with the sends that follow; the workers are told to allow
      // for 600 ms. (This much jitter shows the effect on any machine; a real one sees less.)
      await sandbox.fault({
        provider: 'kirem',
        path: '/messages',
        method: 'POST',
        latencyMs: 500,
        times: 8,
      });
      const workers = await startWorkers(3, {
        gateway: 'kirem',
        queue,
        limitMax: 20,
        limitMs: 1000,
        limitJitterMs: 600,
        concurrency: 8,
      });

      const started = performance.now();
      const enqueued = await queue.enqueue(
        'promo',
        rowsOf(40, (i) => `Promo #${i}`),
      );
      const summary = await queue.settled('promo', { timeoutMs: 20_000, intervalMs: 25 });
      const elapsedMs = performance.now() - started;

      expect(enqueued).toEqual({ enqueued: 40, duplicates: 0 });
      expect(summary).toEqual({
        total: 40,
        sent: 40,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      const messages = await sandbox.messages({ provider: 'kirem' });
      expect(messages).toHaveLength(40);
      const counts = textCounts(messages);
      expect(counts.size).toBe(40);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      // Every message carries its row's job id as the idempotency key.
      expect(messages.find((m) => m.text === 'Promo #7')?.idempotencyKey).toBe('promo/row-7');

      // What the gateway saw, by the time it stored each message, in every sliding second: no more
      // than the limit, which per-worker limits (three times as much) would not hold either.
      const peak = peakInWindow(
        messages.map((message) => Date.parse(message.createdAt)),
        1000,
      );
      // A row is recorded before its job is acknowledged: wait for the last acknowledgements.
      await waitFor(() => workers.reduce((sum, worker) => sum + worker.completed.length, 0) === 40);
      const perWorker = workers.map((worker) => worker.completed.length);
      console.info(
        `broadcast queue: 40 rows, 3 processes, limit 20/s: ${Math.round(elapsedMs)} ms, ` +
          `peak ${peak} at the gateway in any 1 s window, per worker ${perWorker.join('/')}`,
      );
      expect(peak).toBeLessThanOrEqual(20);
      // The rows really were shared out.
      expect(perWorker.every((count) => count > 0)).toBe(true);

      const results = await allResults(queue, 'promo');
      expect(results).toHaveLength(40);
      expect(results.every((result) => result.status === 'sent')).toBe(true);
    }, 30_000);

    it('enqueues nothing new when the same broadcast is enqueued again', async () => {
      // An application's own ioredis client, as a web app would share it (default retries).
      const connection = target.connect();
      const queue = newQueue({ connection });
      const text = (i: number) => `Pengingat #${i}`;
      expect(await queue.enqueue('reminder', rowsOf(30, text))).toEqual({
        enqueued: 30,
        duplicates: 0,
      });
      // A producer that crashed and ran again, before any worker started…
      expect(await queue.enqueue('reminder', rowsOf(30, text))).toEqual({
        enqueued: 0,
        duplicates: 30,
      });
      const worker = queue.work({
        client: kiremClient(),
        deduplicates: true,
        limit: false,
        concurrency: 8,
      });
      await queue.settled('reminder', { timeoutMs: 10_000, intervalMs: 25 });
      // …and once more after every row was sent, with five rows the first runs did not have.
      expect(await queue.enqueue('reminder', rowsOf(35, text))).toEqual({
        enqueued: 5,
        duplicates: 30,
      });
      expect(await queue.settled('reminder', { timeoutMs: 10_000, intervalMs: 25 })).toEqual({
        total: 35,
        sent: 35,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      // Even with BullMQ's finished jobs cleaned away (so the same ids can be added again), a row
      // recorded as sent is not sent again.
      await queue.bullQueue.clean(0, 1000, 'completed');
      expect(await queue.enqueue('reminder', rowsOf(35, text))).toEqual({
        enqueued: 0,
        duplicates: 35,
      });
      await waitFor(async () => (await queue.bullQueue.getCompletedCount()) === 35);
      await worker.close();

      const counts = textCounts(await sandbox.messages({ provider: 'kirem' }));
      expect(counts.size).toBe(35);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);

      // remove() forgets the broadcast: jobs, records and all.
      await queue.remove('reminder');
      expect(await queue.summary('reminder')).toEqual({
        total: 0,
        sent: 0,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      expect(await queue.bullQueue.getJobCountByTypes('completed', 'failed', 'wait')).toBe(0);
      await queue.close();
      // The application's client is the application's to close.
      expect(connection.status).toBe('ready');
      connection.disconnect();
    });

    it('closes a worker and its queue cleanly while they are still connecting', async () => {
      // A script whose broadcast is already settled closes at once. BullMQ 5, closed while it is
      // still connecting, emits an error nobody can listen to any more: an unhandled error here.
      // The window is a few milliseconds wide (connected, not yet through BullMQ's version check):
      // close after 0, 1, 2, ... ms.
      for (let round = 0; round < 12; round++) {
        const queue = newQueue();
        const worker = queue.work({ client: kiremClient(), deduplicates: true, limit: false });
        await new Promise((resolve) => setTimeout(resolve, round));
        await worker.close();
        await queue.close();
        // Connections that fail after close() resolved would still surface: give them the time.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The same with only the queue, and with the worker's close() never awaited on its own.
      const queue = newQueue();
      queue.work({ client: kiremClient(), deduplicates: true, limit: false });
      await queue.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
    });

    it('resumes the rows of a worker killed mid-send within seconds, each delivered once on Kirem', async () => {
      const queue = newQueue();
      // Slow sends, so the worker dies with requests in flight; the gateway still processes them.
      await sandbox.fault({ provider: 'kirem', path: '/messages', latencyMs: 400 });
      // The queue's own lock and stalled-check defaults.
      const workers = await startWorkers(3, {
        gateway: 'kirem',
        queue,
        limitMax: 200,
        limitMs: 1000,
        concurrency: 6,
      });
      const [victim, ...survivors] = workers as [WorkerProcess, ...WorkerProcess[]];

      await queue.enqueue(
        'flash-sale',
        rowsOf(90, (i) => `Flash sale #${i}`),
      );
      await waitFor(() => victim.active.length - victim.completed.length >= 4);
      const inFlight = victim.active.filter((jobId) => !victim.completed.includes(jobId));
      victim.child.kill('SIGKILL');
      const killedAt = performance.now();

      // Another worker takes each of them up once the dead worker's lock has run out.
      const takenUp = () => new Set(survivors.flatMap((worker) => worker.active));
      await waitFor(() => inFlight.every((jobId) => takenUp().has(jobId)), 20_000);
      const resumedMs = performance.now() - killedAt;
      console.info(
        `broadcast queue: a killed worker's rows resumed after ${Math.round(resumedMs)} ms`,
      );
      // BullMQ's own defaults (a 30 s lock, renewed every 15 s) would take 15 to 60 s.
      expect(resumedMs).toBeLessThan(10_000);

      const summary = await queue.settled('flash-sale', { timeoutMs: 20_000, intervalMs: 25 });
      expect(summary).toEqual({
        total: 90,
        sent: 90,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      // The jobs the dead worker had in flight came back and were finished by the others.
      await waitFor(() => {
        const finishedBySurvivors = new Set(survivors.flatMap((worker) => worker.completed));
        return inFlight.every((jobId) => finishedBySurvivors.has(jobId));
      });
      expect(inFlight.length).toBeGreaterThanOrEqual(4);

      const messages = await sandbox.messages({ provider: 'kirem' });
      const counts = textCounts(messages);
      expect(counts.size).toBe(90);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      expect(messages).toHaveLength(90);
    }, 45_000);

    it('reports a claimed row as maybe_sent on Meta, which keeps no records, instead of sending it twice', async () => {
      const queue = newQueue();
      // Meta takes the message, then the answer is slow: the worker dies not knowing it was sent.
      await sandbox.fault({ provider: 'meta', path: '/messages', latencyMs: 5000, when: 'after' });
      const [doomed] = (await startWorkers(1, {
        gateway: 'meta',
        queue,
        concurrency: 4,
        lockMs: 1000,
        stalledMs: 500,
      })) as [WorkerProcess];
      await queue.enqueue(
        'invoice',
        rowsOf(4, (i) => `Tagihan #${i}`),
      );
      await waitFor(async () => (await sandbox.messages({ provider: 'meta' })).length === 4);
      doomed.child.kill('SIGKILL');
      await sandbox.clearFaults();

      // A healthy worker picks the stalled jobs up and finds each row claimed.
      const reported: BroadcastQueueResult[] = [];
      const worker = queue.work({
        client: metaClient(),
        limit: false,
        lockDurationMs: 1000,
        stalledIntervalMs: 500,
        onResult: (result) => reported.push(result),
      });
      const summary = await queue.settled('invoice', { timeoutMs: 15_000, intervalMs: 25 });
      await worker.close();

      expect(summary).toEqual({
        total: 4,
        sent: 0,
        failed: 0,
        maybeSent: 4,
        skipped: 0,
        pending: 0,
      });
      const results = await allResults(queue, 'invoice');
      expect(results.map((result) => result.status)).toEqual(Array(4).fill('maybe_sent'));
      // What a person needs to check it: why, what the gateway could say, when, and the key.
      expect(results[0]).toMatchObject({
        key: 'row-0',
        jobId: 'invoice/row-0',
        to: phoneOf(0),
        reason: expect.stringContaining('not sent again'),
        evidence: expect.stringContaining('keeps no record'),
        idempotencyKey: 'invoice/row-0',
      });
      const startedAt = results[0]?.status === 'maybe_sent' ? results[0].startedAt : undefined;
      expect(Date.parse(startedAt ?? '')).toBeGreaterThan(Date.now() - 30_000);
      expect(reported).toHaveLength(4);
      const job = await queue.bullQueue.getJob('invoice/row-0');
      expect(await job?.getState()).toBe('failed');
      expect(job?.failedReason).toMatch(/^maybe_sent/);

      // Still exactly one message per row at the gateway.
      const counts = textCounts(await sandbox.messages({ provider: 'meta' }));
      expect(counts.size).toBe(4);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
    }, 30_000);

    it("settles the rows of a worker killed mid-send from Kirem's logs once they are not to be sent again", async () => {
      const queue = newQueue();
      // Kirem takes each message, then its answer is slow: the worker dies with the sends in flight.
      await sandbox.fault({
        provider: 'kirem',
        path: '/messages',
        method: 'POST',
        latencyMs: 5000,
        when: 'after',
      });
      // maxStalledCount 0: a row whose worker died is never sent again, only settled.
      const [doomed] = (await startWorkers(1, {
        gateway: 'kirem',
        queue,
        concurrency: 4,
        lockMs: 1000,
        stalledMs: 500,
        maxStalled: 0,
      })) as [WorkerProcess];
      await queue.enqueue(
        'receipt',
        rowsOf(4, (i) => `Struk #${i}`),
      );
      await waitFor(async () => (await sandbox.messages({ provider: 'kirem' })).length === 4);
      doomed.child.kill('SIGKILL');
      await sandbox.clearFaults();

      const worker = queue.work({
        provider: kiremProvider(),
        clientOptions: { retry: false },
        limit: false,
        lockDurationMs: 1000,
        stalledIntervalMs: 500,
        maxStalledCount: 0,
      });
      const summary = await queue.settled('receipt', { timeoutMs: 15_000, intervalMs: 25 });
      await worker.close();

      expect(summary).toEqual({
        total: 4,
        sent: 4,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      const messages = await sandbox.messages({ provider: 'kirem' });
      expect(messages).toHaveLength(4);
      const results = await allResults(queue, 'receipt');
      for (const [index, result] of results.entries()) {
        expect(result).toMatchObject({
          status: 'sent',
          to: phoneOf(index),
          messageId: messages.find((message) => message.text === `Struk #${index}`)?.id,
          evidence: expect.stringMatching(/^kirem log: .* to 62812\*\*\*\*\d{4} at /),
        });
      }
    }, 30_000);

    it("turns a send whose answer was lost after Kirem accepted it into sent, with Kirem's message id", async () => {
      const queue = newQueue({ attempts: 2, backoffMs: 50 });
      // Every answer to a send is lost after Kirem stored the message (the retry is deduplicated).
      await sandbox.fault({
        provider: 'kirem',
        path: '/messages',
        method: 'POST',
        reset: true,
        when: 'after',
      });
      const worker = queue.work({
        provider: kiremProvider(),
        clientOptions: { retry: false },
        limit: false,
      });
      await queue.enqueue('shipping', [
        { key: 'order-1', message: { to: phoneOf(1), text: 'Pesanan dikirim' } },
      ]);
      const summary = await queue.settled('shipping', { timeoutMs: 10_000, intervalMs: 25 });
      await worker.close();

      expect(summary).toEqual({
        total: 1,
        sent: 1,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      const messages = await sandbox.messages({ provider: 'kirem' });
      expect(messages).toHaveLength(1);
      const [result] = await allResults(queue, 'shipping');
      expect(result).toMatchObject({
        status: 'sent',
        attempts: 2,
        to: phoneOf(1),
        messageId: messages[0]?.id,
        evidence: expect.stringContaining('kirem log'),
      });
    });

    it("sends a row once more, with the same key, when Kirem's logs show its uncertain send never arrived", async () => {
      const queue = newQueue({ attempts: 1 });
      // The connection drops before Kirem reads the request: the client cannot know that.
      await sandbox.fault({
        provider: 'kirem',
        path: '/messages',
        method: 'POST',
        reset: true,
        when: 'before',
        times: 1,
      });
      const worker = queue.work({
        provider: kiremProvider(),
        clientOptions: { retry: false },
        limit: false,
        // Kirem logs at once here; a real deployment waits the default minute before "not sent".
        reconcile: { settleMs: 0 },
      });
      await queue.enqueue('notice', [
        { key: 'order-2', message: { to: phoneOf(2), text: 'Pembayaran diterima' } },
      ]);
      const summary = await queue.settled('notice', { timeoutMs: 10_000, intervalMs: 25 });
      await worker.close();

      expect(summary).toEqual({
        total: 1,
        sent: 1,
        failed: 0,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      const messages = await sandbox.messages({ provider: 'kirem' });
      expect(messages).toHaveLength(1);
      expect(messages[0]?.idempotencyKey).toBe('notice/order-2');
      const [result] = await allResults(queue, 'notice');
      expect(result).toMatchObject({
        status: 'sent',
        messageId: messages[0]?.id,
        evidence: expect.stringMatching(/logged no text send .*; sent once more/),
      });
    });

    it('masks phone numbers in the log lines it writes', async () => {
      const queue = newQueue();
      const phone = '6281234567890';
      const lines: string[] = [];
      const stderr = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
        lines.push(String(line));
      });
      try {
        // A slow answer, so the job's lock can be lost while its send is in flight.
        await sandbox.fault({
          provider: 'kirem',
          path: '/messages',
          latencyMs: 500,
          when: 'after',
        });
        const worker = queue.work({ provider: kiremProvider(), limit: false });
        // Rows keyed by phone number: the key is part of the job id that BullMQ's errors name.
        await queue.enqueue('otp', [{ key: phone, message: { to: phone, text: 'Kode 123456' } }]);
        await waitFor(async () => (await queue.bullQueue.getActiveCount()) === 1);
        // The lock is gone, as when a worker stalls for longer than the lock: finishing the job fails.
        const redis = target.connect();
        // queue.prefix: the prefix as given on one node, its hash tag on a Cluster.
        await redis.del(`${queue.prefix}:${queue.name}:otp/${phone}:lock`);
        redis.disconnect();
        await waitFor(() => lines.length > 0);
        await worker.close();
      } finally {
        stderr.mockRestore();
      }
      const logged = lines.join('\n');
      expect(logged).toContain('otp/62812****7890');
      expect(logged).not.toContain(phone);
    });

    it('fails permanent errors at once and retries a turned-away send until it is sent once', async () => {
      const queue = newQueue({ attempts: 3, backoffMs: 50 });
      const worker = queue.work({ client: metaClient(), limit: false, concurrency: 2 });
      const message = (to: string, text: string): OutgoingMessage => ({ to, text });

      // Invalid phone: rejected by the client before any request.
      await queue.enqueue('mixed', [{ key: 'bad-phone', message: message('12', 'Halo') }]);
      await queue.settled('mixed', { timeoutMs: 10_000, intervalMs: 25 });

      // A 400 from the gateway: a failed row, not retried.
      await sandbox.fault({ provider: 'meta', path: '/messages', status: 400, times: 1 });
      await queue.enqueue('mixed', [{ key: 'rejected', message: message(phoneOf(1), 'Ditolak') }]);
      await queue.settled('mixed', { timeoutMs: 10_000, intervalMs: 25 });

      // A 503 with Retry-After before the gateway took it: retried after the wait, sent once.
      await sandbox.fault({
        provider: 'meta',
        path: '/messages',
        status: 503,
        retryAfter: 1,
        when: 'before',
        times: 1,
      });
      const started = performance.now();
      await queue.enqueue('mixed', [{ key: 'busy', message: message(phoneOf(2), 'Sibuk') }]);
      const summary = await queue.settled('mixed', { timeoutMs: 10_000, intervalMs: 25 });
      const retriedAfterMs = performance.now() - started;
      await worker.close();

      expect(summary).toEqual({
        total: 3,
        sent: 1,
        failed: 2,
        maybeSent: 0,
        skipped: 0,
        pending: 0,
      });
      const [badPhone, busy, rejected] = await allResults(queue, 'mixed');
      expect(badPhone).toMatchObject({ status: 'failed', attempts: 1 });
      expect(badPhone?.status === 'failed' && badPhone.error.code).toBe('invalid_phone');
      expect(rejected).toMatchObject({ status: 'failed', attempts: 1, to: phoneOf(1) });
      expect(rejected?.status === 'failed' && rejected.error.status).toBe(400);
      expect(busy).toMatchObject({ status: 'sent', attempts: 2, to: phoneOf(2) });
      expect(retriedAfterMs).toBeGreaterThanOrEqual(950);

      for (const [jobId, attemptsMade] of [
        ['mixed/bad-phone', 1],
        ['mixed/rejected', 1],
      ] as const) {
        const job = await queue.bullQueue.getJob(jobId);
        expect(await job?.getState()).toBe('failed');
        expect(job?.attemptsMade).toBe(attemptsMade);
      }
      const messages = await sandbox.messages({ provider: 'meta' });
      expect(messages.map((m) => m.text)).toEqual(['Sibuk']);
    }, 20_000);

    it('reports rows the client’s send policy refuses as skipped, opted_out or outside_window, and sends the rest', async () => {
      const redis = target.connect();
      try {
        // The policy's stores, under the run's prefix so that afterAll removes them.
        const storePrefix = `${prefix}:policy:`;
        const window = redisWindowStore(redis, { prefix: storePrefix });
        const consent = redisConsentStore(redis, { prefix: storePrefix });
        const tracker = createConversationTracker({ window, consent });
        const digits = (index: number) => `62${phoneOf(index).slice(1)}`;
        // Customers 0 and 1 wrote today; customer 1 then opted out. Customers 2 and 3 never wrote.
        for (const index of [0, 1]) {
          await window.customerWrote({ business: 'default', contact: digits(index) }, Date.now());
        }
        await tracker.optOut(phoneOf(1), 'keyword');

        const queue = newQueue();
        const reported: BroadcastQueueResult[] = [];
        const worker = queue.work({
          client: createClient({
            provider: metaCloud({
              accessToken: sandbox.meta.accessToken,
              phoneNumberId: sandbox.meta.phoneNumberId,
              baseUrl: sandbox.meta.baseUrl,
            }),
            rateLimit: false,
            retry: false,
            policy: { window: { store: window }, consent },
          }),
          limit: false,
          concurrency: 2,
          onResult: (result) => reported.push(result),
        });
        const promo = (index: number): BroadcastQueueRow => ({
          key: `promo-${index}`,
          message: { to: phoneOf(index), text: `Promo ${index}` },
        });
        // Marketing by default: the opted-out customer is skipped, so is the one who never wrote
        // (a free-form message outside the window); a template opens a conversation, and a message
        // that says it is a utility one still reaches the opted-out customer inside the window.
        await queue.enqueue('policy', [
          promo(0),
          promo(1),
          promo(2),
          {
            key: 'template-3',
            message: {
              to: phoneOf(3),
              template: { name: 'otp_verification', language: 'id', params: ['123456'] },
            },
          },
          {
            key: 'utility-1',
            message: { to: phoneOf(1), text: 'Pesanan dikirim', category: 'utility' },
          },
        ]);
        const summary = await queue.settled('policy', { timeoutMs: 10_000, intervalMs: 25 });
        await worker.close();

        expect(summary).toEqual({
          total: 5,
          sent: 3,
          failed: 0,
          maybeSent: 0,
          skipped: 2,
          pending: 0,
        });
        const results = await allResults(queue, 'policy');
        expect(results.map(({ key, status }) => [key, status])).toEqual([
          ['promo-0', 'sent'],
          ['promo-1', 'skipped'],
          ['promo-2', 'skipped'],
          ['template-3', 'sent'],
          ['utility-1', 'sent'],
        ]);
        expect(results[1]).toMatchObject({ reason: 'opted_out', to: phoneOf(1), attempts: 1 });
        expect(results[2]).toMatchObject({ reason: 'outside_window', to: phoneOf(2) });
        expect(reported).toHaveLength(5);
        // Skipped rows are not failures: their jobs complete, and are not retried.
        for (const jobId of ['policy/promo-1', 'policy/promo-2']) {
          const job = await queue.bullQueue.getJob(jobId);
          expect(await job?.getState()).toBe('completed');
          expect(job?.returnvalue).toMatchObject({ status: 'skipped' });
        }
        const messages = await sandbox.messages({ provider: 'meta' });
        expect(messages.map((m) => [m.to, m.type]).sort()).toEqual(
          [
            [digits(0), 'text'],
            [digits(1), 'text'],
            [digits(3), 'template'],
          ].sort(),
        );
        expect(messages.find((m) => m.to === digits(1))?.text).toBe('Pesanan dikirim');
      } finally {
        redis.disconnect();
      }
    });

    it('keeps every key of a queue and of its broadcasts under its prefix, in one slot on a Cluster', async () => {
      const queue = newQueue();
      const worker = queue.work({
        client: kiremClient(),
        deduplicates: true,
        limit: { max: 100, durationMs: 1000 },
      });
      await queue.enqueue(
        'slots',
        rowsOf(6, (i) => `Slot #${i}`),
      );
      expect(await queue.settled('slots', { timeoutMs: 10_000, intervalMs: 25 })).toMatchObject({
        total: 6,
        sent: 6,
      });
      await worker.close();

      const redis = target.connect();
      try {
        const keys = await scanKeys(redis, `*${prefix}*:${queue.name}:*`);
        // BullMQ's jobs and lists beside the broadcast's own records (BullMQ's limiter key is there
        // too while a window is open: its scripts ran on the Cluster, with every key in one slot).
        expect(keys).toEqual(
          expect.arrayContaining([
            `${queue.prefix}:${queue.name}:slots/row-0`,
            `${queue.prefix}:${queue.name}:completed`,
            `${queue.prefix}:${queue.name}:kabar:slots:rows`,
            `${queue.prefix}:${queue.name}:kabar:slots:results`,
            `${queue.prefix}:${queue.name}:kabar:slots:counts`,
            `${queue.prefix}:${queue.name}:kabar:slots:sentTo`,
          ]),
        );
        expect(keys.every((key) => key.startsWith(`${queue.prefix}:${queue.name}:`))).toBe(true);
        if (redis instanceof Cluster) {
          expect(queue.prefix).toBe(`{${prefix}}`);
          const slots = new Set(
            await Promise.all(keys.map((key) => redis.cluster('KEYSLOT', key) as Promise<number>)),
          );
          expect(slots.size).toBe(1);
        } else {
          expect(queue.prefix).toBe(prefix);
        }
      } finally {
        redis.disconnect();
      }
    });
  });

  describe.runIf(runnable)('createBroadcastQueue options', () => {
    it('wants a shared limit (or false) when given a client', () => {
      const queue = newQueue();
      expect(() => queue.work({ client: kiremClient() })).toThrow(/limit/);
      expect(() =>
        queue.work({ client: kiremClient(), limit: { max: 0, durationMs: 1000 } }),
      ).toThrow(/limit/);
    });

    it('uses the prefix as given on one node and as a hash tag on a Cluster', async () => {
      const onCluster = target.name === 'Redis Cluster';
      expect(newQueue().prefix).toBe(onCluster ? `{${prefix}}` : prefix);
      // A prefix with a hash tag of its own is kept as it is.
      const tagged = `{${prefix}}:tagged`;
      expect(newQueue({ prefix: tagged }).prefix).toBe(tagged);
      if (onCluster) {
        expect(() =>
          createBroadcastQueue({ connection: target.connection(), prefix: 'a{b' }),
        ).toThrow(/hash tag/);
      }
    });
  });
});

describe('fixedWindowsFor', () => {
  it('splits a limit into BullMQ windows that never admit more than it in the limit plus the jitter', () => {
    for (const durationMs of [250, 1000, 60_000]) {
      for (const jitterMs of [0, 100, 500]) {
        const span = durationMs + jitterMs;
        for (let max = 2; max <= 300; max++) {
          const windows = fixedWindowsFor(max, durationMs, jitterMs);
          // A span touches at most ceil(span / window) + 1 fixed windows.
          expect(windows.max * (Math.ceil(span / windows.duration) + 1)).toBeLessThanOrEqual(max);
          // The price of the guarantee: the jitter's share, and a few percent (more for small limits).
          if (max >= 20) {
            const perDuration = (windows.max / windows.duration) * durationMs;
            expect(perDuration).toBeGreaterThanOrEqual((0.85 * max * durationMs) / span);
          }
        }
      }
    }
    expect(fixedWindowsFor(100, 1000, 0)).toEqual({ max: 2, duration: 21 });
    // The default margin of 100 ms: 87 per second for a limit of 100, 71 for Meta's 80.
    expect(fixedWindowsFor(100, 1000, 100)).toEqual({ max: 2, duration: 23 });
    expect(fixedWindowsFor(80, 1000, 100)).toEqual({ max: 1, duration: 14 });
    // One send per span: the next cannot reach the gateway within durationMs of the last.
    expect(fixedWindowsFor(1, 1000, 100)).toEqual({ max: 1, duration: 1100 });
  });
});

describe('createBroadcastQueue options', () => {
  it('refuses a missing connection and a queue name BullMQ cannot use', () => {
    expect(() => createBroadcastQueue({} as never)).toThrow(/connection/);
    expect(() => createBroadcastQueue({ connection: single.url, name: 'a:b' })).toThrow(/name/);
  });

  it('makes the prefix a hash tag on a Cluster, unless it has one', () => {
    expect(hashTagOf('{bull}:q:wait')).toBe('bull');
    expect(hashTagOf('app:{bq}:q')).toBe('bq');
    expect(hashTagOf('{}x{y}')).toBeUndefined();
    expect(hashTagOf('bull:q')).toBeUndefined();
    expect(bullPrefixFor('bull', false)).toBe('bull');
    expect(bullPrefixFor('bull', true)).toBe('{bull}');
    expect(bullPrefixFor('kabar:bq', true)).toBe('{kabar:bq}');
    expect(bullPrefixFor('{kabar}', true)).toBe('{kabar}');
    expect(bullPrefixFor('app:{bq}', true)).toBe('app:{bq}');
    expect(() => bullPrefixFor('a{b', true)).toThrow(/hash tag/);
    expect(() => bullPrefixFor('{}x', true)).toThrow(/hash tag/);
  });
});
