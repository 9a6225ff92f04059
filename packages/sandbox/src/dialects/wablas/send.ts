import { randomUUID } from 'node:crypto';
import type { GatewayRequest } from '../../gateway.js';
import { isRecord, json, type Reply } from '../../http.js';
import type { SandboxMessage } from '../../types.js';
import {
  DEVICE_DISCONNECTED,
  PHONE_INVALID,
  paramInvalid,
  QUOTA_EXPIRED,
  wablasFailure,
} from './failures.js';
import {
  bodyFields,
  charLength,
  extensionRule,
  type Fields,
  fileNameOf,
  flagOf,
  hasAllowedExtension,
  jsonObject,
  MAX_ITEMS,
  MAX_TEXT,
  type MediaKind,
  queryFields,
  recipientsOf,
  textOf,
} from './fields.js';
import type { WablasContext } from './state.js';
import type { WablasTracking } from './webhooks.js';

/** What the send handlers need: the shared and Wablas state, and where tracking starts. */
export type SendContext = WablasContext & { readonly tracking: WablasTracking };

/** A Wablas endpoint: the request, already authenticated, to its answer. */
export type SendHandler = (context: SendContext, req: GatewayRequest) => Reply | Promise<Reply>;

/** What a send endpoint sends: text, a media kind by URL, a location or a link with a preview. */
export type SendKind = 'text' | MediaKind | 'location' | 'link';

/** The answer's `message` for every send the docs show, and for link previews. */
const PENDING = 'Message is pending and waiting to be processed';
const LINK_PENDING = 'Link Preview Message is pending and waiting to be processed, with error: 0';
const SCHEDULED = 'Scheduled Messages is succesfully saved and waiting to be processed';

/** One message to send as the request gave it: a v1 body, the query, or one v2 `data` item. */
interface Item {
  fields: Fields;
  /** Stored with each of its recipients' messages, as received. */
  payload: unknown;
  /** Where it sits in the request, for failure messages: '' or 'data[2].'. */
  where: string;
}

/** A checked message: its recipients, what the inbox shows, and what its answer entries carry. */
interface Prepared {
  to: string[];
  group: boolean;
  type: string;
  text: string;
  /** The answer entry's fields between `phone` and `status`, in the docs' order. */
  answer: Record<string, unknown>;
  refId: string | null;
}

/** POST /api/send-message and the v1 media endpoints: one body, maybe several recipients. */
export function v1(kind: SendKind): SendHandler {
  return async (context, req) => {
    const fields = await bodyFields(req);
    if (!fields) return paramInvalid('the body must be form fields or a JSON object');
    const item = { fields, payload: fields, where: '' };
    return send(context, kind, [item], flagOf(fields.random) === true);
  };
}

/** GET /api/send-message: the docs' "send by URL", meant for OTPs with `flag=instant`. */
export const sendByQuery: SendHandler = (context, req) => {
  const fields = queryFields(req);
  const item = { fields, payload: fields, where: '' };
  return send(context, 'text', [item], flagOf(fields.random) === true);
};

/** The v2 endpoints: JSON `{ data: [...] }`, one message per item, at most 100 items. */
export function v2(kind: SendKind): SendHandler {
  return (context, req) => {
    const body = jsonObject(req);
    const data = body?.data;
    if (!body || !Array.isArray(data)) {
      return paramInvalid('the body must be JSON { "data": [ ... ] }');
    }
    if (data.length === 0) return paramInvalid('data must hold at least one message');
    if (data.length > MAX_ITEMS) {
      return paramInvalid(`data holds at most ${MAX_ITEMS} messages, got ${data.length}`);
    }
    const items: Item[] = [];
    for (const [index, item] of data.entries()) {
      if (!isRecord(item)) return paramInvalid(`data[${index}] must be an object`);
      items.push({ fields: item, payload: item, where: `data[${index}].` });
    }
    const random = [body, ...items.map((item) => item.fields)].some(
      (fields) => flagOf(fields.random) === true,
    );
    return send(context, kind, items, random);
  };
}

function send(context: SendContext, kind: SendKind, items: Item[], random: boolean): Reply {
  const prepared: Prepared[] = [];
  for (const item of items) {
    const result = prepare(kind, item.fields, item.where);
    if (!result.ok) return result.reply;
    prepared.push(result.message);
  }
  const device = context.wablas.device;
  if (!device.device.connected) return wablasFailure(DEVICE_DISCONNECTED);
  const count = prepared.reduce((sum, message) => sum + message.to.length, 0);
  if (!device.hasQuotaFor(count)) return wablasFailure(QUOTA_EXPIRED);
  device.use(count);

  const entries: Record<string, unknown>[] = [];
  prepared.forEach((message, index) => {
    for (const to of message.to) {
      const stored = store(context, message, to, items[index]?.payload, 'accepted');
      context.tracking.start(stored);
      entries.push({
        id: stored.id,
        phone: to,
        ...message.answer,
        status: 'pending',
        ref_id: message.refId,
      });
    }
  });
  const batch = { device_id: device.device.id, quota: device.quotaField(), messages: entries };
  return json(200, {
    status: true,
    message: kind === 'link' ? LINK_PENDING : PENDING,
    // With random=true Wablas picks a device per message and lists each device's share; the
    // sandbox has one device, so the list has one entry.
    data: random ? [batch] : batch,
  });
}

function store(
  context: WablasContext,
  message: Pick<Prepared, 'type' | 'text' | 'group'>,
  to: string,
  payload: unknown,
  status: 'accepted' | 'queued',
): SandboxMessage {
  const stored: SandboxMessage = {
    id: randomUUID(),
    provider: 'wablas',
    direction: 'outbound',
    to,
    type: message.type,
    text: message.text,
    payload,
    status,
    createdAt: new Date().toISOString(),
  };
  if (message.group) stored.groupId = to;
  context.messages.add(stored);
  return stored;
}

/** The recipients and content of one message, or the failure that refuses the request. */
function prepare(
  kind: SendKind,
  fields: Fields,
  where: string,
): { ok: true; message: Prepared } | { ok: false; reply: Reply } {
  const refuse = (reply: Reply) => ({ ok: false as const, reply });
  const group = flagOf(fields.isGroup);
  if (group === undefined) return refuse(paramInvalid(`${where}isGroup must be "true" or "false"`));
  const recipients = recipientsOf(fields.phone, group);
  if (!recipients.ok) {
    return refuse(
      recipients.problem === 'missing'
        ? paramInvalid(`${where}phone is required`)
        : wablasFailure(PHONE_INVALID),
    );
  }
  const content = contentOf(kind, fields);
  if (typeof content === 'string') return refuse(paramInvalid(`${where}${content}`));
  const refId = textOf(fields.ref_id) ?? null;
  return { ok: true, message: { to: recipients.to, group, ...content, refId } };
}

type Content = Pick<Prepared, 'type' | 'text' | 'answer'>;

/** What one message says, or why it cannot be sent. */
function contentOf(kind: SendKind, fields: Fields): Content | string {
  switch (kind) {
    case 'text': {
      const message = requiredText(fields.message, 'message');
      if (typeof message !== 'string') return message.problem;
      return { type: 'text', text: message, answer: { message } };
    }
    case 'location':
      return locationOf(fields.message);
    case 'link':
      return linkOf(fields.message);
    default:
      return mediaOf(kind, fields);
  }
}

function requiredText(value: unknown, name: string): string | { problem: string } {
  const text = textOf(value);
  if (text === undefined || text.trim() === '') return { problem: `${name} is required` };
  if (charLength(text) > MAX_TEXT) return { problem: `${name} maximum character is ${MAX_TEXT}` };
  return text;
}

/**
 * A media message by public URL. The answer names the file as Wablas does, and echoes the
 * caption; the docs' samples show the kind's name as the caption when none was given.
 */
function mediaOf(kind: MediaKind, fields: Fields): Content | string {
  const url = textOf(fields[kind])?.trim();
  if (url === undefined || url === '') return `${kind} is required`;
  if (!/^https?:\/\/\S+$/i.test(url)) return `${kind} must be a public http(s) URL`;
  const file = fileNameOf(url);
  if (!hasAllowedExtension(kind, file)) return extensionRule(kind);
  const caption = textOf(fields.caption);
  if (caption !== undefined && charLength(caption) > MAX_TEXT) {
    return `caption maximum character is ${MAX_TEXT}`;
  }
  const given = caption?.trim() ? caption : undefined;
  // A document's caption is its name in the chat, so without one the inbox shows the file name.
  const text = given ?? (kind === 'document' ? file : `[${kind}]`);
  return {
    type: kind,
    text,
    answer: { message: null, caption: given ?? kind, [kind]: file },
  };
}

/** `message: { name, address, latitude, longitude }`; the answer echoes it as a JSON string. */
function locationOf(value: unknown): Content | string {
  const problem = 'message must be { name, address, latitude, longitude } with coordinates';
  if (!isRecord(value)) return problem;
  const { name, address } = value;
  const latitude = coordinate(value.latitude, 90);
  const longitude = coordinate(value.longitude, 180);
  const optional = (field: unknown) => field === undefined || typeof field === 'string';
  if (latitude === undefined || longitude === undefined || !optional(name) || !optional(address)) {
    return problem;
  }
  const place = [name, address].filter((part) => typeof part === 'string' && part !== '');
  return {
    type: 'location',
    text: place.length > 0 ? place.join(', ') : `${latitude},${longitude}`,
    answer: { message: JSON.stringify(value) },
  };
}

/** The docs send numbers; numeric strings are read too, as form-minded clients send them. */
function coordinate(value: unknown, limit: number): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > limit) {
    return undefined;
  }
  return number;
}

/** `message: { text?, link }`: a text with the link's preview. */
function linkOf(value: unknown): Content | string {
  if (!isRecord(value)) return 'message must be { text, link }';
  const link = textOf(value.link)?.trim();
  if (link === undefined || !/^https?:\/\/\S+$/i.test(link)) {
    return 'message.link must be an http(s) URL';
  }
  const text = textOf(value.text) ?? '';
  if (charLength(text) > MAX_TEXT) return `message.text maximum character is ${MAX_TEXT}`;
  return {
    type: 'text',
    text: text.trim() === '' ? link : `${text}\n${link}`,
    answer: { message: text.trim() === '' ? link : text },
  };
}

/**
 * POST /api/schedule: text for later, in the wall-clock time of `timezone`. The sandbox keeps
 * each message 'queued' (it never sends it later); a test can force a status through the control
 * API. Saving needs no connected device, since sending happens at the scheduled time.
 */
export const schedule: SendHandler = async (context, req) => {
  const fields = await bodyFields(req);
  if (!fields) return paramInvalid('the body must be form fields or a JSON object');
  const group = flagOf(fields.isGroup);
  if (group === undefined) return paramInvalid('isGroup must be "true" or "false"');
  const recipients = recipientsOf(fields.phone, group);
  if (!recipients.ok) {
    return recipients.problem === 'missing'
      ? paramInvalid('phone is required')
      : wablasFailure(PHONE_INVALID);
  }
  const message = requiredText(fields.message, 'message');
  if (typeof message !== 'string') return paramInvalid(message.problem);
  const date = textOf(fields.date)?.trim() ?? '';
  if (!isDate(date)) return paramInvalid('date format yyyy-mm-dd');
  const time = timeOf(textOf(fields.time)?.trim() ?? '');
  if (time === undefined) return paramInvalid('time format hh:ii:ss');
  const timezone = textOf(fields.timezone)?.trim() ?? '';
  if (!isTimeZone(timezone)) return paramInvalid('timezone must be a timezone, e.g. Asia/Jakarta');

  const scheduleAt = `${date} ${time}`;
  const messages = recipients.to.map((to) => {
    const stored = store(context, { type: 'text', text: message, group }, to, fields, 'queued');
    return { id: stored.id, phone: to, message, status: true, timezone, schedule_at: scheduleAt };
  });
  return json(200, {
    status: true,
    category: 'text',
    message: SCHEDULED,
    // The docs' answer lists the numbers as sent under this key, space included.
    'phones list': recipients.given,
    messages,
  });
};

function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `hh:ii:ss`, or `hh:ii` with the seconds filled in. */
function timeOf(value: string): string | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(value);
  return match ? `${match[1]}:${match[2]}:${match[3] ?? '00'}` : undefined;
}

function isTimeZone(value: string): boolean {
  if (value === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
