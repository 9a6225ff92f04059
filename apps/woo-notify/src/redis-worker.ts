import type { WhatsAppClient } from '@kabar/core';
import { type Job as BullJob, Worker as BullWorker } from 'bullmq';
import type { WooNotifyConfig } from './config.js';
import { deliverRow, uncertainWindow } from './delivery.js';
import type { Logger } from './log.js';
import type { ServiceMetrics } from './metrics.js';
import type { OutboxRow, RowPatch } from './outbox.js';
import { connectRedis, type RedisOutbox, SEND_QUEUE, type SendJobData } from './redis-outbox.js';
import type { Worker } from './worker.js';

/** Thrown to make BullMQ try the job again after `delayMs` (the row is back to `pending`). */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

const TERMINAL = new Set(['sent', 'dead', 'maybe_sent', 'failed', 'skipped']);

/**
 * One BullMQ worker per instance on the shared queue. BullMQ's job lock keeps one instance per job;
 * a job whose instance died comes back (stalled) to another one, which finds the row `sending`:
 * resent with the same Idempotency-Key on a deduplicating gateway, else left `maybe_sent`.
 */
export function startRedisWorker(deps: {
  outbox: RedisOutbox;
  url: string;
  /** `url` is a node of a Redis Cluster. */
  cluster?: boolean;
  client: WhatsAppClient;
  config: WooNotifyConfig;
  log: Logger;
  metrics: ServiceMetrics;
}): Worker & { waitUntilReady(): Promise<void> } {
  const { outbox, client, config, log, metrics } = deps;
  let inFlight = 0;
  let running = true;

  const delivery = {
    client,
    config,
    log,
    metrics,
    record: (row: OutboxRow, patch: RowPatch) => outbox.update(row.dedupe_key, patch),
  };

  async function deliver(job: BullJob<SendJobData>): Promise<void> {
    const { result, row } = await outbox.claim(
      job.data.key,
      job.id as string,
      config.gateway.deduplicates,
    );
    if (!row || result === 'skip' || result === 'missing') return;
    const context = {
      id: row.id,
      order: row.order_number,
      status: row.status,
      role: row.role,
      requestId: row.request_id,
    };
    if (result === 'interrupted') {
      // This job's earlier run started the send and its instance died: it may have gone through.
      const error = 'interrupted while sending: may have been delivered';
      await outbox.update(row.dedupe_key, { state: 'maybe_sent', last_error: error });
      log('error', 'message_maybe_sent', { ...context, error });
      return;
    }
    if (result === 'resumed') log('warn', 'outbox_recovered', { ...context, requeued: 1 });
    const next = await deliverRow(row, delivery);
    if (next.state === 'pending') throw new RetryLater(next.reason, next.delayMs);
  }

  // Its own connection: a BullMQ worker's blocking commands must wait out a Redis outage.
  const connection = connectRedis(
    { url: deps.url, cluster: deps.cluster },
    { maxRetriesPerRequest: null },
  );
  connection.on('error', () => {});
  const bull = new BullWorker<SendJobData>(
    SEND_QUEUE,
    async (job) => {
      inFlight += 1;
      try {
        await deliver(job);
      } finally {
        inFlight -= 1;
      }
    },
    {
      connection,
      prefix: outbox.keyPrefix,
      concurrency: config.worker.concurrency,
      // One budget for every instance, kept in Redis.
      ...(config.gateway.ratePerSecond > 0
        ? { limiter: { max: config.gateway.ratePerSecond, duration: 1000 } }
        : {}),
      settings: {
        backoffStrategy: (_attempts: number, _type?: string, error?: Error) =>
          error instanceof RetryLater ? error.delayMs : config.worker.backoffBaseMs,
      },
    },
  );
  bull.on('error', (error) => log('error', 'worker_redis_error', { error: error.message }));
  // BullMQ gave the job up without our verdict (stalled too often, or its backstop limit): settle it.
  bull.on('failed', (job, error) => {
    if (!job || error instanceof RetryLater) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1) && error?.name !== 'UnrecoverableError') return;
    void (async () => {
      const row = await outbox.row(job.data.key);
      if (!row || TERMINAL.has(row.state)) return;
      // A row left `sending` was being sent by an instance that died: that attempt may have
      // reached the gateway, so only the gateway's records may call it undelivered.
      const window = row.state === 'sending' ? uncertainWindow(row) : {};
      const state = row.state === 'sending' || row.uncertain_since != null ? 'maybe_sent' : 'dead';
      const last_error = `given up by the queue: ${error?.message}`;
      await outbox.update(row.dedupe_key, { state, last_error, ...window });
      log('error', state === 'dead' ? 'message_dead' : 'message_maybe_sent', {
        id: row.id,
        error: error?.message,
      });
    })().catch((e: Error) => log('error', 'worker_settle_failed', { error: e.message }));
  });

  return {
    get running() {
      return running && bull.isRunning();
    },
    get inFlight() {
      return inFlight;
    },
    wake() {
      // BullMQ workers are woken by Redis itself.
    },
    waitUntilReady: async () => {
      await bull.waitUntilReady();
    },
    async stop() {
      running = false;
      await bull.close(); // waits for the jobs in flight
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
