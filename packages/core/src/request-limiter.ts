/** One call to count: its key, and the limit of that key's windows. */
export interface RequestLimitHit {
  /** What is counted, e.g. `otp:ip:203.0.113.7`. */
  key: string;
  /** Calls allowed per window. */
  limit: number;
  /** The window's length in milliseconds; it starts at the key's first call. */
  windowMs: number;
}

/** What a limiter answers for one counted call. */
export interface RequestLimitResult {
  /** False once more than `limit` calls fell in the key's current window. */
  allowed: boolean;
  /** Milliseconds left in the key's current window. */
  retryAfterMs: number;
}

/**
 * Counts requests per key in fixed windows, and says no past the limit (HTTP callers get a 429
 * rather than a wait). `@kabar/redis` implements it for many instances.
 */
export interface RequestLimiter {
  /**
   * Counts one call for `key` in its current window of `windowMs` milliseconds (a window starts
   * with the key's first call). `allowed` is false once more than `limit` calls fell in the
   * window; refused calls count too. `retryAfterMs` is the time left in the window.
   */
  hit(key: string, limit: number, windowMs: number): Promise<RequestLimitResult>;
  /**
   * Optional: counts several calls exactly as `hit` on each in turn would, and stops at the first
   * refused one: it counts, like every refused call, but the calls after it do not (a caller
   * refused by one limit must not spend the budgets behind it). Answers one result per counted
   * call, so a refusal is the last result. A limiter on a shared store implements it to count in
   * one round trip; callers go through `hitInOrder`, which falls back to `hit` without it.
   */
  hitInOrder?(hits: readonly RequestLimitHit[]): Promise<RequestLimitResult[]>;
}

/**
 * Counts `hits` in order through `limiter`, stopping after the first refusal: in one step when the
 * limiter has `hitInOrder`, else one `hit` after another. Answers one result per counted call.
 */
export async function hitInOrder(
  limiter: RequestLimiter,
  hits: readonly RequestLimitHit[],
): Promise<RequestLimitResult[]> {
  if (limiter.hitInOrder) return limiter.hitInOrder(hits);
  const results: RequestLimitResult[] = [];
  for (const { key, limit, windowMs } of hits) {
    const result = await limiter.hit(key, limit, windowMs);
    results.push(result);
    if (!result.allowed) break;
  }
  return results;
}

/** How many keys the memory limiter holds before it drops ended windows all at once. */
const SWEEP_ABOVE = 50_000;

/**
 * A `RequestLimiter` in this process's memory; use `redisRequestLimiter` from `@kabar/redis` when
 * several instances must share the counts. Ended windows are dropped as their keys come back, and
 * all at once when more than 50 000 keys are held (or twice as many as the last sweep kept).
 */
export function memoryRequestLimiter(): RequestLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  // Past the threshold with mostly live windows, sweeping on every new key would scan the whole
  // map each time; the next sweep waits until the map has doubled, so sweeps stay rare.
  let sweepAbove = SWEEP_ABOVE;

  return {
    async hit(key, limit, windowMs) {
      const now = Date.now();
      let window = windows.get(key);
      if (!window || window.endsAt <= now) {
        if (windows.size > sweepAbove) {
          for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k);
          sweepAbove = Math.max(SWEEP_ABOVE, windows.size * 2);
        }
        window = { count: 0, endsAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { allowed: window.count <= limit, retryAfterMs: window.endsAt - now };
    },
  };
}
