import { describe, expect, it } from 'vitest';
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
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('gives the token back when a waiting caller aborts', async () => {
    const limiter = tokenBucket({ limit: 1, intervalMs: 300 });
    await limiter.acquire('k');
    const controller = new AbortController();
    const waiting = limiter.acquire('k', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(
      (e) => KabarError.isInstance(e) && e.code === 'aborted',
    );
    const started = performance.now();
    await limiter.acquire('k');
    // had the aborted caller kept its reservation, this one would wait ~600 ms
    expect(performance.now() - started).toBeLessThan(520);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => tokenBucket({ limit: 0, intervalMs: 1000 })).toThrow(/must be positive/);
  });
});
