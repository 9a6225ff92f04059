import type { MessageStatus } from '../../types.js';

/**
 * A message's status as Kirem's logs report it. Kirem logs an accepted message as 'sent'; later
 * statuses need a webhook (status-progression).
 */
export function logStatus(status: MessageStatus): Exclude<MessageStatus, 'accepted'> {
  return status === 'accepted' ? 'sent' : status;
}
