import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@kabar/sandbox/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ADMIN_TOKEN, DEV_WEBHOOK_SECRET, tempDbPath } from './config.js';

const MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`build first: ${MAIN} is missing (pnpm build)`);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `node dist/main.js` with only the given WOO_NOTIFY_* settings, as an operator would start it. */
function start(env: Record<string, string>, args: string[] = []) {
  const output: string[] = [];
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      WOO_NOTIFY_PORT: '0',
      WOO_NOTIFY_DB: tempDbPath('main'),
      WOO_NOTIFY_RECONCILE_INTERVAL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }
  // A service that does not refuse keeps running: give up waiting well before the test timeout.
  const exited = Promise.race([
    new Promise<number | null>((resolve) => child.once('exit', resolve)),
    new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 20_000)),
  ]);
  return { child, output, exited };
}

describe('starting the service', () => {
  it('refuses the public development secrets on 0.0.0.0, naming the variables to set', async () => {
    const { output, exited } = start({ WOO_NOTIFY_HOST: '0.0.0.0' });
    expect(await exited).toBe(2);
    const text = output.join('');
    expect(text).toContain('WOO_NOTIFY_WEBHOOK_SECRET, WOO_NOTIFY_ADMIN_TOKEN');
    expect(text).not.toContain(DEV_WEBHOOK_SECRET);
    expect(text).not.toContain(DEV_ADMIN_TOKEN);
  });

  it('refuses an unknown flag, saying which one and what it takes', async () => {
    const { output, exited } = start({}, ['--conifg', 'woo.json']);
    expect(await exited).toBe(2);
    expect(output.join('')).toContain(
      "unknown option '--conifg': woo-notify takes only --config <file>",
    );
  });

  it('refuses a short webhook secret without printing it', async () => {
    const { output, exited } = start({ WOO_NOTIFY_WEBHOOK_SECRET: 'rahasia' });
    expect(await exited).toBe(2);
    expect(output.join('')).toContain('WOO_NOTIFY_WEBHOOK_SECRET is too short');
    expect(output.join('')).not.toContain('rahasia');
  });

  it('starts with the development defaults on 127.0.0.1, as `pnpm start` runs it', async () => {
    const { child, output, exited } = start({});
    const url = await eventually(
      async () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output.join(''))?.[1],
      (found) => found !== undefined,
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    // An answer means the process is past startup, with its signal handlers in place.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
