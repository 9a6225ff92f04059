import type { WebhookEvent } from '@kabar/core/webhooks';
import { contentText } from '@kabar/core/webhooks';

/** One message in a conversation, either way. */
export interface InboxMessage {
  /** The gateway's message id. */
  id: string;
  direction: 'inbound' | 'outbound';
  /** The customer's number, digits only. */
  customer: string;
  /** The message's kind: `text`, `image`, `button`, ... */
  type: string;
  /** Its text, caption or tapped title; empty for content without words. */
  text: string;
  /** When it was received or sent, ISO 8601. */
  at: string;
}

/** One customer's conversation, as `list_conversations` shows it. */
export interface InboxConversation {
  customer: string;
  /** Their WhatsApp profile name, when a webhook carried it. */
  name?: string;
  messages: number;
  last: InboxMessage;
}

/**
 * Conversations kept by Kabar itself, for gateways without an inbox of their own: customers'
 * messages from the webhook endpoint, and what the tools sent them.
 */
export interface Inbox {
  /** Notes the customer messages among `events`. */
  receive(events: readonly WebhookEvent[]): void;
  /** Notes a message the server sent. */
  sent(message: Omit<InboxMessage, 'direction' | 'at'>): void;
  /** The conversations, most recent first. */
  conversations(limit?: number): InboxConversation[];
  /** One customer's messages, oldest first; empty for a customer never seen. */
  conversation(customer: string): InboxMessage[];
}

/**
 * An `Inbox` in memory, holding the latest `maxMessages` messages (default 10 000); the oldest
 * go first, so a busy number cannot grow it without bound.
 */
export function memoryInbox({ maxMessages = 10_000 }: { maxMessages?: number } = {}): Inbox {
  const byCustomer = new Map<string, { name?: string; messages: InboxMessage[] }>();
  const order: InboxMessage[] = [];

  function add(message: InboxMessage, name?: string) {
    const entry = byCustomer.get(message.customer) ?? { messages: [] };
    if (name) entry.name = name;
    entry.messages.push(message);
    // Re-inserting moves the customer to the end: the map stays in order of latest message.
    byCustomer.delete(message.customer);
    byCustomer.set(message.customer, entry);
    order.push(message);
    if (order.length <= maxMessages) return;
    const oldest = order.shift() as InboxMessage;
    const owner = byCustomer.get(oldest.customer);
    owner?.messages.shift();
    if (owner?.messages.length === 0) byCustomer.delete(oldest.customer);
  }

  return {
    receive(events) {
      for (const event of events) {
        if (event.kind !== 'message' || event.groupId) continue;
        add(
          {
            id: event.id ?? '',
            direction: 'inbound',
            customer: event.from,
            type: event.content.type,
            text: contentText(event.content) ?? '',
            at: (event.timestamp ?? new Date()).toISOString(),
          },
          event.name,
        );
      }
    },
    sent(message) {
      add({ ...message, direction: 'outbound', at: new Date().toISOString() });
    },
    conversations(limit = 50) {
      return [...byCustomer.entries()]
        .reverse()
        .slice(0, limit)
        .map(([customer, { name, messages }]) => ({
          customer,
          name,
          messages: messages.length,
          last: messages[messages.length - 1] as InboxMessage,
        }));
    },
    conversation(customer) {
      return [...(byCustomer.get(customer)?.messages ?? [])];
    },
  };
}
