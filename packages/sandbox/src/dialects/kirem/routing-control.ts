import {
  type ContextHandler,
  type ControlRequest,
  failure,
  jsonBody,
  NO_CONTENT,
  type Parsed,
} from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import type { KiremWebhookTarget } from '../../types.js';
import { isHttpUrl } from '../../webhook-config.js';
import { parseRules } from './routing.js';
import type { KiremContext } from './state.js';

/** Control API routes for Kirem's webhook routing targets and its retry schedule. */
export const kiremRoutingRoutes: Route<ContextHandler<KiremContext>>[] = [
  {
    method: 'GET',
    pattern: '/kirem/webhook-targets',
    handler: (state) => json(200, { targets: state.kirem.routing.list() }),
  },
  { method: 'POST', pattern: '/kirem/webhook-targets', handler: addTarget },
  { method: 'PUT', pattern: '/kirem/webhook-targets/:id', handler: setTarget },
  { method: 'DELETE', pattern: '/kirem/webhook-targets/:id', handler: removeTarget },
  {
    method: 'GET',
    pattern: '/kirem/webhook-retry',
    handler: (state) => json(200, { delaysMs: state.kirem.routing.retryDelaysMs }),
  },
  { method: 'PUT', pattern: '/kirem/webhook-retry', handler: setRetry },
];

// Ids go in URLs, so they keep to characters that need no escaping.
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const ID_RULE = 'id must be 1 to 64 letters, digits, dots, dashes or underscores';
// setTimeout takes up to about 24.8 days; an hour is already far past any test's patience.
const MAX_DELAY_MS = 3_600_000;
const MAX_RETRIES = 20;

function addTarget(state: KiremContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { id } = body.value;
  if (id !== undefined && (typeof id !== 'string' || !ID.test(id))) return failure(400, ID_RULE);
  const target = parseTarget(body.value);
  if (!target.ok) return target.reply;
  const added = state.kirem.routing.add({ ...target.value, ...(id === undefined ? {} : { id }) });
  if (!added) return failure(409, `a webhook target '${id}' exists; PUT replaces it`);
  return json(201, added);
}

function setTarget(state: KiremContext, req: ControlRequest, param: (name: string) => string) {
  const id = param('id');
  if (!ID.test(id)) return failure(400, ID_RULE);
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  // A target as GET lists it may be PUT back as it is.
  if (body.value.id !== undefined && body.value.id !== id) {
    return failure(400, "the body's id must be the path's, or left out");
  }
  const target = parseTarget(body.value);
  if (!target.ok) return target.reply;
  const { target: stored, created } = state.kirem.routing.set(id, target.value);
  return json(created ? 201 : 200, stored);
}

function removeTarget(state: KiremContext, _req: ControlRequest, param: (name: string) => string) {
  const id = param('id');
  return state.kirem.routing.remove(id) ? NO_CONTENT : failure(404, `no webhook target '${id}'`);
}

function parseTarget(body: Record<string, unknown>): Parsed<Omit<KiremWebhookTarget, 'id'>> {
  const { url, secret, rules } = body;
  if (!isHttpUrl(url) || (secret !== undefined && (typeof secret !== 'string' || secret === ''))) {
    return {
      ok: false,
      reply: failure(
        400,
        'expected { id?, url: http(s) URL, secret?: non-empty string, rules?: [{ type?, from?, keyword?, regex? }] }',
      ),
    };
  }
  const parsed = parseRules(rules);
  if (!parsed.ok) return { ok: false, reply: failure(400, parsed.error) };
  return {
    ok: true,
    value: {
      url,
      ...(secret === undefined ? {} : { secret }),
      ...(parsed.rules === undefined ? {} : { rules: parsed.rules }),
    },
  };
}

function setRetry(state: KiremContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { delaysMs } = body.value;
  const valid =
    Array.isArray(delaysMs) &&
    delaysMs.length <= MAX_RETRIES &&
    delaysMs.every(
      (delay) =>
        Number.isInteger(delay) && (delay as number) >= 0 && (delay as number) <= MAX_DELAY_MS,
    );
  if (!valid) {
    return failure(
      400,
      `expected { delaysMs: at most ${MAX_RETRIES} integers from 0 to ${MAX_DELAY_MS} } ([] turns retries off)`,
    );
  }
  state.kirem.routing.setRetryDelays(delaysMs as number[]);
  return json(200, { delaysMs: state.kirem.routing.retryDelaysMs });
}
