import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('parseCliArgs', () => {
  it('defaults to port 4010 on 127.0.0.1', () => {
    expect(parseCliArgs([], {})).toEqual({
      kind: 'run',
      options: { port: 4010, host: '127.0.0.1', maxMessages: 5000, templates: 'examples' },
    });
  });

  it('reads flags, repeatable keys and tokens', () => {
    const command = parseCliArgs(
      [
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--max-messages',
        '10',
        '--kirem-key',
        'a',
        '--kirem-key',
        'b',
        '--meta-token',
        't',
      ],
      {},
    );
    expect(command).toEqual({
      kind: 'run',
      options: {
        port: 0,
        host: '0.0.0.0',
        maxMessages: 10,
        kirem: { apiKeys: ['a', 'b'] },
        meta: { accessTokens: ['t'] },
        templates: 'examples',
      },
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      KABAR_SANDBOX_PORT: '5000',
      KABAR_SANDBOX_HOST: '::1',
      KABAR_SANDBOX_MAX_MESSAGES: '7',
      KABAR_SANDBOX_KIREM_KEYS: 'k1, k2',
      KABAR_SANDBOX_META_TOKENS: 'm1',
    };
    expect(parseCliArgs([], env)).toEqual({
      kind: 'run',
      options: {
        port: 5000,
        host: '::1',
        maxMessages: 7,
        kirem: { apiKeys: ['k1', 'k2'] },
        meta: { accessTokens: ['m1'] },
        templates: 'examples',
      },
    });
    expect(parseCliArgs(['--port', '6000', '--kirem-key', 'flag'], env)).toMatchObject({
      options: { port: 6000, kirem: { apiKeys: ['flag'] } },
    });
  });

  it('reads the names the sandbox may be reached by from flags and the environment', () => {
    const env = { KABAR_SANDBOX_ALLOWED_HOSTS: 'sandbox, localhost:5000' };
    expect(parseCliArgs([], env)).toMatchObject({
      options: { allowedHosts: ['sandbox', 'localhost:5000'] },
    });
    expect(parseCliArgs(['--allow-host', 'a.test', '--allow-host', 'b.test'], env)).toMatchObject({
      options: { allowedHosts: ['a.test', 'b.test'] },
    });
  });

  it('reads the Kirimy, Qirim and Waviro keys from flags and the environment', () => {
    const env = { KABAR_SANDBOX_QIRIM_KEYS: 'q1,q2', KABAR_SANDBOX_WAVIRO_KEYS: 'w1' };
    expect(parseCliArgs(['--kirimy-key', 'k', '--waviro-key', 'w2'], env)).toMatchObject({
      options: {
        kirimy: { apiKeys: ['k'] },
        qirim: { apiKeys: ['q1', 'q2'] },
        waviro: { secretKeys: ['w2'] },
      },
    });
  });

  it('turns on the 24-hour window with --enforce-window or KABAR_SANDBOX_ENFORCE_WINDOW', () => {
    expect(parseCliArgs(['--enforce-window'], {})).toMatchObject({
      kind: 'run',
      options: { enforceWindow: true },
    });
    for (const value of ['1', 'true', 'YES']) {
      expect(parseCliArgs([], { KABAR_SANDBOX_ENFORCE_WINDOW: value })).toMatchObject({
        options: { enforceWindow: true },
      });
    }
    for (const value of ['0', 'false', '']) {
      const command = parseCliArgs([], { KABAR_SANDBOX_ENFORCE_WINDOW: value });
      expect(command).toMatchObject({ kind: 'run' });
      expect(command.kind === 'run' && 'enforceWindow' in command.options).toBe(false);
    }
    expect(parseCliArgs(['--enforce-window'], { KABAR_SANDBOX_ENFORCE_WINDOW: '0' })).toMatchObject(
      { options: { enforceWindow: true } },
    );
    expect(parseCliArgs([], { KABAR_SANDBOX_ENFORCE_WINDOW: 'maybe' })).toEqual({
      kind: 'error',
      message: "KABAR_SANDBOX_ENFORCE_WINDOW must be 1 or 0, got 'maybe'",
    });
    expect(parseCliArgs(['--enforce-window=yes'], {})).toMatchObject({ kind: 'error' });
  });

  it('reports bad flags and values', () => {
    expect(parseCliArgs(['--verbose'], {})).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['--port', '70000'], {})).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('--port'),
    });
    expect(parseCliArgs([], { KABAR_SANDBOX_MAX_MESSAGES: '0' })).toMatchObject({ kind: 'error' });
  });

  it('starts empty of templates with --no-seed or KABAR_SANDBOX_NO_SEED', () => {
    expect(parseCliArgs(['--no-seed'], {})).toMatchObject({ options: { templates: 'none' } });
    expect(parseCliArgs([], { KABAR_SANDBOX_NO_SEED: '1' })).toMatchObject({
      options: { templates: 'none' },
    });
    expect(parseCliArgs([], { KABAR_SANDBOX_NO_SEED: 'kadang' })).toEqual({
      kind: 'error',
      message: "KABAR_SANDBOX_NO_SEED must be 1 or 0, got 'kadang'",
    });
  });

  it('reads the data file from --data or KABAR_SANDBOX_DATA, and keeps memory otherwise', () => {
    expect(parseCliArgs(['--data', 'sandbox.db'], {})).toMatchObject({
      options: { dataFile: 'sandbox.db' },
    });
    expect(parseCliArgs([], { KABAR_SANDBOX_DATA: '/tmp/env.db' })).toMatchObject({
      options: { dataFile: '/tmp/env.db' },
    });
    expect(parseCliArgs(['--data', 'flag.db'], { KABAR_SANDBOX_DATA: 'env.db' })).toMatchObject({
      options: { dataFile: 'flag.db' },
    });
    const command = parseCliArgs([], {});
    expect(command.kind === 'run' && 'dataFile' in command.options).toBe(false);
  });

  it('knows --help and --version', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-v'], {})).toEqual({ kind: 'version' });
  });
});

describe('kabar-sandbox (dist/cli.js)', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  function run(args: string[], env: Record<string, string> = {}) {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run tsup before the CLI tests`);
    const process = spawn('node', [CLI, ...args], { env: { ...globalThis.process.env, ...env } });
    child = process;
    let stdout = '';
    let stderr = '';
    process.stdout.on('data', (chunk) => (stdout += chunk));
    process.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => process.on('exit', resolve));
    // Created on demand so a run that is meant to fail leaves no rejected promise behind.
    const listening = () =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
          if (url) resolve(url);
        };
        check();
        process.stdout.on('data', check);
        process.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
    return { process, exited, listening, output: () => ({ stdout, stderr }) };
  }

  it('starts, prints its URL and credentials, answers /livez and exits on SIGTERM', async () => {
    const cli = run(['--port', '0'], { KABAR_SANDBOX_KIREM_KEYS: 'from_env_key' });
    const url = await cli.listening();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const livez = await fetch(`${url}/livez`);
    expect(await livez.text()).toBe('ok');
    const templates = await fetch(`${url}/kirem/v1/templates`, {
      headers: { authorization: 'Bearer from_env_key' },
    });
    expect(templates.status).toBe(200);
    await expect.poll(() => cli.output().stdout).toContain('apiKey=from_env_key');
    expect(cli.output().stdout).toContain(`inbox        ${url}/`);
    expect(cli.output().stdout).toContain('accessToken=meta_test_token');
    expect(cli.output().stdout).toContain(`baseUrl=${url}/kirimy/v1 apiKey=kirimy_test_key`);
    expect(cli.output().stdout).toContain(`baseUrl=${url}/qirim/api/v1 apiKey=qirim_test_key`);
    expect(cli.output().stdout).toContain(`botUrl=${url}/waviro secretKey=waviro_test_key`);

    cli.process.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('enforces the 24-hour window with KABAR_SANDBOX_ENFORCE_WINDOW=1 and says so', async () => {
    const cli = run(['--port', '0'], { KABAR_SANDBOX_ENFORCE_WINDOW: '1' });
    const url = await cli.listening();
    expect(await (await fetch(`${url}/api/v1/settings`)).json()).toEqual({ enforceWindow: true });
    await expect.poll(() => cli.output().stdout).toContain('24h window   enforced');
    cli.process.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('starts with the templates the READMEs send, approved, and says which secrets to check', async () => {
    const cli = run(['--port', '0']);
    const url = await cli.listening();
    const answer = await fetch(`${url}/kirem/v1/templates`, {
      headers: { authorization: 'Bearer kirem_test_key' },
    });
    const { data } = (await answer.json()) as { data: { name: string; status: string }[] };
    const status = Object.fromEntries(data.map((t) => [t.name, t.status]));
    expect(status).toMatchObject({
      broadcast_promo: 'APPROVED',
      notif_pesanan_baru: 'APPROVED',
      order_shipped: 'APPROVED',
      kode_masuk: 'APPROVED',
      otp_verification: 'APPROVED',
    });
    // The READMEs' broadcast goes through at once, with no template set up by hand.
    const sent = await fetch(`${url}/kirem/v1/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer kirem_test_key', 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '6281234567890',
        type: 'template',
        template: {
          name: 'broadcast_promo',
          language: { code: 'id' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Budi' },
                { type: 'text', text: 'HEMAT10' },
              ],
            },
          ],
        },
      }),
    });
    expect(sent.status).toBe(201);
    const { stdout } = cli.output();
    expect(stdout).toMatch(/secret {7}kirem {2}kirem_webhook_secret/);
    expect(stdout).toMatch(/secret {7}meta {3}meta_app_secret/);
    expect(stdout).toContain('broadcast_promo, notif_pesanan_baru');
    cli.process.kill('SIGTERM');
    expect(await cli.exited).toBe(0);

    const empty = run(['--port', '0', '--no-seed']);
    const emptyUrl = await empty.listening();
    const none = await fetch(`${emptyUrl}/kirem/v1/templates`, {
      headers: { authorization: 'Bearer kirem_test_key' },
    });
    expect(((await none.json()) as { data: unknown[] }).data).toEqual([]);
    empty.process.kill('SIGTERM');
    expect(await empty.exited).toBe(0);
  });

  it('says which port is taken and how to choose another', async () => {
    const first = run(['--port', '0']);
    const port = new URL(await first.listening()).port;
    const second = run(['--port', port]);
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toContain(
      `port ${port} on 127.0.0.1 is in use (another kabar-sandbox`,
    );
    expect(second.output().stderr).toContain('--port 0 for any free one');
    first.process.kill('SIGTERM');
    await first.exited;
  });

  it('keeps messages and templates in the --data file across a restart, and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kabar-sandbox-cli-'));
    const file = join(dir, 'sandbox.db');
    const kirem = (url: string, path: string, body: unknown) =>
      fetch(`${url}/kirem${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer kirem_test_key', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      const first = run(['--port', '0', '--data', file]);
      const url = await first.listening();
      await expect.poll(() => first.output().stdout).toContain(`data         ${file}`);
      const sent = await kirem(url, '/v1/messages', {
        messaging_product: 'whatsapp',
        to: '6281234567890',
        type: 'text',
        text: { body: 'Halo dari sebelum restart' },
      });
      const id = ((await sent.json()) as { data: { messages: { id: string }[] } }).data.messages[0]
        ?.id;
      const template = await kirem(url, '/v1/templates', {
        name: 'pesanan_siap',
        category: 'UTILITY',
        language: 'id',
        components: [{ type: 'BODY', text: 'Pesanan {{1}} siap.' }],
      });
      expect(template.status).toBe(200);
      first.process.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = run(['--port', '0'], { KABAR_SANDBOX_DATA: file });
      const secondUrl = await second.listening();
      const messages = await fetch(`${secondUrl}/api/v1/messages`);
      expect(((await messages.json()) as { messages: unknown[] }).messages).toEqual([
        expect.objectContaining({ id, text: 'Halo dari sebelum restart' }),
      ]);
      const templates = await fetch(`${secondUrl}/api/v1/templates?provider=kirem`);
      expect(((await templates.json()) as { templates: unknown[] }).templates).toContainEqual(
        expect.objectContaining({ name: 'pesanan_siap', status: 'PENDING' }),
      );
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a --data file that is not a sandbox data file and exits 1 without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kabar-sandbox-cli-'));
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'bukan database\n');
    try {
      const cli = run(['--port', '0', '--data', file]);
      expect(await cli.exited).toBe(1);
      const { stdout, stderr } = cli.output();
      expect(stderr).toBe(
        `kabar-sandbox: ${file} is not a kabar-sandbox data file (it is not an SQLite database); choose another file, or move this one away\n`,
      );
      expect(stdout).not.toContain('listening');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints usage on stderr and exits 2 on a bad flag', async () => {
    const cli = run(['--bogus']);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toContain('Usage: kabar-sandbox');
  });
});
