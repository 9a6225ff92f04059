import { createServer, type IncomingMessage, type Server } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, type WhatsAppClient } from './client.js';
import { KabarError } from './errors.js';
import type { Provider } from './provider.js';
import type { GatewayDefinition } from './providers/gateway.js';
import { createProvider, GATEWAYS } from './providers/registry.js';

// A key no gateway would ever print by accident, so finding it anywhere is a leak.
const KEY = 'KEY-zebra-7f3c9a1e5b';

type Shape = 'json' | 'text' | 'html';
let reply: { status: number; shape: Shape } = { status: 400, shape: 'json' };

/**
 * A hostile gateway: whatever it is asked, it answers with the caller's own request headers (the
 * key among them) in every field an error mapper might read, in the status and format of `reply`.
 */
function hostileGateway(request: IncomingMessage): { type: string; body: string } {
  const echo = `${request.url} ${JSON.stringify(request.headers)}`;
  if (reply.shape === 'text') return { type: 'text/plain', body: `refused: ${echo}` };
  if (reply.shape === 'html') return { type: 'text/html', body: `<h1>Bad key</h1><p>${echo}</p>` };
  const body = {
    status: reply.status,
    success: false,
    message: echo,
    msg: echo,
    reason: echo,
    errors: { api_key: echo, code: 131000, message: echo },
    error: { code: 'INVALID_API_KEY', message: echo, type: 'OAuthException', echo },
    data: { echo },
    result: echo,
  };
  return { type: 'application/json', body: JSON.stringify(body) };
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { type, body } = hostileGateway(request);
      response.writeHead(reply.status, { 'content-type': type });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * Every registered gateway, pointed at the hostile gateway, with the key in every secret setting
 * (Wablas sends two, joined) and plausible values in the others.
 */
function settingsFor(gateway: GatewayDefinition): Record<string, string | undefined> {
  return Object.fromEntries(
    gateway.credentials.map(({ key, secret }) => {
      if (secret) return [key, KEY];
      if (key.endsWith('Url')) return [key, baseUrl];
      // Ids of numbers, accounts and sessions; the version and the server keep their defaults.
      return [key, key === 'apiVersion' || key === 'server' ? undefined : '1001'];
    }),
  );
}

const providers: Record<string, () => Provider> = Object.fromEntries(
  GATEWAYS.map((gateway) => [
    gateway.name,
    () => createProvider(gateway.name, settingsFor(gateway)),
  ]),
);
/** Every call a client can make that reaches the gateway, skipping what the provider lacks. */
function calls(client: WhatsAppClient): [string, () => Promise<unknown>][] {
  const all: [string, string | undefined, () => Promise<unknown>][] = [
    ['send', undefined, () => client.send({ to: '081234567890', text: 'Halo' })],
    ['markAsRead', 'markAsRead', () => client.markAsRead('wamid.X')],
    ['templates.list', 'templates.list', () => client.templates.list()],
    ['profile.get', 'profile.get', () => client.profile.get()],
    ['media.download', 'media.download', () => client.media.download('55')],
    ['media.info', 'media.info', () => client.media.info('55')],
    ['media.delete', 'media.delete', () => client.media.delete('55')],
    ['templates.get', 'templates.get', () => client.templates.get('otp_verification')],
    ['templates.edit', 'templates.edit', () => client.templates.edit('7', { category: 'UTILITY' })],
    ['users.block', 'users.block', () => client.users.block(['081234567890'])],
    ['users.unblock', 'users.block', () => client.users.unblock(['081234567890'])],
    ['users.listBlocked', 'users.block', () => client.users.listBlocked()],
    [
      'profile.uploadPhoto',
      'profile.photo',
      () => client.profile.uploadPhoto({ file: new Uint8Array([1]), mimeType: 'image/png' }),
    ],
    ['logs.messages', 'logs.messages', () => client.logs.messages()],
    ['batches.get', 'batch.status', () => client.batches.get('batch-1')],
    ['otp.request', 'otp', () => client.otp.request({ phone: '081234567890' })],
    ['health', 'health', () => client.health()],
    ['groups.list', 'groups.list', () => client.groups.list()],
    ['connection.status', 'connection.status', () => client.connection.status()],
    ['numbers.check', 'numbers.check', () => client.numbers.check('081234567890')],
    ['numbers.list', 'numbers.list', () => client.numbers.list()],
    ['mcp.listTools', 'mcp', () => client.mcp.listTools()],
  ];
  return all
    .filter(([, feature]) => feature === undefined || client.supports(feature as never))
    .map(([name, , call]) => [name, call]);
}

/** Every way a caller or a logger might turn a value into text. */
function renderings(value: unknown): string[] {
  const texts = [inspect(value, { depth: 12, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) texts.push(value.message, String(value), value.stack ?? '');
  return texts;
}

function leaks(value: unknown): string[] {
  return renderings(value).filter((text) => text.includes(KEY) || text.includes('zebra'));
}

async function run(
  name: string,
  extra: Partial<ClientOptions> = {},
): Promise<{ errors: unknown[]; hookEvents: unknown[] }> {
  const hookEvents: unknown[] = [];
  const provider = providers[name];
  if (!provider) throw new Error(`no provider ${name}`);
  const client = createClient({
    provider: provider(),
    rateLimit: false,
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
    hooks: {
      onRequest: (event) => hookEvents.push(event),
      onResponse: (event) => hookEvents.push(event),
      onRetry: (event) => hookEvents.push(event),
    },
    ...extra,
  });
  const errors: unknown[] = [];
  for (const [, call] of calls(client)) {
    try {
      const result = await call();
      // A stream that succeeded is not an error; read it so the connection is freed.
      if (result && typeof result === 'object' && 'body' in result) {
        await new Response((result as { body: ReadableStream }).body).text();
      }
    } catch (error) {
      errors.push(error);
    }
  }
  return { errors, hookEvents };
}

describe('no error or hook payload contains the API key, whatever the gateway answers', () => {
  const statuses = [200, 400, 401, 404, 429, 500, 502, 503];
  const shapes: Shape[] = ['json', 'text', 'html'];

  for (const name of Object.keys(providers)) {
    it(`${name}: every call, every status, JSON, text and HTML bodies that echo the key`, async () => {
      let errorCount = 0;
      for (const status of statuses) {
        for (const shape of shapes) {
          reply = { status, shape };
          const { errors, hookEvents } = await run(name);
          errorCount += errors.length;
          for (const error of errors) {
            expect(KabarError.isInstance(error), inspect(error)).toBe(true);
            expect(leaks(error), `${status} ${shape}`).toEqual([]);
          }
          for (const event of hookEvents) expect(leaks(event), `${status} ${shape}`).toEqual([]);
        }
      }
      expect(errorCount).toBeGreaterThanOrEqual(statuses.length * shapes.length);
    });

    it(`${name}: a transport failure whose message and cause quote the request`, async () => {
      const quotingFetch: typeof fetch = async (url, init) => {
        const cause = new Error(`proxy said no to ${String(url)} ${JSON.stringify(init?.headers)}`);
        throw new TypeError(`fetch failed for ${encodeURIComponent(KEY)}`, { cause });
      };
      const { errors, hookEvents } = await run(name, { fetch: quotingFetch });
      expect(errors.length).toBeGreaterThan(0);
      for (const error of [...errors, ...hookEvents]) expect(leaks(error)).toEqual([]);
    });
  }
});
