import { afterEach, describe, expect, it, vi } from 'vitest';
import { KabarError } from './errors.js';
import { rateLimiterFrom, tokenBucket } from './rate-limit.js';

describe('tokenBucket', () => {
  it('lets a burst through at once, then paces at the configured rate', async () => {
    const limiter = tokenBucket({ limit: 10, intervalMs: 200 });
    const started = performance.now();
    const grantedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.acquire('628111').then(() => grantedAt.push(performance.now() - started)),
      ),
    );
    grantedAt.sort((a, b) => a - b);
    expect(grantedAt[9]).toBeLessThan(150); // the burst of 10, well before the paced ones
    // ten more at 10 per 200 ms take another ~200 ms
    expect(grantedAt[19]).toBeGreaterThanOrEqual(180);
    expect(grantedAt[19]).toBeLessThan(600);
  });

  it('keeps separate budgets per key', async () => {
    const limiter = rateLimiterFrom({ perMinute: 1 });
    await limiter.acquire('a');
    const started = performance.now();
    await limiter.acquire('b');
    // Sharing a's budget would mean waiting a minute; the margin is for a loaded machine.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives the token back when a waiting caller aborts', async () => {
    const limiter = tokenBucket({ limit: 1, intervalMs: 1000 });
    await limiter.acquire('k');
    const controller = new AbortController();
    const waiting = limiter.acquire('k', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(
      (e) => KabarError.isInstance(e) && e.code === 'aborted',
    );
    const started = performance.now();
    await limiter.acquire('k');
    // ~1 s for the next token; had the aborted caller kept its reservation, ~2 s
    expect(performance.now() - started).toBeLessThan(1600);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => tokenBucket({ limit: 0, intervalMs: 1000 })).toThrow(/must be positive/);
  });
});

/** The most grants inside any window of `windowMs` (half-open), over sorted grant times. */
function mostInAnyWindow(times: number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('tokenBucket: exact in every window, the first included (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function grantTimes(
    limiter: ReturnType<typeof tokenBucket>,
    count: number,
    runForMs: number,
  ): Promise<number[]> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const started = performance.now();
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      void limiter.acquire('6281234567890').then(() => times.push(performance.now() - started));
    }
    await vi.advanceTimersByTimeAsync(runForMs);
    return times;
  }

  it('80 a second: never 81 in any second, and no slower than that', async () => {
    const times = await grantTimes(rateLimiterFrom({ perSecond: 80 }), 400, 10_000);
    expect(times).toHaveLength(400);
    expect(mostInAnyWindow(times, 1000)).toBe(80);
    expect(times.filter((t) => t < 1000)).toHaveLength(80); // a token bucket lets 160 through here
    expect(times.at(-1)).toBeLessThanOrEqual(4001);
  });

  it('5 a minute: never 6 in any minute', async () => {
    const times = await grantTimes(rateLimiterFrom({ perMinute: 5 }), 20, 10 * 60_000);
    expect(times).toHaveLength(20);
    expect(mostInAnyWindow(times, 60_000)).toBe(5);
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times.at(-1)).toBeLessThanOrEqual(3 * 60_000 + 1);
  });

  it('a burst below the limit: at most 5 at once, 20 a second all the same', async () => {
    const limiter = tokenBucket({ limit: 20, intervalMs: 1000, burst: 5 });
    const times = await grantTimes(limiter, 100, 20_000);
    expect(times).toHaveLength(100);
    expect(mostInAnyWindow(times, 250)).toBe(5);
    expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(20);
  });

  it('a fractional rate: 0.5 a second is one every 2 seconds', async () => {
    const times = await grantTimes(rateLimiterFrom({ perSecond: 0.5 }), 5, 20_000);
    expect(mostInAnyWindow(times, 2000)).toBe(1);
    expect(times.at(-1)).toBeLessThanOrEqual(8001);
  });
});
