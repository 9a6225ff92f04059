import { STATUS_CODES } from 'node:http';
import { acceptMessage } from './accept-message';
import type { Gateway, GatewayRequest } from './gateway';
import { bearerToken, isRecord, json, matchRoute, parseJson, type Reply, type Route } from './http';
import { newFbtraceId } from './ids';
import { readUpload } from './media';
import { mediaReply } from './media-download';
import { type FieldErrors, readReceiptErrors } from './message-validation';
import { validateProfileUpdate } from './profiles';
import type { SandboxState } from './state';
import { validateTemplateInput } from './templates';

type Handler = (
  state: SandboxState,
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
  { method: 'GET', pattern: '/:version/:mediaId', handler: getMedia },
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

export function createMetaGateway(state: SandboxState): Gateway {
  return {
    provider: 'meta',
    authenticate(req) {
      const token = bearerToken(req.headers);
      if (token !== undefined && state.options.meta.accessTokens.includes(token)) return undefined;
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
  state: SandboxState,
): string | undefined {
  const id = param(name);
  const known = name === 'wabaId' ? state.options.meta.wabaIds : state.options.meta.phoneNumberIds;
  return known.includes(id) ? id : undefined;
}

function sendMessage(
  state: SandboxState,
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
    state.reads.add('meta', String(body.value.message_id));
    return json(200, { success: true });
  }

  const result = acceptMessage(state, 'meta', body.value, { phoneNumberId });
  if (!result.ok) {
    if ('errors' in result) return invalidParameter(result.errors);
    const { message, code, subcode } = result.templateError;
    return graphError(400, { message, code, ...(subcode === undefined ? {} : { subcode }) });
  }
  const to = isRecord(body.value) ? String(body.value.to) : '';
  return json(200, {
    messaging_product: 'whatsapp',
    contacts: [{ input: to, wa_id: result.message.to }],
    messages: [{ id: result.message.id }],
  });
}

async function uploadMedia(
  state: SandboxState,
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

function getMedia(state: SandboxState, req: GatewayRequest, param: (name: string) => string) {
  const id = param('mediaId');
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

function downloadMedia(state: SandboxState, _req: GatewayRequest, param: (name: string) => string) {
  const media = state.media.get('meta', param('mediaId'));
  if (!media) return graphError(404, { message: 'Media not found', code: 100 });
  return mediaReply(media);
}

function listTemplates(state: SandboxState, req: GatewayRequest, param: (name: string) => string) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const status = req.query.get('status') ?? undefined;
  return json(200, {
    data: state.templates.meta.list(status),
    paging: { cursors: { before: '', after: '' } },
  });
}

function createTemplate(state: SandboxState, req: GatewayRequest, param: (name: string) => string) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const validated = validateTemplateInput(body.value);
  if (!validated.ok) return invalidParameter(validated.errors);
  const { name, language } = validated.input;
  if (state.templates.meta.find(name, language)) {
    return graphError(400, {
      message: '(#100) Invalid parameter',
      code: 100,
      subcode: 2388024,
      details: `Content in this language already exists: ${name} (${language})`,
    });
  }
  const template = state.templates.meta.create(validated.input);
  return json(200, { id: template.id, status: template.status, category: template.category });
}

function deleteTemplate(state: SandboxState, req: GatewayRequest, param: (name: string) => string) {
  if (!knownId(param, 'wabaId', state)) return unknownObject(req, param('wabaId'));
  const name = req.query.get('name');
  if (!name) return invalidParameter({ name: 'is required' });
  if (state.templates.meta.remove(name) === 0) {
    return invalidParameter({ name: `template '${name}' does not exist` }, 404);
  }
  return json(200, { success: true });
}

function getProfile(state: SandboxState, req: GatewayRequest, param: (name: string) => string) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const profile = state.profiles.get(`meta:${phoneNumberId}`);
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

function updateProfile(state: SandboxState, req: GatewayRequest, param: (name: string) => string) {
  const phoneNumberId = knownId(param, 'phoneNumberId', state);
  if (!phoneNumberId) return unknownObject(req, param('phoneNumberId'));
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const validated = validateProfileUpdate(body.value);
  const errors: FieldErrors = validated.ok ? {} : { ...validated.errors };
  if (isRecord(body.value) && body.value.messaging_product !== 'whatsapp') {
    errors.messaging_product = "must be 'whatsapp'";
  }
  if (!validated.ok || Object.keys(errors).length > 0) return invalidParameter(errors);
  state.profiles.update(`meta:${phoneNumberId}`, validated.patch);
  return json(200, { success: true });
}
