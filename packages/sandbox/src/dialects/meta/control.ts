import { unixSeconds } from '../../calendar.js';
import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import {
  DEFAULT_CUSTOMER_NAME,
  FROM_ERROR,
  isCustomerNumber,
  USER_ID_ERROR,
} from '../../inbound-input.js';
import { digitsOnly, isBusinessScopedUserId } from '../../phone.js';
import { deliverWebhook } from '../../webhook-dispatch.js';
import { type MetaContext, metaAccount, metaUser } from './state.js';
import { META_WEBHOOK, metaUserPreferencesEvent } from './webhook-format.js';
import { verifyMetaWebhook } from './webhook-verify.js';

/** Control API routes for what only Meta does: the subscription handshake and user_preferences. */
export const metaControlRoutes: Route<ContextHandler<MetaContext>>[] = [
  { method: 'POST', pattern: '/webhooks/meta/verify', handler: verifyMeta },
  { method: 'POST', pattern: '/user-preferences', handler: userPreference },
];

async function verifyMeta(state: MetaContext, req: ControlRequest): Promise<Reply> {
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

/** The customer stops or resumes marketing messages: Meta's user_preferences webhook. */
async function userPreference(state: MetaContext, req: ControlRequest): Promise<Reply> {
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
  const user = metaUser({
    name: typeof name === 'string' ? name : DEFAULT_CUSTOMER_NAME,
    ...(from === undefined ? {} : { from: digitsOnly(from) }),
    ...(userId === undefined ? {} : { userId }),
  });
  const event = metaUserPreferencesEvent(
    metaAccount(state.meta.options),
    user,
    value,
    Number(unixSeconds()),
  );
  const delivery = await deliverWebhook(state, META_WEBHOOK, 'preference', event);
  return json(200, { deliveries: delivery ? [delivery] : [] });
}
