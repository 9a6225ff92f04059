import { createServer } from 'node:net';
import { KabarError } from './errors.js';
import { fetchTransport } from './transport/fetch.js';
import { nodeTransport } from './transport/node.js';

/** Awaits a call that must fail and hands back its KabarError (anything else fails the test). */
export async function failure(promise: Promise<unknown>): Promise<KabarError> {
  try {
    await promise;
  } catch (error) {
    if (KabarError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A local port nothing listens on: connecting to it is refused at once. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Both transports, for suites that must hold on each: `client` is what `createClient` takes to
 * choose it (nothing for the default on Node; a `fetch` to go through fetch).
 */
export const TRANSPORTS = [
  { name: 'node-http', transport: nodeTransport(), client: {} },
  {
    name: 'fetch',
    transport: fetchTransport(globalThis.fetch),
    client: { fetch: globalThis.fetch },
  },
] as const;

/**
 * What `createClient` takes to run a suite on the transport under test: core's vitest config runs
 * the retry and chaos suites once per transport, naming it in `KABAR_TEST_TRANSPORT`.
 */
export function transportUnderTest(): { fetch?: typeof globalThis.fetch } {
  return process.env.KABAR_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};
}
