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
  hit(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/**
 * A `RequestLimiter` in this process's memory; use `redisRequestLimiter` from `@kabar/redis` when
 * several instances must share the counts. Ended windows are dropped as their keys come back, and
 * all at once when more than 50 000 keys are held.
 */
export function memoryRequestLimiter(): RequestLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    async hit(key, limit, windowMs) {
      const now = Date.now();
      let window = windows.get(key);
      if (!window || window.endsAt <= now) {
        // Old windows are dropped as keys come back, and all at once when the map grows large.
        if (windows.size > 50_000) {
          for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k);
        }
        window = { count: 0, endsAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { allowed: window.count <= limit, retryAfterMs: window.endsAt - now };
    },
  };
}
