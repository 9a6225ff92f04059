/**
 * Counts requests per key in fixed windows, and says no past the limit (HTTP callers get a 429
 * rather than a wait). `@kabar/redis` implements it for many instances.
 */
export interface RequestLimiter {
  hit(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

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
