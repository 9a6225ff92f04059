import type { MinimalJob } from 'bullmq';

/** The backoff type the queue's jobs name, so BullMQ hands their retries to `backoffStrategy`. */
export const BACKOFF_TYPE = 'kabar';

/** Backoff between tries of a turned-away send: the gateway's Retry-After, else exponential with jitter. */
export function backoffStrategy(
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
