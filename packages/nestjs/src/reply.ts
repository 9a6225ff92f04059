import { MESSAGE_KINDS } from '@kabar/core';
import type { ReplyMessage } from '@kabar/core/bot';
import type { WhatsAppMessageContext } from './execution-context.js';

function replyOf(value: unknown): ReplyMessage | undefined {
  if (typeof value === 'string') return { text: value };
  if (typeof value !== 'object' || value === null) return undefined;
  // A send's result (what `return context.reply.text(...)` gives) has no content key, so handlers
  // that reply themselves do not reply twice.
  if (!MESSAGE_KINDS.some((key) => key in value)) return undefined;
  // A reply always goes to the chat the event came from; a `to` here means another recipient.
  if ('to' in value) {
    throw new TypeError(
      'a returned message goes to the chat it answers and takes no `to`; send messages to others ' +
        'with WhatsAppService',
    );
  }
  return value as ReplyMessage;
}

/**
 * Sends what a message handler returned, in order: a string as a text, a message as it is, an
 * array item by item. Anything else (undefined, a send's result, a number) sends nothing.
 */
export async function sendReturned(context: WhatsAppMessageContext, value: unknown): Promise<void> {
  for (const item of Array.isArray(value) ? value : [value]) {
    const message = replyOf(item);
    if (message) await context.reply.send(message);
  }
}
