import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSandbox } from './index.js';
import type { RunningSandbox, SandboxOptions } from './types.js';

/**
 * Starts a sandbox for the current test file (beforeAll), resets it after each test and closes it
 * at the end. Call at the top level of a test file or describe block; the sandbox listens on a free
 * port unless `options.port` is set. The handle works only inside tests and hooks: touching it
 * before `beforeAll` has run throws an `Error` saying so.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { useSandbox } from '@kabar/sandbox/vitest';
 * import { expect, it } from 'vitest';
 *
 * const sandbox = useSandbox();
 *
 * it('stores what the client sends', async () => {
 *   const client = createClient({ provider: kirem(sandbox.kirem) });
 *   await client.send({ to: '+62 812-3456-7890', text: 'Pesanan #12 sudah dikirim' });
 *   expect((await sandbox.latest({ to: '6281234567890' }))?.text).toBe('Pesanan #12 sudah dikirim');
 * });
 * ```
 */
export function useSandbox(options: SandboxOptions = {}): RunningSandbox {
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    sandbox = await createSandbox(options);
  });
  afterEach(async () => {
    await sandbox?.reset();
  });
  afterAll(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  // The handle exists before the sandbox does; reaching into it too early is a test-setup bug.
  return new Proxy({} as RunningSandbox, {
    get(_target, property) {
      if (!sandbox) {
        throw new Error(
          `useSandbox(): the sandbox is not running, so '${String(property)}' is not available yet. ` +
            'Use the handle inside tests or hooks, not at the top level of the file.',
        );
      }
      return Reflect.get(sandbox, property);
    },
  });
}

export type { RunningSandbox, SandboxOptions } from './types.js';
export {
  describeWebhookAdapter,
  type StartedWebhookAdapter,
  type WebhookAdapterLogger,
  type WebhookAdapterOptions,
  type WebhookAdapterUnderTest,
} from './webhook-adapter-suite.js';

/**
 * Polls `read` until `done` accepts its value, for what happens after an HTTP answer (a bot's
 * reply, a status webhook); gives up after about three seconds and returns the last value, so the
 * test's own assertion reports what was there.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 3000, intervalMs = 20 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
