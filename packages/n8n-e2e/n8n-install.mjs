// Installs the n8n the end-to-end test runs (n8n@1.123.50) into a cache folder outside the repo,
// once: later runs find it there and skip the install.
//
//   node n8n-install.mjs          # install (or confirm) and print the bin path
//
// Folder: $KABAR_N8N_DIR, else ${XDG_CACHE_HOME:-~/.cache}/kabar-n8n/1.123.50.
// Why this version and the xlsx override: see shared/research/n8n.md section 3 (n8n >= 1.123.66
// needs Node 22 for isolated-vm; n8n-nodes-base pulls xlsx from a CDN the registry-only network
// cannot reach, so it is pinned to the registry's 0.18.5).
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '1.123.50';

const WRAPPER = {
  name: 'kabar-n8n-e2e',
  private: true,
  dependencies: { n8n: N8N_VERSION },
  overrides: { xlsx: '0.18.5' },
};

const LOCK_FILE = '.kabar-install.lock';

/** The cache folder n8n is (or will be) installed in. */
export function n8nDir() {
  if (process.env.KABAR_N8N_DIR) return resolve(process.env.KABAR_N8N_DIR);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'kabar-n8n', N8N_VERSION);
}

/** The n8n CLI script inside an install folder (run it with `node`). */
export function n8nBinPath(dir = n8nDir()) {
  return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled(dir) {
  const pkg = readJson(join(dir, 'node_modules', 'n8n', 'package.json'));
  // npm writes node_modules/.package-lock.json when an install finishes; n8n's own package.json
  // appears long before that, so both together mean "a finished install of this version".
  return (
    pkg?.version === N8N_VERSION &&
    existsSync(join(dir, 'node_modules', '.package-lock.json')) &&
    existsSync(n8nBinPath(dir))
  );
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Pids of `npm install`/`npm ci` processes whose working folder is `dir` (Linux /proc). */
function npmInstallsIn(dir) {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // npm sets process.title, so its cmdline is often the single string 'npm install'.
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split(/[\0\s]+/)
        .filter(Boolean);
      const isNpm = argv.some((arg) => /(^|\/)npm(-cli\.js)?$/.test(arg) || arg === 'npm');
      const installs = argv.some((arg) => ['install', 'i', 'ci', 'add'].includes(arg));
      if (!isNpm || !installs) continue;
      if (resolve(readlinkSync(`/proc/${entry}/cwd`)) === resolve(dir)) found.push(Number(entry));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return found;
}

/** Another install of ours (lock file with a live pid) or anyone's `npm install` in `dir`. */
function busyWith(dir) {
  const lock = readJson(join(dir, LOCK_FILE));
  if (lock && typeof lock.pid === 'number' && lock.pid !== process.pid && pidAlive(lock.pid)) {
    return `install by pid ${lock.pid}`;
  }
  const pids = npmInstallsIn(dir);
  return pids.length > 0 ? `npm install (pid ${pids.join(', ')})` : undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(command, args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code} in ${cwd}:\n${output}`));
    });
  });
}

function writeWrapper(dir) {
  const file = join(dir, 'package.json');
  const current = readJson(file);
  const same =
    current?.dependencies?.n8n === N8N_VERSION &&
    current?.overrides?.xlsx === WRAPPER.overrides.xlsx;
  if (!same) writeFileSync(file, `${JSON.stringify(WRAPPER, null, 2)}\n`);
}

/**
 * Makes sure n8n@1.123.50 is installed in the cache folder and returns the path of its CLI script.
 * Waits for an install already running there instead of starting a second one.
 */
export async function ensureN8n({ log = console.log, waitTimeoutMs = 20 * 60_000 } = {}) {
  const dir = n8nDir();
  const started = Date.now();
  mkdirSync(dir, { recursive: true });

  let announced = false;
  for (;;) {
    const busy = busyWith(dir);
    if (!busy) break;
    if (!announced) log(`[n8n-install] waiting for a running ${busy} in ${dir}`);
    announced = true;
    if (Date.now() - started > waitTimeoutMs) {
      throw new Error(`[n8n-install] gave up waiting for ${busy} in ${dir}`);
    }
    await sleep(2000);
  }

  if (isInstalled(dir)) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(
      `[n8n-install] n8n@${N8N_VERSION} ready in ${dir} (${announced ? `waited ${seconds}s` : 'cached'})`,
    );
    return n8nBinPath(dir);
  }

  writeWrapper(dir);
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ pid: process.pid, at: new Date().toISOString() }),
  );
  log(`[n8n-install] installing n8n@${N8N_VERSION} into ${dir} (takes a few minutes, ~1.7 GB)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  } finally {
    try {
      writeFileSync(join(dir, LOCK_FILE), '{}');
    } catch {
      // the folder went away; nothing to unlock
    }
  }
  if (!isInstalled(dir)) {
    throw new Error(`[n8n-install] npm install finished but n8n@${N8N_VERSION} is not in ${dir}`);
  }
  log(
    `[n8n-install] installed n8n@${N8N_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  return n8nBinPath(dir);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureN8n().then(
    (bin) => console.log(bin),
    (error) => {
      console.error(error.message ?? error);
      process.exit(1);
    },
  );
}
