import type { GatewayRequest } from '../../gateway.js';
import { isRecord, parseJson, readMultipart } from '../../http.js';

/** A request's fields by name: strings from a form or query, anything JSON allows from JSON. */
export type Fields = Record<string, unknown>;

/** The docs' limit on `message` and `caption` ("maximum character is 1024"). */
export const MAX_TEXT = 1024;
/** The docs' limit on `data` items in one v2 request. */
export const MAX_ITEMS = 100;
/** The docs' limit on every media file ("Max size file ... is 2 MB"). */
export const MAX_MEDIA_BYTES = 2 * 1024 * 1024;

/** The media kinds Wablas sends and stores, each with the extensions its send endpoint takes. */
export const MEDIA_EXTENSIONS = {
  image: ['jpg', 'jpeg', 'png'],
  video: ['mp4', 'mpeg'],
  audio: ['mp3', 'ogg', 'mpga'],
  document: ['doc', 'docx', 'pdf', 'odt', 'csv', 'ppt', 'pptx', 'xls', 'xlsx', 'txt'],
} as const;

/** One of Wablas' media kinds. */
export type MediaKind = keyof typeof MEDIA_EXTENSIONS;

/** The media kinds in the docs' order. */
export const MEDIA_KINDS = Object.keys(MEDIA_EXTENSIONS) as MediaKind[];

/** Whether `value` names a media kind. */
export function isMediaKind(value: string): value is MediaKind {
  return Object.hasOwn(MEDIA_EXTENSIONS, value);
}

/**
 * The fields of a v1 body: the docs send form fields (`http_build_query`), the official plugin
 * sends JSON, and PHP's array POSTFIELDS makes multipart; Wablas takes all three. Undefined when
 * the body is none of them.
 */
export async function bodyFields(req: GatewayRequest): Promise<Fields | undefined> {
  const contentType = req.headers['content-type']?.toLowerCase() ?? '';
  if (contentType.startsWith('application/json')) return jsonObject(req);
  if (contentType.startsWith('multipart/form-data')) {
    const form = await readMultipart(req.body, req.headers['content-type']);
    if (!form.ok) return undefined;
    const fields: Fields = {};
    for (const [name, value] of form.fields) if (typeof value === 'string') fields[name] = value;
    return fields;
  }
  return Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
}

/** A JSON body that is an object, or undefined. */
export function jsonObject(req: GatewayRequest): Fields | undefined {
  const parsed = parseJson(req.body);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
}

/** The query's fields, the credential left out: it is not part of the message. */
export function queryFields(req: GatewayRequest): Fields {
  const fields = Object.fromEntries(req.query);
  delete fields.token;
  return fields;
}

/** A field as text: strings as they are, numbers (a JSON `phone`) as digits. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * A yes/no field. The docs insist on the strings "true"/"false" for `isGroup`, tables type the
 * others as booleans, and form fields can only be strings, so both are read; undefined for
 * anything else.
 */
export function flagOf(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  const text = textOf(value)?.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

/** Characters as a person counts them, so an emoji counts once. */
export function charLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** The recipients of a `phone` field, each as given and normalised, or what is wrong with it. */
export type Recipients =
  | { ok: true; given: string[]; to: string[] }
  | { ok: false; problem: 'missing' | 'invalid' };

/**
 * A comma list of recipients. Numbers may be local (08…) or international without '+' (62…); the
 * docs never say which country a leading 0 stands for, so it becomes 62 as for Indonesian
 * numbers. With `isGroup` each item is a group id: the docs' old `<creator>-<timestamp>` form,
 * the digits webhooks show, or either with WhatsApp's `@g.us`.
 */
export function recipientsOf(value: unknown, group: boolean): Recipients {
  const items = (textOf(value) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return { ok: false, problem: 'missing' };
  const to: string[] = [];
  for (const item of items) {
    const recipient = group ? groupIdOf(item) : phoneOf(item);
    if (recipient === undefined) return { ok: false, problem: 'invalid' };
    to.push(recipient);
  }
  return { ok: true, given: items, to };
}

function phoneOf(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  const international = compact.startsWith('0') ? `62${compact.slice(1)}` : compact;
  return /^[1-9]\d{7,14}$/.test(international) ? international : undefined;
}

function groupIdOf(raw: string): string | undefined {
  const id = raw.replace(/@g\.us$/i, '');
  return /^[A-Za-z0-9][A-Za-z0-9-]{4,}$/.test(id) ? id : undefined;
}

/** The last segment of a URL's path, which Wablas' answers show as the file's name. */
export function fileNameOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    return '';
  }
}

/** The lower-case extension of a file name, or ''. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Whether a file name has an extension the kind's send endpoint takes. */
export function hasAllowedExtension(kind: MediaKind, name: string): boolean {
  return (MEDIA_EXTENSIONS[kind] as readonly string[]).includes(extensionOf(name));
}

/** The docs' wording of the rule, for the failure message. */
export function extensionRule(kind: MediaKind): string {
  return `${kind} extension support: ${MEDIA_EXTENSIONS[kind].join(', ')}`;
}
