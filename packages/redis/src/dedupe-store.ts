import type { DedupeStore } from '@kabar/core/webhooks';
import type { Redis } from 'ioredis';

export type { DedupeStore };

/**
 * A `DedupeStore` several processes share: a claim is one atomic `SET NX PX`, so of two instances
 * receiving the same redelivered webhook exactly one handles it. Pass it as the webhook handler's
 * `dedupe`.
 */
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
