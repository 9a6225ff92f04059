import {
  type ControlHandler,
  type ControlRequest,
  failure,
  jsonBody,
  NO_CONTENT,
  providerOf,
} from './control-http';
import { isRecord, json, type Reply, type Route } from './http';
import {
  DEFAULT_CUSTOMER_NAME,
  FROM_ERROR,
  isBusinessScopedUserId,
  isCustomerNumber,
  parseInbound,
  receiveInbound,
  USER_ID_ERROR,
} from './inbound';
import { verifyMetaWebhook } from './meta-webhook-verify';
import { digitsOnly } from './phone';
import type { SandboxState } from './state';
import { changeStatus, DEFAULT_FAILURE } from './status-progression';
import type { ForcedStatus, StatusError, WebhookProvider } from './types';
import { applyKeywordReply } from './waviro-keywords';
import { isHttpUrl, WEBHOOK_PROVIDERS } from './webhook-config';
import { deliverUserPreference } from './webhook-dispatch';

/** Control API routes for webhooks out: configuration, inbound messages, statuses, the delivery log. */
export const webhookRoutes: Route<ControlHandler>[] = [
  {
    method: 'GET',
    pattern: '/webhooks',
    handler: (s) => json(200, { webhooks: s.webhooks.list() }),
  },
  { method: 'GET', pattern: '/webhooks/deliveries', handler: listDeliveries },
  { method: 'POST', pattern: '/webhooks/deliveries/:id/redeliver', handler: redeliver },
  { method: 'POST', pattern: '/webhooks/meta/verify', handler: verifyMeta },
  { method: 'PUT', pattern: '/webhooks/:provider', handler: setWebhook },
  { method: 'DELETE', pattern: '/webhooks/:provider', handler: removeWebhook },
  { method: 'POST', pattern: '/inbound', handler: inbound },
  { method: 'POST', pattern: '/messages/:id/status', handler: setMessageStatus },
  { method: 'POST', pattern: '/user-preferences', handler: userPreference },
  {
    method: 'GET',
    pattern: '/waviro/keywords',
    handler: (s) => json(200, { keywords: s.waviro.keywords.list() }),
  },
  { method: 'POST', pattern: '/waviro/keywords', handler: addWaviroKeyword },
];

const FORCED_STATUSES: ForcedStatus[] = ['failed', 'delivered', 'read', 'played'];

function webhookProviderOf(raw: string): WebhookProvider | undefined {
  return WEBHOOK_PROVIDERS.find((provider) => provider === raw);
}

const noWebhookProvider = () =>
  failure(400, "provider must be 'kirem' or 'meta' (Waviro uses /api/v1/waviro/keywords)");

function setWebhook(state: SandboxState, req: ControlRequest, param: (name: string) => string) {
  const provider = webhookProviderOf(param('provider'));
  if (!provider) return noWebhookProvider();
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { url, secret } = body.value;
  if (!isHttpUrl(url) || (secret !== undefined && (typeof secret !== 'string' || secret === ''))) {
    return failure(400, 'expected { url: http(s) URL, secret?: non-empty string }');
  }
  return json(200, state.webhooks.set(provider, { url, ...(secret ? { secret } : {}) }));
}

function removeWebhook(state: SandboxState, _req: ControlRequest, param: (name: string) => string) {
  const provider = webhookProviderOf(param('provider'));
  if (!provider) return noWebhookProvider();
  return state.webhooks.remove(provider) ? NO_CONTENT : failure(404, `no ${provider} webhook`);
}

async function verifyMeta(state: SandboxState, req: ControlRequest): Promise<Reply> {
  const target = state.webhooks.get('meta');
  if (!target) return failure(404, 'no meta webhook');
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { verifyToken } = body.value;
  if (typeof verifyToken !== 'string' || verifyToken === '') {
    return failure(400, 'expected { verifyToken: non-empty string }');
  }
  return json(200, await verifyMetaWebhook(target.url, verifyToken));
}

function listDeliveries(state: SandboxState, req: ControlRequest): Reply {
  const provider = providerOf(req.query.get('provider'));
  if (!provider.ok) return provider.reply;
  const filter = provider.value ? { provider: provider.value } : {};
  return json(200, { deliveries: state.deliveries.list(filter) });
}

async function redeliver(
  state: SandboxState,
  _req: ControlRequest,
  param: (name: string) => string,
): Promise<Reply> {
  const pending = state.deliveries.redeliver(param('id'));
  if (!pending) return failure(404, 'no such delivery');
  const delivery = await pending;
  // A bot answers a keyword every time it is posted, so the replies are sent again too.
  if (delivery.kind === 'keyword') applyKeywordReply(state, delivery);
  return json(201, delivery);
}

async function inbound(state: SandboxState, req: ControlRequest): Promise<Reply> {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const parsed = parseInbound(body.value);
  if (!parsed.ok) return failure(400, parsed.error);
  const result = await receiveInbound(state, parsed.input);
  return 'error' in result ? failure(400, result.error) : json(201, result);
}

async function setMessageStatus(
  state: SandboxState,
  req: ControlRequest,
  param: (name: string) => string,
): Promise<Reply> {
  const message = state.messages.get(param('id'));
  if (!message) return failure(404, 'no message');
  if (message.direction !== 'outbound') {
    return failure(400, 'only messages the business sent have a delivery status');
  }
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { status, error } = body.value;
  const forced = FORCED_STATUSES.find((known) => known === status);
  if (!forced) return failure(400, `status must be one of ${FORCED_STATUSES.join(', ')}`);
  const optionalText = (value: unknown) => value === undefined || typeof value === 'string';
  const validError =
    isRecord(error) &&
    Number.isInteger(error.code) &&
    typeof error.title === 'string' &&
    optionalText(error.message) &&
    optionalText(error.details);
  if (error !== undefined && (!validError || forced !== 'failed')) {
    return failure(
      400,
      "error must be { code: integer, title: string, message?: string, details?: string }, with status 'failed'",
    );
  }
  // Meta reports 'played' when the customer plays a voice message; Kirem passes Meta's statuses on.
  if (forced === 'played' && message.provider !== 'kirem' && message.provider !== 'meta') {
    return failure(400, "status 'played' is for Kirem and Meta messages only");
  }
  if (forced === 'played' && message.type !== 'audio') {
    return failure(400, "status 'played' is for audio (voice) messages only");
  }
  const reason =
    forced === 'failed' ? ((error as StatusError | undefined) ?? DEFAULT_FAILURE) : undefined;
  const deliveries = await changeStatus(state, message, forced, reason);
  return json(200, { message, deliveries });
}

/** The customer stops or resumes marketing messages: Meta's user_preferences webhook. */
async function userPreference(state: SandboxState, req: ControlRequest): Promise<Reply> {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { provider, from, userId, name, value } = body.value;
  if (provider !== 'meta') {
    return failure(400, "provider must be 'meta' (only Meta sends user_preferences webhooks)");
  }
  if (from === undefined && userId === undefined) {
    return failure(400, `give from, userId or both: ${FROM_ERROR}`);
  }
  if (from !== undefined && !isCustomerNumber(from)) return failure(400, FROM_ERROR);
  if (userId !== undefined && !isBusinessScopedUserId(userId)) {
    return failure(400, USER_ID_ERROR);
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    return failure(400, 'name must be a non-empty string');
  }
  if (value !== 'stop' && value !== 'resume') {
    return failure(400, "value must be 'stop' or 'resume'");
  }
  const delivery = await deliverUserPreference(
    state,
    {
      name: typeof name === 'string' ? name : DEFAULT_CUSTOMER_NAME,
      ...(from === undefined ? {} : { from: digitsOnly(from) }),
      ...(userId === undefined ? {} : { userId }),
    },
    value,
  );
  return json(200, { deliveries: delivery ? [delivery] : [] });
}

function addWaviroKeyword(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { keyword, url, webhookKey } = body.value;
  if (
    typeof keyword !== 'string' ||
    keyword === '' ||
    !isHttpUrl(url) ||
    typeof webhookKey !== 'string'
  ) {
    return failure(
      400,
      "expected { keyword: e.g. 'penawaran#', url: http(s) URL, webhookKey: string }",
    );
  }
  return json(201, state.waviro.keywords.add({ keyword, url, webhookKey }));
}
