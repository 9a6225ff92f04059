import type { Redis } from 'ioredis';

/** Remembers which events were already handled, across processes (webhook retries, re-runs). */
export interface DedupeStore {
  /** True the first time a key is claimed within `ttlMs`; false for every repeat. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so a failed attempt can be tried again. */
  release(key: string): Promise<void>;
}

export function redisDedupeStore(options: { redis: Redis; prefix?: string }): DedupeStore {
  const { redis } = options;
  const prefix = `${options.prefix ?? 'kabar:'}dedupe:`;
  return {
    async claim(key, ttlMs) {
      return (await redis.set(`${prefix}${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.del(`${prefix}${key}`);
    },
  };
}
