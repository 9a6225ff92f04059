import type { WebhookEvent } from '../events.js';
import { type Json, record } from './json.js';
import { graphMessage } from './meta-message.js';
import { graphStatus } from './meta-status.js';
import { type ChangeScope, item, NO_CONTACTS, unknown } from './scope.js';

/** Kirem's `{event, data}` envelope. */
export function kiremEnvelope(body: Json): WebhookEvent[] {
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
