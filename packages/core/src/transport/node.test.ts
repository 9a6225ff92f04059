import { execFile, execFileSync } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { performRequest, type TransportContext } from '../http.js';
import { kirem } from '../providers/kirem/index.js';
import { failure } from '../test-helpers.js';
import { nodeTransport } from './node.js';
import { proxyFor } from './proxy.js';

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

async function listen(server: Server, protocol = 'http'): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${protocol}://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function serve(handler: RequestListener): Promise<string> {
  return listen(createServer(handler));
}

function readAll(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const context: TransportContext = {
  transport: nodeTransport(),
  timeoutMs: 5000,
  secrets: [],
  provider: 'test',
  operation: 'send',
  attempt: 1,
};

describe('node transport: redirects, as fetch follows them', () => {
  it('307 repeats the POST with its body; 303 turns it into a GET without one', async () => {
    const seen: string[] = [];
    const base = await serve(async (request, response) => {
      const body = (await readAll(request)).toString();
      seen.push(`${request.method} ${request.url} ${body}`);
      if (request.url === '/start') {
        response.writeHead(307, { location: '/again' }).end();
      } else if (request.url === '/again') {
        response.writeHead(303, { location: '/done' }).end();
      } else {
        json(response, 200, { at: request.url });
      }
    });
    const answer = await performRequest(
      { method: 'POST', url: `${base}/start`, json: { n: 1 } },
      context,
    );
    expect(answer).toMatchObject({ status: 200, body: { at: '/done' } });
    expect(seen).toEqual(['POST /start {"n":1}', 'POST /again {"n":1}', 'GET /done ']);
  });

  it('does not hand the Authorization header to another origin', async () => {
    let receivedAuthorization: string | undefined = 'unset';
    const other = await serve((request, response) => {
      receivedAuthorization = request.headers.authorization;
      json(response, 200, { ok: true });
    });
    const first = await serve((_request, response) => {
      response.writeHead(302, { location: `${other}/media` }).end();
    });
    await performRequest(
      { method: 'GET', url: `${first}/media`, headers: { authorization: 'Bearer secret' } },
      context,
    );
    expect(receivedAuthorization).toBeUndefined();
  });
});

describe('node transport: bodies', () => {
  it('uploads a FormData as multipart, file and fields intact', async () => {
    let received: { type?: string; name?: string; text?: string; field?: string } = {};
    const base = await serve(async (request, response) => {
      const body = await readAll(request);
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': request.headers['content-type'] as string },
      }).formData();
      const file = form.get('file') as File;
      received = {
        type: file.type,
        name: file.name,
        text: await file.text(),
        field: String(form.get('messaging_product')),
      };
      json(response, 200, { id: 'media-1' });
    });
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('file', new Blob(['%PDF-1.4 invoice'], { type: 'application/pdf' }), 'inv.pdf');
    const answer = await performRequest({ method: 'POST', url: `${base}/media`, form }, context);
    expect(answer.body).toEqual({ id: 'media-1' });
    expect(received).toEqual({
      type: 'application/pdf',
      name: 'inv.pdf',
      text: '%PDF-1.4 invoice',
      field: 'whatsapp',
    });
  });

  it("sends a Blob's bytes with its type, unless the caller names one", async () => {
    const types: (string | undefined)[] = [];
    const base = await serve(async (request, response) => {
      await readAll(request);
      types.push(request.headers['content-type']);
      json(response, 200, {});
    });
    const body = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
    await performRequest({ method: 'POST', url: base, body }, context);
    await performRequest(
      { method: 'POST', url: base, body, headers: { 'Content-Type': 'image/jpeg' } },
      context,
    );
    expect(types).toEqual(['image/png', 'image/jpeg']);
  });

  it('a response cut off mid-body is a network failure that may have been accepted', async () => {
    const base = await serve((request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => request.socket.destroy(), 20);
    });
    const error = await failure(performRequest({ method: 'GET', url: base }, context));
    expect(error).toMatchObject({ code: 'network', maybeAccepted: true });
  });
});

describe('node transport: keep-alive', () => {
  it('reuses one connection for requests one after another', async () => {
    const sockets = new Set<Socket>();
    const base = await serve((request, response) => {
      sockets.add(request.socket);
      json(response, 200, {});
    });
    for (let i = 0; i < 5; i++) await performRequest({ method: 'GET', url: base }, context);
    expect(sockets.size).toBe(1);
  });
});

describe('node transport: memory', () => {
  it('lets a finished request go, though its timeout signal lives on', async () => {
    // Requests starting together share a deadline signal that lives as long as the timeout. A
    // request it kept would hold its response and body too: at broadcast speed, hundreds of them.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const base = await serve((_request, response) => json(response, 200, { ok: true }));
    const started: WeakRef<object>[] = [];
    const onStart = (message: unknown) => {
      started.push(new WeakRef((message as { request: object }).request));
    };
    diagnostics.subscribe('http.client.request.start', onStart);
    try {
      await performRequest({ method: 'GET', url: base }, context);
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onStart);
    }
    expect(started).toHaveLength(1);
    // The socket goes back to the pool on the next turns; then nothing should hold the request.
    await new Promise((resolve) => setTimeout(resolve, 20));
    collect();
    expect(started[0]?.deref()).toBeUndefined();
  });
});

describe('proxy settings from the environment', () => {
  const url = (href: string) => new URL(href);
  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, lower case first', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128' };
    expect(proxyFor(url('https://graph.facebook.com/v21.0'), env)?.host).toBe('lower:3128');
    expect(proxyFor(url('http://gateway.local/send'), env)).toBeUndefined();
    expect(proxyFor(url('http://gateway.local/send'), { HTTP_PROXY: 'proxy:8080' })?.href).toBe(
      'http://proxy:8080/',
    );
  });

  it('NO_PROXY exempts hosts, their subdomains, a port, or everything', () => {
    const proxied = (href: string, noProxy: string) =>
      proxyFor(url(href), { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy }) !== undefined;
    expect(proxied('https://api.fonnte.com/send', 'fonnte.com')).toBe(false);
    expect(proxied('https://api.fonnte.com/send', '.fonnte.com, localhost')).toBe(false);
    expect(proxied('https://notfonnte.com/send', 'fonnte.com')).toBe(true);
    expect(proxied('https://127.0.0.1:8443/x', '127.0.0.1:9999')).toBe(true);
    expect(proxied('https://127.0.0.1:8443/x', '127.0.0.1:8443')).toBe(false);
    expect(proxied('https://graph.facebook.com/x', '*')).toBe(false);
  });
});

describe('node transport through a proxy', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('refuses a proxy variable that is not a URL when the client is created, without echoing it', () => {
    process.env.HTTPS_PROXY = 'http://kabar:rahasia-proxy@not a host:3128';
    let error: unknown;
    try {
      createClient({ provider: kirem({ apiKey: 'kirem_key' }) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('HTTPS_PROXY'),
    });
    for (const shown of [String(error), JSON.stringify(error), inspect(error)]) {
      expect(shown).not.toContain('rahasia-proxy');
    }
  });

  it('sends plain http to the proxy with the whole URL, credentials as Proxy-Authorization', async () => {
    const seen: { url?: string; host?: string; auth?: string }[] = [];
    const proxy = await serve((request, response) => {
      seen.push({
        url: request.url,
        host: request.headers.host,
        auth: request.headers['proxy-authorization'],
      });
      json(response, 201, { proxied: true });
    });
    process.env.HTTP_PROXY = proxy.replace('http://', 'http://kabar:rahasia@');
    // The variables are read when the transport is made.
    const answer = await performRequest(
      { method: 'POST', url: 'http://gateway.invalid:8080/send?x=1', json: {} },
      { ...context, transport: nodeTransport() },
    );
    expect(answer).toMatchObject({ status: 201, body: { proxied: true } });
    expect(seen).toEqual([
      {
        url: 'http://gateway.invalid:8080/send?x=1',
        host: 'gateway.invalid:8080',
        auth: `Basic ${btoa('kabar:rahasia')}`,
      },
    ]);
  });

  it('tunnels https with CONNECT and still checks the certificate', async () => {
    const { cert, key } = testCertificate();
    const target = await listen(
      createHttpsServer({ cert, key }, (_request, response) => json(response, 200, {})),
      'https',
    );
    const connects: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (request: IncomingMessage, client: Socket) => {
      connects.push(request.url as string);
      const [host, port] = (request.url as string).split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    process.env.HTTPS_PROXY = await listen(proxy);
    const port = new URL(target).port;

    // This process does not trust the test certificate: the tunnel opens, TLS refuses, and the
    // request was never sent.
    const error = await failure(
      performRequest(
        { method: 'GET', url: `https://localhost:${port}/` },
        { ...context, transport: nodeTransport() },
      ),
    );
    expect(connects).toEqual([`localhost:${port}`]);
    expect(error).toMatchObject({ code: 'network', maybeAccepted: false });

    // A process that trusts it (NODE_EXTRA_CA_CERTS, read at start) gets the answer through.
    expect(await tlsClient(`https://localhost:${port}/`)).toEqual({ status: 200, body: {} });
    expect(connects).toHaveLength(2);
  });
});

describe('the default transport', () => {
  it('createClient uses node:http on Node and fetch when given one', async () => {
    let viaFetch = 0;
    const base = await serve(async (request, response) => {
      await readAll(request);
      json(response, 201, {
        status: 201,
        data: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.1' }] },
      });
    });
    const provider = kirem({ apiKey: 'kirem_key', baseUrl: base });
    const byDefault = createClient({ provider, rateLimit: false });
    const withFetch = createClient({
      provider,
      rateLimit: false,
      fetch: (input, init) => {
        viaFetch += 1;
        return fetch(input, init);
      },
    });
    await byDefault.send({ to: '081234567890', text: 'Halo' });
    expect(viaFetch).toBe(0);
    await withFetch.send({ to: '081234567890', text: 'Halo' });
    expect(viaFetch).toBe(1);
  });
});

let certificate: { cert: string; key: string; file: string } | undefined;
/** A self-signed certificate for localhost, made with openssl for this run. */
function testCertificate(): { cert: string; key: string; file: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'kabar-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  certificate = {
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    file: join(dir, 'cert.pem'),
  };
  return certificate;
}

let bundled: string | undefined;
/** One GET from a fresh process that trusts the test certificate, through the same proxy. */
async function tlsClient(url: string): Promise<unknown> {
  if (!bundled) {
    bundled = join(mkdtempSync(join(tmpdir(), 'kabar-tls-client-')), 'client.mjs');
    await build({
      entryPoints: [new URL('./test-data/tls-client.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundled,
      logLevel: 'silent',
    });
  }
  // Asynchronously: the proxy the child goes through runs in this process.
  const { stdout } = await promisify(execFile)(process.execPath, [bundled, url], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: testCertificate().file },
  });
  return JSON.parse(stdout);
}

beforeAll(() => {
  testCertificate();
});
