import type { WebhookEvent } from '../../webhooks/events.js';
import { type Json, record } from '../../webhooks/parse/json.js';
import { type ChangeScope, item, NO_CONTACTS, unknown } from '../../webhooks/parse/scope.js';
import type { WebhookDialect } from '../gateway.js';
import { isMetaEnvelope } from '../meta/webhook/dialect.js';
import { metaEnvelope } from '../meta/webhook/envelope.js';
import { graphMessage } from '../meta/webhook/message.js';
import { graphStatus } from '../meta/webhook/status.js';

/** Kirem's `{event, data}` envelope. */
function kiremEnvelope(body: Json): WebhookEvent[] {
  const scope: ChangeScope = { provider: 'kirem', contacts: NO_CONTACTS };
  const event = String(body.event);
  const data = body.data;
  if (event === 'messages.received') {
    return [item(scope, event, data, () => graphMessage(record(data, 'data'), scope, 'data'))];
  }
  if (event === 'messages.status') {
    return [item(scope, event, data, () => graphStatus(record(data, 'data'), scope, 'data'))];
  }
  return [unknown(scope, event, `the Kirem event "${event}" is not one Kabar types`, data)];
}

/**
 * Kirem's webhooks, signed `X-Kirem-Signature: sha256=<hex>`: its own `{event, data}` envelope, or
 * Meta's envelope forwarded unchanged.
 */
export const kiremWebhook: WebhookDialect = {
  auth: { scheme: 'hmac-sha256', header: 'x-kirem-signature' },
  handshake: false,
  detect: (body) => (typeof body.event === 'string' && 'data' in body) || isMetaEnvelope(body),
  parse: (body) => (isMetaEnvelope(body) ? metaEnvelope(body, 'kirem') : kiremEnvelope(body)),
};
