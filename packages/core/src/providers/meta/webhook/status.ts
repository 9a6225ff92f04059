import type { CallEvent, DeliveryStatus, StatusEvent } from '../../../webhooks/events.js';
import {
  errorsOf,
  ItemError,
  isRecord,
  type Json,
  optionalNumber,
  optionalString,
  someErrors,
  string,
  unixTime,
} from '../../../webhooks/parse/json.js';
import { type ChangeScope, userOf } from '../../../webhooks/parse/scope.js';

const STATUSES = new Set<DeliveryStatus>([
  'failed',
  'pending',
  'sent',
  'delivered',
  'read',
  'played',
  'deleted',
]);

/** One `statuses` item; a call's status (`type: 'call'`) becomes a `call` event. */
export function graphStatus(
  status: Json,
  scope: ChangeScope,
  path: string,
): StatusEvent | CallEvent {
  if (status.type === 'call') return callStatus(status, scope, path);
  const value = string(status.status, `${path}.status`);
  if (!STATUSES.has(value as DeliveryStatus)) {
    throw new ItemError(`${path}.status "${value}" is not a status Kabar knows`);
  }
  // In a group, `recipient_id` is the group; the participant has its own phone and BSUID fields.
  const group = status.recipient_type === 'group';
  const recipientUser = group
    ? userOf(
        optionalString(status.recipient_participant_id),
        optionalString(status.recipient_participant_user_id),
        optionalString(status.recipient_participant_parent_user_id),
        scope.contacts,
      )
    : userOf(
        optionalString(status.recipient_id ?? status.recipient),
        optionalString(status.recipient_user_id),
        optionalString(status.recipient_parent_user_id),
        scope.contacts,
      );
  const errors = errorsOf(status.errors);
  const pricing = isRecord(status.pricing) ? status.pricing : undefined;
  // A conversation without an id (Meta omits the object from v24.0) says nothing worth a status.
  const conversation =
    isRecord(status.conversation) && optionalString(status.conversation.id) !== undefined
      ? status.conversation
      : undefined;
  return {
    kind: 'status',
    provider: scope.provider,
    messageId: string(status.id ?? status.message_id, `${path}.id`),
    status: value as DeliveryStatus,
    recipient: recipientUser.phone ?? recipientUser.userId,
    recipientUser,
    groupId: group ? optionalString(status.recipient_id) : undefined,
    timestamp: unixTime(status.timestamp),
    error: errors[0],
    errors,
    pricing: pricing
      ? {
          billable: typeof pricing.billable === 'boolean' ? pricing.billable : undefined,
          model: optionalString(pricing.pricing_model),
          category: optionalString(pricing.category),
          type: optionalString(pricing.type),
        }
      : undefined,
    conversation: conversation
      ? {
          id: string(conversation.id, `${path}.conversation.id`),
          origin: isRecord(conversation.origin)
            ? optionalString(conversation.origin.type)
            : undefined,
          expiresAt: unixTime(conversation.expiration_timestamp),
        }
      : undefined,
    callbackData: optionalString(status.biz_opaque_callback_data),
    business: scope.business,
    raw: status,
  };
}

/** A call status: ringing, accepted, rejected. */
export function callStatus(status: Json, scope: ChangeScope, path: string): CallEvent {
  return {
    kind: 'call',
    provider: scope.provider,
    callId: string(status.id, `${path}.id`),
    event: 'status',
    status: optionalString(status.status),
    to: optionalString(status.recipient_id) ?? optionalString(status.recipient_user_id),
    callbackData: optionalString(status.biz_opaque_callback_data),
    errors: someErrors(status.errors),
    timestamp: unixTime(status.timestamp),
    business: scope.business,
    raw: status,
  };
}

/** One `calls` item: connect or terminate. */
export function callEvent(call: Json, scope: ChangeScope, path: string): CallEvent {
  const session = isRecord(call.session) ? call.session : undefined;
  return {
    kind: 'call',
    provider: scope.provider,
    callId: string(call.id, `${path}.id`),
    event: string(call.event, `${path}.event`),
    status: optionalString(call.status),
    direction: optionalString(call.direction),
    from: optionalString(call.from) ?? optionalString(call.from_user_id),
    to: optionalString(call.to) ?? optionalString(call.to_user_id),
    duration: optionalNumber(call.duration),
    startedAt: unixTime(call.start_time),
    endedAt: unixTime(call.end_time),
    session: session
      ? { sdpType: optionalString(session.sdp_type), sdp: optionalString(session.sdp) }
      : undefined,
    callbackData: optionalString(call.biz_opaque_callback_data),
    errors: someErrors(call.errors),
    timestamp: unixTime(call.timestamp),
    business: scope.business,
    raw: call,
  };
}
