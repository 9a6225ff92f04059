import { Redis } from 'ioredis';

/** What `testRedis` found. */
export interface TestRedis {
  /** `REDIS_URL`, else the local default `redis://127.0.0.1:6379`. */
  url: string;
  /** False only when no Redis answers outside CI: CI must have one, so there the tests run and fail. */
  runnable: boolean;
}

/**
 * For test files that need a real Redis: probes it once and, when none answers on a developer's
 * machine, says which suite is skipped instead of failing it.
 *
 * @example
 * ```ts
 * import { testRedis } from '@kabar/redis/testing';
 * import { Redis } from 'ioredis';
 * import { describe, it } from 'vitest';
 *
 * const { url, runnable } = await testRedis('my Redis tests');
 * describe.runIf(runnable)('my Redis tests', () => {
 *   it('answers', async () => {
 *     const redis = new Redis(url);
 *     await redis.ping();
 *     redis.disconnect();
 *   });
 * });
 * ```
 */
export async function testRedis(suite: string): Promise<TestRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let available = false;
  try {
    await probe.connect();
    available = (await probe.ping()) === 'PONG';
  } catch {
    available = false;
  } finally {
    probe.disconnect();
  }
  const inCi = process.env.CI !== undefined;
  if (!available && !inCi) console.warn(`${suite} skipped: no Redis answers at ${url}`);
  return { url, runnable: available || inCi };
}
