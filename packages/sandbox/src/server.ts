import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleControl } from './control-api';
import { streamEvents } from './event-stream';
import { type Gateway, serveGateway } from './gateway';
import { json, MiB, type Reply, readBody, writeReply } from './http';
import { INBOX_PAGE } from './inbox-page';
import { createKiremGateway } from './kirem';
import { createKirimyGateway } from './kirimy';
import { createMetaGateway } from './meta';
import { createQirimGateway } from './qirim';
import type { SandboxState } from './state';
import { createWaviroGateway } from './waviro';

/** The HTTP server: splits requests by path prefix between the gateways, the control API and the inbox. */
export function createSandboxServer(state: SandboxState): Server {
  const gateways = new Map<string, Gateway>([
    ['kirem', createKiremGateway(state)],
    ['meta', createMetaGateway(state)],
    ['kirimy', createKirimyGateway(state)],
    ['qirim', createQirimGateway(state)],
    ['waviro', createWaviroGateway(state)],
  ]);

  const server = createServer((req, res) => {
    route(state, gateways, req, res).catch((error: unknown) => {
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
  state: SandboxState,
  gateways: Map<string, Gateway>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = req.method ?? 'GET';
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const path = url.pathname;

  if (path === '/livez' || path === '/readyz') {
    return writeReply(res, text(200, 'text/plain; charset=utf-8', 'ok'));
  }
  // Browsers ask for it on every page; a 204 keeps the console of the inbox clean.
  if (path === '/favicon.ico') return writeReply(res, text(204, 'image/x-icon', ''));
  if (path === '/' && method === 'GET') {
    return writeReply(res, text(200, 'text/html; charset=utf-8', INBOX_PAGE));
  }

  if (path === '/api/v1/events' && method === 'GET') return streamEvents(state, req, res);

  const [, prefix = '', ...rest] = path.split('/');
  const gateway = gateways.get(prefix);
  const multipart = req.headers['content-type']?.toLowerCase().startsWith('multipart/form-data');
  const body = await readBody(req, multipart ? 100 * MiB : MiB);

  if (gateway) {
    if (body === 'too-large') return writeReply(res, gateway.errorFor(413));
    const outcome = await serveGateway(gateway, state, {
      method,
      path: `/${rest.join('/')}`,
      query: url.searchParams,
      headers: req.headers,
      body,
      origin,
    });
    if (outcome === 'reset') {
      req.socket.destroy();
      return;
    }
    return writeReply(res, outcome);
  }

  if (path === '/api/v1' || path.startsWith('/api/v1/')) {
    if (body === 'too-large') return writeReply(res, json(413, { error: 'body too large' }));
    const reply = await handleControl(state, {
      method,
      path: path.slice('/api/v1'.length),
      query: url.searchParams,
      body,
      origin,
    });
    return writeReply(res, reply);
  }

  writeReply(res, json(404, { error: `${method} ${path} does not exist` }));
}

function text(status: number, contentType: string, content: string): Reply {
  return { status, headers: { 'content-type': contentType }, body: Buffer.from(content) };
}
