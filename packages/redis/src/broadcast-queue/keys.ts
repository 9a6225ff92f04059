import { invalid } from './errors.js';

/** A broadcast's bookkeeping keys in Redis (see scripts.ts for what each holds). */
export interface BroadcastKeys {
  rows: string;
  results: string;
  counts: string;
  sentTo: string;
}

/** Core refuses longer idempotency keys, and the job id is the idempotency key. */
export const MAX_JOB_ID_LENGTH = 255;

/** The keys of one broadcast, under the queue's BullMQ prefix and name, beside its jobs. */
export function keysOf(prefix: string, name: string, broadcastId: string): BroadcastKeys {
  const base = `${prefix}:${name}:kabar:${encodeURIComponent(broadcastId)}:`;
  return {
    rows: `${base}rows`,
    results: `${base}results`,
    counts: `${base}counts`,
    sentTo: `${base}sentTo`,
  };
}

/** A row's BullMQ job id, `<broadcastId>/<key>`: also the idempotency key of every try. */
export function jobIdFor(broadcastId: string, key: string): string {
  // BullMQ refuses custom ids with ':' in them, so the parts are URI-encoded and joined by '/'.
  return `${encodeURIComponent(broadcastId)}/${encodeURIComponent(key)}`;
}

/** Throws `invalid_config` unless the broadcast id is a non-empty string. */
export function checkBroadcastId(broadcastId: unknown): asserts broadcastId is string {
  if (typeof broadcastId !== 'string' || broadcastId === '') {
    throw invalid('broadcastId', 'must be a non-empty string');
  }
}
