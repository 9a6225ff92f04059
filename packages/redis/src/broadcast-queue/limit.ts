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
