import type { BusinessNumber, WebhookEvent, WebhookProvider } from '../../../webhooks/events.js';
import {
  array,
  isRecord,
  type Json,
  notAWebhook,
  optionalString,
} from '../../../webhooks/parse/json.js';
import { type ChangeScope, contactsOf, unknown } from '../../../webhooks/parse/scope.js';
import { changeEvents } from './change.js';

/** Meta's `entry[].changes[].value` envelope, read item by item. */
export function metaEnvelope(body: Json, provider: WebhookProvider): WebhookEvent[] {
  if (!Array.isArray(body.entry)) throw notAWebhook('entry must be an array', provider);
  const events: WebhookEvent[] = [];
  body.entry.forEach((entry, e) => {
    if (!isRecord(entry)) {
      events.push(unknown({ provider }, undefined, `entry[${e}] must be an object`, entry));
      return;
    }
    const accountId = optionalString(entry.id);
    array(entry.changes).forEach((change, c) => {
      const path = `entry[${e}].changes[${c}].value`;
      if (!isRecord(change) || !isRecord(change.value)) {
        const field = isRecord(change) ? optionalString(change.field) : undefined;
        events.push(unknown({ provider }, field, `${path} must be an object`, change));
        return;
      }
      const value = change.value;
      // Some of Meta's examples put `field` beside `changes` or inside `value` instead of in the
      // change: accept it there too.
      const field =
        optionalString(change.field) ?? optionalString(value.field) ?? optionalString(entry.field);
      const metadata = isRecord(value.metadata) ? value.metadata : undefined;
      const business: BusinessNumber | undefined =
        accountId || metadata
          ? {
              accountId,
              phoneNumberId: optionalString(metadata?.phone_number_id),
              displayPhoneNumber: optionalString(metadata?.display_phone_number),
            }
          : undefined;
      const scope: ChangeScope = { provider, business, contacts: contactsOf(value) };
      if (
        field === undefined &&
        value.messages === undefined &&
        value.statuses === undefined &&
        value.errors === undefined
      ) {
        // Without a field, only a value that looks like `messages` can be read.
        events.push(unknown(scope, undefined, `${path} names no field`, value));
        return;
      }
      for (const event of changeEvents(field, value, scope, path)) events.push(event);
    });
  });
  return events;
}
