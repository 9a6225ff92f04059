import { ChangeSignal } from './change-signal.js';
import { groupConversations, matchesFilter } from './message-search.js';
import { currentRequest } from './recorded-request.js';
import type {
  ConversationPage,
  MessageFilter,
  MessagePage,
  Provider,
  Read,
  RecordedRequest,
  SandboxMessage,
  SessionMessage,
  StatusChange,
} from './types.js';

/** What the store knows of a message besides the message: where it came from, what it went through. */
interface MessageHistory {
  /** The gateway request that stored it; none for messages the control API or the sandbox made. */
  request?: RecordedRequest;
  statuses: StatusChange[];
}

/** Sent and received messages, newest first, capped so a long-running sandbox does not grow without bound. */
export class MessageStore {
  #messages: SandboxMessage[] = [];
  #histories = new Map<string, MessageHistory>();
  /** Fires after every change, statuses included. */
  readonly changes = new ChangeSignal();

  /** `now` is the sandbox's clock, for the times of status changes. */
  constructor(
    private readonly capacity: number,
    private readonly onAdd: (message: SandboxMessage) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Stores the message as the newest, with the gateway request being handled now (if a gateway
   * request is storing it) and its first status; the oldest message goes past the capacity.
   */
  add(message: SandboxMessage): void {
    this.#messages.unshift(message);
    const history: MessageHistory = { statuses: [statusOf(message, message.createdAt)] };
    const request = currentRequest();
    if (request) history.request = request;
    this.#histories.set(message.id, history);
    for (const dropped of this.#messages.splice(this.capacity)) {
      this.#histories.delete(dropped.id);
    }
    this.onAdd(message);
    this.changes.notify();
  }

  /**
   * Notes the message's current status in its history, unless it is the status already noted last.
   * Gateways change a stored message's status in place and announce it; this hears the announcement.
   */
  noteStatus(message: SandboxMessage): void {
    // The message itself changed in place whether or not its history gains an entry.
    this.changes.notify();
    const history = this.#histories.get(message.id);
    if (!history) return;
    const last = history.statuses.at(-1);
    if (last?.status === message.status && last.error?.code === message.error?.code) return;
    history.statuses.push(statusOf(message, new Date(this.now()).toISOString()));
  }

  /** Every match (newest first) and, separately, the matches from `offset` cut to `limit`. */
  query(filter: MessageFilter = {}): MessagePage {
    const matching = this.#messages.filter((message) => matchesFilter(message, filter));
    return { total: matching.length, messages: page(matching, filter) };
  }

  /** The customers whose messages match, by their newest match, paged like `query`. */
  conversations(filter: MessageFilter = {}): ConversationPage {
    const matching = this.#messages.filter((message) => matchesFilter(message, filter));
    const conversations = groupConversations(matching);
    return { total: conversations.length, conversations: page(conversations, filter) };
  }

  get(id: string): SandboxMessage | undefined {
    return this.#messages.find((message) => message.id === id);
  }

  /** The gateway request that stored the message, if a gateway request did. */
  requestOf(id: string): RecordedRequest | undefined {
    return this.#histories.get(id)?.request;
  }

  /** The statuses the message had, oldest first, from when it was stored. */
  statusesOf(id: string): StatusChange[] {
    return [...(this.#histories.get(id)?.statuses ?? [])];
  }

  reset(): void {
    this.#messages = [];
    this.#histories.clear();
    this.changes.notify();
  }

  /**
   * Every message with its request and statuses, newest first. These are the store's own objects,
   * for serializing at once; changing them changes the store.
   */
  snapshot(): SessionMessage[] {
    return this.#messages.map((message) => {
      const history = this.#histories.get(message.id);
      return { message, request: history?.request ?? null, statuses: history?.statuses ?? [] };
    });
  }

  /** Replaces every message with these (newest first), keeping the newest up to the capacity. */
  restore(entries: readonly SessionMessage[]): void {
    const kept = entries.slice(0, this.capacity);
    this.#messages = kept.map((entry) => entry.message);
    this.#histories = new Map(
      kept.map(({ message, request, statuses }) => [
        message.id,
        request ? { request, statuses: [...statuses] } : { statuses: [...statuses] },
      ]),
    );
    this.changes.notify();
  }
}

function statusOf(message: SandboxMessage, at: string): StatusChange {
  const change: StatusChange = { status: message.status, at };
  if (message.error) change.error = { ...message.error };
  return change;
}

function page<T>(items: T[], filter: MessageFilter): T[] {
  const offset = filter.offset ?? 0;
  return items.slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
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
