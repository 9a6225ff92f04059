/**
 * Per-chat state for multi-step conversations ("which step of the order is this customer on?").
 * `@kabar/redis` implements the same interface so several bot processes share it.
 */
export interface ChatStateStore {
  get(chatId: string): Promise<unknown>;
  /** `ttlMs`: forget the state after this long, so abandoned flows do not linger. */
  set(chatId: string, state: unknown, ttlMs?: number): Promise<void>;
  delete(chatId: string): Promise<void>;
}

/** An in-memory store for one process. */
export function memoryChatStateStore(): ChatStateStore {
  const states = new Map<string, { state: unknown; expiresAt: number }>();
  return {
    async get(chatId) {
      const entry = states.get(chatId);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        states.delete(chatId);
        return undefined;
      }
      return entry.state;
    },
    async set(chatId, state, ttlMs) {
      states.set(chatId, {
        state,
        expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + ttlMs,
      });
    },
    async delete(chatId) {
      states.delete(chatId);
    },
  };
}
