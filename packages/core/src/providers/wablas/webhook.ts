import type {
  ConnectionEvent,
  DeliveryStatus,
  InboundContent,
  StatusEvent,
  WebhookError,
  WebhookEvent,
} from '../../webhooks/events.js';
import {
  ItemError,
  isRecord,
  type Json,
  notAWebhook,
  optionalString,
  string,
} from '../../webhooks/parse/json.js';
import { type ChangeScope, item, NO_CONTACTS, unknown } from '../../webhooks/parse/scope.js';
import type { WebhookDialect } from '../gateway.js';

const SCOPE: ChangeScope = { provider: 'wablas', contacts: NO_CONTACTS };

const STATUSES: Record<string, DeliveryStatus> = {
  pending: 'pending',
  sent: 'sent',
  received: 'delivered',
  delivered: 'delivered',
  read: 'read',
  cancel: 'failed',
  rejected: 'failed',
};

/** ISO-8601 as Wablas writes it (nanoseconds included), or undefined. */
function isoTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Digits of a WhatsApp id: group members may come as `628…@s.whatsapp.net`. */
function phoneOf(value: unknown): string | undefined {
  return optionalString(value)?.split('@')[0] || undefined;
}

function content(body: Json): InboundContent {
  const type = string(body.messageType, 'messageType');
  switch (type) {
    case 'text':
      return { type: 'text', text: string(body.message, 'message') };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
      return {
        type,
        url: optionalString(body.url),
        mimeType: optionalString(body.mimeType),
        filename: optionalString(body.file),
        // `message` is the text that came with the file; audio has none.
        caption: type === 'audio' ? undefined : optionalString(body.message),
      };
    default:
      // Location among them: the docs list the type but no field that carries the coordinates.
      return {
        type: 'unsupported',
        originalType: type,
        errors: [{ message: `Wablas documents no fields for ${type} messages` }],
      };
  }
}

function incoming(body: Json): WebhookEvent {
  const id = optionalString(body.id);
  const timestamp = isoTime(body.timestamp);
  const chat = string(body.phone, 'phone');
  if (body.isFromMe === true) {
    // Sent from the device itself (the phone, or through the API): never a customer to answer.
    return {
      kind: 'echo',
      provider: 'wablas',
      id,
      to: chat,
      toUser: body.isGroup === true ? undefined : { phone: chat },
      timestamp,
      content: content(body),
      raw: body,
    };
  }
  const group = body.isGroup === true;
  // In a group `phone` is the group and `group.sender` the member who wrote.
  const from = group ? phoneOf(isRecord(body.group) ? body.group.sender : undefined) : chat;
  if (from === undefined) throw new ItemError('group.sender must name the member who wrote');
  const name = optionalString(body.pushName);
  return {
    kind: 'message',
    provider: 'wablas',
    from,
    sender: { phone: from, name },
    id,
    name,
    timestamp,
    groupId: group ? chat : undefined,
    content: content(body),
    raw: body,
  };
}

function tracking(body: Json): StatusEvent {
  const reported = string(body.status, 'status').toLowerCase();
  const status = STATUSES[reported];
  if (status === undefined) throw new ItemError(`status ${reported} is unknown`);
  const note = optionalString(body.note);
  const errors: WebhookError[] =
    status === 'failed' ? [{ code: reported, title: reported, message: note ?? reported }] : [];
  return {
    kind: 'status',
    provider: 'wablas',
    messageId: string(body.id, 'id'),
    status,
    recipient: phoneOf(body.phone),
    timestamp: isoTime(body.timestamp),
    error: errors[0],
    errors,
    raw: body,
  };
}

function device(body: Json): ConnectionEvent {
  const status = string(body.status, 'status').toLowerCase();
  if (status !== 'connected' && status !== 'disconnected') {
    throw new ItemError(`device status ${status} is unknown`);
  }
  return {
    kind: 'connection',
    provider: 'wablas',
    status,
    device: optionalString(body.sender) ?? optionalString(body.deviceId),
    reason: optionalString(body.note),
    timestamp: isoTime(body.timestamp),
    raw: body,
  };
}

/**
 * Wablas webhooks: the incoming, tracking and device URLs of a device all post a flat JSON object
 * carrying `deviceId`. Incoming messages have `messageType`, tracking updates a message `id`,
 * device events neither. Wablas signs nothing, so register each URL with a secret of your own in
 * its `secret` query parameter (`https://example.com/webhooks/wablas?secret=…`).
 *
 * Incoming messages become `message` events (`from` is the customer, or in a group the member who
 * wrote, with `groupId`); the device's own messages (`isFromMe`) become `echo` events; tracking
 * becomes `status` events (`cancel` and `rejected` are `failed`, with the `note` as the error);
 * device events become `connection` events. Locations arrive as `unsupported` content: Wablas
 * documents no coordinate fields for them.
 */
export const wablasWebhook: WebhookDialect = {
  auth: { scheme: 'url-secret', queryParam: 'secret' },
  handshake: false,

  detect(body) {
    // Fonnte says `device`, not `deviceId`; Kirem, Meta and Waviro have their own envelopes.
    return (
      isRecord(body) &&
      optionalString(body.deviceId) !== undefined &&
      ('messageType' in body || 'status' in body) &&
      !('entry' in body) &&
      !('event' in body)
    );
  },

  parse(body) {
    if (!isRecord(body)) throw notAWebhook('expected a JSON object', 'wablas');
    if ('messageType' in body) return [item(SCOPE, undefined, body, () => incoming(body))];
    // Fonnte's status bodies also carry `id` and `status`, but never a `phone`.
    if ('id' in body && 'status' in body && ('phone' in body || 'deviceId' in body)) {
      return [item(SCOPE, undefined, body, () => tracking(body))];
    }
    if ('status' in body && 'deviceId' in body) {
      return [item(SCOPE, undefined, body, () => device(body))];
    }
    return [unknown(SCOPE, undefined, 'not a Wablas incoming, tracking or device webhook', body)];
  },
};
