import { invalid } from './errors.js';

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

const DEFAULT_JITTER_MS = 100;

/** Throws `invalid_config` unless `limit` is a well-formed `BroadcastLimit` or `false`. */
export function checkLimit(limit: BroadcastLimit | false): void {
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
}

/** The BullMQ worker option that keeps `limit` for every worker of the queue; none for `false`. */
export function limiterFor(
  limit: BroadcastLimit | false,
): { limiter: { max: number; duration: number } } | Record<string, never> {
  if (!limit) return {};
  return {
    limiter: fixedWindowsFor(limit.max, limit.durationMs, limit.jitterMs ?? DEFAULT_JITTER_MS),
  };
}

/**
 * BullMQ's limiter for a limit the gateway itself must never see exceeded. BullMQ counts fixed
 * windows: a window opens with the first job it lets through and admits `perWindow` jobs until it
 * expires, so the jobs at the end of one window and the start of the next can add up to twice
 * that within a short span. Shorter windows close that gap: a span of L ms touches at most
 * ceil(L / window) + 1 of them.
 *
 * The gateway counts sends when they arrive, and they arrive with jitter (a cold connection, a
 * busy event loop, the network): a window of `durationMs` at the gateway can hold sends that
 * started up to `durationMs + jitterMs` apart. So the windows are sized to admit no more than
 * `max` in any span of `durationMs + jitterMs`, which costs about jitterMs / durationMs of the
 * rate (plus a few percent for the split). Of the sizes that hold, the one that lets the most jobs
 * through wins, then the one with the most slack. A limit of 1 cannot be split: its window is the
 * whole span.
 */
export function fixedWindowsFor(
  max: number,
  durationMs: number,
  jitterMs: number,
): { max: number; duration: number } {
  const span = durationMs + jitterMs;
  let best = { max, duration: Math.ceil(span) };
  let bestRate = 0;
  let bestSlack = 0;
  for (let perWindow = 1; perWindow <= Math.floor(max / 2); perWindow++) {
    const windows = Math.floor(max / perWindow) - 1;
    const duration = Math.ceil(span / windows);
    const rate = perWindow / duration;
    // How much longer than the span a stretch of starts may be and still hold no more than max:
    // room for more jitter than was asked for.
    const slack = windows * duration - span;
    if (rate > bestRate || (rate === bestRate && slack > bestSlack)) {
      best = { max: perWindow, duration };
      bestRate = rate;
      bestSlack = slack;
    }
  }
  return best;
}
