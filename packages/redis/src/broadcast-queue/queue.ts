import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { type BroadcastQueueConnection, connect, doneConnecting } from './connection.js';
import {
  type BroadcastJobData,
  type BroadcastQueueRow,
  type EnqueueOptions,
  type EnqueueResult,
  enqueueRows,
} from './enqueue.js';
import { invalid } from './errors.js';
import { bullPrefixFor, checkBroadcastId, jobIdFor, keysOf } from './keys.js';
import type { BroadcastJobReturn } from './records.js';
import { type BroadcastQueueResult, readResults } from './results.js';
import { type BroadcastQueueSummary, readSummary, waitUntilSettled } from './summary.js';
import type { BroadcastWorkOptions } from './work-options.js';
import { type BroadcastWorker, startWorker } from './worker.js';

/** Options of `createBroadcastQueue`. */
export interface BroadcastQueueOptions {
  /**
   * ioredis options (`{ host, port }`), a `redis://` URL, or an ioredis instance (kept open on
   * close): a `Redis`, or a `Cluster` for a Redis Cluster (see `prefix`).
   */
  connection: BroadcastQueueConnection;
  /** The BullMQ queue name; every worker of one gateway account shares it. Default `kabar-broadcast`. */
  name?: string;
  /**
   * BullMQ's key prefix. Default `bull`, BullMQ's own, so dashboards find the queue. On a Redis
   * Cluster every key of the queue must share one slot, so the prefix is made a hash tag there:
   * `{bull}` by default, `{<prefix>}` for yours, unless it has a tag already (`{kabar}`). The one
   * in use is `queue.prefix`: give a dashboard that one.
   */
  prefix?: string;
  /** Tries per row when the gateway turns a send away (429, 503 with Retry-After, refused connection). Default 5. */
  attempts?: number;
  /** First backoff between those tries, doubled each time, with jitter; a Retry-After wins. Default 1000 ms. */
  backoffMs?: number;
}

/** A queued broadcast's producer, workers and reports; see `createBroadcastQueue`. */
export interface BroadcastQueue {
  /** The BullMQ queue name (option `name`). */
  readonly name: string;
  /** The BullMQ prefix in use: option `prefix`, as a hash tag (`{bull}`) on a Redis Cluster. */
  readonly prefix: string;
  /** The BullMQ queue underneath, e.g. for a dashboard. */
  readonly bullQueue: Queue<BroadcastJobData, BroadcastJobReturn>;
  /**
   * Adds one job per row. A row's job id is `<broadcastId>/<key>`, so a row already in this
   * broadcast is not added again: re-running the producer after a crash sends nothing twice.
   */
  enqueue(
    broadcastId: string,
    rows: Iterable<BroadcastQueueRow> | AsyncIterable<BroadcastQueueRow>,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;
  /** Starts a worker in this process; run one (or more) in each of several processes. */
  work(options: BroadcastWorkOptions): BroadcastWorker;
  /** How many of the broadcast's rows are sent, failed, maybe sent, skipped and still pending. */
  summary(broadcastId: string): Promise<BroadcastQueueSummary>;
  /** Every finished row's result, in no particular order, read from Redis in pages (constant memory). */
  results(broadcastId: string): AsyncIterable<BroadcastQueueResult>;
  /** Polls the summary until no row is pending, and resolves with it. */
  settled(
    broadcastId: string,
    options?: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal },
  ): Promise<BroadcastQueueSummary>;
  /**
   * Forgets a finished broadcast: its jobs and records. Afterwards the same broadcast id and keys
   * would be sent again, so call it only once nobody will re-run that broadcast.
   */
  remove(broadcastId: string): Promise<void>;
  /** Closes the workers started here, then the queue and its connection. */
  close(): Promise<void>;
}

const DEFAULT_NAME = 'kabar-broadcast';
const DEFAULT_PREFIX = 'bull';

/**
 * A broadcast spread over many worker processes through BullMQ on Redis: one global send rate for
 * all of them, and every row sent once. See the README section "Broadcast queue" for the guarantees.
 *
 * @example
 * ```ts
 * import { kirem } from '@kabar/core/kirem';
 * import { createBroadcastQueue } from '@kabar/redis/broadcast-queue';
 *
 * const queue = createBroadcastQueue({ connection: process.env.REDIS_URL! });
 * // Producer: rows { key, message } from any (async) iterable; a re-run adds nothing twice.
 * await queue.enqueue('promo-2026-05', [
 *   { key: 'order-1', message: { to: '081234567890', text: 'Halo, diskon 20% hari ini.' } },
 * ]);
 * // Worker, in each of as many processes as you like, all with the same limit:
 * queue.work({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY! }),
 *   limit: { max: 80, durationMs: 1000 },
 * });
 * // Anywhere: wait until no row is pending, then stop the workers and disconnect.
 * console.log(await queue.settled('promo-2026-05')); // { total, sent, failed, maybeSent, pending }
 * await queue.close();
 * ```
 */
export function createBroadcastQueue(options: BroadcastQueueOptions): BroadcastQueue {
  if (!options || options.connection === undefined || options.connection === null) {
    throw invalid(
      'connection',
      'is required: ioredis options, a redis:// URL, or a Redis or Cluster instance',
    );
  }
  const name = options.name ?? DEFAULT_NAME;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof name !== 'string' || name === '' || name.includes(':')) {
    throw invalid('name', 'must be a non-empty string without ":"');
  }
  if (typeof prefix !== 'string' || prefix === '') {
    throw invalid('prefix', 'must be a non-empty string');
  }
  const attempts = options.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw invalid('attempts', 'must be a positive integer');
  }
  const backoffMs = options.backoffMs ?? 1000;
  if (!(backoffMs >= 0)) throw invalid('backoffMs', 'must be zero or more milliseconds');

  // On a Cluster a hash tag, so BullMQ's keys and the broadcasts' own share one slot.
  const bullPrefix = bullPrefixFor(prefix, options.connection instanceof Cluster);
  const { redis, owned } = connect(options.connection);
  const bullQueue = new Queue<BroadcastJobData, BroadcastJobReturn>(name, {
    connection: redis,
    prefix: bullPrefix,
  });
  // Without a listener an 'error' event would crash the process; the failing call rejects anyway.
  bullQueue.on('error', () => {});
  const workers = new Set<BroadcastWorker>();
  const broadcastKeys = (broadcastId: string) => keysOf(bullPrefix, name, broadcastId);

  async function summary(broadcastId: string): Promise<BroadcastQueueSummary> {
    checkBroadcastId(broadcastId);
    return readSummary(redis, broadcastKeys(broadcastId));
  }

  return {
    name,
    prefix: bullPrefix,
    bullQueue,

    async enqueue(broadcastId, rows, enqueueOptions = {}) {
      checkBroadcastId(broadcastId);
      const target = { bullQueue, redis, keysOf: broadcastKeys, attempts, backoffMs };
      return enqueueRows(target, broadcastId, rows, enqueueOptions);
    },

    work(workOptions) {
      const worker = startWorker(
        { name, prefix: bullPrefix, connection: options.connection, redis },
        workOptions,
      );
      workers.add(worker);
      const close = worker.close;
      return {
        ...worker,
        close: async () => {
          workers.delete(worker);
          await close();
        },
      };
    },

    summary,

    async *results(broadcastId) {
      checkBroadcastId(broadcastId);
      yield* readResults(redis, broadcastKeys(broadcastId));
    },

    settled(broadcastId, settledOptions = {}) {
      return waitUntilSettled(() => summary(broadcastId), settledOptions);
    },

    async remove(broadcastId) {
      checkBroadcastId(broadcastId);
      const keys = broadcastKeys(broadcastId);
      let cursor = '0';
      do {
        const [next, rowKeys] = await redis.sscan(keys.rows, cursor, 'COUNT', 500);
        cursor = next;
        await Promise.all(rowKeys.map((key) => bullQueue.remove(jobIdFor(broadcastId, key))));
      } while (cursor !== '0');
      await redis.del(keys.rows, keys.results, keys.counts, keys.sentTo);
    },

    async close() {
      await Promise.all([...workers].map((worker) => worker.close()));
      workers.clear();
      await doneConnecting(() => bullQueue.waitUntilReady());
      await bullQueue.close();
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
