import type { WebhookEvent } from './events.js';

/**
 * Remembers which webhook items were already handled, so a redelivery reaches no handler twice.
 * `@kabar/redis` has one that several instances share (`redisDedupeStore`).
 */
export interface DedupeStore {
  /** True the first time a key is claimed within `ttlMs`; false for every repeat. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so a failed attempt can be tried again. */
  release(key: string): Promise<void>;
}

/**
 * How long a handled item is remembered by default, in milliseconds: seven days, because Meta
 * redelivers a webhook that did not get its 200 for up to seven days.
 */
export const DEFAULT_DEDUPE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * An in-memory store for one process, holding at most `maxKeys` (default 100 000, a few MB): past
 * that the oldest claims are forgotten first, so a flood of ids cannot exhaust memory.
 */
export function memoryDedupeStore(options: { maxKeys?: number } = {}): DedupeStore {
  const maxKeys = options.maxKeys ?? 100_000;
  // Insertion order is expiry order for one TTL; a Map keeps it, so the oldest key comes first.
  const expiries = new Map<string, number>();
  return {
    async claim(key, ttlMs) {
      const now = Date.now();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > now) return false;
      expiries.delete(key);
      expiries.set(key, now + ttlMs);
      while (expiries.size > maxKeys) {
        const oldest = expiries.keys().next().value as string;
        expiries.delete(oldest);
      }
      return true;
    },
    async release(key) {
      expiries.delete(key);
    },
  };
}

/**
 * What identifies an event across redeliveries: a message by its id, a status by its message id
 * and status. Other events have no stable id and are not deduplicated.
 */
export function dedupeKey(event: WebhookEvent): string | undefined {
  switch (event.kind) {
    case 'message':
      return event.id === undefined ? undefined : `${event.provider}:message:${event.id}`;
    case 'status':
      return `${event.provider}:status:${event.messageId}:${event.status}`;
    case 'echo':
      return event.id === undefined ? undefined : `${event.provider}:echo:${event.id}`;
    case 'call':
      return `${event.provider}:call:${event.callId}:${event.event}:${event.status ?? ''}`;
    default:
      return undefined;
  }
}
