import { unixSeconds } from '../calendar.js';
import { newMessageId } from '../ids.js';
import { DEFAULT_CUSTOMER_NAME } from '../inbound-input.js';
import { digitsOnly } from '../phone.js';
import type { SandboxState } from '../state.js';
import type { DeliveredMessage, InboundInput, SandboxMessage } from '../types.js';
import { deliverWebhooks } from '../webhook-dispatch.js';
import { BUSINESS_PHONE_NUMBER, type CloudChannel } from './channel.js';
import type { WireContent } from './wire.js';

/**
 * A customer writes to the business through Kirem or Meta: the message is stored (direction
 * 'inbound'), opens the customer service window again, and goes to the provider's webhook.
 */
export async function receiveCloudInbound(
  state: SandboxState,
  channel: CloudChannel,
  input: InboundInput,
  content: WireContent,
  text: string,
): Promise<DeliveredMessage> {
  const from = input.from === undefined ? undefined : digitsOnly(input.from);
  const now = state.clock.now();
  const messageId = newMessageId();
  const wire = channel.messageEvent({
    content,
    ...(from === undefined ? {} : { from }),
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    ...(input.username === undefined ? {} : { username: input.username }),
    name: input.name ?? DEFAULT_CUSTOMER_NAME,
    messageId,
    timestamp: unixSeconds(now),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  });
  const phoneNumberId = channel.defaultPhoneNumberId;
  const message: SandboxMessage = {
    id: messageId,
    provider: channel.provider,
    direction: 'inbound',
    ...(from === undefined ? {} : { from }),
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    to: BUSINESS_PHONE_NUMBER,
    type: content.type,
    text,
    payload: wire.payload,
    status: 'received',
    createdAt: new Date(now).toISOString(),
    phoneNumberId,
  };
  // Each customer message opens the 24-hour customer service window again.
  state.windows.open(channel.provider, phoneNumberId, { from, userId: input.userId }, now);
  state.messages.add(message);
  const deliveries = await deliverWebhooks(state, channel.webhook, 'message', wire.event);
  return { message, deliveries };
}
