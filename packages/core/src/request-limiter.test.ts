import { describe, expect, it } from 'vitest';
import { memoryRequestLimiter } from './request-limiter.js';

describe('memoryRequestLimiter', () => {
  it('allows the limit within a window, then says how long until it reopens', async () => {
    const limiter = memoryRequestLimiter();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await limiter.hit('ip:1', 2, 100));
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
    expect(results[2]?.retryAfterMs).toBeGreaterThan(0);
    expect((await limiter.hit('ip:2', 2, 100)).allowed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await limiter.hit('ip:1', 2, 100)).allowed).toBe(true);
  });
});
