import { digitsOnly } from './phone.js';
import type {
  InboxConversation,
  MessageFilter,
  MessageStatus,
  Provider,
  SandboxMessage,
} from './types.js';

/** Every status a stored message can have, for checking a `status` filter. */
export const MESSAGE_STATUSES: readonly MessageStatus[] = [
  'accepted',
  'queued',
  'sent',
  'delivered',
  'read',
  'played',
  'failed',
  'received',
];

/**
 * The customer a message belongs to: who wrote in, or whom the business wrote to. A Meta customer
 * known only by business-scoped user id has no number, so the user id names the conversation.
 */
export function counterpart(message: SandboxMessage): string {
  if (message.direction === 'inbound') return message.from ?? message.userId ?? '';
  return message.to || (message.userId ?? '');
}

/** Looks like a phone number as people write it, '+62 812-345' or '0812 345', not like words. */
const NUMBER_LIKE = /^[+\d\s().-]*\d[+\d\s().-]*$/;

/**
 * Whether `query` (already trimmed, non-empty) occurs in the message, case-insensitively: in its
 * text, id, numbers, user id, template name, idempotency key or group id. A query written like a
 * phone number is also compared digits to digits, so '+62 812-345' and '0812 345' find
 * '62812345678'.
 */
export function matchesQuery(message: SandboxMessage, query: string): boolean {
  const needle = query.toLowerCase();
  const fields = [
    message.text,
    message.id,
    message.to,
    message.from,
    message.userId,
    message.template?.name,
    message.idempotencyKey,
    message.groupId,
  ];
  if (fields.some((field) => field?.toLowerCase().includes(needle))) return true;
  if (!NUMBER_LIKE.test(query)) return false;
  const digits = digitsOnly(query);
  // People write Indonesian numbers with the trunk 0 ('0812…'); stored numbers start with 62.
  const forms = digits.startsWith('0') ? [digits, `62${digits.slice(1)}`] : [digits];
  return [message.to, message.from].some((number) => forms.some((form) => number?.includes(form)));
}

/** Whether a message passes every criterion the filter names; `limit` and `offset` are not criteria. */
export function matchesFilter(message: SandboxMessage, filter: MessageFilter): boolean {
  const to = filter.to === undefined ? undefined : digitsOnly(filter.to);
  const from = filter.from === undefined ? undefined : digitsOnly(filter.from);
  const query = filter.q?.trim() ?? '';
  return (
    (to === undefined || message.to === to) &&
    (from === undefined || message.from === from) &&
    (filter.userId === undefined || message.userId === filter.userId) &&
    (filter.direction === undefined || message.direction === filter.direction) &&
    (filter.provider === undefined || message.provider === filter.provider) &&
    (filter.type === undefined || message.type === filter.type) &&
    (filter.status === undefined || message.status === filter.status) &&
    (filter.conversation === undefined || counterpart(message) === filter.conversation) &&
    (query === '' || matchesQuery(message, query))
  );
}

/**
 * Messages (newest first) grouped by customer, in order of each one's newest message. Messages
 * with no customer to name (none today) are left out rather than lumped together.
 */
export function groupConversations(messages: readonly SandboxMessage[]): InboxConversation[] {
  const byCounterpart = new Map<string, InboxConversation>();
  for (const message of messages) {
    const key = counterpart(message);
    if (key === '') continue;
    const known = byCounterpart.get(key);
    if (known) {
      known.count += 1;
      if (!known.providers.includes(message.provider)) known.providers.push(message.provider);
    } else {
      const providers: Provider[] = [message.provider];
      byCounterpart.set(key, { counterpart: key, providers, count: 1, last: message });
    }
  }
  return [...byCounterpart.values()];
}
