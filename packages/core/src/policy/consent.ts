/** Whether a contact accepts marketing messages. */
export type ConsentStatus = 'opted_in' | 'opted_out';

/** A contact's consent: what they said, how it reached you, and when. */
export interface ConsentRecord {
  status: ConsentStatus;
  /**
   * How it was given: `keyword` (a STOP or START message), `user_preferences` (Meta's marketing
   * opt-out), `api`, or your own label (`checkout`, `import`…).
   */
  source: string;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * The consent ledger, keyed by contact (phone digits or business-scoped user id).
 * `memoryConsentStore()` serves one process; `redisConsentStore` from `@kabar/redis` shares it.
 */
export interface ConsentStore {
  /** The contact's latest consent, or undefined when they never said. */
  get(contact: string): Promise<ConsentRecord | undefined>;
  /**
   * Records `record` unless a newer one (a later `at`) is stored, since webhooks can arrive out of
   * order, and resolves with the record stored before the call. Atomic: of two instances that
   * hear the same STOP, exactly one sees the change from opted in, so a confirmation goes once.
   */
  set(contact: string, record: ConsentRecord): Promise<ConsentRecord | undefined>;
}

/** A `ConsentStore` in this process's memory. */
export function memoryConsentStore(): ConsentStore {
  const records = new Map<string, ConsentRecord>();
  return {
    async get(contact) {
      const record = records.get(contact);
      return record && { ...record };
    },
    async set(contact, record) {
      const previous = records.get(contact);
      if (previous === undefined || previous.at <= record.at) records.set(contact, { ...record });
      return previous && { ...previous };
    },
  };
}
