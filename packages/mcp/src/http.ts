import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireSecret, secretMatches } from '@kabar/core';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { KabarMcp } from './server.js';

/** How `serveHttp` listens. */
export interface HttpOptions {
  /** Callers present it as `Authorization: Bearer <token>`; at least 24 characters. */
  token: string;
  /** Default 3333; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. Listen wider only behind TLS. */
  host?: string;
  /** The endpoint's path. Default `/mcp`. */
  path?: string;
  /**
   * `Host` header values accepted besides `127.0.0.1:<port>` and `localhost:<port>`, e.g.
   * `mcp.toko.id`: any other is refused, so a web page cannot reach the server through DNS
   * rebinding.
   */
  allowedHosts?: readonly string[];
  /** `Origin` header values accepted from browsers. Default: none but the allowed hosts'. */
  allowedOrigins?: readonly string[];
  /**
   * Open sessions at most (default 1000), so clients that never end theirs cannot grow the server
   * without bound; past it, `initialize` gets 503.
   */
  maxSessions?: number;
}

/** A listening Streamable HTTP endpoint. */
export interface RunningHttp {
  /** The endpoint's URL, e.g. `http://127.0.0.1:3333/mcp`. */
  readonly url: string;
  /** Closes every session and the server. */
  close(): Promise<void>;
}

/** The shortest bearer token `serveHttp` accepts. */
export const MIN_TOKEN_LENGTH = 24;
const BODY_LIMIT = 1024 * 1024;

function refuse(res: ServerResponse, status: number, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new RangeError('body over 1 MiB');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Serves `mcp` over MCP's Streamable HTTP transport, one `McpServer` per session, behind a
 * bearer token and DNS-rebinding protection (the `Host` must be an allowed one), and the webhooks
 * given in its `webhooks` option at `/webhooks/<gateway>`. Throws `invalid_config` for a missing
 * or short token.
 */
export async function serveHttp(mcp: KabarMcp, options: HttpOptions): Promise<RunningHttp> {
  const token = requireSecret(options.token, 'KABAR_MCP_TOKEN', MIN_TOKEN_LENGTH);
  const path = options.path ?? '/mcp';
  const maxSessions = options.maxSessions ?? 1000;
  const host = options.host ?? '127.0.0.1';
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] = [];
  const allowedOrigins = () => [
    ...allowedHosts.flatMap((name) => [`http://${name}`, `https://${name}`]),
    ...(options.allowedOrigins ?? []),
  ];

  const webhooks = new Map(
    mcp.webhooks.map(({ gateway, handler }) => [`/webhooks/${gateway}`, handler]),
  );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Gateways authenticate by their signature (or secret), not the token: the handler checks it.
    const webhook = webhooks.get(url.pathname);
    if (webhook) {
      const answer = await webhook.handle({
        method: req.method ?? 'GET',
        headers: req.headers,
        query: Object.fromEntries(url.searchParams),
        body: req,
      });
      res.writeHead(answer.status, answer.headers);
      return res.end(answer.body);
    }
    if (url.pathname !== path) {
      return refuse(res, 404, `not found: the MCP endpoint is ${path}`);
    }
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!secretMatches(given, token)) {
      return refuse(res, 401, 'unauthorized: send Authorization: Bearer <KABAR_MCP_TOKEN>', {
        'www-authenticate': 'Bearer',
      });
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (sessionId !== undefined) return refuse(res, 404, 'unknown or ended session');
    if (req.method !== 'POST') return refuse(res, 405, 'start a session with POST initialize');

    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return refuse(res, error instanceof RangeError ? 413 : 400, 'the body is not JSON');
    }
    if (!isInitializeRequest(body)) {
      return refuse(res, 400, 'no session: the first request must be initialize');
    }
    if (sessions.size >= maxSessions) {
      return refuse(res, 503, `too many open sessions (${maxSessions}); end one with DELETE`);
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableDnsRebindingProtection: true,
      allowedHosts,
      allowedOrigins: allowedOrigins(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const server = mcp.server();
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`kabar-mcp: ${error instanceof Error ? error.message : error}\n`);
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 3333, host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, ...(options.allowedHosts ?? [])];
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
