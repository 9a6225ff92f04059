/**
 * Per-chat state for multi-step conversations ("which step of the order is this customer on?").
 * The bot keys it by gateway and customer (`kirem:6281234567890`). Implement it over a shared
 * database when several bot processes answer the same number, so they see the same state.
 */
export interface ChatStateStore {
  /** The state stored for the chat, or `undefined` when there is none or it expired. */
  get(chatId: string): Promise<unknown>;
  /** `ttlMs`: forget the state after this long, so abandoned flows do not linger. */
  set(chatId: string, state: unknown, ttlMs?: number): Promise<void>;
  /** Forgets the chat's state; nothing happens when there is none. */
  delete(chatId: string): Promise<void>;
}

/**
 * A store in this process's memory: not shared with other processes, and lost on restart. An
 * expired state is dropped when it is next read.
 */
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
