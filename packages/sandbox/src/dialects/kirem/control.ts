import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { isRecord, json, type Reply, type Route } from '../../http.js';
import { kiremRoutingRoutes } from './routing-control.js';
import type { KiremContext } from './state.js';

/**
 * Control API routes that seed Kirem's webhook log and its MCP conversations, and manage its
 * webhook routing.
 */
export const kiremControlRoutes: Route<ContextHandler<KiremContext>>[] = [
  { method: 'POST', pattern: '/kirem/webhook-logs', handler: addWebhookLog },
  { method: 'POST', pattern: '/kirem/conversations', handler: addConversation },
  ...kiremRoutingRoutes,
];

function addWebhookLog(state: KiremContext, req: ControlRequest): Reply {
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
  const log = state.kirem.webhookLogs.add({
    url,
    event,
    status_code: status_code as number,
    is_success,
    duration_ms,
  });
  return json(201, log);
}

function addConversation(state: KiremContext, req: ControlRequest): Reply {
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
  const conversation = state.kirem.conversations.add({
    customer_phone,
    ...(status === undefined ? {} : { status }),
    ...(messages === undefined
      ? {}
      : { messages: messages as { sender?: string; text: string }[] }),
  });
  return json(201, conversation);
}
