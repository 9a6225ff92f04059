import type { CloudChannel } from './cloud-api/channel.js';
import { TEMPLATE_STATUSES } from './cloud-api/templates.js';
import {
  type ContextHandler,
  type ControlRequest,
  failure,
  jsonBody,
  NO_CONTENT,
  oneOf,
  type Parsed,
  providerOf,
} from './control-http.js';
import { webhookRoutes } from './control-webhooks.js';
import type { DialectInstance } from './dialect.js';
import { validateFault } from './faults.js';
import { isRecord, json, matchRoute, parseJson, type Reply, type Route } from './http.js';
import { mediaReply } from './media-reply.js';
import { MESSAGE_STATUSES } from './message-search.js';
import { PROVIDERS, resetSandbox, type Sandbox, sandboxInfo } from './sandbox.js';
import { restoreSession } from './session.js';
import { exportSessionDocument, readSessionDocument } from './session-document.js';
import type { SandboxState } from './state.js';
import type {
  ClockState,
  MessageDetail,
  MessageFilter,
  SandboxSettings,
  TemplateStatus,
  WaviroSession,
  WebhookDelivery,
} from './types.js';
import { deliverWebhook } from './webhook-dispatch.js';

export type { ControlRequest } from './control-http.js';

const routes: Route<ContextHandler<Sandbox>>[] = [
  {
    method: 'GET',
    pattern: '/info',
    handler: (s, req) => json(200, sandboxInfo(s, req.origin)),
  },
  {
    method: 'GET',
    pattern: '/health',
    handler: (s) => json(200, { ok: true, uptimeMs: Date.now() - s.startedAt }),
  },
  { method: 'GET', pattern: '/messages', handler: listMessages },
  { method: 'DELETE', pattern: '/messages', handler: clearMessages },
  { method: 'GET', pattern: '/messages/latest', handler: latestMessage },
  { method: 'GET', pattern: '/messages/:id', handler: getMessage },
  { method: 'GET', pattern: '/messages/:id/detail', handler: messageDetail },
  { method: 'GET', pattern: '/conversations', handler: listConversations },
  { method: 'GET', pattern: '/media/:provider/:id', handler: getMedia },
  { method: 'GET', pattern: '/waviro/connection', handler: waviroSession },
  { method: 'GET', pattern: '/reads', handler: listReads },
  { method: 'GET', pattern: '/templates', handler: listTemplates },
  { method: 'POST', pattern: '/templates/:provider/:name/status', handler: setTemplateStatus },
  { method: 'GET', pattern: '/faults', handler: (s) => json(200, { faults: s.faults.list() }) },
  { method: 'POST', pattern: '/faults', handler: addFault },
  { method: 'DELETE', pattern: '/faults', handler: clearFaults },
  { method: 'DELETE', pattern: '/faults/:id', handler: removeFault },
  { method: 'POST', pattern: '/reset', handler: reset },
  { method: 'GET', pattern: '/export', handler: (s) => json(200, exportSessionDocument(s)) },
  { method: 'POST', pattern: '/import', handler: importSession },
  { method: 'GET', pattern: '/settings', handler: (s) => json(200, settingsOf(s)) },
  { method: 'PUT', pattern: '/settings', handler: updateSettings },
  { method: 'GET', pattern: '/clock', handler: (s) => json(200, clockOf(s)) },
  { method: 'POST', pattern: '/clock', handler: advanceClock },
  ...webhookRoutes,
];

/**
 * The Mailpit-style test API under /api/v1: JSON in and out, no auth. The shared routes come
 * first, then each dialect's own (they do not overlap).
 */
export function handleControl(sandbox: Sandbox, req: ControlRequest): Reply | Promise<Reply> {
  const match =
    matchRoute(routes, req.method, req.path) ??
    Object.values<DialectInstance>(sandbox.dialects)
      .map((dialect) => matchRoute(dialect.controlRoutes, req.method, req.path))
      .find((found) => found !== undefined);
  if (!match) return failure(404, `${req.method} /api/v1${req.path} does not exist`);
  return match.handler(sandbox, req, match.param);
}

/** The gateways that keep Meta-style templates, in table order; Qirim's live under /qirim/templates. */
function templateChannels(sandbox: Sandbox): CloudChannel[] {
  return Object.values<DialectInstance>(sandbox.dialects).flatMap(
    (dialect) => dialect.channel ?? [],
  );
}

/** A `provider` naming one of the gateways with Meta-style templates, or none for all of them. */
function templateChannelOf(sandbox: Sandbox, raw: string | null): Parsed<CloudChannel | undefined> {
  if (raw === null || raw === '') return { ok: true, value: undefined };
  const channels = templateChannels(sandbox);
  const channel = channels.find((candidate) => candidate.provider === raw);
  if (channel) return { ok: true, value: channel };
  const names = channels.map((candidate) => candidate.provider);
  return { ok: false, reply: failure(400, `provider must be ${oneOf(names)}`) };
}

function filterOf(query: URLSearchParams): Parsed<MessageFilter> {
  const provider = providerOf(query.get('provider'), PROVIDERS);
  if (!provider.ok) return provider;
  const filter: MessageFilter = {};
  if (provider.value) filter.provider = provider.value;
  const to = query.get('to');
  if (to) filter.to = to;
  const type = query.get('type');
  if (type) filter.type = type;
  const from = query.get('from');
  if (from) filter.from = from;
  const userId = query.get('userId');
  if (userId) filter.userId = userId;
  const direction = query.get('direction');
  if (direction === 'inbound' || direction === 'outbound') filter.direction = direction;
  else if (direction)
    return { ok: false, reply: failure(400, "direction must be 'inbound' or 'outbound'") };
  const limit = query.get('limit');
  if (limit) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) {
      return { ok: false, reply: failure(400, 'limit must be a positive integer') };
    }
    filter.limit = Number(limit);
  }
  return searchOf(query, filter);
}

/** The inbox's search on top of the exact filters: `q`, `status`, `conversation` and `offset`. */
function searchOf(query: URLSearchParams, filter: MessageFilter): Parsed<MessageFilter> {
  const q = query.get('q')?.trim();
  if (q) filter.q = q;
  const status = query.get('status');
  const known = MESSAGE_STATUSES.find((candidate) => candidate === status);
  if (known) filter.status = known;
  else if (status) {
    return {
      ok: false,
      reply: failure(400, `status must be one of ${MESSAGE_STATUSES.join(', ')}`),
    };
  }
  const conversation = query.get('conversation');
  if (conversation) filter.conversation = conversation;
  const offset = query.get('offset');
  if (offset) {
    if (!/^\d+$/.test(offset)) {
      return { ok: false, reply: failure(400, 'offset must be a non-negative integer') };
    }
    filter.offset = Number(offset);
  }
  return { ok: true, value: filter };
}

function listMessages(state: SandboxState, req: ControlRequest): Reply {
  const filter = filterOf(req.query);
  if (!filter.ok) return filter.reply;
  return json(200, state.messages.query(filter.value));
}

function clearMessages(state: SandboxState): Reply {
  state.messages.reset();
  return NO_CONTENT;
}

function latestMessage(state: SandboxState, req: ControlRequest): Reply {
  const filter = filterOf(req.query);
  if (!filter.ok) return filter.reply;
  const [latest] = state.messages.query({ ...filter.value, limit: 1 }).messages;
  return latest ? json(200, latest) : failure(404, 'no message');
}

function getMessage(state: SandboxState, _req: ControlRequest, param: (name: string) => string) {
  const message = state.messages.get(param('id'));
  return message ? json(200, message) : failure(404, 'no message');
}

/**
 * The message with what the inbox's detail pane shows: the gateway request, the status history and
 * the webhook deliveries whose raw body names the message's id (statuses, the inbound webhook).
 */
function messageDetail(state: SandboxState, _req: ControlRequest, param: (name: string) => string) {
  const id = param('id');
  const message = state.messages.get(id);
  if (!message) return failure(404, 'no message');
  const detail: MessageDetail = {
    message,
    request: state.messages.requestOf(id) ?? null,
    statuses: state.messages.statusesOf(id),
    deliveries: state.deliveries.list().filter((delivery) => delivery.body.includes(id)),
  };
  return json(200, detail);
}

/** Conversations whose messages match the same query parameters as GET /messages, paged. */
function listConversations(state: SandboxState, req: ControlRequest): Reply {
  const filter = filterOf(req.query);
  if (!filter.ok) return filter.reply;
  return json(200, state.messages.conversations(filter.value));
}

/**
 * A stored media file of any gateway, served like the gateways' own downloads, so the inbox can
 * show media of gateways that have no download route of their own (a Waviro customer's image).
 */
function getMedia(state: SandboxState, _req: ControlRequest, param: (name: string) => string) {
  const provider = providerOf(param('provider'), PROVIDERS);
  if (!provider.ok) return provider.reply;
  const media = provider.value ? state.media.get(provider.value, param('id')) : undefined;
  return media ? mediaReply(media) : failure(404, 'no such media');
}

/**
 * The Waviro bot's login. Asked of the bot's own `getqr` call, as a client would, so it shows the
 * number when logged in and a fresh QR code when not.
 */
async function waviroSession(sandbox: Sandbox, req: ControlRequest): Promise<Reply> {
  const waviro: DialectInstance<'waviro'> = sandbox.dialects.waviro;
  const reply = await waviro.gateway.handle({
    method: 'POST',
    path: '/api/getqr',
    query: new URLSearchParams(),
    headers: { secretkey: waviro.credentials(req.origin).secretKey },
    origin: req.origin,
    body: Buffer.alloc(0),
  });
  const answer = isRecord(reply.body) && isRecord(reply.body.message) ? reply.body.message : {};
  const session: WaviroSession = { authenticated: answer.isAuthenticated === true };
  if (typeof answer.number === 'string') session.number = answer.number;
  if (typeof answer.qrcode === 'string' && answer.qrcode !== '') session.qrcode = answer.qrcode;
  return json(200, session);
}

function listReads(state: SandboxState, req: ControlRequest): Reply {
  const provider = providerOf(req.query.get('provider'), PROVIDERS);
  if (!provider.ok) return provider.reply;
  return json(200, { reads: state.reads.list(provider.value) });
}

function listTemplates(sandbox: Sandbox, req: ControlRequest): Reply {
  const chosen = templateChannelOf(sandbox, req.query.get('provider'));
  if (!chosen.ok) return chosen.reply;
  const channels = chosen.value ? [chosen.value] : templateChannels(sandbox);
  // Tagged with their provider because each provider keeps its own store.
  const templates = channels.flatMap(({ provider, templates }) =>
    templates.list().map((template) => ({ provider, ...template })),
  );
  return json(200, { templates });
}

/** The reason a REJECTED template gets when the test names none; one of Meta's documented reasons. */
const DEFAULT_REJECTION = 'INCORRECT_CATEGORY';

/**
 * Sets a template's status in every language. On Meta, each language whose status changed is
 * reported to the Meta webhook as message_template_status_update, as Meta does after a review.
 */
async function setTemplateStatus(
  sandbox: Sandbox,
  req: ControlRequest,
  param: (name: string) => string,
): Promise<Reply> {
  const chosen = templateChannelOf(sandbox, param('provider'));
  const channel = chosen.ok ? chosen.value : undefined;
  if (!channel) {
    const names = templateChannels(sandbox).map((candidate) => candidate.provider);
    return failure(400, `provider must be ${oneOf(names)}`);
  }
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { status, reason } = body.value;
  if (!TEMPLATE_STATUSES.includes(status as TemplateStatus)) {
    return failure(400, `status must be one of ${TEMPLATE_STATUSES.join(', ')}`);
  }
  if (reason !== undefined && (typeof reason !== 'string' || reason === '')) {
    return failure(400, "reason must be a non-empty string, e.g. 'INCORRECT_CATEGORY'");
  }
  const name = param('name');
  const store = channel.templates;
  const before = new Map(
    store
      .list()
      .flatMap((template) => (template.name === name ? [[template, template.status]] : [])),
  );
  const templates = store.setStatus(name, status as TemplateStatus);
  if (templates.length === 0) {
    return failure(404, `no ${channel.provider} template named '${name}'`);
  }
  const deliveries: WebhookDelivery[] = [];
  if (channel.templateStatusEvent) {
    const changed = templates.filter((template) => before.get(template) !== template.status);
    const why = reason ?? (status === 'REJECTED' ? DEFAULT_REJECTION : 'NONE');
    for (const template of changed) {
      const event = channel.templateStatusEvent(template, why);
      const delivery = await deliverWebhook(sandbox, channel.webhook, 'template', event);
      if (delivery) deliveries.push(delivery);
    }
  }
  return json(200, { templates, deliveries });
}

function addFault(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const validated = validateFault(body.value, PROVIDERS);
  if (!validated.ok) return failure(400, validated.error);
  return json(201, state.faults.add(validated.fault));
}

function clearFaults(state: SandboxState): Reply {
  state.faults.reset();
  return NO_CONTENT;
}

function removeFault(state: SandboxState, _req: ControlRequest, param: (name: string) => string) {
  return state.faults.remove(param('id')) ? NO_CONTENT : failure(404, 'no such fault');
}

function reset(sandbox: Sandbox): Reply {
  resetSandbox(sandbox);
  return NO_CONTENT;
}

/**
 * Replaces the sandbox's content with an exported session: a reset, then the document's messages,
 * templates, media and deliveries. The whole document is checked first, so a bad one changes nothing.
 */
function importSession(sandbox: Sandbox, req: ControlRequest): Reply {
  const parsed = parseJson(req.body);
  if (!parsed.ok) return failure(400, 'body must be JSON');
  const session = readSessionDocument(sandbox, parsed.value);
  if (!session.ok) return failure(400, session.problem);
  // One synchronous step: the inbox reloads on the reset event and finds the imported content.
  resetSandbox(sandbox);
  restoreSession(sandbox, session.data);
  return NO_CONTENT;
}

function settingsOf(state: SandboxState): SandboxSettings {
  return { enforceWindow: state.windows.enforced };
}

/** `{ enforceWindow? }`: switches what is given, leaves the rest; answers every setting. */
function updateSettings(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { enforceWindow, ...unknown } = body.value;
  const extra = Object.keys(unknown);
  if (extra.length > 0) return failure(400, `unknown setting ${extra.join(', ')}`);
  if (enforceWindow !== undefined && typeof enforceWindow !== 'boolean') {
    return failure(400, 'enforceWindow must be true or false');
  }
  if (enforceWindow !== undefined) state.windows.enforced = enforceWindow;
  return json(200, settingsOf(state));
}

function clockOf(state: SandboxState): ClockState {
  return { now: new Date(state.clock.now()).toISOString(), offsetMs: state.clock.offsetMs };
}

/** `{ advanceMs }`: moves the sandbox's clock forward, e.g. past a 24-hour window. */
function advanceClock(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { advanceMs } = body.value;
  if (!Number.isSafeInteger(advanceMs) || (advanceMs as number) < 0) {
    return failure(400, 'advanceMs must be a non-negative integer (milliseconds)');
  }
  state.clock.advance(advanceMs as number);
  return json(200, clockOf(state));
}
