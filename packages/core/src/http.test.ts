import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownDeadline, SHARED_DEADLINE_WINDOW_MS, sharedDeadline } from './deadline.js';
import { performRequest, type TransportContext } from './http.js';
import { failure, transportUnderTest } from './test-helpers.js';
import { transportFor } from './transport/select.js';

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // /slow-headers answers after 2 s; /slow-body sends headers at once and the body 1.5 s later.
  server = createServer((request, response) => {
    if (request.url === '/slow-headers') {
      setTimeout(() => response.end('{"ok":true}'), 2000);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.write('first half, ');
    setTimeout(() => response.end('second half'), 1500);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const transport = transportFor(transportUnderTest().fetch);

function context(timeoutMs: number, signal?: AbortSignal): TransportContext {
  return {
    transport,
    timeoutMs,
    signal,
    secrets: [],
    provider: 'test',
    operation: 'send',
    attempt: 1,
  };
}

describe(`performRequest timeouts over ${transport.name}`, () => {
  it('gives up on a gateway that does not answer, as a retryable timeout that may have been accepted', async () => {
    const started = performance.now();
    const error = await failure(
      performRequest({ method: 'GET', url: `${baseUrl}/slow-headers` }, context(100)),
    );
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(error.isRetryable).toBe(true);
    expect(error.maybeAccepted).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    // The server answers at 2 s; failing well before that shows the timeout, not the reply, with
    // room for a busy CI machine (four suites at once once took 550 ms here).
    expect(elapsed).toBeLessThan(1500);
  });

  it('times a streamed download until its headers only, so a long body is read whole', async () => {
    // Generous for the headers (a busy CI machine), far shorter than the body takes.
    const response = await performRequest(
      { method: 'GET', url: `${baseUrl}/slow-body` },
      context(600),
      true,
    );
    expect(await response.text()).toBe('first half, second half');
  });

  it('reports a caller abort as aborted, not as a timeout', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(
      performRequest(
        { method: 'GET', url: `${baseUrl}/slow-headers` },
        context(5000, controller.signal),
      ),
    );
    expect(error.code).toBe('aborted');
  });
});

describe('deadlines', () => {
  it('requests starting together share one deadline; a later one gets its own', async () => {
    const first = sharedDeadline(60_000);
    const second = sharedDeadline(60_000);
    expect(second.signal).toBe(first.signal);
    await new Promise((resolve) => setTimeout(resolve, SHARED_DEADLINE_WINDOW_MS + 5));
    expect(sharedDeadline(60_000).signal).not.toBe(first.signal);
    expect(sharedDeadline(30_000).signal).not.toBe(first.signal);
  });

  it('a shared deadline expires after its timeout, plus at most the window', async () => {
    const deadline = sharedDeadline(40);
    expect(deadline.expired()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 40 + SHARED_DEADLINE_WINDOW_MS + 10));
    expect(deadline.expired()).toBe(true);
    expect(deadline.signal.aborted).toBe(true);
  });

  it('an own deadline stops counting when released', async () => {
    const deadline = ownDeadline(30);
    deadline.release();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deadline.expired()).toBe(false);
    expect(deadline.signal.aborted).toBe(false);
  });
});
