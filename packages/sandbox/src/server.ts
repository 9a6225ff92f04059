import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ControlRequest, handleControl } from './control-api.js';
import { streamEvents } from './event-stream.js';
import { type Gateway, type GatewayRequestHead, serveGateway } from './gateway.js';
import { json, MiB, type Reply, writeReply } from './http.js';
import { inboxPage } from './inbox-page.js';
import { foreignAddress, ownAddresses } from './own-address.js';
import { bodyLimit, readBody } from './request-body.js';
import { DIALECT_LIST, type Sandbox } from './sandbox.js';
import { importBodyLimit } from './session-document.js';
import type { SandboxState } from './state.js';

/** The HTTP server: splits requests by path prefix between the gateways, the control API and the inbox. */
export function createSandboxServer(sandbox: Sandbox): Server {
  // Each gateway is served under its dialect's name.
  const gateways = new Map<string, Gateway>(
    DIALECT_LIST.map(({ name }) => [name, sandbox.dialects[name].gateway]),
  );
  const inbox = inboxReply(sandbox);

  const server = createServer((req, res) => {
    route(sandbox, gateways, inbox, req, res).catch((error: unknown) => {
      // A bug in the sandbox must be loud, not a hung request.
      console.error('kabar-sandbox: internal error', error);
      if (!res.headersSent) {
        writeReply(res, json(500, { error: 'internal sandbox error', message: String(error) }));
      } else {
        res.destroy();
      }
    });
  });
  // A test that blocks its own event loop (a synchronous UrlFetchApp stand-in, a debugger) cannot
  // notice the server closing an idle keep-alive socket after Node's default 5 s, and then reuses
  // a dead socket. Keeping idle connections a minute removes that race; close() ends them anyway.
  server.keepAliveTimeout = 60_000;
  return server;
}

async function route(
  state: Sandbox,
  gateways: Map<string, Gateway>,
  inbox: Reply,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // A malformed request target is the client's mistake, not a sandbox bug worth a stack trace.
  if (!URL.canParse(req.url ?? '/', 'http://sandbox')) {
    return answerBeforeBody(res, json(400, { error: 'the request target is not a valid URL' }));
  }
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = req.method ?? 'GET';
  const path = url.pathname;

  // Probes address the sandbox by whatever name their network gives it, and 'ok' reveals nothing.
  if (path === '/livez' || path === '/readyz') {
    return writeReply(res, text(200, 'text/plain; charset=utf-8', 'ok'));
  }
  const { host, allowedHosts } = state.options;
  const foreign = foreignAddress(
    req.headers,
    ownAddresses(host, req.socket.localPort ?? 0, allowedHosts),
  );
  if (foreign) return answerBeforeBody(res, json(403, { error: foreign }));

  const origin = `http://${req.headers.host}`;
  // Browsers ask for it on every page; a 204 keeps the console of the inbox clean.
  if (path === '/favicon.ico') return writeReply(res, text(204, 'image/x-icon', ''));
  if (path === '/' && method === 'GET') return writeReply(res, inbox);

  if (path === '/api/v1/events' && method === 'GET') return streamEvents(state, req, res);

  const [, prefix = '', ...rest] = path.split('/');
  const gateway = gateways.get(prefix);
  if (gateway) {
    const head = { method, path: `/${rest.join('/')}`, query: url.searchParams, origin };
    return serveGatewayRequest(gateway, state, req, res, { ...head, headers: req.headers });
  }
  if (path === '/api/v1' || path.startsWith('/api/v1/')) {
    const head = { method, path: path.slice('/api/v1'.length), query: url.searchParams, origin };
    return serveControlRequest(state, req, res, head);
  }
  writeReply(res, json(404, { error: `${method} ${path} does not exist` }));
}

async function serveGatewayRequest(
  gateway: Gateway,
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  head: GatewayRequestHead,
): Promise<void> {
  // Credentials are in the headers, so a stranger is turned away before a byte of body is read.
  const unauthorized = gateway.authenticate(head);
  if (unauthorized) return answerBeforeBody(res, unauthorized);
  const body = await readBody(req, bodyLimit(req));
  if (!body.ok) {
    if (body.reason === 'aborted') return;
    return answerBeforeBody(res, gateway.errorFor(413));
  }
  const outcome = await serveGateway(gateway, state, { ...head, body: body.bytes });
  if (outcome === 'reset') {
    req.socket.destroy();
    return;
  }
  writeReply(res, outcome);
}

async function serveControlRequest(
  state: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  head: Omit<ControlRequest, 'body'>,
): Promise<void> {
  // A web page can POST text/plain or a form anywhere without asking first; JSON it cannot.
  if (BODY_METHODS.has(head.method) && !isJson(req.headers['content-type'])) {
    const error = 'the control API takes Content-Type: application/json';
    return answerBeforeBody(res, json(415, { error }));
  }
  // An imported session carries its media in base64, far past what any other control call needs.
  const importing = head.method === 'POST' && head.path === '/import';
  const body = await readBody(req, importing ? importBodyLimit(state.options.maxMediaBytes) : MiB);
  if (!body.ok) {
    if (body.reason === 'aborted') return;
    return answerBeforeBody(res, json(413, { error: 'body too large' }));
  }
  writeReply(res, await handleControl(state, { ...head, body: body.bytes }));
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Answers a request whose body was refused or never read, and closes the connection: the rest of
 * the body may still be on its way, and reading it only to throw it away is what the limit avoids.
 */
function answerBeforeBody(res: ServerResponse, reply: Reply): void {
  writeReply(res, { ...reply, headers: { ...reply.headers, connection: 'close' } });
}

function text(status: number, contentType: string, content: string): Reply {
  return { status, headers: { 'content-type': contentType }, body: Buffer.from(content) };
}

/** The inbox page, which lets a customer write in through the gateways that take inbound messages. */
function inboxReply(sandbox: Sandbox): Reply {
  const page = inboxPage(
    DIALECT_LIST.map(({ name, inbox }) => ({
      name,
      ...inbox,
      composer: sandbox.dialects[name].inbound !== undefined,
    })),
  );
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': page.csp,
      'x-content-type-options': 'nosniff',
    },
    body: Buffer.from(page.html),
  };
}
