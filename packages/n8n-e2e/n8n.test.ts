// End to end: n8n-nodes-kabar packed like a release, installed into a real n8n (1.123.50), driven
// by the n8n CLI against the Kabar sandbox. Runs as this package's test
// (turbo builds n8n-nodes-kabar first). The first run installs n8n into a cache outside the repo
// (see n8n-install.mjs); n8n's own output is printed when something fails.
//
// Env: KABAR_N8N_DIR (n8n install folder), KABAR_N8N_NODES_PACKAGE (package folder to pack,
// default: packages/n8n-nodes-kabar), KABAR_E2E_KEEP=1 (keep the temp n8n folder),
// KABAR_E2E_VERBOSE=1 (print n8n's output at the end even when everything passed).
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSandbox } from '@kabar/sandbox/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureN8n, n8nDir } from './n8n-install.mjs';

const PACKAGE_DIR = resolve(
  process.env.KABAR_N8N_NODES_PACKAGE ??
    fileURLToPath(new URL('../n8n-nodes-kabar', import.meta.url)),
);
const PACKAGE_NAME = 'n8n-nodes-kabar';
const CUSTOMER = '6281234567890';
const WEBHOOK_SECRET = 'kirem_webhook_secret';
const ENCRYPTION_KEY = 'kabar-e2e-encryption-key-0123456789';

const CREDENTIAL = { id: 'kabarSandboxCred', name: 'Kabar sandbox (Kirem)' };
const SEND_WORKFLOW_ID = 'kabarE2eSendWf01';
const TRIGGER_WORKFLOW_ID = 'kabarE2eTrigWf01';
const WEBHOOK_ID = randomUUID();

/** n8n's output and the CLI commands' output, newest last, for failure reports. */
const logs: string[] = [];
let logChars = 0;
function log(text: string) {
  logs.push(text);
  logChars += text.length;
  while (logChars > 200_000 && logs.length > 1) logChars -= logs.shift()?.length ?? 0;
}
function logTail(chars = 12_000): string {
  return logs.join('').slice(-chars);
}
function dumpLogs(why: string) {
  console.error(
    `\n===== n8n output (last 12k chars), ${why} =====\n${logTail()}\n===== end =====\n`,
  );
}

const timings: Record<string, number> = {};
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = (timings[name] ?? 0) + (performance.now() - started);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Kills a detached child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!inTime) {
    signal('SIGKILL');
    await Promise.race([exited, sleep(5000)]);
  }
  // Anything the group left behind (n8n spawns nothing with runners off, but be sure).
  signal('SIGKILL');
}

/**
 * Every child we start (each in its own process group), so that an unexpected end of the test
 * process (exit, Ctrl-C, a runner's SIGTERM, the runner dying) still kills them.
 */
const children = new Set<ChildProcess>();
/** Temp folders to remove if the process is stopped before afterAll. */
const tempDirs = new Set<string>();
function cleanUpNow() {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  if (!process.env.KABAR_E2E_KEEP) {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }
}
process.once('exit', cleanUpNow);
// vitest's fork worker loses its IPC channel when the runner itself is killed, and would then
// hang on forever: clean up and end it.
process.once('disconnect', () => {
  cleanUpNow();
  // (vitest intercepts process.exit() inside tests)
  process.kill(process.pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanUpNow();
    process.kill(process.pid, signal);
  });
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command asynchronously (never spawnSync: the sandbox lives in this process and must keep
 * answering n8n while n8n runs).
 */
function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; label?: string } = {},
): Promise<RunResult> {
  const label = options.label ?? [command, ...args].join(' ');
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      log(`\n[${label}] timed out after ${options.timeoutMs} ms, killing it\n`);
      void stopProcess(child, 2000);
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      log(`\n$ ${label}  (exit ${code})\n${stdout}${stderr}`);
      resolveRun({ code, stdout, stderr });
    });
  });
}

async function mustRun(...params: Parameters<typeof run>): Promise<RunResult> {
  const result = await run(...params);
  if (result.code !== 0) {
    const label = params[2]?.label ?? [params[0], ...params[1]].join(' ');
    throw new Error(
      `${label} exited ${result.code}\n--- stdout ---\n${result.stdout.slice(-6000)}\n--- stderr ---\n${result.stderr.slice(-6000)}`,
    );
  }
  return result;
}

function kiremBody(from: string, text: string): string {
  return JSON.stringify({
    event: 'messages.received',
    data: {
      from,
      message_id: `wamid.e2e${Date.now()}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'text',
      text: { body: text },
    },
  });
}

function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function postWebhook(url: string, body: string, signature: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kirem-signature': signature },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

async function poll<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}${
      lastError ? `; last error: ${String(lastError)}` : ''
    }`,
  );
}

describe('n8n-nodes-kabar inside a real n8n', () => {
  const sandbox = useSandbox();

  let bin = '';
  let workDir = '';
  let userFolder = '';
  let port = 0;
  let env: NodeJS.ProcessEnv = {};
  let server: ChildProcess | undefined;
  let serverExit: string | undefined;
  const webhookUrl = () => `http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/webhook`;

  const n8n = (args: string[], timeoutMs = 120_000) =>
    mustRun(process.execPath, [bin, ...args], { env, timeoutMs, label: `n8n ${args.join(' ')}` });

  /** Rows in execution_entity, read with the sqlite3 package n8n itself ships. */
  async function executionCount(): Promise<number> {
    const requireFromN8n = createRequire(join(n8nDir(), 'node_modules', 'n8n', 'package.json'));
    const sqlite3 = requireFromN8n('sqlite3') as {
      OPEN_READONLY: number;
      Database: new (
        file: string,
        mode: number,
        callback: (error: Error | null) => void,
      ) => {
        configure(option: 'busyTimeout', ms: number): void;
        get(sql: string, callback: (error: Error | null, row: { n: number }) => void): void;
        close(callback: () => void): void;
      };
    };
    const file = join(userFolder, '.n8n', 'database.sqlite');
    return new Promise((resolveCount, reject) => {
      const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
        if (openError) return reject(openError);
        db.configure('busyTimeout', 5000);
        db.get('SELECT COUNT(*) AS n FROM execution_entity', (error, row) => {
          db.close(() => (error ? reject(error) : resolveCount(Number(row.n))));
        });
      });
    });
  }

  /** Activates the trigger workflow, starts `n8n start` and waits until the webhook answers. */
  async function ensureStarted(): Promise<void> {
    if (server && server.exitCode === null && server.signalCode === null) return;
    await timed('activate', () =>
      n8n(['update:workflow', `--id=${TRIGGER_WORKFLOW_ID}`, '--active=true']),
    );
    const started = performance.now();
    serverExit = undefined;
    const child = spawn(process.execPath, [bin, 'start'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    server = child;
    children.add(child);
    child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString()));
    child.on('exit', (code, signal) => {
      serverExit = `n8n start exited (code ${code}, signal ${signal})`;
      log(`\n[${serverExit}]\n`);
      children.delete(child);
    });
    const alive = () => {
      if (serverExit) throw new Error(`${serverExit} before it was ready`);
    };
    await poll(
      'n8n GET /healthz -> 200',
      async () => {
        alive();
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
          signal: AbortSignal.timeout(2000),
        });
        return response.status;
      },
      (status) => status === 200 || serverExit !== undefined,
      { timeoutMs: 120_000, intervalMs: 300 },
    );
    alive();
    // Until its database is migrated n8n answers every other request with a 200 "starting up" page.
    await poll(
      'n8n GET /healthz/readiness -> 200',
      async () => {
        alive();
        const response = await fetch(`http://127.0.0.1:${port}/healthz/readiness`, {
          signal: AbortSignal.timeout(2000),
        });
        return response.status;
      },
      (status) => status === 200 || serverExit !== undefined,
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    alive();
    // Active workflows are registered after that: probe the webhook with a bad signature until it
    // is no longer n8n's 404 "webhook is not registered" (the trigger then answers 401 itself).
    const probe = await poll(
      'the trigger webhook to be registered',
      async () => {
        alive();
        const body = kiremBody(CUSTOMER, 'probe');
        return postWebhook(webhookUrl(), body, sign('not_the_secret', body));
      },
      (answer) => answer.status !== 404 || serverExit !== undefined,
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    alive();
    timings['start-to-ready'] = performance.now() - started;
    log(
      `\n[e2e] n8n ready in ${Math.round(timings['start-to-ready'])} ms (probe: ${probe.status})\n`,
    );
  }

  beforeAll(async () => {
    try {
      const installStarted = performance.now();
      bin = await ensureN8n({ log: (line: string) => console.log(line) });
      timings.install = performance.now() - installStarted;

      if (!existsSync(join(PACKAGE_DIR, 'dist'))) {
        throw new Error(
          `${PACKAGE_DIR}/dist does not exist: build the package first (pnpm --filter ${PACKAGE_NAME} build)`,
        );
      }

      workDir = mkdtempSync(join(tmpdir(), 'kabar-n8n-e2e-'));
      tempDirs.add(workDir);
      userFolder = join(workDir, 'home');
      port = await freePort();
      env = n8nEnv(userFolder, port);

      // Pack the package as it would be published, and unpack it where n8n keeps community nodes.
      await timed('pack', async () => {
        const packDir = join(workDir, 'pack');
        mkdirSync(packDir);
        await mustRun(
          'npm',
          ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir],
          { cwd: PACKAGE_DIR, label: 'npm pack' },
        );
        const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
        if (!tarball) throw new Error(`npm pack left no tarball in ${packDir}`);
        const nodesDir = join(userFolder, '.n8n', 'nodes');
        const target = join(nodesDir, 'node_modules', PACKAGE_NAME);
        mkdirSync(target, { recursive: true });
        await mustRun('tar', [
          '-xzf',
          join(packDir, tarball),
          '-C',
          target,
          '--strip-components=1',
        ]);
        // What n8n writes itself when it installs a community package.
        writeFileSync(
          join(nodesDir, 'package.json'),
          `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: `file:${tarball}` } }, null, 2)}\n`,
        );
      });

      const credentials = [
        {
          ...CREDENTIAL,
          type: 'kabarWhatsAppApi',
          data: {
            gateway: 'kirem',
            apiKey: sandbox.kirem.apiKey,
            baseUrl: sandbox.kirem.baseUrl,
            webhookSecret: WEBHOOK_SECRET,
          },
        },
      ];
      const credentialsFile = join(workDir, 'credentials.json');
      writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
      const workflowsFile = join(workDir, 'workflows.json');
      writeFileSync(workflowsFile, JSON.stringify([sendWorkflow(), triggerWorkflow()], null, 2));

      await timed('import', async () => {
        await n8n(['import:credentials', `--input=${credentialsFile}`]);
        await n8n(['import:workflow', `--input=${workflowsFile}`]);
      });
    } catch (error) {
      dumpLogs('setup failed');
      throw error;
    }
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => dumpLogs('test failed'));
  });

  afterAll(async () => {
    if (server) await stopProcess(server);
    for (const child of children) await stopProcess(child, 2000);
    const rounded = Object.fromEntries(
      Object.entries(timings).map(([name, ms]) => [name, `${(ms / 1000).toFixed(1)}s`]),
    );
    if (process.env.KABAR_E2E_VERBOSE) dumpLogs('KABAR_E2E_VERBOSE');
    console.log('[e2e] timings:', rounded);
    if (workDir && !process.env.KABAR_E2E_KEEP) rmSync(workDir, { recursive: true, force: true });
    else if (workDir) console.log(`[e2e] kept ${workDir}`);
    tempDirs.delete(workDir);
  });

  it('a workflow sends a message that arrives', async () => {
    const result = await timed('execute', () =>
      n8n(['execute', `--id=${SEND_WORKFLOW_ID}`, '--rawOutput']),
    );

    const sent = await sandbox.messages({ to: CUSTOMER, direction: 'outbound' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ provider: 'kirem', to: CUSTOMER, text: 'Halo dari n8n' });
    const id = sent[0]?.id ?? '(none)';
    // The node's output item carries the gateway's message id.
    expect(result.stdout).toContain(id);
  });

  it('an active trigger receives a signed inbound message and the reply arrives', async () => {
    await ensureStarted();
    await sandbox.setWebhook('kirem', { url: webhookUrl(), secret: WEBHOOK_SECRET });

    const inbound = await sandbox.inbound({ provider: 'kirem', from: CUSTOMER, text: 'harga' });
    expect(inbound.deliveries.map((d) => d.status)).toEqual([200]);

    const started = performance.now();
    const replies = await poll(
      "the reply 'Anda menulis: harga'",
      () => sandbox.messages({ to: CUSTOMER, direction: 'outbound' }),
      (messages) => messages.some((m) => m.text === 'Anda menulis: harga'),
      { timeoutMs: 30_000 },
    );
    timings['inbound-to-reply'] = performance.now() - started;
    expect(replies.filter((m) => m.text === 'Anda menulis: harga')).toHaveLength(1);

    const deliveries = await sandbox.deliveries({ provider: 'kirem' });
    const delivery = deliveries.find((d) => d.kind === 'message');
    expect(delivery?.url).toBe(webhookUrl());
    expect(delivery?.status).toBe(200);
  });

  it('a bad signature gets 401 and no run', async () => {
    await ensureStarted();
    // Let anything still running from an earlier test finish before counting.
    await sleep(1000);
    const executionsBefore = await executionCount();
    const outboundBefore = (await sandbox.messages({ direction: 'outbound' })).length;

    const body = kiremBody(CUSTOMER, 'harga');
    const answer = await postWebhook(webhookUrl(), body, sign('wrong_secret', body));
    expect(answer.status).toBe(401);

    await sleep(2000);
    expect(await executionCount()).toBe(executionsBefore);
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(outboundBefore);

    // Control: the same body signed with the right secret does start a run (so the count above
    // would have seen one), and its reply arrives.
    const good = await postWebhook(webhookUrl(), body, sign(WEBHOOK_SECRET, body));
    expect(good.status).toBe(200);
    await poll(
      'an execution row for the correctly signed request',
      executionCount,
      (n) => n > executionsBefore,
      { timeoutMs: 15_000 },
    );
    await poll(
      'the reply to the correctly signed request',
      () => sandbox.messages({ to: CUSTOMER, direction: 'outbound' }),
      (messages) => messages.some((m) => m.text === 'Anda menulis: harga'),
      { timeoutMs: 30_000 },
    );
  });
});

function n8nEnv(userFolder: string, port: number): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  // Start from this environment without anything n8n reads (a developer's own N8N_*, DB_*, ...)
  // or vitest's NODE_ENV=test, which changes n8n's behaviour.
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|NODE_ENV$|NODE_OPTIONS$|VITEST)/.test(key)) {
      continue;
    }
    base[key] = value;
  }
  return {
    ...base,
    NODE_ENV: 'production',
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
    DB_TYPE: 'sqlite',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
    N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
    EXTERNAL_FRONTEND_HOOKS_URLS: '',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_RUNNERS_ENABLED: 'false',
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '8',
    N8N_LOG_LEVEL: 'info',
  };
}

function sendWorkflow() {
  return {
    id: SEND_WORKFLOW_ID,
    name: 'Kabar e2e: send a message',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: randomUUID(),
        name: 'Start',
        type: 'n8n-nodes-base.manualTrigger',
        typeVersion: 1,
        position: [0, 0],
        parameters: {},
      },
      {
        id: randomUUID(),
        name: 'Send',
        type: `${PACKAGE_NAME}.kabarWhatsApp`,
        typeVersion: 1,
        position: [240, 0],
        parameters: {
          resource: 'message',
          operation: 'sendText',
          to: CUSTOMER,
          text: 'Halo dari n8n',
        },
        credentials: { kabarWhatsAppApi: CREDENTIAL },
      },
    ],
    connections: { Start: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
  };
}

function triggerWorkflow() {
  return {
    id: TRIGGER_WORKFLOW_ID,
    name: 'Kabar e2e: reply to an inbound message',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: randomUUID(),
        name: 'Inbound',
        type: `${PACKAGE_NAME}.kabarWhatsAppTrigger`,
        typeVersion: 1,
        position: [0, 0],
        webhookId: WEBHOOK_ID,
        parameters: { events: ['message', 'button'] },
        credentials: { kabarWhatsAppApi: CREDENTIAL },
      },
      {
        id: randomUUID(),
        name: 'Reply',
        type: `${PACKAGE_NAME}.kabarWhatsApp`,
        typeVersion: 1,
        position: [240, 0],
        parameters: {
          resource: 'message',
          operation: 'sendText',
          to: '={{ $json.from }}',
          text: '={{ "Anda menulis: " + $json.text }}',
        },
        credentials: { kabarWhatsAppApi: CREDENTIAL },
      },
    ],
    connections: { Inbound: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
  };
}
