import { createServer } from 'node:net';
import type { SandboxControl } from '@kabar/sandbox';
import { KabarError } from './errors.js';

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
 * What `createClient` takes to run a suite on the transport under test: core's vitest config runs
 * the retry and chaos suites once per transport, naming it in `KABAR_TEST_TRANSPORT`.
 */
export function transportUnderTest(): { fetch?: typeof globalThis.fetch } {
  return process.env.KABAR_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};
}

/** Options for `meta()` that reach the sandbox's Meta Cloud API as its seeded business. */
export function sandboxMetaOptions(sandbox: SandboxControl) {
  return {
    accessToken: sandbox.meta.accessToken,
    phoneNumberId: sandbox.meta.phoneNumberId,
    businessAccountId: sandbox.meta.wabaId,
    baseUrl: sandbox.meta.baseUrl,
    apiVersion: sandbox.meta.apiVersion,
  };
}
