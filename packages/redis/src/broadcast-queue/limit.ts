/**
 * BullMQ's limiter for a sliding-window limit. BullMQ counts fixed windows: a window opens with
 * the first job it lets through and admits `max` jobs until it expires, so the jobs at the end of
 * one window and the start of the next can add up to 2 × max within `durationMs`. Shorter windows
 * of `perWindow` jobs each close that gap: a span of `durationMs` touches at most
 * ceil(durationMs / window) + 1 of them, and they are sized so that this many windows still admit
 * no more than `max`. The sizes are the ones that let the most jobs through (for 100 per second:
 * 2 jobs per 21 ms, 95 per second), and of those the one with the most slack; a limit of 1 cannot
 * be split and keeps BullMQ's own window.
 */
export function fixedWindowsFor(
  max: number,
  durationMs: number,
): { max: number; duration: number } {
  let best = { max, duration: Math.ceil(durationMs) };
  let bestRate = 0;
  let bestSlack = 0;
  for (let perWindow = 1; perWindow <= Math.floor(max / 2); perWindow++) {
    const windows = Math.floor(max / perWindow) - 1;
    const duration = Math.ceil(durationMs / windows);
    const rate = perWindow / duration;
    // How much longer than durationMs a span may be and still hold no more than max: room for
    // the jitter between a job starting and its request reaching the gateway.
    const slack = windows * duration - durationMs;
    if (rate > bestRate || (rate === bestRate && slack > bestSlack)) {
      best = { max: perWindow, duration };
      bestRate = rate;
      bestSlack = slack;
    }
  }
  return best;
}
