import type { MessageIdStore } from '@kabar/core/webhooks';
import type { RedisClient } from './script.js';

export type { MessageIdStore };

/**
 * A `MessageIdStore` several processes share, so a Fonnte status callback named only by its
 * `stateid` gets its send id whichever instance received the first callback. Pass it as the
 * webhook handler's `messageIds`. One key per message, `<prefix>message-id:<stateid>`, holding the
 * send id; `redis` may be a `Redis` or a `Cluster`.
 *
 * @example
 * ```ts
 * import { createWebhookHandler } from '@kabar/core/webhooks';
 * import { redisMessageIdStore } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const webhook = createWebhookHandler({
 *   provider: 'fonnte',
 *   secret: process.env.FONNTE_WEBHOOK_SECRET!,
 *   // Delivered and read callbacks reach onEvents with the id send() returned.
 *   messageIds: redisMessageIdStore({ redis }),
 *   onEvents: (events) => console.log(events.length, 'events'),
 * });
 * ```
 */
export function redisMessageIdStore(options: {
  redis: RedisClient;
  prefix?: string;
}): MessageIdStore {
  const { redis } = options;
  const prefix = `${options.prefix ?? 'kabar:'}message-id:`;
  return {
    async remember(alias, id, ttlMs) {
      await redis.set(`${prefix}${alias}`, id, 'PX', ttlMs);
    },
    async lookup(alias) {
      return (await redis.get(`${prefix}${alias}`)) ?? undefined;
    },
  };
}
