import type { DedupeStore } from '@kabar/core/webhooks';
import type { RedisClient } from './script.js';

export type { DedupeStore };

/**
 * A `DedupeStore` several processes share: a claim is one atomic `SET NX PX`, so of two instances
 * receiving the same redelivered webhook exactly one handles it. Pass it as the webhook handler's
 * `dedupe`. One key per event, `<prefix>dedupe:<key>`; `redis` may be a `Redis` or a `Cluster`.
 *
 * @example
 * ```ts
 * import { createWebhookHandler } from '@kabar/core/webhooks';
 * import { redisDedupeStore } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const webhook = createWebhookHandler({
 *   provider: 'kirem',
 *   secret: process.env.KIREM_WEBHOOK_SECRET!,
 *   // However many instances receive a redelivered event, one of them handles it.
 *   dedupe: redisDedupeStore({ redis: new Redis(process.env.REDIS_URL!) }),
 *   onEvents: (events) => console.log(events.length, 'events'),
 * });
 * ```
 */
export function redisDedupeStore(options: { redis: RedisClient; prefix?: string }): DedupeStore {
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
