/**
 * Meta's customer-service window: for 24 hours after a customer's last message the business may
 * send them anything; after that, only approved templates.
 */
export const CUSTOMER_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One conversation: a customer (phone digits or business-scoped user id) and a business number. */
export interface ConversationKey {
  /** The business number the customer wrote to; `default` when you run one number. */
  business: string;
  /** Phone digits (`6281234567890`) or a business-scoped user id. */
  contact: string;
}

/**
 * When each customer last wrote. `memoryWindowStore()` serves one process; `redisWindowStore`
 * from `@kabar/redis` shares it between instances.
 */
export interface WindowStore {
  /** Notes that the customer wrote at `at` (epoch milliseconds); an older time never wins. */
  customerWrote(key: ConversationKey, at: number): Promise<void>;
  /** When the customer last wrote, or undefined when unknown (never, or forgotten). */
  lastCustomerMessage(key: ConversationKey): Promise<number | undefined>;
}

/** Whether the window is open at `now`, given when the customer last wrote. */
export function windowOpen(lastCustomerMessage: number | undefined, now: number): boolean {
  return lastCustomerMessage !== undefined && now - lastCustomerMessage < CUSTOMER_WINDOW_MS;
}

/** Options of `memoryWindowStore`. */
export interface MemoryWindowStoreOptions {
  /**
   * Conversations kept; past it the longest-silent are forgotten (their window is closed by then
   * in any busy app). Default 100 000.
   */
  maxEntries?: number;
}

/** A `WindowStore` in this process's memory, bounded in size. */
export function memoryWindowStore(options: MemoryWindowStoreOptions = {}): WindowStore {
  const maxEntries = options.maxEntries ?? 100_000;
  // A Map keeps insertion order: re-inserting on each message keeps the oldest first.
  const last = new Map<string, number>();
  const keyOf = (key: ConversationKey) => `${key.business}\n${key.contact}`;
  return {
    async customerWrote(key, at) {
      const id = keyOf(key);
      const known = last.get(id);
      if (known !== undefined && known >= at) return;
      last.delete(id);
      last.set(id, at);
      while (last.size > maxEntries) {
        const oldest = last.keys().next().value as string;
        last.delete(oldest);
      }
    },
    async lastCustomerMessage(key) {
      return last.get(keyOf(key));
    },
  };
}
