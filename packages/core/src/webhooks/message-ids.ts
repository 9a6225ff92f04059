/**
 * Remembers which sent message a gateway means when its later status callbacks name the message
 * by another id: Fonnte gives the send id (what `send()` returned) only in its first status
 * callback, beside WhatsApp's `stateid`, and names the message by the `stateid` alone in the
 * delivered and read callbacks after it. `@kabar/redis` has one that several instances share
 * (`redisMessageIdStore`).
 */
export interface MessageIdStore {
  /** Records that `alias` names the message sent as `id`, for `ttlMs`. */
  remember(alias: string, id: string, ttlMs: number): Promise<void>;
  /** The send id `alias` was recorded for, if it is still remembered. */
  lookup(alias: string): Promise<string | undefined>;
}

/**
 * How long a message's other id is remembered by default, in milliseconds: 30 days, as long as
 * WhatsApp keeps trying to deliver a message to a phone that is off.
 */
export const DEFAULT_MESSAGE_ID_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * An in-memory store for one process, holding at most `maxKeys` (default 100 000, a few MB): past
 * that the oldest are forgotten first, so a flood of callbacks cannot exhaust memory.
 */
export function memoryMessageIdStore(options: { maxKeys?: number } = {}): MessageIdStore {
  const maxKeys = options.maxKeys ?? 100_000;
  // Insertion order is expiry order for one TTL; a Map keeps it, so the oldest alias comes first.
  const entries = new Map<string, { id: string; expiresAt: number }>();
  return {
    async remember(alias, id, ttlMs) {
      entries.delete(alias);
      entries.set(alias, { id, expiresAt: Date.now() + ttlMs });
      while (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
    },
    async lookup(alias) {
      const entry = entries.get(alias);
      if (entry === undefined) return undefined;
      if (entry.expiresAt > Date.now()) return entry.id;
      entries.delete(alias);
      return undefined;
    },
  };
}
