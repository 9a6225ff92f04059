import type { ConsentRecord, ConsentStore } from '@kabar/core';
import { luaScript, type RedisClient, runScript } from './script.js';

export type { ConsentRecord, ConsentStore };

/** Options of `redisConsentStore`. */
export interface RedisConsentStoreOptions {
  /** Prepended to every key. Default `kabar:`. */
  prefix?: string;
}

// Store and read back in one atomic step: of two instances recording the same STOP, exactly one
// gets the record from before it.
const SET = luaScript(`
local previous = redis.call('GET', KEYS[1])
-- Webhooks can arrive out of order: an older record never replaces a newer one.
if previous and cjson.decode(previous).at > tonumber(ARGV[2]) then
  return previous
end
redis.call('SET', KEYS[1], ARGV[1])
return previous
`);

function parse(stored: string | null): ConsentRecord | undefined {
  if (stored === null) return undefined;
  return JSON.parse(stored) as ConsentRecord;
}

/**
 * The `ConsentStore` of core's send policy on Redis, shared by every instance: a STOP seen by one
 * instance stops marketing from all of them. `set` stores the record and returns the one it
 * replaced in one Lua script, so of two instances that hear the same STOP exactly one sees the
 * change (and sends the confirmation). One key per contact, `<prefix>consent:<contact>`, holding
 * the record as JSON; consent records never expire. The script runs with EVALSHA; `redis` may be
 * a `Redis` or a `Cluster` (one key per call). The store never closes `redis`.
 *
 * @example
 * ```ts
 * import { createClient, createConversationTracker } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { redisConsentStore } from '@kabar/redis';
 * import { Redis } from 'ioredis';
 *
 * const consent = redisConsentStore(new Redis(process.env.REDIS_URL!));
 * // Pass the tracker to createWebhookHandler({ tracker }): STOP and START change consent.
 * const tracker = createConversationTracker({ consent });
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY! }),
 *   // Marketing to a contact who opted out, on any instance, throws opted_out.
 *   policy: { consent },
 * });
 * await tracker.optIn('0812-3456-7890', 'checkout');
 * ```
 */
export function redisConsentStore(
  redis: RedisClient,
  options: RedisConsentStoreOptions = {},
): ConsentStore {
  const prefix = options.prefix ?? 'kabar:';
  const keyOf = (contact: string) => `${prefix}consent:${contact}`;

  return {
    async get(contact) {
      return parse(await redis.get(keyOf(contact)));
    },
    async set(contact, record) {
      const previous = await runScript<string | null>(
        redis,
        SET,
        [keyOf(contact)],
        [JSON.stringify(record), String(record.at)],
      );
      return parse(previous);
    },
  };
}
