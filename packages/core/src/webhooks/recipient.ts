import type { Recipient } from '../message.js';
import type { WhatsAppUser } from './events.js';

/**
 * Whom to answer a customer as: their phone number when the webhook gave one, else their
 * business-scoped user id as `{ userId }` (customers who hide their number behind a username).
 */
export function recipientOf(sender: WhatsAppUser, from: string): Recipient {
  if (sender.phone === undefined && sender.userId !== undefined) return { userId: sender.userId };
  return from;
}
