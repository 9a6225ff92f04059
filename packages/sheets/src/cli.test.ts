import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectSandbox } from '@kabar/sandbox';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { build } from 'esbuild';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envName } from './gateways.js';
import { googleAuth } from './google.js';
import { runCli } from './run-cli.js';
import {
  approvePromoTemplate,
  customers,
  kiremMessages,
  PROMO_TEMPLATE,
  sheetOf,
} from './test-helpers.js';
import { type FakeSheetsServer, startFakeSheetsServer } from './testing/fake-sheets-server.js';

const sandbox = useSandbox();
const TOKEN = 'ya29.test-access-token-for-the-fake';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cliPath = join(packageDir, 'dist', 'cli.js');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  version: string;
};

// A throwaway service account: google-auth-library signs its JWT with this key for real.
const SERVICE_EMAIL = 'kabar-sheets@test-project.iam.gserviceaccount.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

let fake: FakeSheetsServer;

beforeEach(async () => {
  fake = await startFakeSheetsServer({
    accessTokens: [TOKEN],
    serviceAccounts: [{ email: SERVICE_EMAIL, publicKeyPem: PUBLIC_KEY_PEM }],
  });
  await approvePromoTemplate(sandbox);
});

afterEach(async () => {
  await fake.close();
});

function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    KABAR_API_KEY: sandbox.kirem.apiKey,
    KABAR_BASE_URL: sandbox.kirem.baseUrl,
    GOOGLE_ACCESS_TOKEN: TOKEN,
    ...extra,
  };
}

function args(...extra: string[]): string[] {
  return [
    'broadcast',
    '--spreadsheet',
    fake.spreadsheetId,
    '--range',
    'Sheet1!A1:G',
    '--gateway',
    'kirem',
    '--template',
    PROMO_TEMPLATE,
    '--sheets-root-url',
    fake.rootUrl,
    ...extra,
  ];
}

async function cli(argv: string[], environment = env(), options: { tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: environment,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => (stderr += text),
      isTTY: options.tty === true,
      columns: 100,
    },
  });
  return { code, stdout, stderr, output: stdout + stderr };
}

function keyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kabar-sheets-'));
  const path = join(dir, 'service-account.json');
  writeFileSync(
    path,
    JSON.stringify({
      type: 'service_account',
      project_id: 'test-project',
      private_key_id: 'a1b2c3d4e5',
      private_key: PRIVATE_KEY_PEM,
      client_email: SERVICE_EMAIL,
      client_id: '1234567890',
      token_uri: `${fake.rootUrl}token`,
    }),
  );
  return path;
}

/** Pieces of the private key a leak would show. */
function keyFragments(): string[] {
  return PRIVATE_KEY_PEM.split('\n').filter((line) => line.length > 20 && !line.startsWith('---'));
}

describe('kabar-sheets: usage and configuration errors exit 2 with the flag or variable named', () => {
  it.each([
    [[], /missing the command: broadcast/],
    [['send'], /unknown command 'send'/],
    [['broadcast'], /missing --spreadsheet/],
    [['broadcast', '--spreadsheet', 'x', '--gateway', 'kirem'], /missing --range/],
    [['broadcast', '--spreadsheet', 'x', '--range', 'A1:G'], /missing --gateway/],
    [
      ['broadcast', '--spreadsheet', 'x', '--range', 'A1:G', '--gateway', 'wa'],
      /--gateway: 'wa' is not one of/,
    ],
    [
      ['broadcast', '--spreadsheet', 'x', '--range', 'A1:G', '--gateway', 'kirem'],
      /missing --template/,
    ],
    [['broadcast', '--bogus'], /unknown flag '--bogus'\n/],
    [['broadcast', '--rnage', 'Sheet1'], /unknown flag '--rnage' \(did you mean '--range'\?\)/],
    [['broadcast', '--sandbx'], /unknown flag '--sandbx' \(did you mean '--sandbox'\?\)/],
    [['broadcast', '--dryrun'], /unknown flag '--dryrun' \(did you mean '--dry-run'\?\)/],
    [['broadcast', '-x'], /unknown flag '-x' \(the short flags are -h and -v\)/],
    // A pasted escape sequence is shown, not run by the terminal.
    [['broadcast', '--x\u001b[2J'], /unknown flag '--x\\u001b\[2J'/],
    [['broadcast', '--dry-run=yes'], /--dry-run takes no value \(got '--dry-run=yes'\)/],
    [['broadcast', '--spreadsheet'], /--spreadsheet needs a value: --spreadsheet <id>/],
    [
      ['broadcast', '--spreadsheet', 'x', '--range', '--gateway', 'kirem'],
      /--range needs a value: --range <A1, e.g. 'Sheet1!A1:G'>/,
    ],
    [
      ['broadcast', '--spreadsheet', 'x', '--range', 'A1:G', '--gateway', 'fonte'],
      /--gateway: 'fonte' is not one of .* \(did you mean fonnte\?\)/,
    ],
    [['broadcast', '--sandbox', '--rate', 'fast'], /--rate: expected messages per second .*'fast'/],
    [
      ['broadcast', '--sandbox', '--concurrency', '0'],
      /--concurrency: expected an integer from 1 to 256, got '0'/,
    ],
    [['broadcast', '--sandbox', '--spreadsheet', 'x'], /--spreadsheet does not go with --sandbox/],
  ])('%j', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Run 'kabar-sheets --help' for usage.");
    // Not node:util parseArgs' own wording, which speaks of positionals rather than the flag.
    expect(result.stderr).not.toMatch(/positional|place it at the end|ERR_PARSE_ARGS/);
    expect(result.stdout).toBe('');
  });

  it('names what is missing or wrong in the environment and the setup', async () => {
    const noKey = await cli(args(), env({ KABAR_API_KEY: undefined }));
    expect(noKey).toMatchObject({ code: 2 });
    expect(noKey.stderr).toMatch(/set the environment variable KABAR_API_KEY/);

    const noGoogle = await cli(args(), env({ GOOGLE_ACCESS_TOKEN: undefined }));
    expect(noGoogle.code).toBe(2);
    expect(noGoogle.stderr).toMatch(
      /--credentials .*--access-token .*GOOGLE_APPLICATION_CREDENTIALS/,
    );

    const kirimy = await cli(
      [...args().map((arg) => (arg === 'kirem' ? 'kirimy' : arg))],
      env({ KABAR_SESSION_ID: 'session-1' }),
    );
    expect(kirimy.code).toBe(2);
    expect(kirimy.stderr).toMatch(/no templates; send a text with --text/);

    expect((await cli(args('--rate', 'fast'))).stderr).toMatch(
      /--rate: expected messages per second/,
    );
    expect((await cli(args('--text', 'hi'))).stderr).toMatch(/either --template or --text/);

    fake.setValues('Sheet1', sheetOf(customers(3)));
    const badRange = await cli(args().map((arg) => (arg === 'Sheet1!A1:G' ? 'Sheet1!G1:A' : arg)));
    expect(badRange.code).toBe(2);
    expect(badRange.stderr).toMatch(/range: cannot use 'Sheet1!G1:A'/);

    fake.fail({ kind: 'get', status: 403, message: 'The caller does not have permission' });
    const forbidden = await cli(args());
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toMatch(/no access to spreadsheet sheet-test/);

    const expired = await cli(args(), env({ GOOGLE_ACCESS_TOKEN: 'ya29.expired-token-value' }));
    expect(expired.code).toBe(2);
    expect(expired.stderr).toMatch(/Google rejected the credentials/);
    expect(expired.output).not.toContain('ya29.expired-token-value');
    expect(await kiremMessages(sandbox)).toHaveLength(0);
  });

  it('blanks out secrets even when an error message echoes them', async () => {
    fake.setValues('Sheet1', sheetOf(customers(3)));
    fake.fail({
      kind: 'get',
      status: 500,
      message: `backend echoed Bearer ${TOKEN} and ${sandbox.kirem.apiKey}`,
      times: 10,
    });

    const result = await cli(args());

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Google Sheets answered 500: backend echoed Bearer \[redacted\] and \[redacted\]/,
    );
    expect(result.output).not.toContain(TOKEN);
    expect(result.output).not.toContain(sandbox.kirem.apiKey);
  });

  it('prints the version with --version or -v', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await cli([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('prints the usage with --help', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kabar-sheets broadcast --spreadsheet <id> --range <A1>/);
    expect(help.stdout).toContain('KABAR_API_KEY');
  });
});

describe('kabar-sheets broadcast', () => {
  it('exits 0 when every row went out, with a report, a progress bar, and no secret anywhere', async () => {
    fake.setValues('Sheet1', sheetOf(customers(25)));

    const result = await cli(args('--concurrency', '4'), env(), { tty: true });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/broadcast finished/);
    expect(result.stdout).toMatch(/sent {8}25/);
    expect(result.stdout).toMatch(
      /skipped {5}0 \(opted out 0, outside 24h window 0, already sent 0, no phone 0\)/,
    );
    expect(result.stdout).toMatch(/failed {6}0/);
    expect(result.stdout).toMatch(/rate {8}\d+\.\d messages\/s/);
    // One call when the sends take under the writer's 1 s interval; a loaded machine may need two.
    expect(result.stdout).toMatch(/25 rows written in [12] batchUpdate calls?/);
    expect(result.stderr).toMatch(/header row 1: phone A "Nomor HP", name B "Nama"/);
    // The bar is redrawn in place: carriage return, erase line, then the bar.
    expect(result.stderr).toContain('\r\u001b[2K[');
    expect(result.stderr).toMatch(/\[#+-*\] +\d+% \d+\/25 · sent \d+/);
    expect(result.output).not.toContain(sandbox.kirem.apiKey);
    expect(result.output).not.toContain(TOKEN);
    expect(await kiremMessages(sandbox)).toHaveLength(25);
  });

  it.each(['fonnte', 'wablas'] as const)(
    'broadcasts a text through %s, its settings read from KABAR_* as the registry names them',
    async (gateway) => {
      fake.setValues('Sheet1', sheetOf(customers(3)));
      const credentials = sandbox[gateway];
      const gatewayEnv = Object.fromEntries(
        Object.entries(credentials).map(([key, value]) => [envName(key), String(value)]),
      );
      const argv = args('--text', 'Halo {name}, kode {promo}', '--rate', 'none')
        .map((arg) => (arg === 'kirem' ? gateway : arg))
        .filter((arg, i, all) => arg !== '--template' && all[i - 1] !== '--template');
      const result = await cli(argv, { GOOGLE_ACCESS_TOKEN: TOKEN, ...gatewayEnv });

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/sent {8}3/);
      const sent = await sandbox.messages({ provider: gateway, direction: 'outbound' });
      expect(sent.map((m) => m.text).sort()).toEqual(
        customers(3)
          .map((c) => `Halo ${c.name}, kode ${c.promo}`)
          .sort(),
      );
      expect(result.output).not.toContain(credentials.token);
    },
  );

  it('names the variable a gateway in the registry is missing', async () => {
    const result = await cli(
      args().map((arg) => (arg === 'kirem' ? 'fonnte' : arg)),
      { GOOGLE_ACCESS_TOKEN: TOKEN },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--gateway fonnte: set the environment variable KABAR_TOKEN/);
  });

  it('exits 1 when some rows failed, listing the first reasons; a dry run sends and writes nothing', async () => {
    const rows = sheetOf(customers(8));
    (rows[2] as unknown[])[0] = '0800';
    fake.setValues('Sheet1', rows);

    const dry = await cli(args('--dry-run'));
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/DRY RUN, nothing was sent and nothing was written/);
    expect(dry.stdout).toMatch(/would send {2}7/);
    expect(dry.stdout).toMatch(/invalid {5}1 \(invalid_phone 1\)/);
    expect(dry.stdout).toMatch(/row 3 \(0800\): Invalid phone number "0800"/);
    expect(dry.stdout).toMatch(
      /row 2 -> 6281230000000: template broadcast_promo \(id\) \["Pelanggan 1", "PROMO00001"\]/,
    );
    expect(await kiremMessages(sandbox)).toHaveLength(0);
    expect(fake.calls.filter((call) => call.kind === 'batchUpdate')).toHaveLength(0);

    const real = await cli(args('--rate', 'none'));
    expect(real.code).toBe(1);
    expect(real.stdout).toMatch(/failed {6}1 \(invalid_phone 1\)/);
    expect(real.stdout).toMatch(/row 3 \(0800\): Invalid phone number "0800"/);
    expect(fake.values()[2]?.[3]).toMatch(/^GAGAL: Invalid phone number/);
    expect(await kiremMessages(sandbox)).toHaveLength(7);
  });

  it('authenticates with a service-account key: the JWT flow mints a token at the key file token_uri', async () => {
    fake.setValues('Sheet1', sheetOf(customers(10)));
    const path = keyFile();

    const result = await cli(
      args('--credentials', path, '--rate', 'none'),
      env({ GOOGLE_ACCESS_TOKEN: undefined }),
    );

    expect(result.code).toBe(0);
    const tokenCalls = fake.calls.filter((call) => call.kind === 'token');
    expect(tokenCalls.map((call) => call.status)).toEqual([200]);
    expect(fake.issuedTokens).toHaveLength(1);
    const minted = fake.issuedTokens[0] as string;
    const apiCalls = fake.calls.filter((call) => call.kind !== 'token');
    expect(apiCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of apiCalls) expect(call).toMatchObject({ status: 200, token: minted });
    expect(await kiremMessages(sandbox)).toHaveLength(10);

    // The same through GOOGLE_APPLICATION_CREDENTIALS; every row is already sent now.
    const rerun = await cli(
      args(),
      env({ GOOGLE_ACCESS_TOKEN: undefined, GOOGLE_APPLICATION_CREDENTIALS: path }),
    );
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/already sent 10/);
    expect(await kiremMessages(sandbox)).toHaveLength(10);

    // Tokens minted later are handed to the redactor as they arrive.
    const secrets: string[] = [];
    const auth = await googleAuth({
      credentialsFile: path,
      onSecret: (secret) => secrets.push(secret),
    });
    const { token } = await auth.getAccessToken();
    expect(token).toMatch(/^ya29\.fake-/);
    expect(secrets).toContain(token);
    expect(secrets).toContain(PRIVATE_KEY_PEM);

    for (const output of [result.output, rerun.output]) {
      expect(output).not.toContain(minted);
      for (const fragment of keyFragments()) expect(output).not.toContain(fragment);
      expect(output).not.toContain(sandbox.kirem.apiKey);
    }
  });
});

/** The rows `--sandbox`'s sample sheet sends to (its opted-out row excluded), as the gateway sees them. */
const SAMPLE_RECIPIENTS = [
  '6281234567001',
  '6281311112002',
  '6285712343003',
  '6281987654004',
  '6287822225005',
  '6285233338008',
];

describe('kabar-sheets broadcast --sandbox', () => {
  it('sends the sample sheet through the in-process sandbox, prints its inbox and the sheet written back, and keeps the inbox up in a terminal until Ctrl-C', async () => {
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const run = runCli(['broadcast', '--sandbox'], {
      // No Google or gateway credentials anywhere.
      env: {},
      stdout: { write: (text: string) => (stdout += text), isTTY: true },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      signal: controller.signal,
    });
    const inbox = await eventually(
      async () => /inbox stays up at (http:\/\/\S+\/);/.exec(stderr)?.[1],
      (url) => url !== undefined,
      { timeoutMs: 15_000 },
    );
    expect(inbox).toBeDefined();
    expect(stderr).toContain(`watch the messages arrive at ${inbox}`);

    const remote = await connectSandbox(inbox as string);
    const sent = await remote.messages({ provider: 'kirem', direction: 'outbound' });
    expect(sent.map((message) => message.to).sort()).toEqual([...SAMPLE_RECIPIENTS].sort());
    // broadcast_promo's {{1}} and {{2}} filled from the row's name and promo code.
    expect(sent.find((message) => message.to === '6285712343003')?.text).toBe(
      'Halo Agus Setiawan! Pakai kode ONGKIR0 untuk diskon spesial hari ini.',
    );

    expect(stdout).toMatch(/sent {8}6\n/);
    expect(stdout).toMatch(/skipped {5}1 \(opted out 1,/);
    const sheet = stdout.slice(stdout.indexOf('the sandbox sheet as the run left it'));
    const written = sheet.split('\n').filter((line) => line.includes(' SUKSES '));
    expect(written).toHaveLength(6);
    // Each row written back carries the id the sandbox gave its message.
    for (const message of sent) expect(sheet).toContain(message.id);
    expect(sheet).toMatch(
      / 7 +\+62 813 1111 7007 +Rina Wijaya +HEMAT10 +DILEWATI \(Opt-Out\) +STOP/,
    );

    controller.abort();
    expect(await run).toBe(0);
    await expect(fetch(inbox as string)).rejects.toThrow();
  });
});

describe('kabar-sheets as a child process (node dist/cli.js)', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 60_000);

  it('prints the version it was built with', async () => {
    const result = await runChild(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('runs a broadcast and exits 0; on a pipe, progress is whole lines ending with the real totals', async () => {
    fake.setValues('Sheet1', sheetOf(customers(30)));

    const result = await runChild(args());

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/sent {8}30/);
    expect(result.stderr).toMatch(/reading Sheet1!A1:G of spreadsheet sheet-test/);
    // stderr is a pipe: no carriage returns or escapes, nothing after the last newline.
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toContain('\u001b[');
    expect(result.stderr.endsWith('\n')).toBe(true);
    const progressLines = result.stderr.split('\n').filter((line) => / rows \(sent /.test(line));
    expect(progressLines.length).toBeGreaterThanOrEqual(1);
    expect(progressLines.at(-1)).toMatch(
      /^kabar-sheets: 30\/30 rows \(sent 30 · skipped 0 · failed 0\), \d+\.\d\/s$/,
    );
    expect(result.stdout + result.stderr).not.toContain(sandbox.kirem.apiKey);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(
      fake
        .values()
        .slice(1)
        .every((row) => row[3] === 'SUKSES'),
    ).toBe(true);
  });

  it('--sandbox: exits by itself when not in a terminal, after sending a text through the sandbox', async () => {
    const result = await runChild(
      [
        'broadcast',
        '--sandbox',
        '--gateway',
        'fonnte',
        '--text',
        'Halo {name}, kode {promo}',
        '--rate',
        'none',
      ],
      { environment: {} },
    );

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /the Kabar sandbox as fonnte; watch the messages arrive at http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(result.stderr).not.toMatch(/stays up/);
    expect(result.stdout).toMatch(/sent {8}6\n/);
    expect(result.stdout).toMatch(
      / 2 +0812-3456-7001 +Budi Santoso +HEMAT10 +SUKSES +\S+ +\d{4}-\d\d-\d\dT/,
    );
  });

  it('--sandbox without @kabar/sandbox installed: exit 2 saying how to add it', async () => {
    // Node's real resolver, asked from a folder where the package is not installed.
    const hook = `data:text/javascript,${encodeURIComponent(
      `export function resolve(specifier, context, next) {
        if (specifier !== '@kabar/sandbox') return next(specifier, context);
        return next(specifier, { ...context, parentURL: ${JSON.stringify(pathToFileURL(join(tmpdir(), 'elsewhere.mjs')).href)} });
      }`,
    )}`;
    const register = `data:text/javascript,${encodeURIComponent(
      `import { register } from 'node:module'; register(${JSON.stringify(hook)});`,
    )}`;

    const result = await runChild(['broadcast', '--sandbox'], {
      environment: {},
      nodeOptions: ['--import', register],
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /kabar-sheets: --sandbox needs the package @kabar\/sandbox next to @kabar\/sheets: install both/,
    );
    expect(result.stderr).not.toMatch(/unexpected error/);
  });

  it('Ctrl-C stops it, writes the statuses of what went out, exits 130; running again finishes the rest', async () => {
    const list = customers(150);
    fake.setValues('Sheet1', sheetOf(list));

    const first = runChild(args('--rate', '25'));
    await eventually(
      () => kiremMessages(sandbox),
      (messages) => messages.length >= 20,
      { timeoutMs: 10_000 },
    );
    first.child.kill('SIGINT');
    const stopped = await first;

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/stopping; waiting for the sends in flight/);
    expect(stopped.stdout).toMatch(/broadcast STOPPED before the end/);
    expect(stopped.stdout).toMatch(/Run the same command again to continue/);
    const sentFirst = (await kiremMessages(sandbox)).length;
    expect(sentFirst).toBeLessThan(150);
    expect(fake.values().filter((row) => row[3] === 'SUKSES')).toHaveLength(sentFirst);

    const second = await runChild(args('--rate', 'none'));

    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`already sent ${sentFirst},`));
    const all = await kiremMessages(sandbox);
    expect(all).toHaveLength(150);
    expect(new Set(all.map((message) => message.to)).size).toBe(150);
  }, 30_000);
});

function runChild(
  argv: string[],
  {
    environment = env(),
    nodeOptions = [],
  }: { environment?: NodeJS.ProcessEnv; nodeOptions?: string[] } = {},
) {
  const child = spawn(process.execPath, [...nodeOptions, cliPath, ...argv], {
    env: { PATH: process.env.PATH, ...environment } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  return Object.assign(done, { child });
}

/** dist/cli.js as `pnpm build` makes it; rebuilt here (the bin and its worker) when src is newer. */
async function ensureBuilt(): Promise<void> {
  const newestSource = Math.max(
    ...listFiles(join(packageDir, 'src'))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => statSync(file).mtimeMs),
  );
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= newestSource) return;
  await build({
    entryPoints: ['cli', 'cli-worker'].map((name) => join(packageDir, 'src', `${name}.ts`)),
    outdir: join(packageDir, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
