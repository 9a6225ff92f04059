// End to end: n8n-nodes-kabar packed like a release, installed into a real n8n (1.123.50), driven
// by the n8n CLI and by its REST API as the editor uses it, against the Kabar sandbox. Runs as
// this package's test (turbo builds n8n-nodes-kabar first). The first run installs n8n into a
// cache outside the repo (see n8n-install.mjs); n8n's own output is printed when something fails.
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
const KIREM_SECRET = 'kirem_webhook_secret';
const META_APP_SECRET = 'meta_app_secret_e2e';
const META_VERIFY_TOKEN = 'kabar-e2e-verify-token';
const WAVIRO_WEBHOOK_KEY = 'kunci-webhook-penawaran';
const ENCRYPTION_KEY = 'kabar-e2e-encryption-key-0123456789';
/** The instance owner the test sets up, to use n8n's REST API as the editor does. */
const OWNER = {
  email: 'pemilik@kabar.test',
  firstName: 'Kabar',
  lastName: 'E2E',
  password: 'Kabar-e2e-Pemilik1',
};
/** The editor sends one id per browser; n8n binds the session cookie to it. */
const BROWSER_ID = randomUUID();
const ACTION_NODE = { name: `${PACKAGE_NAME}.kabarWhatsApp`, version: 1 };

const CREDENTIAL = { id: 'kabarSandboxCred', name: 'Kabar sandbox (Kirem)' };
const META_CREDENTIAL = { id: 'kabarSandboxMeta', name: 'Kabar sandbox (Meta)' };
const WAVIRO_CREDENTIAL = { id: 'kabarSandboxWavi', name: 'Kabar sandbox (Waviro)' };
const SEND_WORKFLOW_ID = 'kabarE2eSendWf01';
/** One workflow with a trigger per gateway, so one activation and one start serve them all. */
const TRIGGER_WORKFLOW_ID = 'kabarE2eTrigWf01';
const WEBHOOK_IDS = { kirem: randomUUID(), meta: randomUUID(), waviro: randomUUID() };
type TriggerGateway = keyof typeof WEBHOOK_IDS;

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

/** A text message in the envelope Meta's Cloud API webhook reference documents. */
function metaBody(from: string, text: string, account: { wabaId: string; phoneNumberId: string }) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: account.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '6281100001234',
                phone_number_id: account.phoneNumberId,
              },
              contacts: [{ profile: { name: 'Budi' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.e2e${Date.now()}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

function waviroKeywordBody(webhookkey: string): string {
  return JSON.stringify({ keyword: 'penawaran#', data: ['Budi'], webhookkey, from: CUSTOMER });
}

function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function postWebhook(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
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

/** One of n8n's REST answers (`{ data }`), and the session cookie it set, if any. */
interface RestAnswer<T> {
  data: T;
  cookie?: string;
}

/**
 * Calls n8n's REST API (`/rest/...`) as the editor does: JSON, its browser id, and the session
 * cookie once logged in. A non-2xx answer throws with n8n's message.
 */
async function rest<T>(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  { body, cookie }: { body?: unknown; cookie?: string } = {},
): Promise<RestAnswer<T>> {
  const response = await fetch(`http://127.0.0.1:${port}/rest${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'browser-id': BROWSER_ID,
      ...(cookie ? { cookie } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} /rest${path} answered ${response.status}: ${text.slice(0, 2000)}`);
  }
  const auth = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
  return {
    data: (JSON.parse(text) as { data: T }).data,
    ...(auth ? { cookie: auth.split(';')[0] } : {}),
  };
}

/** A dropdown entry as n8n's options endpoint returns it. */
interface DropdownOption {
  name: string;
  value: string;
  description?: string;
}

/** A resource mapper field as n8n's resource-mapper-fields endpoint returns it. */
interface MapperField {
  id: string;
  displayName: string;
  required: boolean;
  type: string;
}

/** An execution as GET /rest/executions/:id returns it; `data` is n8n's serialized run data. */
interface ExecutionSummary {
  status: string;
  data?: string;
}

describe('n8n-nodes-kabar inside a real n8n', () => {
  // The examples' templates too: several approved ones to choose from, and a pending one that the
  // Template dropdown must leave out.
  const sandbox = useSandbox({ templates: 'examples' });

  let bin = '';
  let workDir = '';
  let userFolder = '';
  let port = 0;
  let env: NodeJS.ProcessEnv = {};
  let server: ChildProcess | undefined;
  let serverExit: string | undefined;
  const webhookUrl = (gateway: TriggerGateway = 'kirem') =>
    `http://127.0.0.1:${port}/webhook/${WEBHOOK_IDS[gateway]}/webhook`;
  /** Requests each trigger refuses with 401: nothing runs, but n8n answers 404 until registered. */
  const probes = (): [TriggerGateway, string, Record<string, string>][] => {
    const kirem = kiremBody(CUSTOMER, 'probe');
    const meta = metaBody(CUSTOMER, 'probe', sandbox.meta);
    return [
      ['kirem', kirem, { 'x-kirem-signature': sign('not_the_secret', kirem) }],
      ['meta', meta, { 'x-hub-signature-256': sign('not_the_secret', meta) }],
      ['waviro', waviroKeywordBody('not-the-webhook-key'), {}],
    ];
  };

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
    // Active workflows are registered after that: probe each trigger with a bad signature until it
    // is no longer n8n's 404 "webhook is not registered" (the trigger then answers 401 itself).
    const probed: string[] = [];
    for (const [gateway, body, headers] of probes()) {
      const probe = await poll(
        `the ${gateway} trigger webhook to be registered`,
        async () => {
          alive();
          return postWebhook(webhookUrl(gateway), body, headers);
        },
        (answer) => answer.status !== 404 || serverExit !== undefined,
        { timeoutMs: 60_000, intervalMs: 300 },
      );
      alive();
      probed.push(`${gateway} ${probe.status}`);
    }
    timings['start-to-ready'] = performance.now() - started;
    log(
      `\n[e2e] n8n ready in ${Math.round(timings['start-to-ready'])} ms (probes: ${probed.join(', ')})\n`,
    );
  }

  let editorCookie: string | undefined;
  /**
   * The owner's session, as the editor gets it on first use: set up the instance owner, then log
   * in. Needs `n8n start`.
   */
  async function editorSession(): Promise<string> {
    if (editorCookie) return editorCookie;
    await rest(port, 'POST', '/owner/setup', { body: OWNER });
    const login = await rest(port, 'POST', '/login', {
      body: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
    });
    if (!login.cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
    editorCookie = login.cookie;
    return editorCookie;
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
            webhookSecret: KIREM_SECRET,
          },
        },
        {
          ...META_CREDENTIAL,
          type: 'kabarWhatsAppApi',
          data: {
            gateway: 'meta',
            accessToken: sandbox.meta.accessToken,
            phoneNumberId: sandbox.meta.phoneNumberId,
            baseUrl: sandbox.meta.baseUrl,
            webhookSecret: META_APP_SECRET,
            verifyToken: META_VERIFY_TOKEN,
          },
        },
        {
          ...WAVIRO_CREDENTIAL,
          type: 'kabarWhatsAppApi',
          data: {
            gateway: 'waviro',
            botUrl: sandbox.waviro.botUrl,
            secretKey: sandbox.waviro.secretKey,
            webhookSecret: WAVIRO_WEBHOOK_KEY,
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

  it('a template chosen from the dropdown, with the fields it asks for, is sent', async () => {
    await ensureStarted();
    const cookie = await timed('editor-login', editorSession);
    const editor = async <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
      (await rest<T>(port, method, path, { body, cookie })).data;
    const credentials = { kabarWhatsAppApi: CREDENTIAL };
    const parameters = {
      resource: 'message',
      operation: 'sendTemplate',
      to: CUSTOMER,
      templateName: '',
    };

    // The Template dropdown lists the approved templates, and only those.
    const options = await timed('dropdowns', () =>
      editor<DropdownOption[]>('POST', '/dynamic-node-parameters/options', {
        nodeTypeAndVersion: ACTION_NODE,
        path: 'parameters.templateName',
        methodName: 'getTemplates',
        currentNodeParameters: parameters,
        credentials,
      }),
    );
    const kept = (await sandbox.exportSession()).templates.kirem ?? [];
    const approved = kept.filter((t) => t.status === 'APPROVED');
    expect(approved.length).toBeLessThan(kept.length);
    expect(options.map((option) => option.value).sort()).toEqual(
      approved.map((t) => `${t.name}|${t.language}`).sort(),
    );
    const chosen = options.find((option) => option.value === 'notif_pesanan_baru|id');
    expect(chosen?.name).toBe('notif_pesanan_baru (id)');
    const templateName = chosen?.value ?? '';

    // Choosing it fills Template Parameters with the template's fields.
    const { fields } = await timed('dropdowns', () =>
      editor<{ fields: MapperField[] }>('POST', '/dynamic-node-parameters/resource-mapper-fields', {
        nodeTypeAndVersion: ACTION_NODE,
        path: 'parameters.templateParameters',
        methodName: 'getTemplateParameters',
        currentNodeParameters: { ...parameters, templateName },
        credentials,
      }),
    );
    expect(fields.map((field) => [field.id, field.required])).toEqual([
      ['1', true],
      ['2', true],
      ['3', true],
      ['4', true],
    ]);
    const typed: Record<string, string> = {
      '1': 'Budi',
      '2': 'Toko Kabar',
      '3': 'INV-1042',
      '4': '150.000',
    };
    const value = Object.fromEntries(fields.map((field) => [field.id, typed[field.id] ?? '']));

    // Saved and run from the editor: the workflow is created, then executed by its manual trigger.
    const workflow = await editor<{ id: string }>(
      'POST',
      '/workflows',
      templateWorkflow(templateName, fields, value),
    );
    const { executionId } = await timed('template-run', () =>
      editor<{ executionId: string }>('POST', `/workflows/${workflow.id}/run`, {
        workflowData: workflow,
        triggerToStartFrom: { name: 'Start' },
      }),
    );
    const execution = await timed('template-run', () =>
      poll(
        `execution ${executionId} to finish`,
        () => editor<ExecutionSummary>('GET', `/executions/${executionId}`),
        (e) => !['new', 'running', 'waiting'].includes(e.status),
        { timeoutMs: 30_000 },
      ),
    );
    expect(execution.status, execution.data?.slice(0, 3000)).toBe('success');

    const sent = await sandbox.messages({ to: CUSTOMER, direction: 'outbound' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      provider: 'kirem',
      template: { name: 'notif_pesanan_baru', language: 'id', status: 'APPROVED' },
    });
    // The customer sees the body with the four values in their places.
    expect(sent[0]?.text).toBe(
      'Halo Budi, terima kasih telah berbelanja di Toko Kabar!\n\nPesanan #INV-1042 telah kami terima.\nTotal: Rp 150.000\n\nKami akan segera memproses pesanan Anda.',
    );
  });

  it('Send and Wait with reply buttons: a tap through the trigger resumes the execution', async () => {
    await ensureStarted();
    const cookie = await timed('editor-login', editorSession);
    const editor = async <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
      (await rest<T>(port, method, path, { body, cookie })).data;
    await sandbox.setWebhook('kirem', { url: webhookUrl(), secret: KIREM_SECRET });

    const workflow = await editor<{ id: string }>('POST', '/workflows', sendAndWaitWorkflow());
    const started = performance.now();
    const { executionId } = await editor<{ executionId: string }>(
      'POST',
      `/workflows/${workflow.id}/run`,
      { workflowData: workflow, triggerToStartFrom: { name: 'Start' } },
    );
    // The question went out with one reply button per answer, and the execution waits.
    const question = await poll(
      'the question with its reply buttons',
      () => sandbox.latest({ to: CUSTOMER }),
      (message) => message !== undefined,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const payload = question?.payload as {
      interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } };
    };
    const buttons = (payload.interactive?.action?.buttons ?? []).map((button) => button.reply);
    expect(buttons.map((button) => button.title)).toEqual(['Setuju', 'Tolak']);
    expect(buttons[0]?.id).toMatch(
      new RegExp(
        `^kabar-wait:/webhook-waiting/${executionId}/[\\w-]+\\?signature=[0-9a-f]{64}#setuju$`,
      ),
    );
    await poll(
      `execution ${executionId} to wait`,
      () => editor<ExecutionSummary>('GET', `/executions/${executionId}`),
      (e) => e.status === 'waiting',
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    // A button id with a forged signature reaches n8n, which refuses it (401): still waiting. The
    // trigger posts before it answers the gateway, so n8n has answered by now.
    const forged = await sandbox.inbound({
      provider: 'kirem',
      from: CUSTOMER,
      button: { id: (buttons[0]?.id ?? '').replace(/=[0-9a-f]{4}/, '=0000'), title: 'Setuju' },
    });
    expect(forged.deliveries.map((d) => d.status)).toEqual([200]);
    const after = await editor<ExecutionSummary>('GET', `/executions/${executionId}`);
    expect(after.status).toBe('waiting');

    // The customer taps Setuju: the gateway posts the signed tap to the trigger, which resumes it.
    const tap = await sandbox.inbound({
      provider: 'kirem',
      from: CUSTOMER,
      button: buttons[0] ?? { id: '', title: '' },
    });
    expect(tap.deliveries.map((d) => d.status)).toEqual([200]);
    // n8n marks a resumed execution 'success' a moment before it saves the last node's output, so
    // a finished one counts once Done has run (or it ended any other way).
    const execution = await poll(
      `execution ${executionId} to finish`,
      () => editor<ExecutionSummary>('GET', `/executions/${executionId}`),
      (e) =>
        e.status === 'success'
          ? outputOf(e, 'Done').length > 0
          : !['new', 'running', 'waiting'].includes(e.status),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    timings['send-and-wait-buttons'] = performance.now() - started;
    expect(execution.status, execution.data?.slice(0, 3000)).toBe('success');
    expect(outputOf(execution, 'Done')).toEqual([
      { data: { answer: 'setuju', label: 'Setuju', answeredAt: expect.any(String) } },
    ]);
    // The tap started no run of the trigger workflow: its Kirem Reply would have answered it.
    expect(await sandbox.messages({ to: CUSTOMER, direction: 'outbound' })).toHaveLength(1);
  });

  it('an active trigger receives a signed inbound message and the reply arrives', async () => {
    await ensureStarted();
    await sandbox.setWebhook('kirem', { url: webhookUrl(), secret: KIREM_SECRET });

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

  it("Meta: the dashboard's Verify succeeds with the verify token, and a wrong token gets 403", async () => {
    await ensureStarted();
    await sandbox.setWebhook('meta', { url: webhookUrl('meta'), secret: META_APP_SECRET });

    const verified = await sandbox.verifyMetaWebhook(META_VERIFY_TOKEN);
    expect(verified).toMatchObject({ verified: true, status: 200 });
    expect(verified.responseBody).toBe(verified.challenge);

    const refused = await sandbox.verifyMetaWebhook('a-guessed-token');
    expect(refused).toMatchObject({ verified: false, status: 403 });
  });

  it('Meta: a signed inbound message starts a run and the reply goes out through Meta', async () => {
    await ensureStarted();
    await sandbox.setWebhook('meta', { url: webhookUrl('meta'), secret: META_APP_SECRET });

    const inbound = await sandbox.inbound({ provider: 'meta', from: CUSTOMER, text: 'harga' });
    expect(inbound.deliveries.map((d) => [d.kind, d.status])).toEqual([['message', 200]]);

    const replies = await poll(
      "Meta's reply 'Anda menulis: harga'",
      () => sandbox.messages({ to: CUSTOMER, direction: 'outbound' }),
      (messages) => messages.some((m) => m.text === 'Anda menulis: harga'),
      { timeoutMs: 30_000 },
    );
    expect(replies.filter((m) => m.text === 'Anda menulis: harga')).toEqual([
      expect.objectContaining({ provider: 'meta', to: CUSTOMER }),
    ]);
  });

  it('Waviro: a keyword call is answered with the reply the workflow built', async () => {
    await ensureStarted();
    await sandbox.addWaviroKeyword({
      keyword: 'penawaran#',
      url: webhookUrl('waviro'),
      webhookKey: WAVIRO_WEBHOOK_KEY,
    });

    const started = performance.now();
    const inbound = await sandbox.inbound({
      provider: 'waviro',
      from: CUSTOMER,
      text: 'penawaran#Budi#budi@contoh.id',
    });
    timings['keyword-to-answer'] = performance.now() - started;

    const expected = 'Terima kasih Budi, penawaran kami kirim ke budi@contoh.id';
    const [delivery] = inbound.deliveries;
    expect(delivery?.status).toBe(200);
    expect(JSON.parse(delivery?.responseBody ?? '')).toEqual({
      success: true,
      message: { reply: [{ type: 'message', content: expected }] },
    });
    // Waviro (the sandbox's bot) sent the answer's reply to the customer.
    const sent = await sandbox.messages({ to: CUSTOMER, direction: 'outbound' });
    expect(sent).toEqual([expect.objectContaining({ provider: 'waviro', text: expected })]);
  });

  it('bad signatures (Kirem, Meta) and a wrong Waviro key get 401 and no run', async () => {
    await ensureStarted();
    // Let anything still running from an earlier test finish before counting.
    await sleep(1000);
    const executionsBefore = await executionCount();
    const outboundBefore = (await sandbox.messages({ direction: 'outbound' })).length;

    const kirem = kiremBody(CUSTOMER, 'harga');
    const meta = metaBody(CUSTOMER, 'harga', sandbox.meta);
    const refused = [
      await postWebhook(webhookUrl('kirem'), kirem, {
        'x-kirem-signature': sign('wrong_secret', kirem),
      }),
      await postWebhook(webhookUrl('meta'), meta, {
        'x-hub-signature-256': sign('wrong_app_secret', meta),
      }),
      await postWebhook(webhookUrl('meta'), meta),
      await postWebhook(webhookUrl('waviro'), waviroKeywordBody('kunci-yang-lain-sekali')),
    ];
    expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);

    await sleep(2000);
    expect(await executionCount()).toBe(executionsBefore);
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(outboundBefore);

    // Control: the same bodies signed with the right secrets do start runs (so the count above
    // would have seen them), and their replies arrive.
    const accepted = [
      await postWebhook(webhookUrl('kirem'), kirem, {
        'x-kirem-signature': sign(KIREM_SECRET, kirem),
      }),
      await postWebhook(webhookUrl('meta'), meta, {
        'x-hub-signature-256': sign(META_APP_SECRET, meta),
      }),
    ];
    expect(accepted.map((answer) => answer.status)).toEqual([200, 200]);
    await poll(
      'execution rows for the correctly signed requests',
      executionCount,
      (n) => n >= executionsBefore + 2,
      { timeoutMs: 15_000 },
    );
    const replies = await poll(
      'the replies to the correctly signed requests',
      () => sandbox.messages({ to: CUSTOMER, direction: 'outbound' }),
      (messages) => messages.filter((m) => m.text === 'Anda menulis: harga').length === 2,
      { timeoutMs: 30_000 },
    );
    expect(
      replies
        .filter((m) => m.text === 'Anda menulis: harga')
        .map((m) => m.provider)
        .sort(),
    ).toEqual(['kirem', 'meta']);
  });
});

/** The items a node output in an execution, from n8n's serialized run data (flatted). */
function outputOf(execution: ExecutionSummary, node: string): unknown[] {
  const requireFromN8n = createRequire(join(n8nDir(), 'node_modules', 'n8n', 'package.json'));
  const flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
  const run = flatted.parse(execution.data ?? '[]') as {
    resultData: { runData: Record<string, { data?: { main: { json: unknown }[][] } }[]> };
  };
  const runs = run.resultData.runData[node] ?? [];
  return (runs.at(-1)?.data?.main[0] ?? []).map((item) => item.json);
}

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

/** A node of a workflow as n8n saves it, less the id, position and wiring `manualWorkflow` gives it. */
interface WorkflowStep {
  name: string;
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown>;
  webhookId?: string;
  credentials?: Record<string, unknown>;
}

/** Manual trigger → each step in turn, as the editor saves such a workflow. */
function manualWorkflow(name: string, steps: WorkflowStep[], id?: string) {
  const chain: WorkflowStep[] = [
    { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
    ...steps,
  ];
  return {
    ...(id === undefined ? {} : { id }),
    name,
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: chain.map((step, i) => ({ id: randomUUID(), ...step, position: [240 * i, 0] })),
    connections: Object.fromEntries(
      chain
        .slice(1)
        .map((step, i) => [
          chain[i]?.name,
          { main: [[{ node: step.name, type: 'main', index: 0 }]] },
        ]),
    ),
  };
}

function sendWorkflow() {
  return manualWorkflow(
    'Kabar e2e: send a message',
    [
      {
        name: 'Send',
        type: `${PACKAGE_NAME}.kabarWhatsApp`,
        typeVersion: 1,
        parameters: {
          resource: 'message',
          operation: 'sendText',
          to: CUSTOMER,
          text: 'Halo dari n8n',
        },
        credentials: { kabarWhatsAppApi: CREDENTIAL },
      },
    ],
    SEND_WORKFLOW_ID,
  );
}

/**
 * Manual trigger → Send Template, with the template and the Template Parameters value as the
 * editor saves them (the resource mapper keeps the fields it showed as its schema).
 */
function templateWorkflow(
  templateName: string,
  fields: MapperField[],
  value: Record<string, string>,
) {
  return manualWorkflow('Kabar e2e: send a template chosen from the list', [
    {
      name: 'Send Template',
      type: ACTION_NODE.name,
      typeVersion: ACTION_NODE.version,
      parameters: {
        resource: 'message',
        operation: 'sendTemplate',
        to: CUSTOMER,
        templateName,
        templateParameters: {
          mappingMode: 'defineBelow',
          value,
          matchingColumns: [],
          schema: fields,
          attemptToConvertTypes: false,
          convertFieldsToString: true,
        },
      },
      credentials: { kabarWhatsAppApi: CREDENTIAL },
    },
  ]);
}

/** Manual trigger → Send and Wait answered with reply buttons (Kirem) → No Operation. */
function sendAndWaitWorkflow() {
  return manualWorkflow('Kabar e2e: ask with reply buttons and wait', [
    {
      name: 'Ask',
      type: ACTION_NODE.name,
      typeVersion: ACTION_NODE.version,
      webhookId: randomUUID(),
      parameters: {
        resource: 'message',
        operation: 'sendAndWait',
        to: CUSTOMER,
        message: 'Kirim pesanan #1001 hari ini?',
        answerWith: 'replyButtons',
        answers: {
          answer: [
            { label: 'Setuju', value: 'setuju' },
            { label: 'Tolak', value: 'tolak' },
          ],
        },
        options: {},
      },
      credentials: { kabarWhatsAppApi: CREDENTIAL },
    },
    { name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
  ]);
}

/** Kabar WhatsApp → Send Text back to whoever wrote, through the given credential. */
function replyNode(name: string, credential: { id: string; name: string }, y: number) {
  return {
    id: randomUUID(),
    name,
    type: `${PACKAGE_NAME}.kabarWhatsApp`,
    typeVersion: 1,
    position: [240, y],
    parameters: {
      resource: 'message',
      operation: 'sendText',
      to: '={{ $json.from }}',
      text: '={{ "Anda menulis: " + $json.text }}',
    },
    credentials: { kabarWhatsAppApi: credential },
  };
}

function triggerNode(
  name: string,
  gateway: TriggerGateway,
  credential: { id: string; name: string },
  y: number,
  parameters: Record<string, unknown>,
) {
  return {
    id: randomUUID(),
    name,
    type: `${PACKAGE_NAME}.kabarWhatsAppTrigger`,
    typeVersion: 1,
    position: [0, y],
    webhookId: WEBHOOK_IDS[gateway],
    parameters: { events: ['message', 'button'], ...parameters },
    credentials: { kabarWhatsAppApi: credential },
  };
}

function triggerWorkflow() {
  return {
    id: TRIGGER_WORKFLOW_ID,
    name: 'Kabar e2e: answer inbound messages',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      triggerNode('Kirem Inbound', 'kirem', CREDENTIAL, 0, { gateway: 'kirem' }),
      replyNode('Kirem Reply', CREDENTIAL, 0),
      // Saved before the trigger had a Gateway setting: it takes the credential's gateway.
      triggerNode('Meta Inbound', 'meta', META_CREDENTIAL, 200, {}),
      replyNode('Meta Reply', META_CREDENTIAL, 200),
      triggerNode('Waviro Keyword', 'waviro', WAVIRO_CREDENTIAL, 400, {
        gateway: 'waviro',
        keywordAnswer: 'lastNode',
      }),
      {
        // Edit Fields in JSON mode, as a user builds Waviro's answer in the editor.
        id: randomUUID(),
        name: 'Waviro Answer',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [240, 400],
        parameters: {
          mode: 'raw',
          jsonOutput:
            '={ "success": true, "message": { "reply": [ { "type": "message", "content": "Terima kasih {{ $json.content.data[0] }}, penawaran kami kirim ke {{ $json.content.data[1] }}" } ] } }',
          options: {},
        },
      },
    ],
    connections: {
      'Kirem Inbound': { main: [[{ node: 'Kirem Reply', type: 'main', index: 0 }]] },
      'Meta Inbound': { main: [[{ node: 'Meta Reply', type: 'main', index: 0 }]] },
      'Waviro Keyword': { main: [[{ node: 'Waviro Answer', type: 'main', index: 0 }]] },
    },
  };
}
