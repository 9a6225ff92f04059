/** Test support: one fetch call, its status, headers and parsed JSON body; a webhook receiver. */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A response as tests assert on it. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly and assert on them
  body: any;
}

/** How `call` sends: method, bearer token, and a JSON or raw body. */
export interface CallOptions {
  method?: string;
  /** Bearer token; omit for no Authorization header. */
  token?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

/** One request to the sandbox; the body is parsed as JSON when it is JSON. */
export async function call(url: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: parsed(await response.text()),
  };
}

function parsed(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text; // Not JSON (HTML, raw media): keep the text.
  }
}

/** One request a Receiver got, with the body as the exact bytes that arrived. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: tests read webhook fields directly and assert on them
  json: any;
}

/** A tiny webhook receiver: records every request and answers with `respond` (default 200 'ok'). */
export interface Receiver {
  url: string;
  received: Received[];
  respond: (request: Received) => { status: number; body?: unknown };
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A receiver on a free port; useReceiver ties its life to the test file. */
async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => ({ status: 200, body: 'ok' }),
    async waitFor(count) {
      for (let i = 0; i < 200 && receiver.received.length < count; i++) await sleep(10);
      if (receiver.received.length < count) {
        throw new Error(`the receiver got ${receiver.received.length} requests, not ${count}`);
      }
      return receiver.received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = undefined;
      }
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw,
        json,
      };
      receiver.received.push(request);
      const { status, body } = receiver.respond(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body ?? null));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Waits, for what the sandbox does after it answered. */
/** Sends a Kirem text to the test customer through the gateway route; resolves with its id. */
export async function sendKiremText(
  sandbox: { kirem: { baseUrl: string; apiKey: string } },
  text: string,
): Promise<string> {
  const answer = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
    token: sandbox.kirem.apiKey,
    json: {
      messaging_product: 'whatsapp',
      to: '6281234567890',
      type: 'text',
      text: { body: text },
    },
  });
  if (answer.status !== 201) throw new Error(`the Kirem send answered ${answer.status}`);
  return answer.body.data.messages[0].id;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** 'sha256=' and the HMAC-SHA256 of the bytes, computed independently of the sandbox's code. */
export function expectedSignature(secret: string, raw: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

type Respond = Receiver['respond'];

/**
 * A receiver for the whole test file: started before the tests, emptied and given `respond`
 * before each, closed at the end.
 */
export function useReceiver(respond: Respond = () => ({ status: 200, body: 'ok' })): Receiver {
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());
  beforeEach(() => {
    if (!receiver) return;
    receiver.received.length = 0;
    receiver.respond = respond;
  });
  // The handle exists before the receiver does; tests reach it only once it is running.
  return new Proxy({} as Receiver, {
    get: (_target, property) => Reflect.get(receiver as Receiver, property),
    set: (_target, property, value) => Reflect.set(receiver as Receiver, property, value),
  });
}

/**
 * One request through node:http, which sends the Host and Origin headers it is given (fetch
 * replaces Host), the way a browser on a rebound name or another page would.
 */
export function rawCall(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') headers.set(name, value);
        }
        const body = parsed(Buffer.concat(chunks).toString('utf8'));
        resolve({ status: res.statusCode ?? 0, headers, body });
      });
    });
    req.end(options.body);
  });
}
