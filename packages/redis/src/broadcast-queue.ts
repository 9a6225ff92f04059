import {
  type ClientOptions,
  createClient,
  KabarError,
  type KabarErrorOptions,
  type MessageCategory,
  maskPhonesIn,
  type OutgoingMessage,
  type Provider,
  type ReconcileOptions,
  type SendResult,
  tryNormalizePhone,
  type WhatsAppClient,
} from '@kabar/core';
import { type Job, type MinimalJob, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { fixedWindowsFor } from './broadcast-queue/limit.js';
import { askGateway } from './broadcast-queue/reconcile.js';
import { CLAIM, RECORD, RELEASE, SETTLE } from './broadcast-queue/scripts.js';

/** Where the queue lives: ioredis options, a `redis://` URL, or an ioredis instance to share. */
export type BroadcastQueueConnection = RedisOptions | string | Redis;

/** Options of `createBroadcastQueue`. */
export interface BroadcastQueueOptions {
  /** ioredis options (`{ host, port }`), a `redis://` URL, or an ioredis instance (kept open on close). */
  connection: BroadcastQueueConnection;
  /** The BullMQ queue name; every worker of one gateway account shares it. Default `kabar-broadcast`. */
  name?: string;
  /** BullMQ's key prefix. Default `bull`, BullMQ's own, so dashboards find the queue. */
  prefix?: string;
  /** Tries per row when the gateway turns a send away (429, 503 with Retry-After, refused connection). Default 5. */
  attempts?: number;
  /** First backoff between those tries, doubled each time, with jitter; a Retry-After wins. Default 1000 ms. */
  backoffMs?: number;
}

/** One row of a broadcast: a stable key (an order id, a customer id) and its message. */
export interface BroadcastQueueRow {
  /** Stable within the broadcast (an order id, a customer id): a row is sent once per key. */
  key: string;
  /** What to send; its `idempotencyKey`, if any, is replaced by the row's job id. */
  message: OutgoingMessage;
}

/** Options of `queue.enqueue`. */
export interface EnqueueOptions {
  /** Rows added to Redis per round trip. Default 500. */
  batchSize?: number;
  /**
   * What the messages are for, unless a row's message says itself, as core's `broadcast` takes
   * it: `marketing` (the default) is refused to contacts who opted out when the worker's client
   * has a consent policy; such rows are `skipped`.
   */
  category?: MessageCategory;
}

/** What `queue.enqueue` added. */
export interface EnqueueResult {
  /** Rows this call added. */
  enqueued: number;
  /** Rows already in the broadcast (a re-run, a crashed producer, a key given twice): not added again. */
  duplicates: number;
}

/** What every row result carries, whatever its status (see `BroadcastQueueResult`). */
export interface Finished {
  /** The row's key, as enqueued. */
  key: string;
  /** `<broadcastId>/<key>`, URI-encoded parts; also the message's idempotency key. */
  jobId: string;
  /** Tries used, counting the one that finished the row. */
  attempts: number;
  /** ISO time the row finished. */
  finishedAt: string;
}

/**
 * What happened to one row, as recorded by the worker that finished it. A send whose outcome was
 * unknown (its worker died, or the gateway failed in a way that may have delivered the message) is
 * settled from the gateway's own records where it keeps them (Kirem's message logs): `evidence`
 * says what they showed. `maybe_sent` is what the gateway could not settle: the row was not sent
 * again, and a person has to check, with what is known here, before sending it by hand.
 * `skipped` rows were refused by the client's send policy before any request: nothing was sent.
 */
export type BroadcastQueueResult =
  | (Finished & {
      status: 'sent';
      to: string;
      messageId: string;
      /** When the send was settled from the gateway's records: the record that shows it. */
      evidence?: string;
    })
  | (Finished & {
      status: 'failed';
      to?: string;
      error: KabarError;
      /** When the gateway's records show the message failed: its id there. */
      messageId?: string;
      /** When the failure was read from the gateway's records: the record that shows it. */
      evidence?: string;
    })
  | (Finished & {
      status: 'maybe_sent';
      to?: string;
      /** Why the send is uncertain. */
      reason: string;
      error?: KabarError;
      /** What the gateway's records could say (or why they could not be asked). */
      evidence?: string;
      /** ISO time the first try that may have been accepted started; look from here. */
      startedAt?: string;
      /** The key every try went out with: resend with it where the gateway deduplicates. */
      idempotencyKey: string;
    })
  | (Finished & {
      status: 'skipped';
      to?: string;
      /**
       * `opted_out`: a marketing message to a contact who opted out (the client's consent
       * policy); `outside_window`: a free-form message outside the customer's 24-hour window.
       */
      reason: SkipReason;
    });

/** Why the client's send policy refused a row, as core's `broadcast` reports it. */
export type SkipReason = 'opted_out' | 'outside_window';

/** How many rows of a broadcast are in each state. */
export interface BroadcastQueueSummary {
  /** Distinct rows enqueued. */
  total: number;
  /** Rows the gateway accepted (directly, or as its records showed). */
  sent: number;
  /** Rows refused for good, or turned away on every try. */
  failed: number;
  /** Rows that may have been delivered and were not sent again: they need a human. */
  maybeSent: number;
  /** Rows the client's send policy refused before any request (`opted_out`, `outside_window`). */
  skipped: number;
  /** Rows not finished yet: waiting, being sent, or backing off before another try. */
  pending: number;
}

/**
 * One budget for every worker on a queue, kept by BullMQ in Redis: the gateway sees at most `max`
 * sends in any span of `durationMs`, as long as sends reach it within `jitterMs` of each other
 * (time from the limiter to the gateway varies with connections, load and the network). The
 * margin costs about `jitterMs / durationMs` of the rate. Default `jitterMs`: 100.
 */
export interface BroadcastLimit {
  /** Sends the gateway may see in any span of `durationMs`. */
  max: number;
  /** The span `max` counts over, in milliseconds (e.g. 1000 for a per-second limit). */
  durationMs: number;
  /** How far apart in time sends may reach the gateway, in milliseconds. Default 100. */
  jitterMs?: number;
}

/** The options of `queue.work` whatever the gateway is given as: the limit and the worker's tuning. */
export interface WorkOptionsBase {
  /**
   * One budget for every worker on this queue (see `BroadcastLimit`). Give every worker the same
   * value. `false`: no limit. Default: the provider's documented limit when `provider` is given;
   * required with `client`.
   */
  limit?: BroadcastLimit | false;
  /** Sends in flight at once in this worker. Default 8. */
  concurrency?: number;
  /**
   * How long a worker's lock on a job lasts; BullMQ renews it every half of this while the worker
   * lives, and a dead worker's jobs go to the others once it runs out. Shorter recovers sooner,
   * but a worker that stalls for longer (event loop blocked, long GC, Redis unreachable) loses its
   * jobs to the others while still sending; the row's claim or the gateway's deduplication keeps
   * that from sending twice. Default 5000 ms.
   */
  lockDurationMs?: number;
  /** How often the workers look for jobs whose lock ran out (one of them per interval). Default 2000 ms. */
  stalledIntervalMs?: number;
  /**
   * How many times a row's job may come back from a dead worker and be sent again (on a gateway
   * that deduplicates) or settled (on the others). After that the next worker sends nothing new:
   * it settles the row from the gateway's records, else reports it `maybe_sent` (`failed` if its
   * send never started). Default 1.
   */
  maxStalledCount?: number;
  /**
   * How sends of unknown outcome are settled from the gateway's records (`reconcileSend` from
   * `@kabar/core`): e.g. `settleMs`, how long the gateway may take to log a send before its
   * absence means "not sent". Default: core's defaults.
   */
  reconcile?: ReconcileOptions;
  /** After each row this worker finishes. Observes only: an exception thrown here is ignored. */
  onResult?(result: BroadcastQueueResult): void;
  /** Worker-level errors (Redis connection trouble, lost locks). Default: stderr, phone numbers masked. */
  onError?(error: Error): void;
}

/** Options of `queue.work`: a provider (or a client), the shared limit, and the worker's tuning. */
export type BroadcastWorkOptions = WorkOptionsBase &
  (
    | {
        /**
         * A client made with `rateLimit: false`: the queue's limit is the global one, and a
         * client that paced itself too would only slow each worker down further.
         */
        client: WhatsAppClient;
        /**
         * Whether the gateway drops a resend with the same idempotency key (Kirem does, Meta does
         * not). A client does not say, so say it here; default false, the safe side: each row is
         * claimed in Redis before it is sent, and a retry of a claimed row is reported
         * `maybe_sent` instead of sent twice.
         */
        deduplicates?: boolean;
        provider?: never;
        clientOptions?: never;
      }
    | {
        /** The gateway; the worker makes its own client with `rateLimit: false` and reads `deduplicates` from it. */
        provider: Provider;
        clientOptions?: Omit<ClientOptions, 'provider' | 'rateLimit'>;
        client?: never;
        deduplicates?: never;
      }
  );

/** A worker started by `queue.work`. */
export interface BroadcastWorker {
  /** The BullMQ worker underneath, for its events (`active`, `completed`, `failed`) and dashboards. */
  readonly bullWorker: Worker<BroadcastJobData, BroadcastJobReturn>;
  /** Resolves once the worker's Redis connections are up. */
  waitUntilReady(): Promise<void>;
  /** Stops taking jobs, lets the sends in flight finish and be recorded, then disconnects. */
  close(): Promise<void>;
}

/** A queued broadcast's producer, workers and reports; see `createBroadcastQueue`. */
export interface BroadcastQueue {
  /** The BullMQ queue name (option `name`). */
  readonly name: string;
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

/** What each BullMQ job holds: one row of one broadcast. */
export interface BroadcastJobData {
  /** The broadcast the row belongs to. */
  broadcastId: string;
  /** The row's key. */
  key: string;
  /** The row's message. */
  message: OutgoingMessage;
}

/**
 * A completed job's return value, as recorded: the row's send, or the row skipped by the client's
 * send policy (nothing to send, nothing failed).
 */
export type BroadcastJobReturn = Extract<StoredRecord, { status: 'sent' | 'skipped' }>;

/** While a row's send is under way: from the first try that may have been accepted. */
export interface SendingRecord {
  /** Claimed, and its send started; not finished yet. */
  status: 'sending';
  /** The try that claimed the row. */
  attempt: number;
  /** ISO time that try started: where settling looks in the gateway's records from. */
  startedAt: string;
}

/**
 * The JSON kept per row in the broadcast's results hash in Redis: `sending` while a send is under
 * way, then the row's outcome. `results()` turns finished ones into `BroadcastQueueResult`s (with
 * errors as `KabarError`s); a completed BullMQ job returns the `sent` or `skipped` one.
 */
export type StoredRecord =
  | SendingRecord
  | {
      status: 'sent';
      jobId: string;
      to: string;
      messageId: string;
      evidence?: string;
      attempts: number;
      finishedAt: string;
    }
  | {
      status: 'failed';
      jobId: string;
      to?: string;
      /** The `KabarError` the row failed with, as JSON (`error.toJSON()`). */
      error: Record<string, unknown>;
      messageId?: string;
      evidence?: string;
      attempts: number;
      finishedAt: string;
    }
  | {
      status: 'maybe_sent';
      jobId: string;
      to?: string;
      reason: string;
      error?: Record<string, unknown>;
      evidence?: string;
      startedAt?: string;
      attempts: number;
      finishedAt: string;
    }
  | {
      status: 'skipped';
      jobId: string;
      to?: string;
      reason: SkipReason;
      attempts: number;
      finishedAt: string;
    };

type FinalRecord = Exclude<StoredRecord, SendingRecord>;
/** What a try that sent nothing, and ends the row as a failure or a question, records. */
type NotSentRecord = Extract<FinalRecord, { status: 'failed' | 'maybe_sent' }>;

const BACKOFF_TYPE = 'kabar';
const DEFAULT_NAME = 'kabar-broadcast';
const DEFAULT_PREFIX = 'bull';
/** As core's `broadcast`: a broadcast is marketing unless told, or its message says, otherwise. */
const DEFAULT_CATEGORY: MessageCategory = 'marketing';
const CATEGORIES: readonly MessageCategory[] = ['marketing', 'utility', 'authentication'];
/** Core refuses longer idempotency keys, and the job id is the idempotency key. */
const MAX_JOB_ID_LENGTH = 255;

const DEFAULT_JITTER_MS = 100;
// A dead worker's jobs go back to the others within about lock + interval: seconds, not BullMQ's
// default minute. See lockDurationMs for what a shorter lock costs.
const DEFAULT_LOCK_MS = 5000;
const DEFAULT_STALLED_INTERVAL_MS = 2000;

const MAYBE_SENT_CLAIMED =
  'an earlier try of this row started sending and never reported back; not sent again';
const MAYBE_SENT_STALLED =
  'the workers sending this row kept stopping and the job was given up; not sent again';
const MAYBE_SENT_UNKNOWN = 'the send failed in a way that may have delivered the message';

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
    throw invalid('connection', 'is required: ioredis options, a redis:// URL or a Redis instance');
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

  const { redis, owned } = connect(options.connection);
  const bullQueue = new Queue<BroadcastJobData, BroadcastJobReturn>(name, {
    connection: redis,
    prefix,
  });
  // Without a listener an 'error' event would crash the process; the failing call rejects anyway.
  bullQueue.on('error', () => {});
  const workers = new Set<BroadcastWorker>();
  const keyBase = `${prefix}:${name}:kabar:`;

  function keysOf(broadcastId: string): BroadcastKeys {
    const base = `${keyBase}${encodeURIComponent(broadcastId)}:`;
    return {
      rows: `${base}rows`,
      results: `${base}results`,
      counts: `${base}counts`,
      sentTo: `${base}sentTo`,
    };
  }

  async function summary(broadcastId: string): Promise<BroadcastQueueSummary> {
    checkBroadcastId(broadcastId);
    const keys = keysOf(broadcastId);
    const replies = await redis
      .multi()
      .scard(keys.rows)
      .hmget(keys.counts, 'sent', 'failed', 'maybe_sent', 'skipped')
      .exec();
    if (!replies) throw new KabarError('provider_error', 'broadcast queue: Redis aborted the read');
    const [[totalError, total], [countsError, counts]] = replies as [
      [Error | null, number],
      [Error | null, (string | null)[]],
    ];
    if (totalError || countsError) throw totalError ?? countsError;
    const [sent, failed, maybeSent, skipped] = counts.map((count) => Number(count ?? 0)) as [
      number,
      number,
      number,
      number,
    ];
    return {
      total,
      sent,
      failed,
      maybeSent,
      skipped,
      pending: Math.max(0, total - sent - failed - maybeSent - skipped),
    };
  }

  const queue: BroadcastQueue = {
    name,
    bullQueue,

    async enqueue(broadcastId, rows, enqueueOptions = {}) {
      checkBroadcastId(broadcastId);
      const batchSize = enqueueOptions.batchSize ?? 500;
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw invalid('batchSize', 'must be a positive integer');
      }
      const category = enqueueOptions.category ?? DEFAULT_CATEGORY;
      if (!CATEGORIES.includes(category)) {
        throw invalid('category', `must be one of ${CATEGORIES.join(', ')}`);
      }
      if (!isIterable(rows)) {
        throw invalid('rows', 'must be an iterable or async iterable of { key, message }');
      }
      const keys = keysOf(broadcastId);
      let enqueued = 0;
      let duplicates = 0;
      let batch: BroadcastQueueRow[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const jobs = batch.map((row) => ({
          name: 'send',
          data: { broadcastId, key: row.key, message: { category, ...row.message } },
          opts: {
            jobId: jobIdFor(broadcastId, row.key),
            attempts,
            backoff: { type: BACKOFF_TYPE, delay: backoffMs },
            // Kept: a finished job is what makes enqueueing the same row again a no-op.
            removeOnComplete: false,
            removeOnFail: false,
          },
        }));
        // BullMQ skips a job whose id exists. The rows set is written after the jobs, so a crash
        // in between leaves rows that a re-run counts as new; none is ever lost or sent twice.
        await bullQueue.addBulk(jobs);
        const added = await redis.sadd(keys.rows, ...batch.map((row) => row.key));
        enqueued += added;
        duplicates += batch.length - added;
        batch = [];
      };
      let index = 0;
      for await (const row of rows) {
        checkRow(broadcastId, row, index++);
        batch.push(row);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      return { enqueued, duplicates };
    },

    work(workOptions) {
      const worker = startWorker(workOptions);
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
      const keys = keysOf(broadcastId);
      let cursor = '0';
      do {
        const [next, entries] = await redis.hscan(keys.results, cursor, 'COUNT', 250);
        cursor = next;
        for (let i = 0; i + 1 < entries.length; i += 2) {
          const record = JSON.parse(entries[i + 1] as string) as StoredRecord;
          if (record.status !== 'sending') yield toResult(entries[i] as string, record);
        }
      } while (cursor !== '0');
    },

    async settled(broadcastId, { timeoutMs, intervalMs = 200, signal } = {}) {
      const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
      for (;;) {
        const current = await summary(broadcastId);
        if (current.pending === 0) return current;
        if (signal?.aborted) {
          throw new KabarError('aborted', 'broadcast queue: aborted while waiting', {
            cause: signal.reason,
          });
        }
        if (Date.now() >= deadline) {
          throw new KabarError(
            'timeout',
            `broadcast queue: ${current.pending} of ${current.total} rows still pending after ${timeoutMs} ms`,
            { details: current },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },

    async remove(broadcastId) {
      checkBroadcastId(broadcastId);
      const keys = keysOf(broadcastId);
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

  function startWorker(workOptions: BroadcastWorkOptions): BroadcastWorker {
    if (!workOptions || typeof workOptions !== 'object') {
      throw invalid('work', 'needs options with a client or a provider');
    }
    let client: WhatsAppClient;
    let deduplicates: boolean;
    let limit = workOptions.limit;
    if (workOptions.provider !== undefined) {
      const { provider } = workOptions;
      if (!provider || typeof provider.send !== 'function') {
        throw invalid('provider', 'must be a provider such as kirem({ apiKey })');
      }
      client = createClient({ ...workOptions.clientOptions, provider, rateLimit: false });
      deduplicates = provider.deduplicates === true;
      if (limit === undefined && provider.defaultRateLimit) {
        limit = {
          max: provider.defaultRateLimit.limit,
          durationMs: provider.defaultRateLimit.intervalMs,
        };
      }
    } else {
      client = workOptions.client as WhatsAppClient;
      if (!client || typeof client.send !== 'function') {
        throw invalid('client', 'must be a client from createClient() (or pass provider)');
      }
      deduplicates = workOptions.deduplicates === true;
    }
    if (limit === undefined) {
      throw invalid('limit', 'is required: { max, durationMs } shared by every worker, or false');
    }
    if (
      limit !== false &&
      !(
        Number.isInteger(limit?.max) &&
        limit.max > 0 &&
        limit.durationMs > 0 &&
        (limit.jitterMs === undefined || limit.jitterMs >= 0)
      )
    ) {
      throw invalid(
        'limit',
        'must be { max: a positive integer, durationMs: > 0, jitterMs?: >= 0 } or false',
      );
    }
    const concurrency = workOptions.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw invalid('concurrency', 'must be a positive integer');
    }
    const lockDuration = workOptions.lockDurationMs ?? DEFAULT_LOCK_MS;
    if (!(lockDuration > 0)) throw invalid('lockDurationMs', 'must be more than 0 milliseconds');
    const stalledInterval = workOptions.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS;
    if (!(stalledInterval > 0)) {
      throw invalid('stalledIntervalMs', 'must be more than 0 milliseconds');
    }
    const maxStalledCount = workOptions.maxStalledCount ?? 1;
    if (!Number.isInteger(maxStalledCount) || maxStalledCount < 0) {
      throw invalid('maxStalledCount', 'must be an integer of 0 or more');
    }
    const reconcileOptions = workOptions.reconcile ?? {};
    const { onResult } = workOptions;
    const onError =
      workOptions.onError ??
      ((error: Error) =>
        console.error(`@kabar/redis broadcast queue worker: ${maskPhonesIn(error.message)}`));

    // Its own connection: BullMQ's workers need commands that never give up while Redis is away,
    // and so do the records written after a send, which must not be lost to a brief outage.
    const workerRedis = workerConnection(options.connection, redis);

    /** Stores a row's outcome; resolves with what the row's record is now (a send already recorded wins). */
    async function record(row: RowTry, stored: FinalRecord): Promise<FinalRecord> {
      const isSent = stored.status === 'sent';
      const kept = (await workerRedis.eval(
        RECORD,
        4,
        row.keys.results,
        row.keys.counts,
        row.keys.rows,
        row.keys.sentTo,
        row.key,
        JSON.stringify(stored),
        stored.status,
        (isSent && tryNormalizePhone(stored.to)) || '',
        isSent ? stored.messageId : '',
      )) as string;
      if (kept !== '') return JSON.parse(kept) as FinalRecord;
      report(row.key, stored);
      return stored;
    }

    /** Records the row as sent. */
    async function sent(
      row: RowTry,
      send: { to: string; messageId: string; evidence?: string },
    ): Promise<BroadcastJobReturn> {
      const stored: BroadcastJobReturn = {
        status: 'sent',
        jobId: row.jobId,
        ...send,
        ...done(row),
      };
      await record(row, stored);
      return stored;
    }

    /** Ends a try that did not send: unless another try of the row was recorded as sent meanwhile. */
    async function notSent(row: RowTry, stored: NotSentRecord): Promise<BroadcastJobReturn> {
      const now = await record(row, stored);
      if (now.status === 'sent') return now;
      throw new UnrecoverableError(
        stored.status === 'failed'
          ? `${stored.error.code}: ${stored.error.message}`
          : `maybe_sent: ${stored.reason}`,
      );
    }

    /**
     * Records a row the client's send policy refused before any request: nothing was sent and
     * nothing failed, so the job completes. A send of the row recorded by an earlier try wins.
     */
    async function skip(row: RowTry, reason: SkipReason): Promise<BroadcastJobReturn> {
      const stored: BroadcastJobReturn = {
        status: 'skipped',
        jobId: row.jobId,
        ...optionalTo(row.to),
        reason,
        ...done(row),
      };
      // RECORD keeps only a 'sent' over a new record, so what is there now is one of the two.
      return (await record(row, stored)) as BroadcastJobReturn;
    }

    /** A failed record; `fromRecords`: the gateway's records showed the failure. */
    function failed(
      row: RowTry,
      error: KabarError,
      fromRecords?: { messageId: string | undefined; evidence: string },
    ): NotSentRecord {
      return {
        status: 'failed',
        jobId: row.jobId,
        ...optionalTo(row.to),
        error: error.toJSON(),
        ...(fromRecords?.messageId === undefined ? {} : { messageId: fromRecords.messageId }),
        ...(fromRecords === undefined ? {} : { evidence: fromRecords.evidence }),
        ...done(row),
      };
    }

    /** A maybe_sent record, with what a person needs to check it. */
    function maybeSent(
      row: RowTry,
      sending: SendingRecord,
      reason: string,
      evidence: string,
      error: KabarError | undefined,
    ): NotSentRecord {
      return {
        status: 'maybe_sent',
        jobId: row.jobId,
        ...optionalTo(row.to),
        reason,
        ...(error === undefined ? {} : { error: error.toJSON() }),
        evidence,
        startedAt: sending.startedAt,
        ...done(row),
      };
    }

    function report(key: string, stored: FinalRecord): void {
      if (!onResult) return;
      try {
        onResult(toResult(key, stored));
      } catch {
        // Observers never change what happened to a row.
      }
    }

    async function processJob(
      job: Job<BroadcastJobData, BroadcastJobReturn>,
    ): Promise<BroadcastJobReturn> {
      const { broadcastId, key, message } = job.data;
      const attempt = job.attemptsMade + 1;
      const row: RowTry = {
        key,
        jobId: job.id as string,
        message,
        to: recipientOf(message),
        attempt,
        lastAttempt: attempt >= (job.opts.attempts ?? 1),
        keys: keysOf(broadcastId),
      };
      // The row's workers kept dying: this try sends nothing new, it only settles the row.
      const givenUp = job.stalledCounter > maxStalledCount;

      const [claim, current] = (await workerRedis.eval(
        CLAIM,
        2,
        row.keys.results,
        row.keys.counts,
        key,
        deduplicates && !givenUp ? '0' : '1',
        String(attempt),
        new Date().toISOString(),
      )) as [string, string];
      const stored = JSON.parse(current) as StoredRecord;
      if (stored.status === 'sent') return stored;
      if (claim === 'done') {
        throw new UnrecoverableError(`maybe_sent: ${(stored as { reason?: string }).reason}`);
      }
      const sending = stored as SendingRecord;
      if (claim === 'claimed') {
        return reconcile(row, sending, givenUp ? MAYBE_SENT_STALLED : MAYBE_SENT_CLAIMED);
      }
      if (givenUp) {
        const error = new KabarError(
          'provider_error',
          'broadcast queue: the workers taking this row kept stopping before its send started; given up',
          { provider: client.provider },
        );
        return notSent(row, failed(row, error));
      }
      return send(row, sending);
    }

    /**
     * Sends the row, always with its job id as the idempotency key. `resentAfter`: the gateway's
     * records showed an earlier try never arrived, and this is the one more send they call for.
     */
    async function send(
      row: RowTry,
      sending: SendingRecord,
      resentAfter?: string,
    ): Promise<BroadcastJobReturn> {
      let answer: SendResult;
      try {
        // The job id names the row for good: a resend after a crash carries the same key, and a
        // gateway that deduplicates (Kirem) drops it.
        // Marketing unless the message says otherwise: rows enqueued before the queue stamped
        // the broadcast's category on each message are treated as core's broadcast treats them.
        answer = await client.send({
          category: DEFAULT_CATEGORY,
          ...row.message,
          idempotencyKey: row.jobId,
        });
      } catch (thrown) {
        const error = asKabarError(thrown);
        // The send policy (or the gateway, for the window) refused it before it was taken:
        // the row is skipped, as core's broadcast skips it, not failed and not retried.
        if (isPolicyRefusal(thrown)) return skip(row, thrown.code);
        const unknown = !KabarError.isInstance(thrown) || error.maybeAccepted;
        // BullMQ tries again, unless this was the last try or the one resend records called for.
        if (!row.lastAttempt && resentAfter === undefined) {
          if (error.isRetryable && !error.maybeAccepted) {
            // The gateway did not take it: give the claim back; the retry waits for a backoff.
            await workerRedis.eval(RELEASE, 1, row.keys.results, row.key);
            throw error;
          }
          if (unknown && deduplicates) throw error; // same key again: safe
        }
        if (!unknown) return notSent(row, failed(row, error));
        if (resentAfter === undefined) return reconcile(row, sending, MAYBE_SENT_UNKNOWN, error);
        const evidence = `${resentAfter}; sent once more, and that failed too`;
        return notSent(row, maybeSent(row, sending, MAYBE_SENT_UNKNOWN, evidence, error));
      }
      return sent(row, {
        to: row.to ?? answer.to,
        messageId: answer.id,
        ...(resentAfter === undefined ? {} : { evidence: `${resentAfter}; sent once more` }),
      });
    }

    /**
     * Settles a send of unknown outcome from the gateway's records instead of leaving it to a
     * person: sent or failed as they show, sent once more (same key) where they show it never
     * arrived, and maybe_sent, with what they said, where they cannot tell.
     */
    async function reconcile(
      row: RowTry,
      sending: SendingRecord,
      reason: string,
      error?: KabarError,
    ): Promise<BroadcastJobReturn> {
      const uncertain = {
        message: row.message,
        to: row.to,
        startedAt: sending.startedAt,
        otherMessageIds: await otherSendsToNumberOf(row),
      };
      const found = await askGateway(client, uncertain, reconcileOptions);
      if (found.outcome === 'sent' && found.messageId !== undefined && row.to !== undefined) {
        return sent(row, { to: row.to, messageId: found.messageId, evidence: found.evidence });
      }
      if (found.outcome === 'failed') {
        const failure = new KabarError(
          'provider_error',
          `broadcast queue: the gateway's records show this message failed (${found.evidence})`,
          { provider: client.provider },
        );
        return notSent(row, failed(row, failure, found));
      }
      if (found.outcome === 'not_sent') return send(row, sending, found.evidence);
      return notSent(row, maybeSent(row, sending, reason, found.evidence, error));
    }

    /** What the broadcast's other rows sent to this row's number: never this row's message. */
    async function otherSendsToNumberOf(row: RowTry): Promise<string[]> {
      const number = row.to === undefined ? undefined : tryNormalizePhone(row.to);
      if (number === undefined) return [];
      const ids = await workerRedis.hget(row.keys.sentTo, number);
      return ids ? ids.split(' ') : [];
    }

    const bullWorker = new Worker<BroadcastJobData, BroadcastJobReturn>(name, processJob, {
      connection: workerRedis,
      prefix,
      concurrency,
      ...(limit
        ? {
            limiter: fixedWindowsFor(
              limit.max,
              limit.durationMs,
              limit.jitterMs ?? DEFAULT_JITTER_MS,
            ),
          }
        : {}),
      lockDuration,
      stalledInterval,
      // One more than ours: the processor gives a row up itself, where it can still settle it
      // from the gateway's records; BullMQ's own limit is for a try that died doing that.
      maxStalledCount: maxStalledCount + 1,
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
      const keys = keysOf(broadcastId);
      const base = {
        jobId: job.id as string,
        ...optionalTo(recipientOf(message)),
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
      const settle = (
        workerRedis.eval(
          SETTLE,
          3,
          keys.results,
          keys.counts,
          keys.rows,
          key,
          JSON.stringify(maybeSent),
          JSON.stringify(failed),
        ) as Promise<string>
      ).then(
        (stored) => {
          if (stored !== '') report(key, JSON.parse(stored) as FinalRecord);
        },
        (settleError: Error) => onError(settleError),
      );
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
          await bullWorker.close();
          await Promise.all(settling);
          await workerRedis.quit().catch(() => workerRedis.disconnect());
        })();
        return closing;
      },
    };
  }

  return queue;
}

/** A broadcast's bookkeeping keys in Redis (see broadcast-queue/scripts.ts). */
interface BroadcastKeys {
  rows: string;
  results: string;
  counts: string;
  sentTo: string;
}

/** One try of one row, as a worker runs it. */
interface RowTry {
  key: string;
  jobId: string;
  message: OutgoingMessage;
  to: string | undefined;
  attempt: number;
  lastAttempt: boolean;
  keys: BroadcastKeys;
}

/** The fields every record of a finished try carries. */
function done(row: RowTry): { attempts: number; finishedAt: string } {
  return { attempts: row.attempt, finishedAt: new Date().toISOString() };
}

/** Backoff between tries of a turned-away send: the gateway's Retry-After, else exponential with jitter. */
function backoffStrategy(
  attemptsMade: number,
  _type?: string,
  error?: Error,
  job?: MinimalJob,
): number {
  const retryAfter = (error as { retryAfter?: unknown } | undefined)?.retryAfter;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return Math.round(retryAfter * 1000);
  }
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : 1000;
  const ceiling = base * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Lets a BullMQ queue or worker finish connecting before it is closed, for up to `timeoutMs`.
 * BullMQ 5 closed while it is still connecting (connected, not yet through its Redis version check)
 * rejects that check and emits the error from a connection it has already stripped of listeners:
 * an uncaught 'error' that ends the process. A script whose broadcast is already settled closes
 * that soon. BullMQ 6 does not need this; with Redis unreachable, closing goes on after the timeout.
 */
async function doneConnecting(ready: () => Promise<unknown>, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    ready().catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

function connect(connection: BroadcastQueueConnection): { redis: Redis; owned: boolean } {
  if (connection instanceof Redis) return { redis: connection, owned: false };
  if (typeof connection === 'string') return { redis: new Redis(connection), owned: true };
  if (typeof connection === 'object' && connection !== null) {
    return { redis: new Redis(connection), owned: true };
  }
  throw invalid('connection', 'must be ioredis options, a redis:// URL or a Redis instance');
}

/** A worker's connection: the queue's settings, with commands that wait out a Redis outage. */
function workerConnection(connection: BroadcastQueueConnection, shared: Redis): Redis {
  if (typeof connection === 'string') return new Redis(connection, { maxRetriesPerRequest: null });
  if (connection instanceof Redis) return shared.duplicate({ maxRetriesPerRequest: null });
  return new Redis({ ...connection, maxRetriesPerRequest: null });
}

function jobIdFor(broadcastId: string, key: string): string {
  // BullMQ refuses custom ids with ':' in them, so the parts are URI-encoded and joined by '/'.
  return `${encodeURIComponent(broadcastId)}/${encodeURIComponent(key)}`;
}

function checkBroadcastId(broadcastId: unknown): asserts broadcastId is string {
  if (typeof broadcastId !== 'string' || broadcastId === '') {
    throw invalid('broadcastId', 'must be a non-empty string');
  }
}

function checkRow(
  broadcastId: string,
  row: unknown,
  index: number,
): asserts row is BroadcastQueueRow {
  const candidate = row as Partial<BroadcastQueueRow> | null;
  if (typeof candidate?.key !== 'string' || candidate.key === '') {
    throw invalid(`rows[${index}].key`, 'must be a non-empty string');
  }
  if (typeof candidate.message !== 'object' || candidate.message === null) {
    throw invalid(`rows[${index}].message`, 'must be a message object');
  }
  if (jobIdFor(broadcastId, candidate.key).length > MAX_JOB_ID_LENGTH) {
    throw invalid(
      `rows[${index}].key`,
      `with the broadcast id must stay within ${MAX_JOB_ID_LENGTH} characters once URI-encoded (it is the idempotency key)`,
    );
  }
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  const source = value as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null | undefined;
  return (
    typeof source?.[Symbol.asyncIterator] === 'function' ||
    typeof source?.[Symbol.iterator] === 'function'
  );
}

function toResult(key: string, stored: FinalRecord): BroadcastQueueResult {
  switch (stored.status) {
    case 'sent':
      return { key, ...stored };
    case 'failed':
      return { key, ...stored, error: errorFromJson(stored.error) };
    case 'maybe_sent': {
      // Every try of a row goes out with its job id as the key.
      const { error, ...rest } = stored;
      const result = { key, ...rest, idempotencyKey: stored.jobId };
      return error ? { ...result, error: errorFromJson(error) } : result;
    }
    case 'skipped':
      return { key, ...stored };
  }
}

/** A send refused before the gateway took it, for a reason core's broadcast skips a row for. */
function isPolicyRefusal(
  error: unknown,
): error is KabarError & { code: SkipReason; maybeAccepted: false } {
  return (
    KabarError.isInstance(error) &&
    (error.code === 'opted_out' || error.code === 'outside_window') &&
    !error.maybeAccepted
  );
}

function errorFromJson(json: Record<string, unknown>): KabarError {
  const options: KabarErrorOptions = {
    status: json.status as number | undefined,
    provider: json.provider as string | undefined,
    providerCode: json.providerCode as string | number | undefined,
    retryAfter: json.retryAfter as number | undefined,
    isRetryable: json.isRetryable === true,
    maybeAccepted: json.maybeAccepted === true,
    details: json.details,
  };
  return new KabarError(
    (json.code as KabarError['code'] | undefined) ?? 'provider_error',
    String(json.message ?? ''),
    options,
  );
}

function asKabarError(error: unknown): KabarError {
  if (KabarError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new KabarError('provider_error', `broadcast queue: sending failed: ${reason}`, {
    cause: error,
    isRetryable: true,
    maybeAccepted: true,
  });
}

function optionalTo(to: string | undefined): { to?: string } {
  return to === undefined ? {} : { to };
}

/** The message's `to` as given: a number, a group's id, or a batch joined by commas. */
function recipientOf(message: OutgoingMessage): string | undefined {
  const to = (message as { to?: unknown } | null)?.to;
  if (typeof to === 'string') return to;
  if (Array.isArray(to) && to.every((entry) => typeof entry === 'string')) return to.join(',');
  if (typeof to === 'object' && to !== null) {
    const group = (to as { group?: unknown }).group;
    if (typeof group === 'string') return group;
  }
  return undefined;
}

function invalid(option: string, problem: string): KabarError {
  return new KabarError('invalid_config', `broadcast queue: option "${option}" ${problem}`);
}
