import { dialectRoutes } from './control-dialects';
import {
  type ControlHandler,
  type ControlRequest,
  failure,
  jsonBody,
  NO_CONTENT,
  type Parsed,
  providerOf,
} from './control-http';
import { webhookRoutes } from './control-webhooks';
import { validateFault } from './faults';
import { isRecord, json, matchRoute, type Reply, type Route } from './http';
import { sandboxInfo } from './options';
import { resetState, type SandboxState } from './state';
import { TEMPLATE_STATUSES } from './templates';
import type {
  ClockState,
  MessageFilter,
  SandboxSettings,
  TemplateProvider,
  TemplateStatus,
  WebhookDelivery,
} from './types';
import { deliverTemplateStatus } from './webhook-dispatch';

export type { ControlRequest } from './control-http';

const routes: Route<ControlHandler>[] = [
  {
    method: 'GET',
    pattern: '/info',
    handler: (s, req) => json(200, sandboxInfo(s.options, req.origin)),
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
  { method: 'GET', pattern: '/reads', handler: listReads },
  { method: 'GET', pattern: '/templates', handler: listTemplates },
  { method: 'POST', pattern: '/templates/:provider/:name/status', handler: setTemplateStatus },
  { method: 'POST', pattern: '/kirem/webhook-logs', handler: addWebhookLog },
  { method: 'POST', pattern: '/kirem/conversations', handler: addConversation },
  { method: 'GET', pattern: '/faults', handler: (s) => json(200, { faults: s.faults.list() }) },
  { method: 'POST', pattern: '/faults', handler: addFault },
  { method: 'DELETE', pattern: '/faults', handler: clearFaults },
  { method: 'DELETE', pattern: '/faults/:id', handler: removeFault },
  { method: 'POST', pattern: '/reset', handler: reset },
  { method: 'GET', pattern: '/settings', handler: (s) => json(200, settingsOf(s)) },
  { method: 'PUT', pattern: '/settings', handler: updateSettings },
  { method: 'GET', pattern: '/clock', handler: (s) => json(200, clockOf(s)) },
  { method: 'POST', pattern: '/clock', handler: advanceClock },
  ...dialectRoutes,
  ...webhookRoutes,
];

/** The Mailpit-style test API under /api/v1: JSON in and out, no auth. */
export function handleControl(state: SandboxState, req: ControlRequest): Reply | Promise<Reply> {
  const match = matchRoute(routes, req.method, req.path);
  if (!match) return failure(404, `${req.method} /api/v1${req.path} does not exist`);
  return match.handler(state, req, match.param);
}

/** Only Kirem and Meta keep Meta-style templates; Qirim's live under /qirim/templates. */
function templateProviderOf(raw: string | null): Parsed<TemplateProvider | undefined> {
  if (raw === null || raw === '') return { ok: true, value: undefined };
  if (raw === 'kirem' || raw === 'meta') return { ok: true, value: raw };
  return { ok: false, reply: failure(400, "provider must be 'kirem' or 'meta'") };
}

function filterOf(query: URLSearchParams): Parsed<MessageFilter> {
  const provider = providerOf(query.get('provider'));
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

function listReads(state: SandboxState, req: ControlRequest): Reply {
  const provider = providerOf(req.query.get('provider'));
  if (!provider.ok) return provider.reply;
  return json(200, { reads: state.reads.list(provider.value) });
}

function listTemplates(state: SandboxState, req: ControlRequest): Reply {
  const provider = templateProviderOf(req.query.get('provider'));
  if (!provider.ok) return provider.reply;
  const providers: TemplateProvider[] = provider.value ? [provider.value] : ['kirem', 'meta'];
  // Tagged with their provider because each provider keeps its own store.
  const templates = providers.flatMap((p) =>
    state.templates[p].list().map((template) => ({ provider: p, ...template })),
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
  state: SandboxState,
  req: ControlRequest,
  param: (name: string) => string,
): Promise<Reply> {
  const provider = templateProviderOf(param('provider'));
  if (!provider.ok || !provider.value) return failure(400, "provider must be 'kirem' or 'meta'");
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
  const store = state.templates[provider.value];
  const before = new Map(
    store
      .list()
      .flatMap((template) => (template.name === name ? [[template, template.status]] : [])),
  );
  const templates = store.setStatus(name, status as TemplateStatus);
  if (templates.length === 0) return failure(404, `no ${provider.value} template named '${name}'`);
  const deliveries: WebhookDelivery[] = [];
  if (provider.value === 'meta') {
    const changed = templates.filter((template) => before.get(template) !== template.status);
    const why = reason ?? (status === 'REJECTED' ? DEFAULT_REJECTION : 'NONE');
    for (const template of changed) {
      const delivery = await deliverTemplateStatus(state, template, why);
      if (delivery) deliveries.push(delivery);
    }
  }
  return json(200, { templates, deliveries });
}

function addWebhookLog(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { url, event, status_code, is_success, duration_ms } = body.value;
  if (
    typeof url !== 'string' ||
    typeof event !== 'string' ||
    !Number.isInteger(status_code) ||
    typeof is_success !== 'boolean' ||
    typeof duration_ms !== 'number'
  ) {
    return failure(
      400,
      'expected { url: string, event: string, status_code: integer, is_success: boolean, duration_ms: number }',
    );
  }
  const log = state.webhookLogs.add({
    url,
    event,
    status_code: status_code as number,
    is_success,
    duration_ms,
  });
  return json(201, log);
}

function addConversation(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { customer_phone, status, messages } = body.value;
  const messagesValid =
    messages === undefined ||
    (Array.isArray(messages) &&
      messages.every(
        (m) =>
          isRecord(m) &&
          typeof m.text === 'string' &&
          (m.sender === undefined || typeof m.sender === 'string'),
      ));
  if (
    typeof customer_phone !== 'string' ||
    (status !== undefined && typeof status !== 'string') ||
    !messagesValid
  ) {
    return failure(
      400,
      'expected { customer_phone: string, status?: string, messages?: { sender?: string, text: string }[] }',
    );
  }
  const conversation = state.conversations.add({
    customer_phone,
    ...(status === undefined ? {} : { status }),
    ...(messages === undefined
      ? {}
      : { messages: messages as { sender?: string; text: string }[] }),
  });
  return json(201, conversation);
}

function addFault(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const validated = validateFault(body.value);
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

function reset(state: SandboxState): Reply {
  resetState(state);
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
