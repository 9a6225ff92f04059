import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { kirem } from '@kabar/core/kirem';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createKabarMcp, type RunningHttp, serveHttp } from './index.js';

const sandbox = useSandbox();
const customer = '6281234567890';
const TOKEN = 'a-bearer-token-for-the-tests-1234';
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const inspector = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/inspector/cli/build/cli.js', import.meta.url),
);

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

/** The environment `kabar-mcp` reads, pointed at the sandbox's Kirem. */
const kiremEnv = () => ({
  KABAR_GATEWAY: 'kirem',
  KABAR_API_KEY: sandbox.kirem.apiKey,
  KABAR_BASE_URL: sandbox.kirem.baseUrl,
  KABAR_MCP_ALLOW: '628',
});

const textOf = (result: unknown) =>
  ((result as CallToolResult).content[0] as { text: string }).text;

async function httpServer(): Promise<RunningHttp> {
  const mcp = createKabarMcp({
    gateways: { kirem: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }) },
    allow: ['628'],
  });
  const running = await serveHttp(mcp, { token: TOKEN, port: 0 });
  cleanup.push(() => running.close());
  return running;
}

async function httpClient(url: string, token = TOKEN) {
  const client = new Client({ name: 'test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  cleanup.push(() => client.close());
  return client;
}

/** A raw request, so the Host header can be anything. */
function rawPost(url: string, headers: Record<string, string>, body: unknown) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
};

/** An SDK client on a `kabar-mcp` process started with this environment and these flags. */
async function stdioClient(env: Record<string, string>, args: string[] = []) {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, ...args],
      env: { PATH: process.env.PATH ?? '', ...env },
      stderr: 'pipe',
    }),
  );
  cleanup.push(() => client.close());
  return client;
}

describe('kabar-mcp over stdio', () => {
  it('lists its tools and sends a text the sandbox receives', async () => {
    const client = await stdioClient(kiremEnv());
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['send_text', 'list_templates', 'broadcast']));
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    );
    expect(client.getServerVersion()).toMatchObject({ name: 'kabar-mcp', version });
    const result = await client.callTool({
      name: 'send_text',
      arguments: { to: customer, text: 'Halo dari agen' },
    });
    const answer = JSON.parse(textOf(result));
    expect(await sandbox.latest({ to: customer })).toMatchObject({
      id: answer.id,
      provider: 'kirem',
      text: 'Halo dari agen',
    });
  });

  it('offers Kirimy no template tools', async () => {
    const client = await stdioClient({
      KABAR_GATEWAY: 'kirimy',
      KABAR_API_KEY: sandbox.kirimy.apiKey,
      KABAR_SESSION_ID: sandbox.kirimy.sessionId,
      KABAR_BASE_URL: sandbox.kirimy.baseUrl,
    });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('send_text');
    expect(names.filter((name) => name.includes('template'))).toEqual([]);
  });

  it('with --dry-run answers with the request and sends nothing', async () => {
    const client = await stdioClient(kiremEnv(), ['--dry-run']);
    const result = await client.callTool({
      name: 'send_text',
      arguments: { to: customer, text: 'uji coba' },
    });
    expect(JSON.parse(textOf(result))).toMatchObject({
      dryRun: true,
      request: { method: 'POST', body: { text: { body: 'uji coba' } } },
    });
    expect(await sandbox.messages({ direction: 'outbound' })).toEqual([]);
  });

  it('exits with the reason when no gateway is configured, naming the variable', async () => {
    const child = spawn(process.execPath, [cli], { env: { PATH: process.env.PATH ?? '' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/kabar-mcp: name a gateway: set KABAR_GATEWAY/);
  });
});

describe('kabar-mcp over Streamable HTTP', () => {
  it('serves a session to a client with the token, and sends', async () => {
    const { url } = await httpServer();
    const client = await httpClient(url);
    expect((await client.listTools()).tools.length).toBeGreaterThan(5);
    await client.callTool({ name: 'send_text', arguments: { to: customer, text: 'lewat HTTP' } });
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: 'lewat HTTP' });
  });

  it('refuses a client without the token, or with a wrong one', async () => {
    const { url } = await httpServer();
    await expect(httpClient(url, 'not-the-token-not-the-token')).rejects.toThrow(
      /401|unauthorized/i,
    );
    const bare = await rawPost(
      url,
      { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      initialize,
    );
    expect(bare.status).toBe(401);
    expect(bare.body).not.toContain(TOKEN);
  });

  it('refuses a request whose Host is not its own (DNS rebinding)', async () => {
    const { url } = await httpServer();
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${TOKEN}`,
    };
    const rebound = await rawPost(url, { ...headers, host: 'evil.example:80' }, initialize);
    expect(rebound.status).toBe(403);
    const own = await rawPost(url, headers, initialize);
    expect(own.status).toBe(200);
  });

  it('ends a session on DELETE, and refuses new ones past maxSessions', async () => {
    const mcp = createKabarMcp({
      gateways: { kirem: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }) },
      allow: ['628'],
    });
    const running = await serveHttp(mcp, { token: TOKEN, port: 0, maxSessions: 1 });
    cleanup.push(() => running.close());
    const transport = new StreamableHTTPClientTransport(new URL(running.url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    });
    const first = new Client({ name: 'first', version: '1' });
    await first.connect(transport);
    await expect(httpClient(running.url)).rejects.toThrow(/503|too many open sessions/);
    await transport.terminateSession();
    await first.close();
    const next = await httpClient(running.url);
    expect((await next.listTools()).tools.length).toBeGreaterThan(5);
  });

  it('refuses to start without a long enough token', async () => {
    const mcp = createKabarMcp({
      gateways: { kirem: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }) },
      allow: ['628'],
    });
    await expect(serveHttp(mcp, { token: 'short', port: 0 })).rejects.toThrow(/KABAR_MCP_TOKEN/);
  });
});

describe('the MCP Inspector as an outside client', () => {
  /** Runs the Inspector's CLI mode and resolves with what it printed. */
  function inspect(args: string[]): Promise<string> {
    const child = spawn(process.execPath, [inspector, '--cli', ...args], {
      env: { PATH: process.env.PATH ?? '' },
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    return new Promise((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`inspector exited ${code}: ${out}`)),
      ),
    );
  }
  const envArgs = () => Object.entries(kiremEnv()).flatMap(([k, v]) => ['-e', `${k}=${v}`]);

  it('lists the tools and calls one over stdio', { timeout: 60_000 }, async () => {
    const listed = JSON.parse(
      await inspect([...envArgs(), process.execPath, cli, '--method', 'tools/list']),
    );
    expect(listed.tools.map((tool: { name: string }) => tool.name)).toContain('send_text');
    const called = JSON.parse(
      await inspect([
        ...envArgs(),
        process.execPath,
        cli,
        '--method',
        'tools/call',
        '--tool-name',
        'send_text',
        '--tool-arg',
        `to="${customer}"`,
        '--tool-arg',
        'text=dari Inspector',
      ]),
    );
    expect(called.isError).toBeUndefined();
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: 'dari Inspector' });
  });

  it('lists the tools over Streamable HTTP with the token', { timeout: 60_000 }, async () => {
    const { url } = await httpServer();
    const listed = JSON.parse(
      await inspect([
        url,
        '--transport',
        'http',
        '--header',
        `Authorization: Bearer ${TOKEN}`,
        '--method',
        'tools/list',
      ]),
    );
    expect(listed.tools.map((tool: { name: string }) => tool.name)).toContain('broadcast');
  });
});
