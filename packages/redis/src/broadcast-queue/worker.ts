import { KabarError } from '@kabar/core';
import { messageRecipient } from '@kabar/core/broadcast';
import { Worker } from 'bullmq';
import type { RedisClient } from '../script.js';
import { backoffStrategy } from './backoff.js';
import {
  type BroadcastQueueConnection,
  doneConnecting,
  guardClusterClose,
  workerConnection,
} from './connection.js';
import type { BroadcastJobData } from './enqueue.js';
import { type BroadcastKeys, keysOf } from './keys.js';
import { limiterFor } from './limit.js';
import { createRowProcessor } from './process-row.js';
import { createRecorder } from './recorder.js';
import {
  type BroadcastJobReturn,
  type FinalRecord,
  MAYBE_SENT_STALLED,
  optionalTo,
} from './records.js';
import { type BroadcastWorkOptions, resolveWorkOptions } from './work-options.js';

/** A worker started by `queue.work`. */
export interface BroadcastWorker {
  /** The BullMQ worker underneath, for its events (`active`, `completed`, `failed`) and dashboards. */
  readonly bullWorker: Worker<BroadcastJobData, BroadcastJobReturn>;
  /** Resolves once the worker's Redis connections are up. */
  waitUntilReady(): Promise<void>;
  /** Stops taking jobs, lets the sends in flight finish and be recorded, then disconnects. */
  close(): Promise<void>;
}

/** The queue a worker takes its jobs from. */
export interface WorkerQueue {
  name: string;
  /** The BullMQ prefix in use: a hash tag on a Cluster (`bullPrefixFor`). */
  prefix: string;
  /** As the queue was given it, so the worker opens its own connection the same way. */
  connection: BroadcastQueueConnection;
  /** The queue's connection, duplicated when the queue was given an ioredis instance. */
  redis: RedisClient;
}

/** `queue.work`: a BullMQ worker in this process that sends the queue's rows. */
export function startWorker(
  queue: WorkerQueue,
  workOptions: BroadcastWorkOptions,
): BroadcastWorker {
  const settings = resolveWorkOptions(workOptions);
  const { client, onError } = settings;
  const rowKeys = (broadcastId: string): BroadcastKeys =>
    keysOf(queue.prefix, queue.name, broadcastId);

  // Its own connection: BullMQ's workers need commands that never give up while Redis is away,
  // and so do the records written after a send, which must not be lost to a brief outage. On a
  // Cluster it is a duplicate of the queue's Cluster; BullMQ duplicates it once more for its
  // blocking commands.
  const redis = workerConnection(queue.connection, queue.redis);
  const closingStarts = guardClusterClose(redis);
  const recorder = createRecorder(redis, settings.onResult);
  const processJob = createRowProcessor({ settings, redis, keysOf: rowKeys, recorder });

  const bullWorker = new Worker<BroadcastJobData, BroadcastJobReturn>(queue.name, processJob, {
    connection: redis,
    prefix: queue.prefix,
    concurrency: settings.concurrency,
    ...limiterFor(settings.limit),
    lockDuration: settings.lockDuration,
    stalledInterval: settings.stalledInterval,
    // One more than ours: the processor gives a row up itself, where it can still settle it
    // from the gateway's records; BullMQ's own limit is for a try that died doing that.
    maxStalledCount: settings.maxStalledCount + 1,
    settings: { backoffStrategy },
  });
  bullWorker.on('error', (error) => onError(error));

  // A job BullMQ fails without running the processor (its tries kept dying, even the one that
  // was to settle it) has no record yet: settle it, as maybe_sent if its send had started.
  const settling = new Set<Promise<void>>();
  bullWorker.on('failed', (job, error) => {
    if (!job) return;
    const final =
      error?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    const { broadcastId, key, message } = job.data;
    const base = {
      jobId: job.id as string,
      ...optionalTo(messageRecipient(message)),
      attempts: Math.max(1, job.attemptsMade),
      finishedAt: new Date().toISOString(),
    };
    const maybeSent: FinalRecord = { status: 'maybe_sent', reason: MAYBE_SENT_STALLED, ...base };
    const failed: FinalRecord = {
      status: 'failed',
      error: new KabarError('provider_error', `broadcast queue: ${error?.message ?? 'failed'}`, {
        provider: client.provider,
      }).toJSON(),
      ...base,
    };
    const settle = recorder
      .settle(rowKeys(broadcastId), key, maybeSent, failed)
      .catch((settleError: Error) => onError(settleError));
    settling.add(settle);
    void settle.finally(() => settling.delete(settle));
  });

  let closing: Promise<void> | undefined;
  return {
    bullWorker,
    async waitUntilReady() {
      await bullWorker.waitUntilReady();
    },
    close() {
      closing ??= (async () => {
        await doneConnecting(() => bullWorker.waitUntilReady());
        closingStarts();
        await bullWorker.close();
        await Promise.all(settling);
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
