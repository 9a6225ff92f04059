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

/**
 * The hash tag Redis Cluster places a key by, as Redis finds it: what lies between the first `{`
 * and the next `}`, unless that is empty. Undefined when the key has none.
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

/**
 * The BullMQ prefix a queue uses: `prefix` as given on one node; on a Cluster a hash tag, so that
 * every key of the queue (BullMQ's jobs, lists, locks and limiter, and the broadcasts' own records,
 * all under `<prefix>:<name>:`) lives in one slot, as BullMQ's Lua scripts and ours need. A prefix
 * with a tag of its own (`{kabar}`, `app:{bq}`) is kept; any other becomes `{<prefix>}`.
 */
export function bullPrefixFor(prefix: string, cluster: boolean): string {
  if (!cluster || hashTagOf(prefix) !== undefined) return prefix;
  if (/[{}]/.test(prefix)) {
    throw invalid('prefix', 'on a Redis Cluster must hold a hash tag ({tag}) or no braces at all');
  }
  return `{${prefix}}`;
}

/**
 * The keys of one broadcast, under the queue's BullMQ prefix and name, beside its jobs: on a
 * Cluster the prefix is a hash tag (`bullPrefixFor`), so they share the slot of the queue's jobs.
 */
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
