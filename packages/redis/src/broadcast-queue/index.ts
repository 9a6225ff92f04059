// The `@kabar/redis/broadcast-queue` entry: a broadcast sent by worker processes through BullMQ.
// Only the public API is exported, so the modules behind it can change shape in a patch release.
export type { BroadcastQueueConnection } from './connection.js';
export type {
  BroadcastJobData,
  BroadcastQueueRow,
  EnqueueOptions,
  EnqueueResult,
} from './enqueue.js';
export type { BroadcastLimit } from './limit.js';
export {
  type BroadcastQueue,
  type BroadcastQueueOptions,
  createBroadcastQueue,
} from './queue.js';
export type { BroadcastJobReturn, SendingRecord, StoredRecord } from './records.js';
export type { BroadcastQueueResult, Finished, SkipReason } from './results.js';
export type { BroadcastQueueSummary } from './summary.js';
export type { BroadcastWorkOptions, WorkOptionsBase } from './work-options.js';
export type { BroadcastWorker } from './worker.js';
