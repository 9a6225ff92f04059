import {
  type ConversationKey,
  CUSTOMER_WINDOW_MS,
  KabarError,
  type WindowStore,
} from '@kabar/core';
import { luaScript, type RedisClient, runScript } from './script.js';

export type { ConversationKey, WindowStore };

/** Options of `redisWindowStore`. */
export interface RedisWindowStoreOptions {
  /** Prepended to every key. Default `kabar:`. */
  prefix?: string;
  /**
   * How long a conversation's entry is kept after the newest message noted in it, in
   * milliseconds. Once the 24-hour window has closed the entry says nothing a missing one does
   * not, so it may go; the margin past 24 hours covers late webhooks and clocks that differ.
   * Default 25 hours.
   */
  ttlMs?: number;
}

// One atomic step: of two instances noting messages of one customer at once, the newer time
// stays, whichever arrives last. ARGV: the time (epoch ms), the TTL in ms.
const WROTE = luaScript(`
local known = tonumber(redis.call('GET', KEYS[1]))
if known and known >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/**
 * The `WindowStore` of core's send policy on Redis, shared by every instance: a webhook that
 * reaches one instance opens the customer's 24-hour window for sends from all of them. Noting a
 * message is one Lua script, so the newest time always wins (a late, older webhook never closes a
 * window). One key per conversation, `<prefix>window:<business>:<contact>`, holding the time,
 * which expires `ttlMs` (default 25 hours) after the newest message. The script runs with
 * EVALSHA; `redis` may be a `Redis` or a `Cluster` (one key per call). The store never closes
 * `redis`.
 *
 * @example
 * ```ts
 * import { createClient, createConversationTracker } from '@kabar/core';
 * import { meta } from '@kabar/core/meta';
 * import { redisWindowStore } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const window = redisWindowStore(new Redis(process.env.REDIS_URL!));
 * // Pass the tracker to createWebhookHandler({ tracker }): inbound messages open windows.
 * const tracker = createConversationTracker({ window });
 * const wa = createClient({
 *   provider: meta({ accessToken: process.env.META_TOKEN!, phoneNumberId: '1234567890' }),
 *   // Free-form messages only inside the window, whichever instance saw the customer write.
 *   policy: { window: { store: window } },
 * });
 * ```
 */
export function redisWindowStore(
  redis: RedisClient,
  options: RedisWindowStoreOptions = {},
): WindowStore {
  const prefix = options.prefix ?? 'kabar:';
  const ttlMs = options.ttlMs ?? CUSTOMER_WINDOW_MS + 60 * 60 * 1000;
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new KabarError('invalid_config', 'redisWindowStore: ttlMs must be a positive integer');
  }
  // Parts URI-encoded, so a ':' in either can never make two conversations share a key.
  const keyOf = (key: ConversationKey) =>
    `${prefix}window:${encodeURIComponent(key.business)}:${encodeURIComponent(key.contact)}`;

  return {
    async customerWrote(key, at) {
      if (!Number.isFinite(at)) {
        throw new KabarError(
          'validation',
          'customerWrote: at must be a time in epoch milliseconds',
        );
      }
      await runScript(redis, WROTE, [keyOf(key)], [String(at), ttlMs]);
    },
    async lastCustomerMessage(key) {
      const stored = await redis.get(keyOf(key));
      return stored === null ? undefined : Number(stored);
    },
  };
}
