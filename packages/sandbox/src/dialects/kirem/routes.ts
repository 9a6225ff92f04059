import { STATUS_CODES } from 'node:http';
import { acceptMessage, sentContact } from '../../cloud-api/accept-message.js';
import { readReceiptErrors } from '../../cloud-api/message-validation.js';
import { validateProfileUpdate } from '../../cloud-api/profiles.js';
import { type TemplateSendError, validateTemplateInput } from '../../cloud-api/templates.js';
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
import { readUpload } from '../../media.js';
import { mediaReply } from '../../media-reply.js';
import { digitsOnly } from '../../phone.js';
import { handleMcp, mcpMethodNotAllowed } from './mcp.js';
import { logStatus } from './message-log.js';
import type { KiremContext } from './state.js';

type Handler = (
  state: KiremContext,
  req: GatewayRequest,
  param: (name: string) => string,
) => Reply | Promise<Reply>;

const routes: Route<Handler>[] = [
  { method: 'POST', pattern: '/v1/messages/read', handler: markRead },
  { method: 'POST', pattern: '/v1/messages', handler: (s, req) => sendMessage(s, req) },
  {
    method: 'POST',
    pattern: '/v1/:phoneNumberId/messages',
    handler: (s, req, param) => sendMessage(s, req, param('phoneNumberId')),
  },
  { method: 'POST', pattern: '/v1/media', handler: uploadMedia },
  { method: 'GET', pattern: '/v1/media/:mediaId/download', handler: downloadMedia },
  { method: 'GET', pattern: '/v1/templates', handler: listTemplates },
  { method: 'POST', pattern: '/v1/templates', handler: createTemplate },
  { method: 'DELETE', pattern: '/v1/templates/:name', handler: deleteTemplate },
  { method: 'GET', pattern: '/v1/profile', handler: getProfile },
  { method: 'POST', pattern: '/v1/profile', handler: updateProfile },
  { method: 'GET', pattern: '/v1/analytics/messages', handler: messageLogs },
  { method: 'GET', pattern: '/v1/analytics/webhooks', handler: webhookLogs },
  { method: 'POST', pattern: '/v1/mcp', handler: handleMcp },
  // The sandbox opens no server-initiated SSE stream and keeps no MCP sessions to end.
  { method: 'GET', pattern: '/v1/mcp', handler: mcpMethodNotAllowed },
  { method: 'DELETE', pattern: '/v1/mcp', handler: mcpMethodNotAllowed },
];

const MESSAGE_PATHS = /^\/v1\/(?:[^/]+\/)?messages$/;

/** Kirem's HTTP API: Meta's message format in Kirem's own envelope, plus templates, profiles and logs. */
export function createKiremGateway(state: KiremContext): Gateway {
  return {
    provider: 'kirem',
    authenticate(req) {
      const token = bearerToken(req.headers);
      if (token !== undefined && state.kirem.options.apiKeys.includes(token)) return undefined;
      return kiremError(401, 'Unauthorized: invalid or missing API key', {
        authorization: 'invalid or missing API key',
      });
    },
    handle(req) {
      const match = matchRoute(routes, req.method, req.path);
      if (!match) {
        return kiremError(404, 'Not Found', { path: `${req.method} ${req.path} does not exist` });
      }
      return match.handler(state, req, match.param);
    },
    errorFor: (status) => kiremError(status, STATUS_CODES[status] ?? 'Error', {}),
    idempotency: {
      scope(req) {
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || key === '') return undefined;
        if (req.method !== 'POST' || !MESSAGE_PATHS.test(req.path)) return undefined;
        return `${bearerToken(req.headers)}\n${key}`;
      },
      conflict: () =>
        kiremError(422, 'Idempotency-Key was already used with a different request', {
          idempotency_key: 'was already used with a different request body',
        }),
    },
  };
}

function success(status: number, message: string, data: unknown): Reply {
  return json(status, { status, message, data });
}

function kiremError(status: number, message: string, errors: Record<string, unknown>): Reply {
  return json(status, { status, message, errors });
}

function validationFailed(errors: Record<string, string>): Reply {
  return kiremError(400, 'Validation failed', errors);
}

const invalidJson = () => kiremError(400, 'Invalid JSON body', { body: 'must be valid JSON' });

/** Kirem passes Meta's template errors through inside its own wrapper (seed: response-wrapper). */
function templateError(error: TemplateSendError): Reply {
  const errors: Record<string, unknown> = {
    message: error.message,
    type: 'OAuthException',
    code: error.code,
  };
  if (error.subcode !== undefined) errors.error_subcode = error.subcode;
  if (error.details !== undefined) {
    errors.error_data = { messaging_product: 'whatsapp', details: error.details };
  }
  return kiremError(400, error.message, errors);
}

function sendMessage(state: KiremContext, req: GatewayRequest, phoneNumberId?: string): Reply {
  if (phoneNumberId !== undefined && !state.kirem.options.phoneNumberIds.includes(phoneNumberId)) {
    return kiremError(404, 'Phone number not found', {
      phone_number_id: `'${phoneNumberId}' is not a phone number of this project`,
    });
  }
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const key = req.headers['idempotency-key'];
  const result = acceptMessage(state, state.kirem.channel, body.value, {
    ...(phoneNumberId === undefined ? {} : { phoneNumberId }),
    ...(typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {}),
  });
  if (!result.ok) {
    return 'errors' in result
      ? validationFailed(result.errors)
      : templateError(result.templateError);
  }
  return success(201, 'Message sent successfully', {
    messaging_product: 'whatsapp',
    contacts: [sentContact(result.message, body.value)],
    messages: [{ id: result.message.id }],
  });
}

function markRead(state: KiremContext, req: GatewayRequest): Reply {
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const errors = readReceiptErrors(body.value);
  if (Object.keys(errors).length > 0 || !isRecord(body.value)) return validationFailed(errors);
  state.reads.add(
    'kirem',
    String(body.value.message_id),
    body.value.typing_indicator !== undefined,
  );
  return success(200, 'Message marked as read', { success: true });
}

async function uploadMedia(state: KiremContext, req: GatewayRequest): Promise<Reply> {
  const upload = await readUpload(req.body, req.headers['content-type']);
  if (!upload.ok) return validationFailed({ [upload.field]: upload.reason });
  const media = state.media.save('kirem', upload.file);
  if (!media) {
    const file = `must be at most ${state.media.maxFileBytes} bytes`;
    return kiremError(413, 'Payload Too Large', { file });
  }
  return success(200, 'Media uploaded successfully', { id: media.id });
}

function downloadMedia(
  state: KiremContext,
  _req: GatewayRequest,
  param: (name: string) => string,
): Reply {
  const id = param('mediaId');
  const media = state.media.get('kirem', id);
  if (!media) return kiremError(404, 'Media not found', { media_id: `'${id}' does not exist` });
  return mediaReply(media);
}

function listTemplates(state: KiremContext, req: GatewayRequest): Reply {
  const status = req.query.get('status') ?? undefined;
  return success(200, 'Templates retrieved successfully', state.kirem.templates.list(status));
}

function createTemplate(state: KiremContext, req: GatewayRequest): Reply {
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const validated = validateTemplateInput(body.value);
  if (!validated.ok) return validationFailed(validated.errors);
  const { name, language } = validated.input;
  if (state.kirem.templates.find(name, language)) {
    return kiremError(409, 'Template already exists', {
      name: `a template named '${name}' already exists in language '${language}'`,
    });
  }
  const template = state.kirem.templates.create(validated.input);
  return success(200, 'Template created successfully', {
    id: template.id,
    status: template.status,
    category: template.category,
  });
}

function deleteTemplate(
  state: KiremContext,
  _req: GatewayRequest,
  param: (name: string) => string,
): Reply {
  const name = param('name');
  if (state.kirem.templates.remove(name) === 0) {
    return kiremError(404, 'Template not found', { name: `'${name}' does not exist` });
  }
  return success(200, 'Template deleted successfully', { success: true });
}

/** channel_id picks the channel; GET may omit it (the first channel), POST may not. */
function channelOf(
  state: KiremContext,
  req: GatewayRequest,
  required: boolean,
): { ok: true; channel: string } | { ok: false; reply: Reply } {
  const channel = req.query.get('channel_id');
  const channels = state.kirem.options.channelIds;
  if (channel === null || channel === '') {
    if (!required) return { ok: true, channel: channels[0] };
    return { ok: false, reply: validationFailed({ channel_id: 'is required' }) };
  }
  if (!channels.includes(channel)) {
    return {
      ok: false,
      reply: kiremError(404, 'Channel not found', { channel_id: `'${channel}' does not exist` }),
    };
  }
  return { ok: true, channel };
}

function getProfile(state: KiremContext, req: GatewayRequest): Reply {
  const channel = channelOf(state, req, false);
  if (!channel.ok) return channel.reply;
  const profile = state.kirem.profiles.get(`kirem:${channel.channel}`);
  return success(200, 'Business profile retrieved successfully', profile);
}

function updateProfile(state: KiremContext, req: GatewayRequest): Reply {
  const channel = channelOf(state, req, true);
  if (!channel.ok) return channel.reply;
  const body = parseJson(req.body);
  if (!body.ok) return invalidJson();
  const validated = validateProfileUpdate(body.value);
  if (!validated.ok) return validationFailed(validated.errors);
  state.kirem.profiles.update(`kirem:${channel.channel}`, validated.patch);
  return success(200, 'Business profile updated successfully', { success: true });
}

type Page = { ok: true; limit: number; offset: number } | { ok: false; reply: Reply };

/** limit defaults to 50 and is capped at 100; offset defaults to 0. */
function pageOf(query: URLSearchParams): Page {
  const errors: Record<string, string> = {};
  const read = (name: string, fallback: number, min: number) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && value >= min) return value;
    errors[name] = `must be an integer >= ${min}`;
    return fallback;
  };
  const limit = Math.min(read('limit', 50, 1), 100);
  const offset = read('offset', 0, 0);
  if (Object.keys(errors).length > 0) return { ok: false, reply: validationFailed(errors) };
  return { ok: true, limit, offset };
}

function messageLogs(state: KiremContext, req: GatewayRequest): Reply {
  const page = pageOf(req.query);
  if (!page.ok) return page.reply;
  const status = req.query.get('status');
  const direction = req.query.get('direction');
  const recipient = req.query.get('recipient');
  const logs = state.messages
    .query({ provider: 'kirem' })
    .messages.map((message) => ({
      id: `log_${message.id.slice('wamid.'.length)}`,
      message_id: message.id,
      // A send addressed only by business-scoped user id logs that id.
      recipient: message.to || message.userId || '',
      direction: message.direction,
      type: message.type,
      status: logStatus(message.status),
      // A failed send logs why, e.g. outside the 24-hour customer service window.
      error_message: message.error ? (message.error.details ?? message.error.title) : null,
      created_at: message.createdAt,
    }))
    .filter(
      (log) =>
        (!status || log.status === status) &&
        (!direction || log.direction === direction) &&
        (!recipient || log.recipient === digitsOnly(recipient) || log.recipient === recipient),
    );
  return success(200, 'Message logs retrieved successfully', {
    total: logs.length,
    limit: page.limit,
    offset: page.offset,
    logs: logs.slice(page.offset, page.offset + page.limit),
  });
}

function webhookLogs(state: KiremContext, req: GatewayRequest): Reply {
  const page = pageOf(req.query);
  if (!page.ok) return page.reply;
  const isSuccess = req.query.get('is_success');
  if (isSuccess !== null && isSuccess !== 'true' && isSuccess !== 'false') {
    return validationFailed({ is_success: "must be 'true' or 'false'" });
  }
  const logs = state.kirem.webhookLogs.list(isSuccess === null ? undefined : isSuccess === 'true');
  return success(200, 'Webhook logs retrieved successfully', {
    total: logs.length,
    limit: page.limit,
    offset: page.offset,
    logs: logs.slice(page.offset, page.offset + page.limit),
  });
}
