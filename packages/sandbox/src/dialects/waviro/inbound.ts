import { unixSeconds } from '../../calendar.js';
import type { WireContent } from '../../cloud-api/wire.js';
import { newWebMessageId } from '../../ids.js';
import { digitsOnly } from '../../phone.js';
import type { DeliveredMessage, InboundInput, SandboxMessage } from '../../types.js';
import { deliverKeyword } from './keyword-webhooks.js';
import type { WaviroContext } from './state.js';

/**
 * A customer writes to the Waviro bot: the message is stored (direction 'inbound') and, when its
 * text starts with a keyword, POSTed to that keyword's URL.
 */
export async function receiveWaviroInbound(
  state: WaviroContext,
  input: InboundInput,
  content: WireContent,
  text: string,
): Promise<DeliveredMessage> {
  const from = input.from === undefined ? undefined : digitsOnly(input.from);
  // Waviro is not Cloud API and has no window or sandbox clock of its own.
  const now = Date.now();
  const messageId = newWebMessageId();
  const timestamp = unixSeconds(now);
  const message: SandboxMessage = {
    id: messageId,
    provider: 'waviro',
    direction: 'inbound',
    ...(from === undefined ? {} : { from }),
    to: state.waviro.bot.connection.number,
    type: content.type,
    text,
    payload: { from, id: messageId, timestamp, ...content },
    status: 'received',
    createdAt: new Date(now).toISOString(),
  };
  state.messages.add(message);
  // The control API gives Waviro senders a number.
  const deliveries =
    input.text && from !== undefined ? await deliverKeyword(state, from, input.text) : [];
  return { message, deliveries };
}
