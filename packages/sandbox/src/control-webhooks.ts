import { changeStatus, DEFAULT_FAILURE } from './cloud-api/status-progression.js';
import {
  type ContextHandler,
  type ControlRequest,
  failure,
  jsonBody,
  NO_CONTENT,
  oneOf,
  providerOf,
} from './control-http.js';
import type { DialectInstance } from './dialect.js';
import { isRecord, json, type Reply, type Route } from './http.js';
import { parseInbound, receiveInbound } from './inbound.js';
import { PROVIDERS, type Sandbox, WEBHOOK_PROVIDERS } from './sandbox.js';
import type { SandboxState } from './state.js';
import type { ForcedStatus, StatusError, WebhookProvider } from './types.js';
import { isHttpUrl } from './webhook-config.js';

/** Control API routes for webhooks out: configuration, inbound messages, statuses, the delivery log. */
export const webhookRoutes: Route<ContextHandler<Sandbox>>[] = [
  {
    method: 'GET',
    pattern: '/webhooks',
    handler: (s) => json(200, { webhooks: s.webhooks.list() }),
  },
  { method: 'GET', pattern: '/webhooks/deliveries', handler: listDeliveries },
  { method: 'POST', pattern: '/webhooks/deliveries/:id/redeliver', handler: redeliver },
  { method: 'PUT', pattern: '/webhooks/:provider', handler: setWebhook },
  { method: 'DELETE', pattern: '/webhooks/:provider', handler: removeWebhook },
  { method: 'POST', pattern: '/inbound', handler: inbound },
  { method: 'POST', pattern: '/messages/:id/status', handler: setMessageStatus },
];

const FORCED_STATUSES: ForcedStatus[] = ['failed', 'delivered', 'read', 'played'];

function webhookProviderOf(raw: string): WebhookProvider | undefined {
  return WEBHOOK_PROVIDERS.find((provider) => provider === raw);
}

const noWebhookProvider = () =>
  failure(
    400,
    `provider must be ${oneOf(WEBHOOK_PROVIDERS)} (Waviro uses /api/v1/waviro/keywords)`,
  );

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

function listDeliveries(state: SandboxState, req: ControlRequest): Reply {
  const provider = providerOf(req.query.get('provider'), PROVIDERS);
  if (!provider.ok) return provider.reply;
  const filter = provider.value ? { provider: provider.value } : {};
  return json(200, { deliveries: state.deliveries.list(filter) });
}

async function redeliver(
  state: Sandbox,
  _req: ControlRequest,
  param: (name: string) => string,
): Promise<Reply> {
  const pending = state.deliveries.redeliver(param('id'));
  if (!pending) return failure(404, 'no such delivery');
  const delivery = await pending;
  const dialect: DialectInstance = state.dialects[delivery.provider];
  dialect.redelivered?.(delivery);
  return json(201, delivery);
}

async function inbound(state: Sandbox, req: ControlRequest): Promise<Reply> {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const parsed = parseInbound(state.dialects, body.value);
  if (!parsed.ok) return failure(400, parsed.error);
  const result = await receiveInbound(state, parsed.input);
  return 'error' in result ? failure(400, result.error) : json(201, result);
}

async function setMessageStatus(
  state: Sandbox,
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
  const { channel }: DialectInstance = state.dialects[message.provider];
  // Meta reports 'played' when the customer plays a voice message; Kirem passes Meta's statuses on.
  if (forced === 'played' && !channel) {
    return failure(400, "status 'played' is for Kirem and Meta messages only");
  }
  if (forced === 'played' && message.type !== 'audio') {
    return failure(400, "status 'played' is for audio (voice) messages only");
  }
  const reason =
    forced === 'failed' ? ((error as StatusError | undefined) ?? DEFAULT_FAILURE) : undefined;
  const deliveries = await changeStatus(state, channel, message, forced, reason);
  return json(200, { message, deliveries });
}
