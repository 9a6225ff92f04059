import { isRecord } from './http';
import { newMessageId, newWebMessageId } from './ids';
import { fetchLimited } from './limited-fetch';
import type { WireContent } from './meta-webhook-format';
import { BUSINESS_PHONE_NUMBER } from './options';
import { digitsOnly, isBusinessScopedUserId, isValidRecipient } from './phone';
import type { SandboxState } from './state';
import type { DeliveredMessage, InboundInput, InboundMedia, SandboxMessage } from './types';
import { deliverKeyword } from './waviro-keywords';
import { isHttpUrl } from './webhook-config';
import { deliverInbound, unixSeconds, wireMessage } from './webhook-dispatch';

const MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const CONTENT_FIELDS = ['text', 'button', 'list', ...MEDIA_TYPES, 'location'] as const;

/** The profile name of a customer the test did not name. */
export const DEFAULT_CUSTOMER_NAME = 'Sandbox Customer';
const MEDIA_TIMEOUT_MS = 5000;

const DEFAULT_MIME: Record<MediaType, string> = {
  image: 'image/png',
  video: 'video/mp4',
  audio: 'audio/ogg',
  document: 'application/pdf',
};

/** A 1x1 PNG, so an image sent without a link still renders. */
const PLACEHOLDER_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

export type InboundParse = { ok: true; input: InboundInput } | { ok: false; error: string };

/** A customer's number as people type it: digits, an optional '+', spaces and dashes. */
export function isCustomerNumber(from: unknown): from is string {
  return (
    typeof from === 'string' &&
    /^\+?[1-9][\d\s-]*$/.test(from) &&
    isValidRecipient(digitsOnly(from))
  );
}

export { isBusinessScopedUserId };

export const FROM_ERROR =
  "from must be the customer's number in international form, e.g. '6281234567890'";
export const USER_ID_ERROR =
  "userId must be a business-scoped user id: a country code, '.' and up to 128 letters and digits, e.g. 'ID.1502576394655843'";

/** Checks a POST /api/v1/inbound body; the error says what is wrong with it. */
export function parseInbound(body: Record<string, unknown>): InboundParse {
  const fail = (error: string): InboundParse => ({ ok: false, error });
  const { provider, from, userId, username, name, replyTo } = body;
  if (provider !== 'kirem' && provider !== 'meta' && provider !== 'waviro') {
    return fail("provider must be 'kirem', 'meta' or 'waviro'");
  }
  if (userId !== undefined && provider !== 'meta') {
    return fail('userId (a business-scoped user id) is for Meta only');
  }
  if (from === undefined && userId === undefined) {
    return fail(provider === 'meta' ? `give from, userId or both: ${FROM_ERROR}` : FROM_ERROR);
  }
  if (from !== undefined && !isCustomerNumber(from)) return fail(FROM_ERROR);
  if (userId !== undefined && !isBusinessScopedUserId(userId)) return fail(USER_ID_ERROR);
  if (username !== undefined) {
    if (userId === undefined) {
      return fail('username needs userId: Meta sends a username only with the user_id');
    }
    if (typeof username !== 'string' || username === '') {
      return fail('username must be a non-empty string');
    }
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    return fail('name must be a non-empty string');
  }
  if (replyTo !== undefined && (typeof replyTo !== 'string' || replyTo === '')) {
    return fail('replyTo must be a message id');
  }
  const present = CONTENT_FIELDS.filter((field) => body[field] !== undefined);
  const [field] = present;
  if (present.length !== 1 || field === undefined) {
    return fail(`give exactly one of ${CONTENT_FIELDS.join(', ')}`);
  }
  if (provider === 'waviro' && (field === 'button' || field === 'list')) {
    return fail('Waviro bots get no button or list replies');
  }
  const problem = contentProblem(field, body[field]);
  if (problem) return fail(`${field} ${problem}`);
  return { ok: true, input: body as unknown as InboundInput };
}

function contentProblem(
  field: (typeof CONTENT_FIELDS)[number],
  value: unknown,
): string | undefined {
  const text = (v: unknown) => typeof v === 'string' && v !== '';
  const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
  switch (field) {
    case 'text':
      return text(value) ? undefined : 'must be a non-empty string';
    case 'button':
      return isRecord(value) && text(value.id) && text(value.title)
        ? undefined
        : 'must be { id, title }';
    case 'list':
      return isRecord(value) &&
        text(value.id) &&
        text(value.title) &&
        optionalText(value.description)
        ? undefined
        : 'must be { id, title, description? }';
    case 'location': {
      const within = (v: unknown, limit: number) =>
        typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;
      return isRecord(value) &&
        within(value.latitude, 90) &&
        within(value.longitude, 180) &&
        optionalText(value.name) &&
        optionalText(value.address)
        ? undefined
        : 'must be { latitude, longitude, name?, address? } with coordinates in range';
    }
    default:
      if (!isRecord(value)) return 'must be { link?, caption?, mimeType?, filename? }';
      if (value.link !== undefined && !isHttpUrl(value.link)) return 'link must be an http(s) URL';
      return [value.caption, value.mimeType, value.filename].every(optionalText)
        ? undefined
        : 'caption, mimeType and filename must be strings';
  }
}

/**
 * A customer writes to the business: the message is stored (direction 'inbound') and delivered
 * to the provider's webhook, or for Waviro to the matching keyword's URL.
 */
export async function receiveInbound(
  state: SandboxState,
  input: InboundInput,
): Promise<DeliveredMessage | { error: string }> {
  const content = await wireContent(state, input);
  if (typeof content === 'string') return { error: content };
  const from = input.from === undefined ? undefined : digitsOnly(input.from);
  // Waviro is not Cloud API and has no window or sandbox clock of its own.
  const now = input.provider === 'waviro' ? Date.now() : state.clock.now();
  const messageId = input.provider === 'waviro' ? newWebMessageId() : newMessageId();
  const event = {
    content,
    ...(from === undefined ? {} : { from }),
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    ...(input.username === undefined ? {} : { username: input.username }),
    name: input.name ?? DEFAULT_CUSTOMER_NAME,
    messageId,
    timestamp: unixSeconds(now),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  };
  const message: SandboxMessage = {
    id: messageId,
    provider: input.provider,
    direction: 'inbound',
    ...(from === undefined ? {} : { from }),
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    to: input.provider === 'waviro' ? state.waviro.bot.connection.number : BUSINESS_PHONE_NUMBER,
    type: content.type,
    text: summary(input),
    payload:
      input.provider === 'waviro'
        ? { from, id: messageId, timestamp: event.timestamp, ...content }
        : wireMessage(input.provider, event),
    status: 'received',
    createdAt: new Date(now).toISOString(),
  };
  if (input.provider !== 'waviro') {
    const phoneNumberId = state.options[input.provider].phoneNumberIds[0];
    message.phoneNumberId = phoneNumberId;
    // Each customer message opens the 24-hour customer service window again.
    state.windows.open(input.provider, phoneNumberId, { from, userId: input.userId }, now);
  }
  state.messages.add(message);

  if (input.provider === 'waviro') {
    // parseInbound gives Waviro senders a number.
    const deliveries =
      input.text && from !== undefined ? await deliverKeyword(state, from, input.text) : [];
    return { message, deliveries };
  }
  const delivery = await deliverInbound(state, input.provider, event);
  return { message, deliveries: delivery ? [delivery] : [] };
}

async function wireContent(
  state: SandboxState,
  input: InboundInput,
): Promise<WireContent | string> {
  if (input.text !== undefined) return { type: 'text', text: { body: input.text } };
  if (input.button) {
    const { id, title } = input.button;
    return {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id, title } },
    };
  }
  if (input.list) {
    const { id, title, description } = input.list;
    const listReply = { id, title, ...(description === undefined ? {} : { description }) };
    return { type: 'interactive', interactive: { type: 'list_reply', list_reply: listReply } };
  }
  if (input.location) {
    const { latitude, longitude, name, address } = input.location;
    const location = {
      latitude,
      longitude,
      ...(name === undefined ? {} : { name }),
      ...(address === undefined ? {} : { address }),
    };
    return { type: 'location', location };
  }
  const type = MEDIA_TYPES.find((media) => input[media] !== undefined) ?? 'document';
  const media = input[type] ?? {};
  const file = await mediaFile(type, media, state.media.maxFileBytes);
  if (typeof file === 'string') return file;
  const stored = state.media.save(input.provider, file);
  // Downloads stop at maxFileBytes, so only a placeholder bigger than a tiny store ends up here.
  if (!stored) return `${type} is larger than ${state.media.maxFileBytes} bytes`;
  return {
    type,
    [type]: {
      ...(media.caption === undefined ? {} : { caption: media.caption }),
      ...(type === 'document' ? { filename: stored.filename } : {}),
      mime_type: stored.mimeType,
      sha256: stored.sha256,
      id: stored.id,
    },
  };
}

/** The file behind an inbound media message (downloaded from its link, else a placeholder), or why not. */
async function mediaFile(
  type: MediaType,
  media: InboundMedia,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; mimeType: string; filename: string } | string> {
  if (media.link === undefined) {
    return {
      bytes: type === 'image' ? PLACEHOLDER_PNG : Buffer.from(`kabar-sandbox ${type}`),
      mimeType: media.mimeType ?? DEFAULT_MIME[type],
      filename: media.filename ?? type,
    };
  }
  try {
    const response = await fetchLimited(media.link, { maxBytes, timeoutMs: MEDIA_TIMEOUT_MS });
    if (response.status < 200 || response.status > 299) {
      return `${type}.link answered ${response.status}`;
    }
    if (response.truncated) return `${type}.link is larger than ${maxBytes} bytes`;
    return {
      bytes: response.body,
      mimeType:
        media.mimeType ?? response.headers.get('content-type')?.split(';')[0] ?? DEFAULT_MIME[type],
      filename: media.filename || new URL(media.link).pathname.split('/').pop() || type,
    };
  } catch (error) {
    return `${type}.link could not be downloaded: ${String(error)}`;
  }
}

/** The inbox line: the text, the reply's title, the caption, the place. */
function summary(input: InboundInput): string {
  if (input.text !== undefined) return input.text;
  if (input.button) return input.button.title;
  if (input.list) return input.list.title;
  if (input.location) {
    const { latitude, longitude, name, address } = input.location;
    const place = [name, address].filter((part) => part);
    return place.length > 0 ? place.join(', ') : `${latitude},${longitude}`;
  }
  const type = MEDIA_TYPES.find((media) => input[media] !== undefined) ?? 'document';
  return input[type]?.caption || `[${type}]`;
}
