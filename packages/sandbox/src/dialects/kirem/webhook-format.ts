import { statusErrorObject, type WireContent, type WireStatus } from '../../cloud-api/wire.js';
import type { WebhookWire } from '../../webhook-dispatch.js';

/**
 * Kirem's messages.received event: Meta's message fields under `data`, with the id as
 * `message_id` (seed: "Callback Webhook Klik Tombol").
 */
export function kiremMessageEvent(
  content: WireContent,
  fields: { from: string; messageId: string; timestamp: string; context?: { id: string } },
): unknown {
  return {
    event: 'messages.received',
    data: {
      from: fields.from,
      message_id: fields.messageId,
      timestamp: fields.timestamp,
      ...content,
      ...(fields.context ? { context: fields.context } : {}),
    },
  };
}

/**
 * The seed does not document Kirem's status events; this mirrors messages.received and Meta's
 * status fields (an assumption, see the README).
 */
export function kiremStatusEvent(status: WireStatus): unknown {
  return {
    event: 'messages.status',
    data: {
      message_id: status.messageId,
      status: status.status,
      // A send addressed only by business-scoped user id has that id as its recipient.
      recipient: status.recipient || status.recipientUserId || '',
      ...(status.recipientUserId === undefined
        ? {}
        : { recipient_user_id: status.recipientUserId }),
      timestamp: status.timestamp,
      ...(status.callbackData === undefined
        ? {}
        : { biz_opaque_callback_data: status.callbackData }),
      ...(status.error ? { errors: [statusErrorObject(status.error)] } : {}),
    },
  };
}

/** Kirem signs with the project's webhook secret in X-Kirem-Signature, over plain JSON. */
export const KIREM_WEBHOOK: WebhookWire = {
  provider: 'kirem',
  defaultSecret: 'kirem_webhook_secret',
  signatureHeader: 'x-kirem-signature',
  serialize: (event) => JSON.stringify(event),
};
