import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Stream from 'node:stream';
import type * as Tls from 'node:tls';
import { checkProxyEnvironment, type ProxyEnvironment, proxyFor } from './proxy.js';
import type { Transport, WireRequest, WireResponse } from './transport.js';

interface NodeModules {
  http: typeof Http;
  https: typeof Https;
  tls: typeof Tls;
  Readable: typeof Stream.Readable;
}

// Loaded on the first request, not at import: importing node:http and node:https costs about as
// much as the whole of core, and a serverless function that never sends should not pay it. The
// specifier is a variable so bundlers for browsers and Workers do not try to resolve it.
const load = (specifier: string) => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
let loading: Promise<NodeModules> | undefined;
/** Set once loaded, so every later request skips the wait. */
let loaded: NodeModules | undefined;
function nodeModules(): Promise<NodeModules> {
  loading ??= Promise.all([
    load('node:http'),
    load('node:https'),
    load('node:tls'),
    load('node:stream'),
  ]).then(([http, https, tls, stream]) => {
    loaded = { http, https, tls, Readable: stream.Readable };
    return loaded;
  });
  return loading;
}

/**
 * True on Node itself. Bun and Deno also answer `process.versions.node`, but their own `fetch` is
 * their fast path, so they keep it.
 */
export function isNode(): boolean {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } })
    .process?.versions;
  return typeof versions?.node === 'string' && !versions.bun && !versions.deno;
}

// Idle pooled sockets close after this long, before the usual 5 s of Node and other servers, so
// a request is not written onto a socket the server is closing at that moment. A shorter
// `Keep-Alive: timeout=` from the server wins.
const IDLE_SOCKET_MS = 4_000;
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Statuses whose Response must have a null body.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
// As fetch does: credentials for one origin are not handed to another.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface Agents {
  direct: { http: Http.Agent; https: Https.Agent };
  /** Per proxy URL: plain requests to it, and tunnels through it to https hosts. */
  proxied: Map<string, { http: Http.Agent; https: Https.Agent }>;
}

let agents: Agents | undefined;

function agentsFor(m: NodeModules): Agents {
  agents ??= {
    direct: {
      http: new m.http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
      https: new m.https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    },
    proxied: new Map(),
  };
  return agents;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${btoa(credentials)}` };
}

/** An https agent whose connections are TLS inside a `CONNECT` tunnel through `proxy`. */
function tunnelAgent(m: NodeModules, proxy: URL): Https.Agent {
  const agent = new m.https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  const viaTls = proxy.protocol === 'https:';
  // The agent asks for a connection and waits for the callback when none is returned, so the
  // tunnel can be set up asynchronously and pooled like any other socket.
  (agent as unknown as { createConnection: unknown }).createConnection = (
    options: Tls.ConnectionOptions & { host: string; port: number },
    done: (error: Error | null, socket?: Tls.TLSSocket) => void,
  ) => {
    const target = `${options.host}:${options.port}`;
    const connect = (viaTls ? m.https : m.http).request({
      host: unbracket(proxy.hostname),
      port: proxy.port || (viaTls ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...proxyAuthorization(proxy) },
      agent: false,
    });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        // The request never reached the gateway; ECONNREFUSED tells the client so.
        const refused = new Error(`the proxy refused the tunnel (HTTP ${response.statusCode})`);
        done(Object.assign(refused, { code: 'ECONNREFUSED' }));
        return;
      }
      done(
        null,
        m.tls.connect({ ...options, socket, servername: options.servername ?? options.host }),
      );
    });
    connect.once('error', (error) => done(error));
    connect.end();
    return undefined;
  };
  return agent;
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/** Where a request to `url` goes: the host itself, or a proxy, with the agent to pool it in. */
function route(
  m: NodeModules,
  url: URL,
  headers: Record<string, string | number>,
  proxyEnv: ProxyEnvironment | undefined,
): Http.RequestOptions {
  const secure = url.protocol === 'https:';
  const proxy = proxyEnv && proxyFor(url, proxyEnv);
  const direct = {
    host: unbracket(url.hostname),
    port: url.port || (secure ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers,
  };
  if (!proxy) {
    const { http, https } = agentsFor(m).direct;
    return { ...direct, agent: secure ? https : http };
  }
  const pool = agentsFor(m).proxied;
  let viaProxy = pool.get(proxy.href);
  if (!viaProxy) {
    viaProxy = {
      http: new (proxy.protocol === 'https:' ? m.https : m.http).Agent({
        keepAlive: true,
        timeout: IDLE_SOCKET_MS,
      }),
      https: tunnelAgent(m, proxy),
    };
    pool.set(proxy.href, viaProxy);
  }
  if (secure) return { ...direct, agent: viaProxy.https };
  // Plain http through a proxy: the whole URL as the path, sent to the proxy itself.
  return {
    protocol: proxy.protocol,
    host: unbracket(proxy.hostname),
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    path: url.href,
    headers: { ...headers, host: url.host, ...proxyAuthorization(proxy) },
    agent: viaProxy.http,
  };
}

function headerNamed(headers: Record<string, string>, name: string): string | undefined {
  for (const key in headers) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

interface Hop {
  method: string;
  url: URL;
  headers: Record<string, string | number>;
  body?: string | Uint8Array;
}

// A client sends to a handful of URLs over and over; parsing each once saves a little per request.
const PARSED_URLS_LIMIT = 256;
const parsedUrls = new Map<string, URL>();
function parsedUrl(href: string): URL {
  let url = parsedUrls.get(href);
  if (!url) {
    url = new URL(href);
    if (parsedUrls.size >= PARSED_URLS_LIMIT) parsedUrls.clear();
    parsedUrls.set(href, url);
  }
  return url;
}

/** The first hop: headers copied (redirects change them), the body as text or bytes. */
function firstHop(request: WireRequest, body: string | Uint8Array | undefined): Hop {
  const headers: Record<string, string | number> = { ...request.headers };
  if (body !== undefined) {
    headers['content-length'] =
      typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  }
  return { method: request.method, url: parsedUrl(request.url), headers, body };
}

/** A FormData or Blob as bytes, with the Content-Type fetch would give it unless one is named. */
async function encoded(
  request: WireRequest,
  body: FormData | Blob,
): Promise<{ request: WireRequest; bytes: Uint8Array }> {
  // A Response serialises FormData exactly as fetch would, boundary included.
  const response = new Response(body);
  const type = response.headers.get('content-type');
  const headers =
    type && headerNamed(request.headers, 'content-type') === undefined
      ? { ...request.headers, 'content-type': type }
      : request.headers;
  return { request: { ...request, headers }, bytes: new Uint8Array(await response.arrayBuffer()) };
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // A header value fetch would refuse (not a byte string) is dropped, not fatal.
    }
  }
  return headers;
}

function withoutHeaders(headers: Hop['headers'], drop: (name: string) => boolean): Hop['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop(name.toLowerCase())));
}

/** The request a redirect leads to, as fetch builds it; undefined when it is not one to follow. */
function redirected(hop: Hop, response: Http.IncomingMessage): Hop | undefined {
  const status = response.statusCode ?? 0;
  // Headers are parsed when first read; an ordinary answer never needs them.
  const location = REDIRECTS.has(status) ? response.headers.location : undefined;
  if (!location) return undefined;
  const url = new URL(location, hop.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  let { method, headers, body } = hop;
  if (
    status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST'
  ) {
    method = 'GET';
    body = undefined;
    headers = withoutHeaders(headers, (name) => name.startsWith('content-'));
  }
  if (url.origin !== hop.url.origin) {
    headers = withoutHeaders(headers, (name) => ORIGIN_BOUND_HEADERS.includes(name));
  }
  return { method, url, headers, body };
}

function abortError(): Error {
  return Object.assign(new Error('the request was aborted'), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

// Requests in flight per signal. Requests starting together share one deadline signal; one
// listener per signal that ends them all costs far less than one listener per request.
const inFlight = new WeakMap<AbortSignal, Set<Http.ClientRequest>>();

function endOnAbort(signal: AbortSignal, request: Http.ClientRequest): () => void {
  const requests = inFlight.get(signal) ?? watch(signal);
  requests.add(request);
  return () => requests.delete(request);
}

// Its own function, so the listener's closure holds only the set: one made next to `request`
// would share that scope and keep the window's first request, response and all, alive until the
// deadline fires.
function watch(signal: AbortSignal): Set<Http.ClientRequest> {
  const requests = new Set<Http.ClientRequest>();
  inFlight.set(signal, requests);
  signal.addEventListener(
    'abort',
    () => {
      for (const each of requests) each.destroy(abortError());
      requests.clear();
    },
    { once: true },
  );
  return requests;
}

type Respond = (response: Http.IncomingMessage, done: () => void) => void;

/**
 * Sends `hop`, following redirects, and hands the final response (its body unread) to `respond`
 * with a `done` that stops watching the signal. Callbacks, not promises: on the hot path every
 * promise and closure shows in the garbage collector's time.
 */
function dispatch(
  m: NodeModules,
  hop: Hop,
  signal: AbortSignal,
  proxyEnv: ProxyEnvironment | undefined,
  respond: Respond,
  fail: (error: unknown) => void,
  redirects = 0,
): void {
  if (signal.aborted) {
    fail(abortError());
    return;
  }
  const options = route(m, hop.url, hop.headers, proxyEnv);
  options.method = hop.method;
  const secure = (options.protocol ?? hop.url.protocol) === 'https:';
  const request = (secure ? m.https : m.http).request(options);
  const done = endOnAbort(signal, request);
  request.on('response', (response) => {
    const next = redirects < MAX_REDIRECTS ? redirected(hop, response) : undefined;
    if (!next) {
      respond(response, done);
      return;
    }
    // Read off the body so the socket goes back to the pool.
    response.resume();
    done();
    dispatch(m, next, signal, proxyEnv, respond, fail, redirects + 1);
  });
  request.once('error', (error) => {
    done();
    fail(error);
  });
  request.end(hop.body);
}

/** An answer read whole; its Headers are built only if someone reads them. */
class ReadAnswer implements WireResponse {
  #headers: Headers | undefined;
  constructor(
    readonly status: number,
    readonly text: string,
    private readonly rawHeaders: string[],
  ) {}
  get headers(): Headers {
    this.#headers ??= toHeaders(this.rawHeaders);
    return this.#headers;
  }
}

/** What to make of the final response: its body read whole, or handed over as a stream. */
type Handle<T> = (
  m: NodeModules,
  response: Http.IncomingMessage,
  done: () => void,
  resolve: (answer: T) => void,
  reject: (error: unknown) => void,
) => void;

function exchangeWith<T>(
  m: NodeModules,
  request: WireRequest,
  body: string | Uint8Array | undefined,
  proxyEnv: ProxyEnvironment | undefined,
  handle: Handle<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const respond: Respond = (response, done) => handle(m, response, done, resolve, reject);
    dispatch(m, firstHop(request, body), request.signal, proxyEnv, respond, reject);
  });
}

const readWhole: Handle<WireResponse> = (_m, response, done, resolve, reject) => {
  // Most answers arrive in one chunk; decoding once at the end needs no stream decoder.
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.once('end', () => {
    done();
    const text = chunks.length === 1 ? String(chunks[0]) : Buffer.concat(chunks).toString('utf8');
    resolve(new ReadAnswer(response.statusCode ?? 0, text, response.rawHeaders));
  });
  // Also when the server closes the connection before the body is complete.
  response.once('error', (error) => {
    done();
    reject(error);
  });
};

const asStream: Handle<Response> = (m, response, done, resolve) => {
  // The caller may abort while reading the body: stop watching only once it is over.
  response.once('close', done);
  const status = response.statusCode ?? 0;
  const stream = NULL_BODY.has(status)
    ? null
    : (m.Readable.toWeb(response) as unknown as ReadableStream<Uint8Array>);
  if (stream === null) response.resume();
  resolve(
    new Response(stream, {
      status,
      statusText: response.statusMessage,
      headers: toHeaders(response.rawHeaders),
    }),
  );
};

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy'];

/** The proxy variables as they are now, or undefined when none is set (the common case). */
function proxyEnvironment(): ProxyEnvironment | undefined {
  const env = process.env;
  const found: ProxyEnvironment = {};
  for (const name of PROXY_VARIABLES) {
    for (const spelled of [name, name.toUpperCase()]) {
      if (env[spelled] !== undefined) found[spelled] = env[spelled];
    }
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

/**
 * The default transport on Node: `node:http`/`node:https` with keep-alive agents shared by every
 * client in the process. On this machine it does about four times the requests per second of
 * `fetch` against a local server. Follows redirects as fetch does, and goes through the proxy
 * `HTTPS_PROXY`/`HTTP_PROXY` name unless `NO_PROXY` exempts the host; those variables are read
 * when the transport is made (when the client is created), and one that is not a URL throws
 * `invalid_config` then.
 */
export function nodeTransport(): Transport {
  const proxyEnv = proxyEnvironment();
  if (proxyEnv) checkProxyEnvironment(proxyEnv);
  /** Waits for the modules and encodes a FormData or Blob body, then makes the exchange. */
  async function prepared<T>(request: WireRequest, handle: Handle<T>): Promise<T> {
    const m = loaded ?? (await nodeModules());
    const { body } = request;
    if (body === undefined || typeof body === 'string') {
      return exchangeWith(m, request, body, proxyEnv, handle);
    }
    const withBytes = await encoded(request, body);
    return exchangeWith(m, withBytes.request, withBytes.bytes, proxyEnv, handle);
  }
  return {
    name: 'node-http',
    exchange(request) {
      const { body } = request;
      if (loaded && (body === undefined || typeof body === 'string')) {
        return exchangeWith(loaded, request, body, proxyEnv, readWhole);
      }
      return prepared(request, readWhole);
    },
    open(request) {
      return prepared(request, asStream);
    },
  };
}
