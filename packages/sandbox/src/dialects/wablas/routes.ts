import type { Gateway, GatewayRequest, GatewayRequestHead } from '../../gateway.js';
import { matchRoute, type Reply, type Route } from '../../http.js';
import { credentialProblem, PHONE_CHECK_PATH } from './auth.js';
import { checkPhoneNumber, deviceInfo } from './device-api.js';
import { failureForStatus, wablasFailure } from './failures.js';
import { MEDIA_KINDS } from './fields.js';
import { serveFile, upload } from './files.js';
import { type SendContext, schedule, sendByQuery, v1, v2 } from './send.js';

type Handler = (
  context: SendContext,
  req: GatewayRequest,
  param: (name: string) => string,
) => Reply | Promise<Reply>;

const routes: Route<Handler>[] = [
  { method: 'POST', pattern: '/api/send-message', handler: v1('text') },
  { method: 'GET', pattern: '/api/send-message', handler: sendByQuery },
  { method: 'POST', pattern: '/api/v2/send-message', handler: v2('text') },
  ...MEDIA_KINDS.flatMap((kind) => [
    { method: 'POST', pattern: `/api/send-${kind}`, handler: v1(kind) },
    { method: 'POST', pattern: `/api/v2/send-${kind}`, handler: v2(kind) },
  ]),
  { method: 'POST', pattern: '/api/v2/send-location', handler: v2('location') },
  { method: 'POST', pattern: '/api/v2/send-link', handler: v2('link') },
  { method: 'POST', pattern: '/api/schedule', handler: schedule },
  { method: 'POST', pattern: '/api/upload/:type', handler: upload },
  { method: 'GET', pattern: '/api/device/info', handler: deviceInfo },
  { method: 'GET', pattern: PHONE_CHECK_PATH, handler: checkPhoneNumber },
  ...MEDIA_KINDS.map((kind) => ({ method: 'GET', pattern: `/${kind}/:file`, handler: serveFile })),
];

const FILE_PATH = new RegExp(`^/(?:${MEDIA_KINDS.join('|')})/[^/]+$`);

/** Uploaded and inbound files are public links, as Wablas' own are: no credential needed. */
function isPublicFile(req: GatewayRequestHead): boolean {
  return req.method === 'GET' && FILE_PATH.test(req.path);
}

/**
 * Wablas' HTTP API on one device: sends (v1 form or JSON, v2 JSON batches), media by URL,
 * locations, link previews, scheduled text, uploads, device info and, under /phone, the number
 * check of https://phone.wablas.com.
 */
export function createWablasGateway(context: SendContext): Gateway {
  return {
    provider: 'wablas',
    authenticate(req) {
      if (isPublicFile(req)) return undefined;
      const problem = credentialProblem(context.wablas, req);
      return problem === undefined ? undefined : wablasFailure(problem);
    },
    handle(req) {
      context.wablas.publicUrl = `${req.origin}/wablas`;
      const match = matchRoute(routes, req.method, req.path);
      if (!match) return wablasFailure(`${req.method} ${req.path} not found`, 404);
      return match.handler(context, req, match.param);
    },
    errorFor: failureForStatus,
  };
}
