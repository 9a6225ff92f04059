import { STATUS_CODES } from 'node:http';
import { acceptMessage, sentContact } from '../../cloud-api/accept-message.js';
import { BUSINESS_PHONE_NUMBER } from '../../cloud-api/channel.js';
import { type FieldErrors, readReceiptErrors } from '../../cloud-api/message-validation.js';
import { validateProfileUpdate } from '../../cloud-api/profiles.js';
import { validateTemplateInput } from '../../cloud-api/templates.js';
import type { Gateway, GatewayRequest } from '../../gateway.js';
import {
  bearerToken,
  isRecord,
  json,
  matchRoute,
  parseJson,
  type Reply,
  type Route,
} from '../../http.js';
import { newFbtraceId } from '../../ids.js';
import { readUpload } from '../../media.js';
import { mediaReply } from '../../media-reply.js';
import type { Template } from '../../types.js';
import { graphPage } from './paging.js';
import { businessPhoneNumbers } from './phone-numbers.js';
import { RESUMABLE_FILE_TYPES } from './resumable-uploads.js';
import type { MetaContext } from './state.js';

type Handler = (
  state: MetaContext,
  req: GatewayRequest,
  param: (name: string) => string,
) => Reply | Promise<Reply>;

// media-download comes first so '/:version/:mediaId' cannot swallow it.
const routes: Route<Handler>[] = [
  { method: 'GET', pattern: '/media-download/:mediaId', handler: downloadMedia },
  { method: 'POST', pattern: '/:version/:phoneNumberId/messages', handler: sendMessage },
  { method: 'POST', pattern: '/:version/:phoneNumberId/media', handler: uploadMedia },
  { method: 'GET', pattern: '/:version/:wabaId/message_templates', handler: listTemplates },
  { method: 'POST', pattern: '/:version/:wabaId/message_templates', handler: createTemplate },
  { method: 'DELETE', pattern: '/:version/:wabaId/message_templates', handler: deleteTemplate },
  { method: 'GET', pattern: '/:version/:wabaId/phone_numbers', handler: listPhoneNumbers },
  {
    method: 'GET',
    pattern: '/:version/:phoneNumberId/whatsapp_business_profile',
    handler: getProfile,
  },
  {
    method: 'POST',
    pattern: '/:version/:phoneNumberId/whatsapp_business_profile',
    handler: updateProfile,
  },
  { method: 'GET', pattern: '/:version/:phoneNumberId/block_users', handler: listBlockedUsers },
  { method: 'POST', pattern: '/:version/:phoneNumberId/block_users', handler: blockUsers },
  { method: 'DELETE', pattern: '/:version/:phoneNumberId/block_users', handler: unblockUsers },
  { method: 'POST', pattern: '/:version/:appId/uploads', handler: startUpload },
  // A bare id is a media file, a template or an upload session ('upload:…'), as on Graph.
  { method: 'GET', pattern: '/:version/:objectId', handler: getObject },
  { method: 'POST', pattern: '/:version/:objectId', handler: postObject },
  { method: 'DELETE', pattern: '/:version/:objectId', handler: deleteObject },
];

/** Graph's error codes for the statuses a fault may inject without its own body. */
const DEFAULT_ERRORS: Record<number, { message: string; code: number }> = {
  400: { message: '(#100) Invalid parameter', code: 100 },
  401: { message: 'Invalid OAuth access token - Cannot parse access token', code: 190 },
  403: { message: '(#10) Application does not have permission for this action', code: 10 },
  429: { message: '(#130429) Rate limit hit', code: 130429 },
  500: { message: 'An unknown error has occurred.', code: 1 },
  503: { message: 'Service temporarily unavailable', code: 2 },
};

/**
 * Meta's Graph API for WhatsApp: messages, media, templates, the account's phone numbers,
 * profiles, uploads and block lists.
 */
export function createMetaGateway(state: MetaContext): Gateway {
  return {
    provider: 'meta',
    authenticate(req) {
      const token = graphToken(req.headers);
      if (token !== undefined && state.meta.options.accessTokens.includes(token)) return undefined;
      return graphError(401, {
        message: 'Invalid OAuth access token - Cannot parse access token',
        code: 190,
      });
    },
    handle(req) {
      const match = matchRoute(routes, req.method, req.path);
      const versioned = !req.path.startsWith('/media-download/');
      if (!match || (versioned && !/^\/v\d+\.\d+\//.test(req.path))) {
        return graphError(404, { message: `Unknown path components: ${req.path}`, code: 2500 });
      }
      return match.handler(state, req, match.param);
    },
    errorFor(status) {
      const known = DEFAULT_ERRORS[status];
      return graphError(status, known ?? { message: STATUS_CODES[status] ?? 'Error', code: 1 });
    },
  };
}

/**
 * The access token: Graph takes `Authorization: Bearer <token>` and, as the Resumable Upload API's
 * documentation writes it, `Authorization: OAuth <token>`.
 */
function graphToken(headers: GatewayRequest['headers']): string | undefined {
  const oauth = /^OAuth\s+(.+)$/i.exec(headers.authorization ?? '');
  return oauth?.[1]?.trim() ?? bearerToken(headers);
}

interface GraphErrorFields {
  message: string;
  code: number;
  subcode?: number;
  details?: string;
}

function graphError(status: number, fields: GraphErrorFields): Reply {
  const error: Record<string, unknown> = {
    message: fields.message,
    type: 'OAuthException',
    code: fields.code,
  };
  if (fields.subcode !== undefined) error.error_subcode = fields.subcode;
  if (fields.details !== undefined) {
    error.error_data = { messaging_product: 'whatsapp', details: fields.details };
  }
  error.fbtrace_id = newFbtraceId();
  return json(status, { error });
}

function invalidParameter(errors: FieldErrors, status = 400): Reply {
  const details = Object.entries(errors)
    .map(([field, problem]) => `${field}: ${problem}`)
    .join('; ');
  return graphError(status, { message: '(#100) Invalid parameter', code: 100, details });
}

const invalidJson = () => invalidParameter({ body: 'must be valid JSON' });

function unknownObject(req: GatewayRequest, id: string): Reply {
  return graphError(400, {
    message: `Unsupported ${req.method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
    code: 100,
    subcode: 33,
  });
}

/** Resolves the :phoneNumberId (or :wabaId) segment against the configured ids. */
function knownId(
  param: (name: string) => string,
  name: 'phoneNumberId' | 'wabaId',
  state: MetaContext,
): string | undefined {
  const id = param(name);
  const known = name === 'wabaId' ? state.meta.options.wabaIds : state.meta.options.phoneNumberIds;
  return known.includes(id) ? id : undefined;
}

function sendMessage(
  state: MetaContext,
  req: GatewayRequest,
  param: (name: string) => string,
): Reply {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();

  // Meta marks messages read through the same endpoint.
  if (isRecord(body.value) && body.value.status === 'read') {
    const errors = readReceiptErrors(body.value);
    if (Object.keys(errors).length > 0) return invalidParameter(errors);
    state.reads.add(
      'meta',
      String(body.value.message_id),
      body.value.typing_indicator !== undefined,
    );
    return json(200, { success: true });
  }

  const result = acceptMessage(state, state.meta.channel, body.value, { phoneNumberId });
  if (!result.ok) {
    if ('errors' in result) return invalidParameter(result.errors);
    const { message, code, subcode, details } = result.templateError;
    return graphError(400, {
      message,
      code,
      ...(subcode === undefined ? {} : { subcode }),
      ...(details === undefined ? {} : { details }),
    });
  }
  return json(200, {
    messaging_product: 'whatsapp',
    contacts: [sentContact(result.message, body.value)],
    messages: [{ id: result.message.id }],
  });
}

async function uploadMedia(
  state: MetaContext,
  req: GatewayRequest,
  param: (name: string) => string,
): Promise<Reply> {
  if (!knownId(param, 'phoneNumberId', state)) return unknownObject(req, param('phoneNumberId'));
  const upload = await readUpload(req.body, req.headers['content-type']);
  if (!upload.ok) return invalidParameter({ [upload.field]: upload.reason });
  const media = state.media.save('meta', upload.file);
  if (!media) {
    return invalidParameter({ file: `must be at most ${state.media.maxFileBytes} bytes` }, 413);
  }
  return json(200, { id: media.id });
}

function getObject(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const id = param('objectId');
  if (id.startsWith('upload:')) return uploadStatus(state, req, id);
  const template = state.meta.templates.byId(id);
  if (template) return json(200, templateView(template, req.query.get('fields')));
  return getMedia(state, req, id);
}

function postObject(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const id = param('objectId');
  if (id.startsWith('upload:')) return uploadBytes(state, req, id);
  const template = state.meta.templates.byId(id);
  if (!template) return unknownObject(req, id);
  return editTemplate(state, req, template);
}

/** Meta's `DELETE /{media-id}`; nothing else here can be deleted by id. */
function deleteObject(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const id = param('objectId');
  if (!state.media.remove('meta', id)) return unknownObject(req, id);
  return json(200, { success: true });
}

function getMedia(state: MetaContext, req: GatewayRequest, id: string) {
  const media = state.media.get('meta', id);
  if (!media) return unknownObject(req, id);
  return json(200, {
    messaging_product: 'whatsapp',
    url: `${req.origin}/meta/media-download/${media.id}`,
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: media.bytes.length,
    id: media.id,
  });
}

function downloadMedia(state: MetaContext, _req: GatewayRequest, param: (name: string) => string) {
  const media = state.media.get('meta', param('mediaId'));
  if (!media) return graphError(404, { message: 'Media not found', code: 100 });
  return mediaReply(media);
}

function listTemplates(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const status = req.query.get('status') ?? undefined;
  const name = req.query.get('name');
  const fields = req.query.get('fields');
  const templates = state.meta.templates
    .list(status)
    .filter((template) => name === null || template.name === name);
  return json(200, {
    // Without `fields`, the stored templates as they are (the seed's list response).
    data: fields === null ? templates : templates.map((template) => templateView(template, fields)),
    paging: { cursors: { before: '', after: '' } },
  });
}

/** What Graph returns for a template id when `fields` is not given. */
const DEFAULT_TEMPLATE_FIELDS = ['name', 'components', 'language', 'status', 'category', 'id'];
const TEMPLATE_PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * A template with the fields `fields` (comma-separated) names, plus `id`, or Graph's default
 * fields. The sandbox has no customer feedback to rate templates by, so an APPROVED template's
 * quality is GREEN and any other's UNKNOWN; a REJECTED one gives INVALID_FORMAT as its reason.
 */
function templateView(template: Template, fields: string | null): Record<string, unknown> {
  const texts = template.components.map((component) => component.text ?? '').join('\n');
  const names = Array.from(texts.matchAll(TEMPLATE_PLACEHOLDER), (match) => match[1] ?? '');
  const every: Record<string, unknown> = {
    ...template,
    parameter_format: names.every((name) => /^\d+$/.test(name)) ? 'POSITIONAL' : 'NAMED',
    quality_score: { score: template.status === 'APPROVED' ? 'GREEN' : 'UNKNOWN' },
    rejected_reason: template.status === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE',
  };
  const wanted =
    fields === null
      ? DEFAULT_TEMPLATE_FIELDS
      : [...fields.split(',').map((field) => field.trim()), 'id'];
  return Object.fromEntries(Object.entries(every).filter(([key]) => wanted.includes(key)));
}

const EDITABLE_STATUSES = ['APPROVED', 'REJECTED', 'PAUSED'];

/**
 * Meta's `POST /{template-id}` with `components` and/or `category`: only APPROVED, REJECTED or
 * PAUSED templates, never an APPROVED template's category, and the result must still be a valid
 * template. Meta's edit quota for approved templates (1 a day, 10 a month) is not emulated.
 */
function editTemplate(state: MetaContext, req: GatewayRequest, template: Template): Reply {
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  if (!isRecord(body.value)) return invalidParameter({ body: 'must be a JSON object' });
  const { components, category } = body.value;
  if (components === undefined && category === undefined) {
    return invalidParameter({ body: 'must contain components or category' });
  }
  if (!EDITABLE_STATUSES.includes(template.status)) {
    return graphError(400, {
      message: '(#100) Invalid parameter',
      code: 100,
      details: `Only APPROVED, REJECTED or PAUSED templates can be edited; this one is ${template.status}`,
    });
  }
  const newCategory = typeof category === 'string' ? category.toUpperCase() : category;
  if (
    template.status === 'APPROVED' &&
    category !== undefined &&
    newCategory !== template.category
  ) {
    return invalidParameter({ category: 'cannot be changed on an APPROVED template' });
  }
  const validated = validateTemplateInput({
    name: template.name,
    language: template.language,
    category: newCategory ?? template.category,
    components: components ?? template.components,
  });
  if (!validated.ok) return invalidParameter(validated.errors);
  state.meta.templates.edit(template.id, {
    category: validated.input.category,
    ...(components === undefined ? {} : { components: validated.input.components }),
  });
  return json(200, { success: true });
}

/** Meta's `POST /{app-id}/uploads`: opens a Resumable Upload API session. */
function startUpload(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const appId = param('appId');
  if (!/^\d+$/.test(appId)) return unknownObject(req, appId);
  const errors: FieldErrors = {};
  const lengthText = req.query.get('file_length') ?? '';
  const fileLength = Number(lengthText);
  if (!/^\d+$/.test(lengthText) || fileLength < 1) {
    errors.file_length = 'must be the file size in bytes';
  } else if (fileLength > state.meta.uploads.maxFileBytes) {
    errors.file_length = `must be at most ${state.meta.uploads.maxFileBytes} bytes`;
  }
  const fileType = (req.query.get('file_type') ?? '').toLowerCase();
  if (!RESUMABLE_FILE_TYPES.includes(fileType)) {
    errors.file_type = `must be one of ${RESUMABLE_FILE_TYPES.join(', ')}`;
  }
  if (Object.keys(errors).length > 0) return invalidParameter(errors);
  const id = state.meta.uploads.start(appId, {
    fileLength,
    fileType,
    fileName: req.query.get('file_name') ?? 'file',
  });
  return json(200, { id });
}

/** `GET /upload:…`: how many bytes the session has, to resume an interrupted upload. */
function uploadStatus(state: MetaContext, req: GatewayRequest, key: string): Reply {
  const offset = state.meta.uploads.offset(key, req.query.get('sig'));
  if (offset === undefined) return unknownObject(req, key);
  return json(200, { id: key, file_offset: offset });
}

/** `POST /upload:…?sig=…` with header `file_offset` and the bytes as the body. */
function uploadBytes(state: MetaContext, req: GatewayRequest, key: string): Reply {
  const offsetText = req.headers.file_offset;
  if (typeof offsetText !== 'string' || !/^\d+$/.test(offsetText)) {
    return invalidParameter({ file_offset: 'header is required: the offset to write at, e.g. 0' });
  }
  const outcome = state.meta.uploads.upload(
    key,
    req.query.get('sig'),
    Number(offsetText),
    new Uint8Array(req.body),
  );
  if (outcome.ok) {
    return outcome.complete
      ? json(200, { h: outcome.handle })
      : json(200, { id: key, file_offset: outcome.offset });
  }
  switch (outcome.reason) {
    case 'unknown':
      return unknownObject(req, key);
    case 'offset':
      return invalidParameter({
        file_offset: `must be ${outcome.expected}, the bytes received so far`,
      });
    default:
      return invalidParameter({
        body: `is longer than the ${outcome.remaining} bytes of file_length still to come`,
      });
  }
}

/** Meta's limit on the users one Block Users request may name. */
const MAX_BLOCK_USERS = 1000;

interface BlockUserError {
  message: string;
  code: number;
  error_data: { details: string };
}

const blockError = (message: string, code: number, details: string): BlockUserError => ({
  message,
  code,
  error_data: { details },
});

const REENGAGEMENT_REQUIRED = blockError(
  'Re-engagement required',
  131047,
  'The business has not received a message from this number in the last 24 hours',
);

/** The users of a Block Users request body, or the error to answer it with. */
function blockUsersIn(
  req: GatewayRequest,
): { ok: true; users: string[] } | { ok: false; reply: Reply } {
  const body = parseJson(req.body);
  if (!body.ok) return { ok: false, reply: invalidJson() };
  if (!isRecord(body.value)) {
    return { ok: false, reply: invalidParameter({ body: 'must be a JSON object' }) };
  }
  const { messaging_product: product, block_users: list } = body.value;
  const errors: FieldErrors = {};
  if (product !== 'whatsapp') errors.messaging_product = "must be 'whatsapp'";
  if (!Array.isArray(list) || list.length === 0) {
    errors.block_users = 'must be a non-empty array of { user }';
  } else if (list.length > MAX_BLOCK_USERS) {
    // Meta answers too many numbers in one request with its rate-limit error.
    const details = `At most ${MAX_BLOCK_USERS} users per request, got ${list.length}`;
    return {
      ok: false,
      reply: graphError(400, { message: '(#130429) Rate limit hit', code: 130429, details }),
    };
  } else {
    list.forEach((entry: unknown, index) => {
      if (!isRecord(entry) || typeof entry.user !== 'string' || entry.user === '') {
        errors[`block_users[${index}].user`] = 'must be a phone number or WhatsApp id';
      }
    });
  }
  if (Object.keys(errors).length > 0) return { ok: false, reply: invalidParameter(errors) };
  return { ok: true, users: (list as { user: string }[]).map((entry) => entry.user) };
}

/** A phone number or WhatsApp id as the wa_id it stands for; undefined when it is neither. */
function whatsAppId(user: string): string | undefined {
  const compact = user.replace(/[\s\-().]/g, '');
  return /^\+?\d{8,15}$/.test(compact) ? compact.replace(/^\+/, '') : undefined;
}

/** Whether the user wrote to the number in the last 24 hours, by the sandbox's clock. */
function messagedRecently(state: MetaContext, phoneNumberId: string, waId: string): boolean {
  return state.windows.isOpen('meta', phoneNumberId, { from: waId }, state.clock.now());
}

/**
 * The Block Users answer: 200 when every user succeeded, else 400 with the per-user lists and
 * error 139100, as Meta documents for mixed success and failure.
 */
function blockAnswer(
  done: { added_users: unknown[] } | { removed_users: unknown[] },
  failed: unknown[],
  verb: 'block' | 'unblock',
): Reply {
  if (failed.length === 0) return json(200, { messaging_product: 'whatsapp', block_users: done });
  return json(400, {
    messaging_product: 'whatsapp',
    block_users: { ...done, failed_users: failed },
    error: {
      message: '(#139100) Failed to block/unblock users',
      type: 'OAuthException',
      code: 139100,
      error_data: {
        details: `Failed to ${verb} some users, see the block_users response list for details`,
      },
      fbtrace_id: newFbtraceId(),
    },
  });
}

/**
 * Meta's `POST /{phone-number-id}/block_users`. As on Meta, a user can be blocked only within 24
 * hours of their last message (send one with the control API's inbound), never the business's
 * own number, and at most 64,000 per number.
 */
function blockUsers(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const parsed = blockUsersIn(req);
  if (!parsed.ok) return parsed.reply;
  const added: { input: string; wa_id: string }[] = [];
  const failed: { input: string; wa_id?: string; errors: BlockUserError[] }[] = [];
  for (const input of parsed.users) {
    const waId = whatsAppId(input);
    if (waId === undefined) {
      failed.push({ input, errors: [REENGAGEMENT_REQUIRED] });
    } else if (waId === BUSINESS_PHONE_NUMBER) {
      const selfBlock = blockError('Self Block', 131021, 'Failed to block self phone number');
      failed.push({ input, wa_id: waId, errors: [selfBlock] });
    } else if (!messagedRecently(state, phoneNumberId, waId)) {
      failed.push({ input, wa_id: waId, errors: [REENGAGEMENT_REQUIRED] });
    } else if (!state.meta.blocked.add(phoneNumberId, waId)) {
      const full = blockError(
        'Blocklist limit reached',
        139101,
        'The blocklist has reached its 64,000 user limit',
      );
      failed.push({ input, wa_id: waId, errors: [full] });
    } else {
      added.push({ input, wa_id: waId });
    }
  }
  return blockAnswer({ added_users: added }, failed, 'block');
}

/** Meta's `DELETE /{phone-number-id}/block_users`; unblocking has no 24-hour rule. */
function unblockUsers(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const parsed = blockUsersIn(req);
  if (!parsed.ok) return parsed.reply;
  const removed: { input: string; wa_id: string }[] = [];
  const failed: { input: string; errors: BlockUserError[] }[] = [];
  for (const input of parsed.users) {
    const waId = whatsAppId(input);
    if (waId === undefined) {
      failed.push({ input, errors: [REENGAGEMENT_REQUIRED] });
    } else {
      state.meta.blocked.remove(phoneNumberId, waId);
      removed.push({ input, wa_id: waId });
    }
  }
  return blockAnswer({ removed_users: removed }, failed, 'unblock');
}

/** Meta's `GET /{phone-number-id}/block_users`, a page at a time (`limit`, `after`), oldest first. */
function listBlockedUsers(
  state: MetaContext,
  req: GatewayRequest,
  param: (name: string) => string,
) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const page = graphPage(req, state.meta.blocked.list(phoneNumberId), 100);
  if (!page.ok) return invalidParameter(page.errors);
  return json(200, {
    data: page.data.map((waId) => ({ messaging_product: 'whatsapp', wa_id: waId })),
    paging: page.paging,
  });
}

/**
 * Meta's `GET /{waba-id}/phone_numbers`: the numbers of the account with Graph's default fields,
 * 25 to a page unless `limit` says otherwise, with an `after` cursor.
 */
function listPhoneNumbers(
  state: MetaContext,
  req: GatewayRequest,
  param: (name: string) => string,
) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const page = graphPage(req, businessPhoneNumbers(state.meta.options.phoneNumberIds), 25);
  if (!page.ok) return invalidParameter(page.errors);
  return json(200, { data: page.data, paging: page.paging });
}

function createTemplate(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const validated = validateTemplateInput(body.value);
  if (!validated.ok) return invalidParameter(validated.errors);
  const { name, language } = validated.input;
  if (state.meta.templates.find(name, language)) {
    return graphError(400, {
      message: '(#100) Invalid parameter',
      code: 100,
      subcode: 2388024,
      details: `Content in this language already exists: ${name} (${language})`,
    });
  }
  const template = state.meta.templates.create(validated.input);
  return json(200, { id: template.id, status: template.status, category: template.category });
}

function deleteTemplate(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const name = req.query.get('name');
  if (!name) return invalidParameter({ name: 'is required' });
  if (state.meta.templates.remove(name) === 0) {
    return invalidParameter({ name: `template '${name}' does not exist` }, 404);
  }
  return json(200, { success: true });
}

function getProfile(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const profile = state.meta.profiles.get(`meta:${phoneNumberId}`);
  // Graph returns only the fields asked for; without `fields`, all of them.
  const fields = req.query
    .get('fields')
    ?.split(',')
    .map((field) => field.trim());
  const selected = fields
    ? Object.fromEntries(Object.entries(profile).filter(([key]) => fields.includes(key)))
    : profile;
  return json(200, { data: [{ ...selected, messaging_product: 'whatsapp' }] });
}

function updateProfile(state: MetaContext, req: GatewayRequest, param: (name: string) => string) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const validated = validateProfileUpdate(body.value);
  const errors: FieldErrors = validated.ok ? {} : { ...validated.errors };
  if (isRecord(body.value) && body.value.messaging_product !== 'whatsapp') {
    errors.messaging_product = "must be 'whatsapp'";
  }
  const picture = isRecord(body.value)
    ? profilePicture(state, body.value.profile_picture_handle)
    : undefined;
  if (picture && !picture.ok) errors.profile_picture_handle = picture.problem;
  if (!validated.ok || Object.keys(errors).length > 0) return invalidParameter(errors);
  state.meta.profiles.update(`meta:${phoneNumberId}`, {
    ...validated.patch,
    ...(picture?.ok ? { profile_picture_url: picture.url } : {}),
  });
  return json(200, { success: true });
}

const PROFILE_PICTURE_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/png': 'png',
};

/**
 * The picture a `profile_picture_handle` names: a finished Resumable Upload API file that is a
 * JPEG or PNG. Its profile_picture_url is made up in the style of Meta's CDN; nothing serves it.
 */
function profilePicture(
  state: MetaContext,
  handle: unknown,
): { ok: true; url: string } | { ok: false; problem: string } | undefined {
  if (handle === undefined) return undefined;
  const file = typeof handle === 'string' ? state.meta.uploads.file(handle) : undefined;
  if (!file) return { ok: false, problem: 'must be a handle (h) from the Resumable Upload API' };
  const extension = PROFILE_PICTURE_TYPES[file.mimeType];
  if (!extension) return { ok: false, problem: 'must name a JPEG or PNG image' };
  return {
    ok: true,
    url: `https://pps.whatsapp.net/v/t61.24694-24/${file.sha256.slice(0, 32)}_n.${extension}`,
  };
}
