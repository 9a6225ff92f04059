import type { WireContent } from './cloud-api/wire.js';
import { oneOf } from './control-http.js';
import type { DialectInstance, InboundProvider, InboundReceiver } from './dialect.js';
import { isRecord } from './http.js';
import {
  FROM_ERROR,
  INBOUND_CONTENT_FIELDS,
  INBOUND_MEDIA_TYPES,
  type InboundContentField,
  isCustomerNumber,
  USER_ID_ERROR,
} from './inbound-input.js';
import { fetchLimited } from './limited-fetch.js';
import { isBusinessScopedUserId } from './phone.js';
import type { DialectInstances, Sandbox } from './sandbox.js';
import type { SandboxState } from './state.js';
import type { DeliveredMessage, InboundInput, InboundMedia } from './types.js';
import { isHttpUrl } from './webhook-config.js';

type MediaType = (typeof INBOUND_MEDIA_TYPES)[number];

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

/** A checked POST /api/v1/inbound body, or what is wrong with it. */
export type InboundParse = { ok: true; input: InboundInput } | { ok: false; error: string };

/** The gateways customers can write to, in table order, with what each does with a message. */
function receivers(dialects: DialectInstances): [InboundProvider, InboundReceiver][] {
  return Object.entries<DialectInstance>(dialects).flatMap(([provider, dialect]) =>
    dialect.inbound ? [[provider as InboundProvider, dialect.inbound]] : [],
  );
}

/** Checks a POST /api/v1/inbound body; the error says what is wrong with it. */
export function parseInbound(
  dialects: DialectInstances,
  body: Record<string, unknown>,
): InboundParse {
  const fail = (error: string): InboundParse => ({ ok: false, error });
  const { provider, from, userId, username, name, replyTo } = body;
  const known = receivers(dialects);
  const receiver = known.find(([candidate]) => candidate === provider)?.[1];
  if (!receiver) return fail(`provider must be ${oneOf(known.map(([candidate]) => candidate))}`);
  if (userId !== undefined && !receiver.userIds) {
    return fail('userId (a business-scoped user id) is for Meta only');
  }
  if (from === undefined && userId === undefined) {
    return fail(receiver.userIds ? `give from, userId or both: ${FROM_ERROR}` : FROM_ERROR);
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
  const present = INBOUND_CONTENT_FIELDS.filter((field) => body[field] !== undefined);
  const [field] = present;
  if (present.length !== 1 || field === undefined) {
    return fail(`give exactly one of ${INBOUND_CONTENT_FIELDS.join(', ')}`);
  }
  const refused = receiver.refuse?.(field);
  if (refused) return fail(refused);
  const problem = contentProblem(field, body[field]);
  if (problem) return fail(`${field} ${problem}`);
  return { ok: true, input: body as unknown as InboundInput };
}

function contentProblem(field: InboundContentField, value: unknown): string | undefined {
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
 * A customer writes to the business: the message's media is stored, then its gateway stores the
 * message and delivers what it sends for one (a webhook, a keyword call).
 */
export async function receiveInbound(
  sandbox: Sandbox,
  input: InboundInput,
): Promise<DeliveredMessage | { error: string }> {
  const content = await wireContent(sandbox, input);
  if (typeof content === 'string') return { error: content };
  return sandbox.dialects[input.provider].inbound.receive(input, content, summary(input));
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
  const type = INBOUND_MEDIA_TYPES.find((media) => input[media] !== undefined) ?? 'document';
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
  const type = INBOUND_MEDIA_TYPES.find((media) => input[media] !== undefined) ?? 'document';
  return input[type]?.caption || `[${type}]`;
}
