import type { Reply } from './http.js';

interface Entry {
  fingerprint: string;
  /** Set once the first request was accepted; until then the key is in flight. */
  reply?: Reply;
  settled: Promise<void>;
}

/** What a request with an idempotency key may do: replay the first answer, be refused, or run. */
export type Claim =
  | { kind: 'replay'; reply: Reply }
  | { kind: 'conflict' }
  /** This request owns the key and must call settle() exactly when it knows its result. */
  | { kind: 'owner'; settle(reply?: Reply): void };

/**
 * Idempotency-Key records. Only accepted (2xx) results are remembered: a request that failed never
 * reached the point where the gateway would have sent anything, so a retry must run again.
 */
export class IdempotencyStore {
  #entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  async claim(scope: string, fingerprint: string): Promise<Claim> {
    for (;;) {
      const entry = this.#entries.get(scope);
      if (!entry) return this.#own(scope, fingerprint);
      if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
      if (entry.reply) return { kind: 'replay', reply: entry.reply };
      // In flight: wait for the first request, then look again (it may have failed and freed the key).
      await entry.settled;
    }
  }

  reset(): void {
    this.#entries.clear();
  }

  #own(scope: string, fingerprint: string): Claim {
    let release = () => {};
    const entry: Entry = { fingerprint, settled: new Promise((resolve) => (release = resolve)) };
    this.#entries.set(scope, entry);
    const oldest = this.#entries.keys().next().value;
    if (this.#entries.size > this.capacity && oldest !== undefined) this.#entries.delete(oldest);

    let settled = false;
    return {
      kind: 'owner',
      settle: (reply) => {
        if (settled) return;
        settled = true;
        // The store may have been reset meanwhile; then this entry is gone and must stay gone.
        if (this.#entries.get(scope) === entry) {
          if (reply && reply.status >= 200 && reply.status < 300) entry.reply = reply;
          else this.#entries.delete(scope);
        }
        release();
      },
    };
  }
}
