import type {
  ConnectionEvent,
  DeliveryStatus,
  InboundContent,
  MessageEvent,
  StatusEvent,
  WebhookError,
  WebhookEvent,
} from '../../webhooks/events.js';
import {
  ItemError,
  isRecord,
  type Json,
  notAWebhook,
  optionalNumber,
  optionalString,
  string,
  unixTime,
} from '../../webhooks/parse/json.js';
import { item, NO_CONTACTS, unknown } from '../../webhooks/parse/scope.js';
import type { WebhookDialect } from '../gateway.js';

const PROVIDER = 'fonnte';
const SCOPE = { provider: PROVIDER, contacts: NO_CONTACTS } as const;

/** Fonnte's message `status` values (its "message status" page). */
const STATUSES: Record<string, DeliveryStatus> = {
  sent: 'sent',
  pending: 'pending',
  processing: 'pending',
  waiting: 'pending',
  invalid: 'failed',
  failed: 'failed',
  expired: 'failed',
  'url unreachable': 'failed',
};

/** What the failed statuses mean, from the same page: the bare word says little. */
const FAILURES: Record<string, string> = {
  invalid: 'not a WhatsApp number',
  failed: 'sending failed',
  expired: 'the device stayed disconnected for a day',
  'url unreachable': 'the media link could not be fetched',
};

/**
 * Fonnte does not list WhatsApp's delivery `state` values; these two are the ones a later callback
 * carries to say more than `status` did.
 */
const STATES: Record<string, DeliveryStatus> = { delivered: 'delivered', read: 'read' };

const CONNECTIONS: Record<string, ConnectionEvent['status']> = {
  connect: 'connected',
  disconnect: 'disconnected',
};

const IMAGE = new Set(['jpg', 'jpeg', 'png', 'webp']);
const VIDEO = new Set(['mp4']);
const AUDIO = new Set(['mp3', 'ogg', 'opus']);
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document']);

/** The table's own entry for `key`: a body's `constructor` must not find Object's. */
function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A lower-cased, trimmed string field, or '' when it is none. */
function word(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * The body without its credentials: the webhook `secret`, and the device `token` Fonnte's docs
 * list on connection callbacks. Events keep the rest as `raw`, which apps log.
 */
function withoutSecrets(body: Json): Json {
  if (!('secret' in body) && !('token' in body)) return body;
  const { secret: _secret, token: _token, ...rest } = body;
  return rest;
}

function isConnection(body: Json): boolean {
  return (
    lookup(CONNECTIONS, word(body.status)) !== undefined && !('stateid' in body) && !('id' in body)
  );
}

function isStatus(body: Json): boolean {
  return 'stateid' in body || ('id' in body && ('status' in body || 'state' in body));
}

function isMessage(body: Json): boolean {
  return 'sender' in body || 'pengirim' in body;
}

/** A WhatsApp id as a phone number: digits, with any `@s.whatsapp.net`/`@c.us` suffix dropped. */
function phoneOf(id: string): string | undefined {
  const match = /^(\d+)(@s\.whatsapp\.net|@c\.us)?$/.exec(id);
  return match?.[1];
}

function mediaContent(body: Json, url: string, caption: string | undefined): InboundContent {
  const extension = word(body.extension).replace(/^\./, '');
  const declared = word(body.type);
  const type = IMAGE.has(extension)
    ? 'image'
    : VIDEO.has(extension)
      ? 'video'
      : AUDIO.has(extension)
        ? 'audio'
        : extension === '' && MEDIA_TYPES.has(declared)
          ? (declared as 'image' | 'video' | 'audio' | 'document')
          : 'document';
  return {
    type,
    url,
    ...(caption ? { caption } : {}),
    ...(type === 'document' ? { filename: optionalString(body.filename) } : {}),
  };
}

function locationContent(location: string): InboundContent {
  const parts = location.split(',');
  const latitude = optionalNumber(parts[0]);
  const longitude = optionalNumber(parts[1]);
  if (parts.length !== 2 || latitude === undefined || longitude === undefined) {
    throw new ItemError(`location "${location}" is not "latitude,longitude"`);
  }
  return { type: 'location', latitude, longitude };
}

function contentOf(body: Json): InboundContent {
  const text = optionalString(body.message) ?? optionalString(body.pesan);
  const url = optionalString(body.url);
  if (url) return mediaContent(body, url, text);
  const location = optionalString(body.location);
  if (location) return locationContent(location);
  const choices = Array.isArray(body.choices) ? body.choices : [];
  if (optionalString(body.pollname) || choices.length > 0) {
    return { type: 'unsupported', originalType: 'poll', errors: [] };
  }
  if (text) return { type: 'text', text };
  return {
    type: 'unsupported',
    originalType: optionalString(body.type) ?? 'unknown',
    errors: [],
  };
}

function messageEvent(body: Json, raw: Json): MessageEvent {
  const chat = string(body.sender ?? body.pengirim, 'sender');
  const group = chat.endsWith('@g.us') || body.isgroup === true;
  // In a group, `sender` is the group and `member` the person who wrote.
  const from = group ? string(body.member, 'member') : chat;
  const phone = phoneOf(from);
  const name = optionalString(body.name);
  // Fonnte sends 0 when it has no inbox id; only a real one can be quoted with `replyTo`.
  const inboxId = optionalNumber(body.inboxid);
  return {
    kind: 'message',
    provider: PROVIDER,
    from: phone ?? from,
    sender: { phone, name },
    id: inboxId ? String(body.inboxid) : undefined,
    name,
    timestamp: unixTime(body.timestamp),
    ...(body.isforwarded === true ? { forwarded: true } : {}),
    ...(group ? { groupId: chat } : {}),
    content: contentOf(body),
    raw,
  };
}

function statusEvent(body: Json, raw: Json): StatusEvent {
  const messageId = optionalString(body.id) ?? string(body.stateid, 'stateid');
  const reported = word(body.status);
  const state = word(body.state);
  const status = lookup(STATES, state) ?? lookup(STATUSES, reported) ?? lookup(STATUSES, state);
  if (status === undefined) {
    throw new ItemError(
      `status "${String(body.status ?? '')}" (state "${String(body.state ?? '')}") is unknown`,
    );
  }
  const errors: WebhookError[] =
    status === 'failed'
      ? [
          {
            code: reported || state,
            message: lookup(FAILURES, reported) ?? lookup(FAILURES, state) ?? (reported || state),
          },
        ]
      : [];
  return {
    kind: 'status',
    provider: PROVIDER,
    messageId,
    status,
    recipient: optionalString(body.target),
    timestamp: unixTime(body.timestamp),
    error: errors[0],
    errors,
    raw,
  };
}

function connectionEvent(body: Json, raw: Json): ConnectionEvent {
  return {
    kind: 'connection',
    provider: PROVIDER,
    status: lookup(CONNECTIONS, word(body.status)) as ConnectionEvent['status'],
    device: optionalString(body.device),
    reason: optionalString(body.reason),
    timestamp: unixTime(body.timestamp),
    raw,
  };
}

/** Fonnte's shapes tell apart by their fields: a connection, a message status, a message. */
function parseFonnte(body: unknown): WebhookEvent[] {
  if (!isRecord(body)) throw notAWebhook('expected a JSON object', PROVIDER);
  const raw = withoutSecrets(body);
  const event = item(SCOPE, undefined, raw, () => {
    if (isConnection(body)) return connectionEvent(body, raw);
    if (isStatus(body)) return statusEvent(body, raw);
    if (isMessage(body)) return messageEvent(body, raw);
    return unknown(SCOPE, undefined, 'not a Fonnte message, status or connection', raw);
  });
  return [event];
}

/**
 * Whether a body is one of Fonnte's webhooks: every one names the `device`, and none carries the
 * fields of the other gateways' formats (Meta's `entry`, Kirem's `{event, data}`, Waviro's
 * `msgid`/`ack` and `keyword`/`webhookkey`, Wablas' `deviceId`, `messageType`, `pushName`).
 */
function detectFonnte(body: Json): boolean {
  if (!isRecord(body)) return false;
  const foreign = [
    'entry',
    'object',
    'msgid',
    'ack',
    'keyword',
    'webhookkey',
    'deviceId',
    'messageType',
    'pushName',
  ];
  if (foreign.some((key) => key in body)) return false;
  if (typeof body.event === 'string' && 'data' in body) return false;
  if (optionalString(body.device) === undefined) return false;
  return isConnection(body) || isStatus(body) || isMessage(body);
}

/**
 * How Kabar reads Fonnte's webhooks: incoming messages (`message` events; in a group, `from` is
 * the member who wrote and `groupId` the group; `id` is what `replyTo` takes), message statuses
 * (`status` events; a later callback may name the message only by its `stateid`) and the device's
 * connection (`connection` events). Fonnte posts JSON without a signature: the secret it can put in
 * the body (`secret`), or one in your webhook URL's query string (`?secret=`), is checked instead.
 * Events never carry that secret in `raw`.
 */
export const fonnteWebhook: WebhookDialect = {
  auth: { scheme: 'shared-secret', bodyField: 'secret', queryParam: 'secret' },
  handshake: false,
  detect: detectFonnte,
  parse: parseFonnte,
  messageAlias(event) {
    const raw = event.raw as Json;
    const alias = optionalString(raw.stateid);
    if (alias === undefined) return undefined;
    const sendId = optionalString(raw.id);
    return sendId === undefined ? { alias } : { alias, sendId };
  },
};
