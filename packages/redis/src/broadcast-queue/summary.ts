import { KabarError } from '@kabar/core';
import type { RedisClient } from '../script.js';
import type { BroadcastKeys } from './keys.js';

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

/** The broadcast's counts, read in one transaction so total and outcomes agree. */
export async function readSummary(
  redis: RedisClient,
  keys: BroadcastKeys,
): Promise<BroadcastQueueSummary> {
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

/** `queue.settled`: polls `summary` until no row is pending; throws on timeout or abort. */
export async function waitUntilSettled(
  summary: () => Promise<BroadcastQueueSummary>,
  {
    timeoutMs,
    intervalMs = 200,
    signal,
  }: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal },
): Promise<BroadcastQueueSummary> {
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  for (;;) {
    const current = await summary();
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
}
