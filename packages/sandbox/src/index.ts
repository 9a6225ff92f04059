import type { AddressInfo } from 'node:net';
import { createControlClient } from './control-client.js';
import { DataFile } from './persistence.js';
import { createSandboxState, sandboxInfo } from './sandbox.js';
import { createSandboxServer } from './server.js';
import type { RunningSandbox, SandboxControl, SandboxInfo, SandboxOptions } from './types.js';

// Every public type: types.ts holds nothing else, so a dialect's new types need no line here.
export type * from './types.js';

/**
 * Starts a sandbox in this process and resolves once it is listening. Every gateway is served under
 * the sandbox's URL (`http://127.0.0.1:4010/kirem`, `/meta`, `/kirimy/v1`, `/qirim/api/v1`,
 * `/waviro`, `/wablas`, `/fonnte` with `port: 4010`), the control API under `/api/v1` and the
 * inbox at `/`. The port defaults to 0, a free one; read it from `port` or `url`.
 *
 * Rejects with a `RangeError` for invalid options (see `SandboxOptions`), with the server's error
 * (e.g. `EADDRINUSE`) when the port is taken, and with an `Error` naming the `dataFile` when it
 * cannot be read or written, is not a sandbox data file, or is corrupt.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { startSandbox } from '@kabar/sandbox';
 *
 * const sandbox = await startSandbox({ port: 4010 });
 * const client = createClient({ provider: kirem(sandbox.kirem) }); // http://127.0.0.1:4010/kirem
 * await client.send({ to: '+62 812-3456-7890', text: 'Halo dari sandbox' });
 * console.log((await sandbox.latest())?.text); // 'Halo dari sandbox'
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const sandbox = createSandboxState(options);
  const resolved = sandbox.options;
  // Loaded before the server listens, so no request sees the state from before the file's.
  const dataFile = resolved.dataFile ? await DataFile.open(sandbox, resolved.dataFile) : undefined;
  const server = createSandboxServer(sandbox);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    // Another sandbox may own the port and the file: this one must not write to it later.
    dataFile?.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(resolved.host)}:${port}`;
  const control = createControlClient(url, sandboxInfo(sandbox, url).credentials);
  return {
    ...control,
    port,
    host: resolved.host,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A closed sandbox must not POST again: pending webhook retries (Kirem's) are dropped.
        sandbox.deliveries.close();
        server.close((error) => {
          // After the last request, so everything they changed is in the file.
          dataFile?.close();
          if (error) reject(error);
          else resolve();
        });
        // Keep-alive connections from the client under test would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/**
 * The test helper: a sandbox on a free port unless `options.port` says otherwise, so test files can
 * run in parallel. Otherwise the same as `startSandbox`, errors included. With vitest,
 * `useSandbox` from `@kabar/sandbox/vitest` also registers the hooks.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { createSandbox, type RunningSandbox } from '@kabar/sandbox';
 * import { afterAll, beforeAll, expect, it } from 'vitest';
 *
 * let sandbox: RunningSandbox;
 * beforeAll(async () => {
 *   sandbox = await createSandbox();
 * });
 * afterAll(() => sandbox.close());
 *
 * it('sends the OTP template', async () => {
 *   const client = createClient({ provider: kirem(sandbox.kirem) });
 *   await client.send({
 *     to: '081234567890',
 *     template: { name: 'otp_verification', language: 'id', params: ['123456'] },
 *   });
 *   const sent = await sandbox.latest({ to: '6281234567890' });
 *   expect(sent?.text).toBe('Kode keamanan OTP Kirem Anda adalah: 123456.');
 * });
 * ```
 */
export function createSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ ...options, port: options.port ?? 0 });
}

/**
 * Controls a sandbox that is already running elsewhere (the CLI, another process, a container): the
 * same methods as `RunningSandbox`, without `close()`. Reads the credentials from
 * `GET <url>/api/v1/info`; rejects with `kabar-sandbox: GET <url>/api/v1/info failed with <status>`
 * when that answers an error status, and with fetch's error when nothing answers.
 *
 * @example
 * ```ts
 * import { connectSandbox } from '@kabar/sandbox';
 *
 * const sandbox = await connectSandbox('http://127.0.0.1:4010');
 * await sandbox.fault({ provider: 'kirem', path: '/messages', status: 503, times: 1 });
 * ```
 */
export async function connectSandbox(url: string): Promise<SandboxControl> {
  const base = url.replace(/\/+$/, '');
  const response = await fetch(`${base}/api/v1/info`);
  if (!response.ok) {
    throw new Error(`kabar-sandbox: GET ${base}/api/v1/info failed with ${response.status}`);
  }
  const info = (await response.json()) as SandboxInfo;
  return createControlClient(base, info.credentials);
}

// A wildcard bind address is not something a client can connect to; loopback reaches it.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
