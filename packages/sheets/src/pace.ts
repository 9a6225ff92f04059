import type { WhatsAppClient } from '@kabar/core';
import { KabarError } from '@kabar/core';

/** A rate as a number of sends per window. */
export interface SendWindow {
  /** Sends allowed in any window of `intervalMs`. */
  limit: number;
  /** The window's length, in milliseconds. */
  intervalMs: number;
}

/** `{ perSecond: 80 }`, `{ perMinute: 5 }` or `{ limit, intervalMs }`. */
export type SendRate = { perSecond: number } | { perMinute: number } | SendWindow;

export function sendWindowOf(rate: SendRate): SendWindow {
  const window =
    'perSecond' in rate
      ? { limit: rate.perSecond, intervalMs: 1000 }
      : 'perMinute' in rate
        ? { limit: rate.perMinute, intervalMs: 60_000 }
        : { limit: rate.limit, intervalMs: rate.intervalMs };
  if (!(window.limit > 0) || !Number.isFinite(window.limit) || !(window.intervalMs > 0)) {
    throw new KabarError('invalid_config', 'rate: the limit and interval must be positive numbers');
  }
  return window;
}

interface Waiter {
  grant(): void;
}

/**
 * Wraps a client so its sends never exceed `limit` in any `intervalMs` window as the gateway sees
 * them, not only as this process starts them.
 *
 * A plain token bucket (the client's own `rateLimit`) meters the moments requests leave; network
 * jitter then squeezes them together on arrival, and a full bucket allows `limit` at once on top of
 * the steady rate, so a gateway counting per second can see more than `limit`. Here each send
 * holds one of `limit` slots from the moment it starts until `intervalMs` (plus 0.5%) after it completed. The
 * gateway receives a request after it started and before it completed, so any `limit + 1` sends
 * arrive at least `intervalMs` apart. Sends are also spaced `intervalMs / limit` apart, so the
 * budget is spread out rather than spent in a burst. The achieved rate is `limit` per
 * `intervalMs` plus one round trip.
 *
 * Create the inner client with `rateLimit: false`; retries inside one send stay in its slot.
 * Throws `KabarError` `invalid_config` when the limit or interval is not a positive number; a send
 * whose signal aborts while it waits for a slot rejects with `aborted`.
 */
export function paceSends(client: WhatsAppClient, rate: SendRate): WhatsAppClient {
  const { limit, intervalMs } = sendWindowOf(rate);
  const slots = Math.max(1, Math.floor(limit));
  const spacingMs = intervalMs / limit;
  // The gateway stamps arrivals with its own wall clock, which may run a little apart from this
  // process's monotonic one (NTP slewing) and is often cut to whole milliseconds.
  const marginMs = Math.max(2, intervalMs * 0.005);
  /** When each cooling slot becomes free again, in completion order (so ascending). */
  const cooling: number[] = [];
  let coolingHead = 0;
  let inFlight = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  const waiting: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function coolingCount(now: number): number {
    while (coolingHead < cooling.length && (cooling[coolingHead] as number) <= now) coolingHead++;
    if (coolingHead > 1024 && coolingHead * 2 > cooling.length) {
      cooling.splice(0, coolingHead);
      coolingHead = 0;
    }
    return cooling.length - coolingHead;
  }

  function pump(): void {
    if (timer !== undefined) return;
    while (waiting.length > 0) {
      const now = performance.now();
      const busy = inFlight + coolingCount(now);
      let dueAt = lastStart + spacingMs;
      if (busy >= slots) {
        // The slot that frees first is the oldest cooling one (in-flight ones free later still).
        const firstFree = cooling[coolingHead];
        if (firstFree === undefined) return; // every slot is in flight: a completion pumps again
        dueAt = Math.max(dueAt, firstFree);
      }
      if (dueAt > now) {
        timer = setTimeout(
          () => {
            timer = undefined;
            pump();
          },
          Math.max(1, Math.ceil(dueAt - now)),
        );
        return;
      }
      // Keep to the schedule: a timer that fired a little late does not push every later send
      // back (no drift); after an idle spell the schedule restarts from now (no saved-up burst).
      lastStart = now - dueAt < spacingMs ? dueAt : now;
      inFlight++;
      (waiting.shift() as Waiter).grant();
    }
  }

  function acquire(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new KabarError('aborted', 'aborted while waiting for the rate limit'));
        return;
      }
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = waiting.indexOf(waiter);
        if (index >= 0) waiting.splice(index, 1);
        reject(new KabarError('aborted', 'aborted while waiting for the rate limit'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(waiter);
      pump();
    });
  }

  function release(): void {
    inFlight--;
    cooling.push(performance.now() + intervalMs + marginMs);
    pump();
  }

  return {
    ...client,
    async send(message, call) {
      await acquire(call?.signal);
      try {
        return await client.send(message, call);
      } finally {
        release();
      }
    },
  };
}
