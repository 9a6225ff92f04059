import { digitsOnly } from './phone.js';
import type { MessageFilter, Provider, Read, SandboxMessage } from './types.js';

/** Sent and received messages, newest first, capped so a long-running sandbox does not grow without bound. */
export class MessageStore {
  #messages: SandboxMessage[] = [];

  constructor(
    private readonly capacity: number,
    private readonly onAdd: (message: SandboxMessage) => void,
  ) {}

  add(message: SandboxMessage): void {
    this.#messages.unshift(message);
    if (this.#messages.length > this.capacity) this.#messages.length = this.capacity;
    this.onAdd(message);
  }

  /** Every match (newest first) and, separately, the matches cut to `limit`. */
  query(filter: MessageFilter = {}): { total: number; messages: SandboxMessage[] } {
    const to = filter.to === undefined ? undefined : digitsOnly(filter.to);
    const from = filter.from === undefined ? undefined : digitsOnly(filter.from);
    const matching = this.#messages.filter(
      (message) =>
        (to === undefined || message.to === to) &&
        (from === undefined || message.from === from) &&
        (filter.userId === undefined || message.userId === filter.userId) &&
        (filter.direction === undefined || message.direction === filter.direction) &&
        (filter.provider === undefined || message.provider === filter.provider) &&
        (filter.type === undefined || message.type === filter.type),
    );
    return { total: matching.length, messages: matching.slice(0, filter.limit) };
  }

  get(id: string): SandboxMessage | undefined {
    return this.#messages.find((message) => message.id === id);
  }

  reset(): void {
    this.#messages = [];
  }
}

/** Read receipts clients sent, oldest first. */
export class ReadLog {
  #reads: Read[] = [];

  constructor(
    private readonly capacity: number,
    private readonly onAdd: (read: Read) => void = () => {},
  ) {}

  /** `typing`: the receipt also showed a typing indicator. */
  add(provider: Provider, messageId: string, typing = false): void {
    const read: Read = { provider, messageId, at: new Date().toISOString() };
    if (typing) read.typing = true;
    this.#reads.push(read);
    if (this.#reads.length > this.capacity) this.#reads.shift();
    this.onAdd(read);
  }

  list(provider?: Provider): Read[] {
    return this.#reads.filter((read) => provider === undefined || read.provider === provider);
  }

  reset(): void {
    this.#reads = [];
  }
}
