/** Counts requests per key in fixed windows, the way a gateway's "n requests per minute" limit does. */
export class RateWindow {
  #windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request. Over the limit, returns the seconds until the window reopens. */
  hit(key: string, now = Date.now()): number | undefined {
    let window = this.#windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
  }

  reset(): void {
    this.#windows.clear();
  }
}
