import { describe, expect, it } from 'vitest';
import { hitInOrder, memoryRequestLimiter, type RequestLimitHit } from './request-limiter.js';

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

  it('counts in order as separate hits would, and nothing after the first refusal', async () => {
    const hits: RequestLimitHit[] = [
      { key: 'ip', limit: 3, windowMs: 60_000 },
      { key: 'phone-ip', limit: 1, windowMs: 60_000 },
      { key: 'phone', limit: 5, windowMs: 60_000 },
    ];
    const limiter = memoryRequestLimiter();
    const rounds = [];
    for (let round = 0; round < 5; round++) {
      rounds.push((await hitInOrder(limiter, hits)).map((result) => result.allowed));
    }
    // phone-ip refuses from the 2nd round on, ip from the 4th; what follows a refusal is not
    // counted.
    expect(rounds).toEqual([[true, true, true], [true, false], [true, false], [false], [false]]);
    // So ip was counted 5 times, phone-ip 3 and phone once: the next counts are 6, 4 and 2.
    const nextAllowedAt = async (key: string, count: number) => [
      (await limiter.hit(key, count, 60_000)).allowed,
      (await limiter.hit(key, count, 60_000)).allowed,
    ];
    expect(await nextAllowedAt('ip', 6)).toEqual([true, false]);
    expect(await nextAllowedAt('phone-ip', 4)).toEqual([true, false]);
    expect(await nextAllowedAt('phone', 2)).toEqual([true, false]);
  });

  it('answers one result per counted hit, a refusal last', async () => {
    const limiter = memoryRequestLimiter();
    const hits = [
      { key: 'a', limit: 1, windowMs: 1000 },
      { key: 'b', limit: 1, windowMs: 1000 },
    ];
    expect(await hitInOrder(limiter, hits)).toEqual([
      { allowed: true, retryAfterMs: 1000 },
      { allowed: true, retryAfterMs: 1000 },
    ]);
    const refused = await hitInOrder(limiter, hits);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.allowed).toBe(false);
    expect(refused[0]?.retryAfterMs).toBeGreaterThan(0);
    expect(await hitInOrder(limiter, [])).toEqual([]);
  });
});
