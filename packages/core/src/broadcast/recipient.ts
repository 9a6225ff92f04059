import type { OutgoingMessage } from '../message.js';

/**
 * The message's `to` as given, as one string for a row's result: a number, a group's id, or a
 * batch joined by commas; undefined when it is none of these (a business-scoped `{ userId }`, or
 * a malformed row). Never throws: rows come from users' data and their results must still be
 * reported.
 */
export function messageRecipient(message: OutgoingMessage): string | undefined {
  const to = (message as { to?: unknown } | null)?.to;
  if (typeof to === 'string') return to;
  if (Array.isArray(to) && to.every((entry) => typeof entry === 'string')) return to.join(',');
  if (typeof to === 'object' && to !== null) {
    const group = (to as { group?: unknown }).group;
    if (typeof group === 'string') return group;
  }
  return undefined;
}
