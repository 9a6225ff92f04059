import type { MessageCategory, OutgoingMessage } from '@kabar/core';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../script.js';
import { BACKOFF_TYPE } from './backoff.js';
import { invalid } from './errors.js';
import { type BroadcastKeys, jobIdFor, MAX_JOB_ID_LENGTH } from './keys.js';
import type { BroadcastJobReturn } from './records.js';

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

/** What each BullMQ job holds: one row of one broadcast. */
export interface BroadcastJobData {
  /** The broadcast the row belongs to. */
  broadcastId: string;
  /** The row's key. */
  key: string;
  /** The row's message. */
  message: OutgoingMessage;
}

/** As core's `broadcast`: a broadcast is marketing unless told, or its message says, otherwise. */
export const DEFAULT_CATEGORY: MessageCategory = 'marketing';
const CATEGORIES: readonly MessageCategory[] = ['marketing', 'utility', 'authentication'];

/** Where `enqueueRows` adds a broadcast's rows, and how their jobs retry. */
export interface EnqueueTarget {
  bullQueue: Queue<BroadcastJobData, BroadcastJobReturn>;
  redis: RedisClient;
  keysOf(broadcastId: string): BroadcastKeys;
  attempts: number;
  backoffMs: number;
}

/** `queue.enqueue`: one job per row, in batches, each row once per broadcast (by its key). */
export async function enqueueRows(
  target: EnqueueTarget,
  broadcastId: string,
  rows: Iterable<BroadcastQueueRow> | AsyncIterable<BroadcastQueueRow>,
  options: EnqueueOptions,
): Promise<EnqueueResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw invalid('batchSize', 'must be a positive integer');
  }
  const category = options.category ?? DEFAULT_CATEGORY;
  if (!CATEGORIES.includes(category)) {
    throw invalid('category', `must be one of ${CATEGORIES.join(', ')}`);
  }
  if (!isIterable(rows)) {
    throw invalid('rows', 'must be an iterable or async iterable of { key, message }');
  }
  const { bullQueue, redis, attempts, backoffMs } = target;
  const keys = target.keysOf(broadcastId);
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
