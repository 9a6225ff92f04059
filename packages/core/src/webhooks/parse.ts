import { KabarError } from '../errors.js';
import type {
  DeliveryStatus,
  InboundContent,
  MessageEvent,
  StatusEvent,
  WebhookEvent,
  WebhookProvider,
} from './events.js';

export interface ParseWebhookOptions {
  /**
   * Who sent a Meta-format envelope: Meta itself (default) or Kirem, which can forward Meta's
   * format unchanged. Only changes the `provider` of the events.
   */
  metaFormatFrom?: 'meta' | 'kirem';
  /** Waviro keyword calls carry `webhookkey`; they are refused unless it matches this. */
  waviroWebhookKey?: string;
}

type Json = Record<string, unknown>;

function malformed(reason: string, provider?: string): KabarError {
  return new KabarError('invalid_payload', `webhook payload: ${reason}`, { provider, status: 400 });
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Json {
  if (!isRecord(value)) throw malformed(`${path} must be an object`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw malformed(`${path} must be a non-empty string`);
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, path);
}

function array(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(`${path} must be an array`);
  return value;
}

function coordinate(value: unknown, path: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw malformed(`${path} must be a number`);
  }
  return number;
}

/** Unix seconds (as number or string) to a Date. */
function unixTime(value: unknown, path: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) throw malformed(`${path} must be a Unix time`);
  return new Date(seconds * 1000);
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** The content of one message in Meta's shape (which Kirem's `data` follows too). */
function graphContent(message: Json, path: string): InboundContent {
  const type = string(message.type ?? 'text', `${path}.type`);
  if (type === 'text') {
    const text = message.text;
    // Kirem's examples sometimes give the body as a plain string.
    const body = isRecord(text) ? text.body : text;
    return {
      type: 'text',
      text: typeof body === 'string' ? body : string(body, `${path}.text.body`),
    };
  }
  if (type === 'interactive') {
    const interactive = record(message.interactive, `${path}.interactive`);
    const kind = string(interactive.type, `${path}.interactive.type`);
    if (kind === 'button_reply') {
      const reply = record(interactive.button_reply, `${path}.interactive.button_reply`);
      return {
        type: 'button',
        id: string(reply.id, `${path}.interactive.button_reply.id`),
        title: optionalString(reply.title, `${path}.interactive.button_reply.title`) ?? '',
      };
    }
    if (kind === 'list_reply') {
      const reply = record(interactive.list_reply, `${path}.interactive.list_reply`);
      return {
        type: 'list',
        id: string(reply.id, `${path}.interactive.list_reply.id`),
        title: optionalString(reply.title, `${path}.interactive.list_reply.title`) ?? '',
        description: optionalString(
          reply.description,
          `${path}.interactive.list_reply.description`,
        ),
      };
    }
    return { type: 'unsupported', originalType: `interactive.${kind}` };
  }
  if (type === 'button') {
    // A tap on a template's quick-reply button.
    const button = record(message.button, `${path}.button`);
    const title = optionalString(button.text, `${path}.button.text`) ?? '';
    return {
      type: 'button',
      id: optionalString(button.payload, `${path}.button.payload`) ?? title,
      title,
    };
  }
  if (MEDIA_TYPES.has(type)) {
    const media = record(message[type], `${path}.${type}`);
    return {
      type: type as 'image',
      mediaId: optionalString(media.id, `${path}.${type}.id`),
      link: optionalString(media.link, `${path}.${type}.link`),
      mimeType: optionalString(media.mime_type, `${path}.${type}.mime_type`),
      caption: optionalString(media.caption, `${path}.${type}.caption`),
      filename: optionalString(media.filename, `${path}.${type}.filename`),
    };
  }
  if (type === 'location') {
    const location = record(message.location, `${path}.location`);
    return {
      type: 'location',
      latitude: coordinate(location.latitude, `${path}.location.latitude`),
      longitude: coordinate(location.longitude, `${path}.location.longitude`),
      name: optionalString(location.name, `${path}.location.name`),
      address: optionalString(location.address, `${path}.location.address`),
    };
  }
  if (type === 'contacts') {
    return { type: 'contacts', contacts: array(message.contacts, `${path}.contacts`) };
  }
  if (type === 'reaction') {
    const reaction = record(message.reaction, `${path}.reaction`);
    return {
      type: 'reaction',
      messageId: string(reaction.message_id, `${path}.reaction.message_id`),
      emoji: typeof reaction.emoji === 'string' ? reaction.emoji : '',
    };
  }
  return { type: 'unsupported', originalType: type };
}

function graphMessage(
  message: Json,
  provider: WebhookProvider,
  path: string,
  names: Map<string, string>,
): MessageEvent {
  const from = string(message.from, `${path}.from`);
  const context = isRecord(message.context) ? message.context : undefined;
  return {
    kind: 'message',
    provider,
    from,
    id: optionalString(message.id ?? message.message_id, `${path}.id`),
    name: names.get(from),
    timestamp: unixTime(message.timestamp, `${path}.timestamp`),
    replyTo: context
      ? optionalString(context.id ?? context.message_id, `${path}.context.id`)
      : undefined,
    content: graphContent(message, path),
    raw: message,
  };
}

const STATUSES = new Set<DeliveryStatus>(['failed', 'pending', 'sent', 'delivered', 'read']);

function graphStatus(status: Json, provider: WebhookProvider, path: string): StatusEvent {
  const value = string(status.status, `${path}.status`);
  if (!STATUSES.has(value as DeliveryStatus))
    throw malformed(`${path}.status "${value}" is unknown`);
  const [error] = array(status.errors, `${path}.errors`).filter(isRecord);
  return {
    kind: 'status',
    provider,
    messageId: string(status.id ?? status.message_id, `${path}.id`),
    status: value as DeliveryStatus,
    recipient: optionalString(status.recipient_id ?? status.recipient, `${path}.recipient_id`),
    timestamp: unixTime(status.timestamp, `${path}.timestamp`),
    error: error
      ? {
          code:
            typeof error.code === 'number' || typeof error.code === 'string'
              ? error.code
              : undefined,
          title: typeof error.title === 'string' ? error.title : undefined,
          message: typeof error.message === 'string' ? error.message : undefined,
        }
      : undefined,
    raw: status,
  };
}

/** Meta's `entry[].changes[].value` envelope. */
function metaEnvelope(body: Json, provider: WebhookProvider): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  array(body.entry, 'entry').forEach((entry, e) => {
    array(record(entry, `entry[${e}]`).changes, `entry[${e}].changes`).forEach((change, c) => {
      const path = `entry[${e}].changes[${c}].value`;
      const value = record(record(change, `entry[${e}].changes[${c}]`).value, path);
      const names = new Map<string, string>();
      for (const contact of array(value.contacts, `${path}.contacts`).filter(isRecord)) {
        const name = isRecord(contact.profile) ? contact.profile.name : undefined;
        if (typeof contact.wa_id === 'string' && typeof name === 'string')
          names.set(contact.wa_id, name);
      }
      array(value.messages, `${path}.messages`).forEach((message, m) => {
        events.push(
          graphMessage(
            record(message, `${path}.messages[${m}]`),
            provider,
            `${path}.messages[${m}]`,
            names,
          ),
        );
      });
      array(value.statuses, `${path}.statuses`).forEach((status, s) => {
        events.push(
          graphStatus(record(status, `${path}.statuses[${s}]`), provider, `${path}.statuses[${s}]`),
        );
      });
    });
  });
  return events;
}

/** Kirem's `{event, data}` envelope. */
function kiremEnvelope(body: Json): WebhookEvent[] {
  const event = string(body.event, 'event');
  const data = record(body.data, 'data');
  if (event === 'messages.received') return [graphMessage(data, 'kirem', 'data', new Map())];
  if (event === 'messages.status') return [graphStatus(data, 'kirem', 'data')];
  // A well-formed event this version does not model: nothing to act on.
  return [];
}

const WAVIRO_ACKS: Record<number, DeliveryStatus> = {
  [-1]: 'failed',
  0: 'pending',
  1: 'sent',
  2: 'delivered',
  3: 'read',
};

function waviroAck(body: Json): StatusEvent {
  const ack = Number(body.ack);
  const status = WAVIRO_ACKS[ack] ?? (ack > 3 ? 'read' : undefined);
  if (status === undefined) throw malformed(`ack ${String(body.ack)} is unknown`, 'waviro');
  return {
    kind: 'status',
    provider: 'waviro',
    messageId: string(body.msgid, 'msgid'),
    status,
    raw: body,
  };
}

function sameKey(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

function waviroKeyword(body: Json, options: ParseWebhookOptions): MessageEvent {
  const expected = options.waviroWebhookKey;
  if (typeof expected !== 'string' || expected === '') {
    throw new KabarError(
      'invalid_config',
      'waviro webhook: pass waviroWebhookKey to accept keyword calls',
    );
  }
  if (typeof body.webhookkey !== 'string' || !sameKey(body.webhookkey, expected)) {
    throw new KabarError('invalid_signature', 'waviro webhook: webhookkey does not match', {
      provider: 'waviro',
      status: 401,
    });
  }
  return {
    kind: 'message',
    provider: 'waviro',
    from: string(body.from, 'from'),
    content: {
      type: 'keyword',
      keyword: string(body.keyword, 'keyword'),
      data: array(body.data, 'data').map((item, i) => string(item, `data[${i}]`)),
    },
    raw: body,
  };
}

const utf8 = new TextDecoder();

function decode(input: unknown): unknown {
  if (
    typeof input !== 'string' &&
    !(input instanceof Uint8Array) &&
    !(input instanceof ArrayBuffer)
  ) {
    return input;
  }
  const text = typeof input === 'string' ? input : utf8.decode(input);
  try {
    return JSON.parse(text);
  } catch {
    throw malformed('not valid JSON');
  }
}

/**
 * Turns any supported gateway's webhook body (raw or parsed) into typed events: Meta's envelope
 * (also when Kirem forwards it), Kirem's `{event, data}`, Waviro's `notifyurl` acks and keyword
 * calls. Malformed input throws `invalid_payload`; it never crashes.
 */
export function parseWebhook(input: unknown, options: ParseWebhookOptions = {}): WebhookEvent[] {
  const body = decode(input);
  if (!isRecord(body)) throw malformed('expected a JSON object');
  if (body.object === 'whatsapp_business_account' || Array.isArray(body.entry)) {
    return metaEnvelope(body, options.metaFormatFrom ?? 'meta');
  }
  if (typeof body.event === 'string' && 'data' in body) return kiremEnvelope(body);
  if ('msgid' in body && 'ack' in body) return [waviroAck(body)];
  if ('keyword' in body && 'webhookkey' in body) return [waviroKeyword(body, options)];
  throw malformed('not a webhook format Kabar knows (Meta, Kirem or Waviro)');
}
