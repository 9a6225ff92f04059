// Each README's main example, compiled from the README as written and run with node in the user
// project against a sandbox from the packed @kabar/sandbox: what the example promises must
// happen (a message in the inbox, an OTP login that ends in a token, a bot that answers).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESOLUTIONS, readmeProgram, slugOf, typescriptOf } from './readme-blocks.mjs';

const CUSTOMER = '6281234567890';
const SECRETS = {
  OTP_SECRET: 'user-project-otp-secret-0123456789ab',
  TOKEN_SECRET: 'user-project-token-secret-0123456789',
  KIREM_WEBHOOK_SECRET: 'user-project-webhook-secret',
};

/** Compiles every README block under node16 into `<project>/readmes-dist`, as tsc would. */
function emitBlocks(project) {
  const ts = typescriptOf(project);
  const { program } = readmeProgram(ts, project, RESOLUTIONS.node16, {
    noEmit: false,
    rootDir: join(project, 'readmes'),
    outDir: join(project, 'readmes-dist'),
  });
  program.emit();
}

function compiledPath(project, block) {
  return join(project, 'readmes-dist', slugOf(block.readme), block.file.replace(/\.tsx?$/, '.js'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a process to its end; rejects with its output when it fails or outlives `timeoutMs`. */
function runToEnd(command, args, { cwd, env, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${args.join(' ')} exited ${code ?? signal}:\n${output.trim()}`));
    });
  });
}

/** Starts a server example and waits until it answers HTTP on `port`. */
async function startServer(file, { cwd, env, port }) {
  const child = spawn(process.execPath, [file], { cwd, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`exited before listening:\n${output.trim()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return { stop, output: () => output };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await stop();
  throw new Error(`nothing listened on port ${port} within 30 s:\n${output.trim()}`);
}

async function expectJson(response, status, what) {
  const body = await response.json().catch(() => undefined);
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

async function waitFor(what, probe, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const outbound = (sandbox) =>
  sandbox.messages({ provider: 'kirem', direction: 'outbound', limit: 1000 });

/** What each README's main example must do, given its compiled file. */
const DRIVERS = {
  async 'packages/core/README.md'({ file, project, sandbox, env }) {
    const output = await runToEnd(process.execPath, [file], { cwd: project, env });
    const sent = await outbound(sandbox);
    if (sent.length < 2)
      throw new Error(`expected 2 messages in the sandbox, found ${sent.length}`);
    return `exit 0; the sandbox holds ${sent.map((m) => m.type).join(' and ')}; it printed ${JSON.stringify(output.trim().split('\n')[0])}`;
  },

  async 'packages/express/README.md'({ file, project, sandbox, env }) {
    const server = await startServer(file, { cwd: project, env, port: Number(env.PORT) });
    try {
      const base = `http://127.0.0.1:${env.PORT}`;
      const post = (path, body) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await expectJson(
        await post('/otp/request', { phone: `0${CUSTOMER.slice(2)}`, purpose: 'login' }),
        201,
        'POST /otp/request',
      );
      const message = await waitFor('the OTP message', () => sandbox.latest({ to: CUSTOMER }));
      const code = /\b(\d{4,8})\b/.exec(JSON.stringify(message.payload))?.[1];
      if (!code) throw new Error(`no code in the OTP message ${JSON.stringify(message.payload)}`);
      const verified = await expectJson(
        await post('/otp/verify', { phone: `+${CUSTOMER}`, code, purpose: 'login' }),
        200,
        'POST /otp/verify',
      );
      const token = verified?.data?.token;
      if (!token) throw new Error(`verify answered no token: ${JSON.stringify(verified)}`);
      const me = await expectJson(
        await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } }),
        200,
        'GET /me',
      );
      const anonymous = await fetch(`${base}/me`);
      if (anonymous.status !== 401) throw new Error(`GET /me without a token: ${anonymous.status}`);
      return `OTP sent as ${message.type}, verified, GET /me answered ${JSON.stringify(me)} (401 without the token)`;
    } finally {
      await server.stop();
    }
  },

  async 'packages/nestjs/README.md'({ file, project, sandbox, env }) {
    const server = await startServer(file, { cwd: project, env, port: Number(env.PORT) });
    try {
      await sandbox.setWebhook('kirem', {
        url: `http://127.0.0.1:${env.PORT}/whatsapp/webhook`,
        secret: env.KIREM_WEBHOOK_SECRET,
      });
      const { deliveries } = await sandbox.inbound({
        provider: 'kirem',
        from: CUSTOMER,
        text: 'berapa harga?',
      });
      if (deliveries[0]?.status !== 200) {
        throw new Error(
          `the webhook answered ${deliveries[0]?.status}: ${deliveries[0]?.error ?? deliveries[0]?.responseBody}\n${server.output()}`,
        );
      }
      const reply = await waitFor('the bot reply', async () =>
        (await outbound(sandbox)).find((m) => m.to === CUSTOMER),
      );
      return `signed webhook answered 200; @Hears('harga') replied ${JSON.stringify(reply.text)}`;
    } finally {
      await sandbox.removeWebhook('kirem');
      await server.stop();
    }
  },

  async 'packages/mcp/README.md'({ file, project, sandbox, env }) {
    // The example without MCP_TOKEN serves stdio: an agent's MCP client starts it and talks.
    const sdk = (path) =>
      import(
        pathToFileURL(join(project, 'node_modules/@modelcontextprotocol/sdk/dist/esm', path)).href
      );
    const { Client } = await sdk('client/index.js');
    const { StdioClientTransport } = await sdk('client/stdio.js');
    const client = new Client({ name: 'user-project', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [file],
        cwd: project,
        env: {
          PATH: process.env.PATH ?? '',
          KIREM_API_KEY: env.KIREM_API_KEY,
          KIREM_BASE_URL: env.KIREM_BASE_URL,
        },
      }),
    );
    try {
      const { tools } = await client.listTools();
      const result = await client.callTool({
        name: 'send_text',
        arguments: { to: CUSTOMER, text: 'Halo dari agen' },
      });
      if (result.isError) throw new Error(`send_text failed: ${result.content[0]?.text}`);
      const sent = await outbound(sandbox);
      if (sent.length !== 1 || sent[0].text !== 'Halo dari agen')
        throw new Error(`expected the agent's text in the sandbox, found ${JSON.stringify(sent)}`);
      return `stdio MCP server: ${tools.length} tools; send_text reached the sandbox`;
    } finally {
      await client.close();
    }
  },

  async 'packages/redis/README.md'({ file, project, sandbox, env }) {
    const output = await runToEnd(process.execPath, [file], { cwd: project, env });
    const sent = await outbound(sandbox);
    if (sent.length === 0) throw new Error(`nothing reached the sandbox; it printed:\n${output}`);
    return `exit 0; ${sent.length} message(s) in the sandbox; it printed ${JSON.stringify(output.trim().split('\n')[0])}`;
  },

  async 'packages/sandbox/README.md'({ block, project }) {
    const test = join('readmes', slugOf(block.readme), block.file);
    const output = await runToEnd(join(project, 'node_modules/.bin/vitest'), ['run', test], {
      cwd: project,
      env: { NO_COLOR: '1' },
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colours CI may force
    const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
    const passed = /Tests\s+(\d+) passed/.exec(plain)?.[1];
    if (!passed) throw new Error(`vitest reported no passed test:\n${output}`);
    return `vitest: ${passed} passed`;
  },
};

/** The sheets README's CLI run, against a fake Sheets API from the packed package. */
async function sheetsCli({ project, sandbox }) {
  const testing = join(project, 'node_modules/@kabar/sheets/dist/testing.js');
  const { startFakeSheetsServer } = await import(pathToFileURL(testing).href);
  const { createClient } = await import(
    pathToFileURL(join(project, 'node_modules/@kabar/core/dist/index.js')).href
  );
  const { kirem } = await import(
    pathToFileURL(join(project, 'node_modules/@kabar/core/dist/kirem.js')).href
  );
  const wa = createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
  await wa.templates.create({
    name: 'broadcast_promo',
    category: 'MARKETING',
    language: 'id',
    components: [{ type: 'BODY', text: 'Halo {{1}}, pakai kode *{{2}}* untuk diskon.' }],
  });
  await sandbox.setTemplateStatus('kirem', 'broadcast_promo', 'APPROVED');
  const fake = await startFakeSheetsServer({ accessTokens: ['user-project-token'] });
  try {
    fake.setValues('Sheet1', [
      ['Nomor HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt-Out'],
      ['0812-3456-7890', 'Budi', 'HEMAT20'],
      ['+62 813 1111 2222', 'Sari', 'HEMAT20'],
      ['0813-3333-4444', 'Joko', 'HEMAT20', '', '', '', 'ya'],
    ]);
    const output = await runToEnd(
      join(project, 'node_modules/.bin/kabar-sheets'),
      [
        'broadcast',
        '--spreadsheet',
        fake.spreadsheetId,
        '--range',
        'Sheet1!A1:G',
        '--gateway',
        'kirem',
        '--template',
        'broadcast_promo',
        '--sheets-root-url',
        fake.rootUrl,
      ],
      {
        cwd: project,
        env: {
          KABAR_API_KEY: sandbox.kirem.apiKey,
          KABAR_BASE_URL: sandbox.kirem.baseUrl,
          GOOGLE_ACCESS_TOKEN: 'user-project-token',
        },
      },
    );
    const sent = await outbound(sandbox);
    if (sent.length !== 2)
      throw new Error(`expected 2 sends (one row opted out), found ${sent.length}:\n${output}`);
    const status = fake
      .values('Sheet1')
      .slice(1)
      .map((row) => row[3] ?? '');
    return `kabar-sheets broadcast: exit 0, 2 sent, 1 opted out; Status column now ${JSON.stringify(status)}`;
  } finally {
    await fake.close();
  }
}

/** Runs every main example; returns `{ readme, outcome }` or `{ readme, error }` for each. */
export async function runMainExamples(project, blocks) {
  emitBlocks(project);
  const sandboxModule = join(project, 'node_modules/@kabar/sandbox/dist/index.js');
  const { startSandbox } = await import(pathToFileURL(sandboxModule).href);
  const sandbox = await startSandbox({ port: 0 });
  const results = [];
  try {
    for (const [readme, drive] of Object.entries(DRIVERS)) {
      await sandbox.reset();
      const block = blocks.find((candidate) => candidate.readme === readme && candidate.main);
      if (!block) {
        results.push({ readme, error: 'no block is marked <!-- main-example -->' });
        continue;
      }
      const env = {
        ...SECRETS,
        KIREM_API_KEY: sandbox.kirem.apiKey,
        KIREM_BASE_URL: sandbox.kirem.baseUrl,
        REDIS_URL: 'redis://127.0.0.1:6379',
        PORT: String(await freePort()),
      };
      const file = compiledPath(project, block);
      try {
        results.push({ readme, outcome: await drive({ block, file, project, sandbox, env }) });
      } catch (error) {
        results.push({ readme, error: error.message });
      }
    }
    await sandbox.reset();
    try {
      results.push({
        readme: 'packages/sheets/README.md',
        outcome: await sheetsCli({ project, sandbox }),
      });
    } catch (error) {
      results.push({ readme: 'packages/sheets/README.md', error: error.message });
    }
  } finally {
    await sandbox.close();
  }
  return results;
}
