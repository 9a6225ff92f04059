import type { DeliveryStatus, WebhookEvent } from '../../webhooks/events.js';
import { array, ItemError, type Json, string } from '../../webhooks/parse/json.js';
import { type ChangeScope, item, NO_CONTACTS } from '../../webhooks/parse/scope.js';
import type { WebhookDialect } from '../gateway.js';

const WAVIRO_ACKS: Record<number, DeliveryStatus> = {
  [-1]: 'failed',
  0: 'pending',
  1: 'sent',
  2: 'delivered',
  3: 'read',
};

/** Waviro's `notifyurl` ack `{msgid, ack}` as a status. */
function waviroAck(body: Json): WebhookEvent {
  const scope: ChangeScope = { provider: 'waviro', contacts: NO_CONTACTS };
  return item(scope, undefined, body, () => {
    const ack = Number(body.ack);
    const status = WAVIRO_ACKS[ack] ?? (ack > 3 ? 'read' : undefined);
    if (status === undefined) throw new ItemError(`ack ${String(body.ack)} is unknown`);
    return {
      kind: 'status',
      provider: 'waviro',
      messageId: string(body.msgid, 'msgid'),
      status,
      errors: [],
      raw: body,
    };
  });
}

/** A Waviro keyword call; its `webhookkey` is checked before (`auth` below). */
function waviroKeyword(body: Json): WebhookEvent {
  const scope: ChangeScope = { provider: 'waviro', contacts: NO_CONTACTS };
  return item(scope, undefined, body, () => {
    const from = string(body.from, 'from');
    return {
      kind: 'message',
      provider: 'waviro',
      from,
      sender: { phone: from },
      content: {
        type: 'keyword',
        keyword: string(body.keyword, 'keyword'),
        data: array(body.data).map((value, i) => string(value, `data[${i}]`)),
      },
      raw: body,
    };
  });
}

const isAck = (body: Json) => 'msgid' in body && 'ack' in body;

/**
 * Waviro's webhooks: `notifyurl` delivery acks, which carry no secret (give them an unguessable
 * URL), and keyword calls, which carry the keyword's `webhookkey`.
 */
export const waviroWebhook: WebhookDialect = {
  auth: { scheme: 'body-key', field: 'webhookkey' },
  handshake: false,
  detect: (body) => isAck(body) || ('keyword' in body && 'webhookkey' in body),
  parse: (body) => [isAck(body) ? waviroAck(body) : waviroKeyword(body)],
};
