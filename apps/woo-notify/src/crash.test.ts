import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from './config.js';
import { ADMIN_TOKEN, approveTemplate, deliver, SECRET, wooOrder } from './test-support.js';

const sandbox = useSandbox();
const MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');
const ORDERS = 1000;
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`build first: ${MAIN} is missing (pnpm build)`);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startChild(configPath: string, port: number) {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const child = spawn(process.execPath, [MAIN, '--config', configPath], {
    env: { ...process.env, WOO_NOTIFY_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  const up = await eventually(
    () =>
      fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200 || child.exitCode !== null,
    { timeoutMs: 15_000, intervalMs: 50 },
  );
  if (up !== 200) throw new Error(`the service did not start: ${stderr.join('')}`);
  return { child, url, stderr, stdout };
}

/** The JSON log lines of one event a child wrote to stdout and stderr. */
function events(child: { stdout: string[]; stderr: string[] }, event: string) {
  return [...child.stdout, ...child.stderr]
    .join('')
    .split('\n')
    .filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function stats(url: string) {
  const response = await fetch(`${url}/admin/stats`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as { outbox: Record<string, number> }).outbox;
}

describe('kill -9 with 1,000 orders in flight', () => {
  it('notifies every acknowledged order exactly once after a restart on the same database', async () => {
    await approveTemplate(sandbox);
    const dbPath = tempDbPath('crash');
    const configPath = join(tmpdir(), `woo-notify-crash-${process.pid}.json`);
    writeFileSync(
      configPath,
      JSON.stringify({
        host: '127.0.0.1',
        webhookSecret: SECRET,
        adminToken: ADMIN_TOKEN,
        dbPath,
        logLevel: 'warn',
        gateway: {
          apiKey: sandbox.kirem.apiKey,
          baseUrl: sandbox.kirem.baseUrl,
          ratePerSecond: 5000,
        },
        worker: { concurrency: 16, backoffBaseMs: 50, backoffMaxMs: 500, pollIntervalMs: 50 },
        admin: { phone: '' },
      }),
    );
    const port = await freePort();
    // Slow answers, given AFTER the gateway has accepted the message: the process dies between
    // "delivered" and "marked sent", the window where a naive resend would double-send.
    await sandbox.fault({ provider: 'kirem', path: '/messages', latencyMs: 300, when: 'after' });
    const first = await startChild(configPath, port);

    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    const post = async () => {
      while (next < ORDERS && !killed) {
        const id = 50_000 + next++;
        const order = wooOrder({
          id,
          billing: { ...wooOrder().billing, phone: `0813${String(id).padStart(8, '0')}` },
        });
        try {
          const response = await deliver(first.url, order);
          if (response.status === 200) acknowledged.add(String(id));
        } catch {
          // the connection died with the process: not acknowledged
        }
      }
    };
    const posting = Promise.all(Array.from({ length: 50 }, post));
    // Kill once enough orders are in and sends are under way, but the outbox is far from drained,
    // and only at a moment when the service itself reports sends in flight: a busy machine can
    // otherwise catch the worker between batches, and the restart would have nothing to recover.
    await eventually(
      async () => ({
        acks: acknowledged.size,
        sent: (await sandbox.messages()).length,
        sending: (await stats(first.url)).sending ?? 0,
      }),
      (s) => s.acks >= 300 && s.sent >= 20 && s.sending > 0,
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    first.child.kill('SIGKILL');
    killed = true;
    await new Promise((resolve) => first.child.once('exit', resolve));
    await posting;
    const deliveredBeforeRestart = (await sandbox.messages()).length;
    expect(acknowledged.size).toBeGreaterThanOrEqual(300);
    expect(deliveredBeforeRestart).toBeLessThan(acknowledged.size);

    await sandbox.clearFaults();
    const second = await startChild(configPath, port);
    await eventually(
      () => stats(second.url),
      (o) => o.pending === 0 && o.sending === 0,
      { timeoutMs: 40_000, intervalMs: 100 },
    );
    const outbox = await stats(second.url);
    // The restart found sends cut off mid-way and resent them under the same Idempotency-Key.
    const recoveredLines = () =>
      second.stderr
        .join('')
        .split('\n')
        .filter((line) => line.includes('"outbox_recovered"'))
        .map((line) => JSON.parse(line) as { requeued: number });
    const recovered = await eventually(
      async () => recoveredLines(),
      (lines) => lines.length > 0,
      { timeoutMs: 5000 },
    );
    expect(recovered[0]?.requeued).toBeGreaterThan(0);
    console.info(
      `crash test: ${acknowledged.size} acknowledged, ${deliveredBeforeRestart} delivered before kill -9, ${recovered[0]?.requeued} interrupted sends requeued`,
    );
    expect(outbox.dead).toBe(0);
    expect(outbox.maybe_sent).toBe(0);

    const perOrder = new Map<string, number>();
    for (const message of await sandbox.messages({ direction: 'outbound' })) {
      const number = /Pesanan #(\d+) /.exec(message.text)?.[1] ?? '?';
      perOrder.set(number, (perOrder.get(number) ?? 0) + 1);
    }
    const missing = [...acknowledged].filter((n) => !perOrder.has(n));
    const twice = [...perOrder].filter(([, n]) => n > 1);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    expect(perOrder.has('?')).toBe(false);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(second.child.exitCode).toBe(0);
  });
});

describe('kill -9 mid-send on a gateway that does not drop resends', () => {
  it('settles the interrupted send from the gateway log after the restart: sent, once, no person', async () => {
    await approveTemplate(sandbox);
    const configPath = join(tmpdir(), `woo-notify-crash-reconcile-${process.pid}.json`);
    writeFileSync(
      configPath,
      JSON.stringify({
        host: '127.0.0.1',
        webhookSecret: SECRET,
        adminToken: ADMIN_TOKEN,
        dbPath: tempDbPath('crash-reconcile'),
        logLevel: 'info',
        gateway: {
          apiKey: sandbox.kirem.apiKey,
          baseUrl: sandbox.kirem.baseUrl,
          deduplicates: false,
        },
        worker: { backoffBaseMs: 50, backoffMaxMs: 500, pollIntervalMs: 50 },
        reconcile: { intervalMs: 200, settleMs: 500 },
        admin: { phone: '' },
      }),
    );
    const port = await freePort();
    // The gateway takes the message, then the process dies before it hears so.
    await sandbox.fault({
      provider: 'kirem',
      path: '/v1/messages',
      method: 'POST',
      latencyMs: 5000,
      when: 'after',
    });
    const first = await startChild(configPath, port);
    expect((await deliver(first.url, wooOrder({ id: 90_001 }))).status).toBe(200);
    await eventually(
      async () => ({
        sent: (await sandbox.messages()).length,
        sending: (await stats(first.url)).sending ?? 0,
      }),
      (s) => s.sent === 1 && s.sending === 1,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await sandbox.clearFaults();

    const second = await startChild(configPath, port);
    const outbox = await eventually(
      () => stats(second.url),
      (o) => o.sent === 1,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(outbox).toMatchObject({ sent: 1, maybe_sent: 0, pending: 0, dead: 0 });
    const messages = await sandbox.messages({ direction: 'outbound' });
    expect(messages).toHaveLength(1);
    expect(events(second, 'outbox_recovered')[0]).toMatchObject({ maybeSent: 1 });
    expect(events(second, 'message_reconciled')).toEqual([
      expect.objectContaining({ verdict: 'sent', messageId: messages[0]?.id }),
    ]);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });
});
