import { KabarError } from '../../errors.js';
import { secretMatches } from '../../secret.js';
import type { DeliveryStatus, WebhookEvent } from '../events.js';
import type { ParseWebhookOptions } from '../parse.js';
import { array, ItemError, type Json, string } from './json.js';
import { type ChangeScope, item, NO_CONTACTS } from './scope.js';

const WAVIRO_ACKS: Record<number, DeliveryStatus> = {
  [-1]: 'failed',
  0: 'pending',
  1: 'sent',
  2: 'delivered',
  3: 'read',
};

/** Waviro's `notifyurl` ack `{msgid, ack}` as a status. */
export function waviroAck(body: Json): WebhookEvent {
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

/** A Waviro keyword call, after checking its `webhookkey`. */
export function waviroKeyword(body: Json, options: ParseWebhookOptions): WebhookEvent {
  const expected = options.waviroWebhookKey;
  if (typeof expected !== 'string' || expected === '') {
    throw new KabarError(
      'invalid_config',
      'waviro webhook: pass waviroWebhookKey to accept keyword calls',
    );
  }
  if (typeof body.webhookkey !== 'string' || !secretMatches(body.webhookkey, expected)) {
    throw new KabarError('invalid_signature', 'waviro webhook: webhookkey does not match', {
      provider: 'waviro',
      status: 401,
    });
  }
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
