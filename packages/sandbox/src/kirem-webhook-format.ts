import type { WireContent, WireStatus } from './meta-webhook-format';

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
      recipient: status.recipient,
      timestamp: status.timestamp,
      ...(status.error ? { errors: [{ code: status.error.code, title: status.error.title }] } : {}),
    },
  };
}
