import { randomInt } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Gateway, GatewayRequest, GatewayRequestHead } from '../../gateway.js';
import { json, matchRoute, type Reply, type Route } from '../../http.js';
import { mediaReply } from '../../media-reply.js';
import { setFonnteConnection } from './connection.js';
import { readFonnteFields } from './fields.js';
import { FONNTE_MEDIA_PATH } from './inbound.js';
import { loginQrPng } from './qr.js';
import { sendMessage } from './send.js';
import type { FonnteContext } from './state.js';
import { countryCodeOf, normalizeNumber, targetItems } from './targets.js';

type Handler = (
  state: FonnteContext,
  req: GatewayRequest,
  param: (name: string) => string,
) => Reply | Promise<Reply>;

/** Which key a refusal's text goes under: `detail` on these endpoints, `reason` elsewhere (A12). */
const DETAIL_PATHS = new Set(['/disconnect', '/fetch-group', '/get-whatsapp-group']);

/** `/validate` checks at most this many numbers at once (docs: api-nomor-validasi). */
const MAX_VALIDATE_TARGETS = 500;

/**
 * Fonnte's endpoints that the sandbox does not emulate: account-token management (get-devices,
 * add-device, update-device, order), deleting a device by OTP, and rescheduling, whose answer is
 * undocumented. They answer so, rather than as an unknown path.
 */
const NOT_EMULATED = new Set([
  '/get-devices',
  '/add-device',
  '/update-device',
  '/order',
  '/delete-device',
  '/reset-message',
]);

const routes: Route<Handler>[] = [
  { method: 'POST', pattern: '/send', handler: sendMessage },
  { method: 'GET', pattern: '/send', handler: sendMessage },
  { method: 'POST', pattern: '/device', handler: deviceProfile },
  { method: 'POST', pattern: '/qr', handler: loginQr },
  { method: 'POST', pattern: '/disconnect', handler: disconnect },
  { method: 'POST', pattern: '/validate', handler: validateNumbers },
  { method: 'POST', pattern: '/get-whatsapp-group', handler: listGroups },
  { method: 'POST', pattern: '/fetch-group', handler: fetchGroups },
  { method: 'POST', pattern: '/status', handler: messageStatus },
  { method: 'GET', pattern: `${FONNTE_MEDIA_PATH}/:id`, handler: mediaFile },
  { method: 'GET', pattern: `${FONNTE_MEDIA_PATH}/:id/:filename`, handler: mediaFile },
];

/** The docs write `/send/` for the GET form; Fonnte's paths mean the same with a trailing slash. */
function pathOf(req: GatewayRequestHead): string {
  return req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
}

/** A refusal as the endpoint words it: HTTP 200, `status: false`, text under `reason` or `detail`. */
function refusal(path: string, text: string, status = 200): Reply {
  const key = DETAIL_PATHS.has(path) ? 'detail' : 'reason';
  return json(status, { [key]: text, status: false });
}

/**
 * How Fonnte words a bad token: the captured `/send` answer says 'invalid token', while the docs
 * of `/device`, `/disconnect` and the group endpoints write 'token invalid'.
 */
function badToken(path: string): Reply {
  const tokenInvalid = path === '/device' || DETAIL_PATHS.has(path);
  return refusal(path, tokenInvalid ? 'token invalid' : 'invalid token');
}

/**
 * Fonnte's HTTP API: `/send` in every encoding, the device profile, login QR, disconnect, number
 * checks, WhatsApp groups and the deprecated message status. Device token bare in `Authorization`
 * (GET /send: `token` in the query); no request-rate limit is published, so none is applied.
 */
export function createFonnteGateway(state: FonnteContext): Gateway {
  return {
    provider: 'fonnte',
    authenticate(req) {
      const path = pathOf(req);
      // Links to incoming files are handed to webhook receivers, who hold no token.
      if (req.method === 'GET' && path.startsWith(`${FONNTE_MEDIA_PATH}/`)) return undefined;
      const token = req.method === 'GET' && path === '/send' ? queryToken(req) : authorization(req);
      return token !== undefined && state.fonnte.options.tokens.includes(token)
        ? undefined
        : badToken(path);
    },
    handle(req) {
      const path = pathOf(req);
      const match = matchRoute(routes, req.method, path);
      if (match) return match.handler(state, req, match.param);
      if (NOT_EMULATED.has(path)) {
        return refusal(path, `${path} is not emulated by kabar-sandbox`, 501);
      }
      return refusal(path, `${req.method} ${path} does not exist`, 404);
    },
    // Fonnte's own failures are HTTP 200; a status from an injected fault keeps its meaning.
    errorFor: (status) =>
      json(status, {
        reason: status === 401 ? 'invalid token' : (STATUS_CODES[status] ?? 'error').toLowerCase(),
        status: false,
      }),
  };
}

/** The bare `Authorization` header: `Bearer <token>` is not what Fonnte takes, so it fails. */
function authorization(req: GatewayRequestHead): string | undefined {
  const value = req.headers.authorization;
  return typeof value === 'string' ? value : undefined;
}

/** GET /send's `token`; several, comma-separated, make Fonnte pick one device at random. */
function queryToken(req: GatewayRequestHead): string | undefined {
  const tokens = targetItems(req.query.get('token') ?? '');
  return tokens.length === 0 ? undefined : tokens[randomInt(tokens.length)];
}

/** `POST /device`: the profile, key order and types as the docs show (`quota` is a string). */
function deviceProfile(state: FonnteContext): Reply {
  const device = state.fonnte.device.view();
  return json(200, {
    device: device.number,
    device_status: device.connected ? 'connect' : 'disconnect',
    expired: device.expired,
    messages: device.messages,
    name: device.name,
    package: device.package,
    quota: String(device.quota),
    status: true,
  });
}

/** `POST /qr` (`type=qr`, `whatsapp`): a login QR for a device that is logged out. */
function loginQr(state: FonnteContext): Reply {
  if (state.fonnte.device.view().connected) return refusal('/qr', 'device already connect');
  return json(200, { status: true, url: loginQrPng() });
}

/** `POST /disconnect`: logs the device out, which Fonnte reports to the connection webhook. */
async function disconnect(state: FonnteContext): Promise<Reply> {
  if (!state.fonnte.device.view().connected) {
    return refusal('/disconnect', 'device already disconnected');
  }
  await setFonnteConnection(state, { connected: false, reason: 'disconnected by api' });
  return json(200, { detail: 'device disconnected', status: true });
}

/**
 * `POST /validate`: which numbers are on WhatsApp. A well-formed number is, unless the control
 * API said otherwise; one of the wrong length is not. An item that is no number at all (letters,
 * a group id) makes the whole check `target invalid`.
 */
async function validateNumbers(state: FonnteContext, req: GatewayRequest): Promise<Reply> {
  const fields = await readFonnteFields(req);
  if (!fields.ok) return refusal('/validate', fields.reason);
  const items = targetItems(fields.text.get('target') ?? '');
  if (items.length === 0) return refusal('/validate', 'target required');
  if (items.length > MAX_VALIDATE_TARGETS) {
    return refusal('/validate', `target max ${MAX_VALIDATE_TARGETS} numbers`);
  }
  // Fonnte asks WhatsApp through the device, so a logged-out device cannot answer.
  if (!state.fonnte.device.view().connected) return refusal('/validate', 'device disconnected');
  const countryCode = countryCodeOf(fields.text.get('countryCode'));
  const registered: string[] = [];
  const notRegistered: string[] = [];
  for (const item of items) {
    if (!/^[\d\s\-+().]+$/.test(item)) return refusal('/validate', 'target invalid');
    const number = normalizeNumber(item, countryCode);
    if (number !== undefined && state.fonnte.device.isRegistered(number)) registered.push(number);
    else notRegistered.push(number ?? item);
  }
  return json(200, { not_registered: notRegistered, registered, status: true });
}

/** `POST /get-whatsapp-group`: the device's groups as Fonnte last fetched them. */
function listGroups(state: FonnteContext): Reply {
  const groups = state.fonnte.device.groups();
  if (groups.length === 0) return refusal('/get-whatsapp-group', 'you have no whatsapp group yet');
  return json(200, { data: groups.map(({ id, name }) => ({ id, name })), status: true });
}

/**
 * `POST /fetch-group`: Fonnte refreshes its copy of the device's groups. The sandbox keeps one
 * list, which the control API changes directly, so there is nothing to refresh.
 */
function fetchGroups(state: FonnteContext): Reply {
  if (!state.fonnte.device.view().connected) {
    return refusal('/fetch-group', 'cannot fetch with disconnected device');
  }
  return json(200, { detail: 'update whatsapp group list finished', status: true });
}

/** `POST /status` (deprecated for the status webhook): a sent message's Fonnte status. */
async function messageStatus(state: FonnteContext, req: GatewayRequest): Promise<Reply> {
  const fields = await readFonnteFields(req);
  if (!fields.ok) return refusal('/status', fields.reason);
  const id = fields.text.get('id')?.trim() ?? '';
  if (id === '') return refusal('/status', 'id required');
  const sent = /^\d+$/.test(id) ? state.fonnte.sent.get(String(Number(id))) : undefined;
  if (!sent) return refusal('/status', 'message not found');
  return json(200, { id: Number(id), message_status: sent.status, status: true });
}

/** The stored file of an incoming message (the link its webhook carried), served like Meta's. */
function mediaFile(
  state: FonnteContext,
  _req: GatewayRequest,
  param: (name: string) => string,
): Reply {
  const media = state.media.get('fonnte', param('id'));
  return media ? mediaReply(media) : refusal(FONNTE_MEDIA_PATH, 'file not found', 404);
}
