// Broadcast throughput of the kabar-sheets engine: `broadcastSheet`, the very function the CLI
// runs, reading the seed's sheet from a fake Sheets v4 server through the real googleapis client
// and writing every status back with batched values.batchUpdate calls, sending to the Kirem
// emulator of @kabar/sandbox. The sandbox and the fake Sheets server each run in a child process,
// so neither shares this process's CPU time or counts toward its memory (the machine has 2 cores).
//
//   1. No rate limit (rateLimit: false, concurrency 32), 10,000 rows (BENCH_ROWS to change):
//      messages/s while sending (the whole run with the first read and the last status write is
//      printed too) and this process's peak RSS (sampled every 5 ms, and resourceUsage().maxRSS).
//   2. The 80/s limit, the same 10,000 rows (about 125 s; BENCH_LIMITED_ROWS=2000 for a quick
//      look): the achieved rate, and the most sends the gateway stored in any
//      one-second window (sliding, over the sandbox's createdAt timestamps), which must not
//      exceed 80; the benchmark exits non-zero if it does, or if any row was lost or doubled.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { connectSandbox } from '@kabar/sandbox';
import { broadcastSheet, createSheetsClient, googleAuth } from '../dist/index.js';
import { startFakeSheets } from './fake-sheets.mjs';

const UNLIMITED_ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const LIMITED_ROWS = Number(process.env.BENCH_LIMITED_ROWS ?? 10_000);
const LIMIT_PER_SECOND = 80;
const CONCURRENCY = 32;
const TEMPLATE = 'broadcast_promo';

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

// --- the sandbox, in its own process -------------------------------------------------------------
const require = createRequire(import.meta.url);
const sandboxCli = join(dirname(require.resolve('@kabar/sandbox/package.json')), 'dist', 'cli.js');
const sandboxProcess = spawn(
  process.execPath,
  // --no-seed: the bench creates the one template it sends, as the seed's sheet describes it.
  [
    sandboxCli,
    '--port',
    '0',
    '--no-seed',
    '--max-messages',
    String(UNLIMITED_ROWS + LIMITED_ROWS + 1000),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
// Whatever ends this script ends the sandbox too: a sandbox left behind holds the terminal's (or
// turbo's) stderr open, and the run never finishes.
process.on('exit', () => sandboxProcess.kill('SIGTERM'));
const sandboxUrl = await new Promise((resolve, reject) => {
  let seen = '';
  sandboxProcess.stdout.on('data', (chunk) => {
    seen += chunk.toString();
    const match = /listening on (http:\/\/\S+)/.exec(seen);
    if (match) resolve(match[1]);
  });
  sandboxProcess.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
});
sandboxProcess.stdout.resume();
const sandbox = await connectSandbox(sandboxUrl);

// The seed's broadcast template, approved.
await createClient({
  provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
}).templates.create({
  name: TEMPLATE,
  category: 'MARKETING',
  language: 'id',
  components: [
    { type: 'BODY', text: 'Halo {{1}}, gunakan kode *{{2}}* untuk diskon di seluruh produk.' },
  ],
});
await sandbox.setTemplateStatus('kirem', TEMPLATE, 'APPROVED');

// --- the fake Sheets server, in its own process ----------------------------------------------------
const sheetsServer = await startFakeSheets();
const fakeSheets = sheetsServer.info;
const { ask } = sheetsServer;

const sheets = createSheetsClient({
  auth: await googleAuth({ accessToken: fakeSheets.token }),
  rootUrl: fakeSheets.rootUrl,
});
const provider = kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl });

function run(options) {
  return broadcastSheet({
    sheets,
    spreadsheetId: fakeSheets.spreadsheetId,
    range: 'Sheet1!A1:G',
    message: { template: { name: TEMPLATE } },
    provider,
    concurrency: CONCURRENCY,
    ...options,
  });
}

function maxInOneSecond(times) {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

// Warm-up (JIT, sockets, googleapis' first request), not measured.
await ask({ cmd: 'load', count: 300, offset: 900_000 });
await run({ rateLimit: false, campaign: 'warm-up' });
await sandbox.clear();

// --- 1. no rate limit --------------------------------------------------------------------------------
await ask({ cmd: 'load', count: UNLIMITED_ROWS, offset: 0 });
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 5);
const unlimited = await run({ rateLimit: false, campaign: 'unlimited' });
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
const unlimitedSheet = await ask({ cmd: 'check' });
const unlimitedMessages = await sandbox.messages({ provider: 'kirem', limit: 100_000 });
// Messages per second while sending (the engine's own clock, first row pulled to last result);
// the end-to-end figure, with the first read and the last status write, is printed too.
const rpsUnlimited = unlimited.ratePerSecond;
check(
  unlimited.sent === UNLIMITED_ROWS && unlimited.failed === 0,
  `unlimited: sent ${unlimited.sent}, failed ${unlimited.failed}`,
);
check(
  unlimitedMessages.length === UNLIMITED_ROWS,
  `unlimited: the sandbox holds ${unlimitedMessages.length} messages`,
);
check(
  new Set(unlimitedMessages.map((m) => m.to)).size === UNLIMITED_ROWS,
  'unlimited: a recipient got two messages',
);
check(
  unlimitedSheet.sent === UNLIMITED_ROWS,
  `unlimited: ${unlimitedSheet.sent} rows marked SUKSES in the sheet`,
);
console.log(
  `unlimited: ${unlimited.sent} rows, sending ${(unlimited.sendDurationMs / 1000).toFixed(2)} s = ${rpsUnlimited.toFixed(0)} messages/s (whole run with reading and the last write ${(unlimited.durationMs / 1000).toFixed(2)} s = ${(unlimited.sent / (unlimited.durationMs / 1000)).toFixed(0)}/s); concurrency ${CONCURRENCY}`,
);
console.log(
  `unlimited: sheet ${unlimitedSheet.reads} values.get + ${unlimitedSheet.writes} values.batchUpdate calls (${unlimitedSheet.rejected} rejected), ${unlimitedSheet.sent} statuses written; peak RSS ${(peakRss / 1048576).toFixed(1)} MB`,
);

// --- 2. 80 per second ----------------------------------------------------------------------------------
await sandbox.clear();
await ask({ cmd: 'load', count: LIMITED_ROWS, offset: 200_000 });
const limited = await run({ rateLimit: { perSecond: LIMIT_PER_SECOND }, campaign: 'limited' });
const limitedSheet = await ask({ cmd: 'check' });
const limitedMessages = await sandbox.messages({ provider: 'kirem', limit: 100_000 });
const arrivals = limitedMessages.map((message) => Date.parse(message.createdAt));
const maxPerSecond = maxInOneSecond(arrivals);
const rpsLimited = limited.ratePerSecond;
const gatewaySpan = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
check(
  limited.sent === LIMITED_ROWS && limited.failed === 0,
  `limited: sent ${limited.sent}, failed ${limited.failed}`,
);
check(
  limitedMessages.length === LIMITED_ROWS,
  `limited: the sandbox holds ${limitedMessages.length} messages`,
);
check(
  limitedSheet.sent === LIMITED_ROWS,
  `limited: ${limitedSheet.sent} rows marked SUKSES in the sheet`,
);
check(
  unlimitedSheet.rejected === 0 && limitedSheet.rejected === 0,
  'Sheets refused a call (over the 60 reads or writes a minute quota)',
);
check(
  maxPerSecond <= LIMIT_PER_SECOND,
  `limited: ${maxPerSecond} sends in one second, over the limit of ${LIMIT_PER_SECOND}`,
);
console.log(
  `limited (${LIMIT_PER_SECOND}/s): ${limited.sent} rows, sending ${(limited.sendDurationMs / 1000).toFixed(2)} s = ${rpsLimited.toFixed(1)} messages/s (${((limited.sent - 1) / gatewaySpan).toFixed(1)}/s between the gateway's first and last arrival; whole run ${(limited.durationMs / 1000).toFixed(2)} s); at most ${maxPerSecond} in any one-second window; sheet ${limitedSheet.writes} values.batchUpdate calls (${limitedSheet.rejected} rejected)`,
);

sheetsServer.close();
sandboxProcess.kill('SIGTERM');

if (failures.length > 0) {
  for (const failure of failures) console.error(`FAILED: ${failure}`);
  process.exitCode = 1;
}
console.log(
  `RESULT broadcast.throughput rps_unlimited=${Math.round(rpsUnlimited)} peak_rss_mb=${(peakRss / 1048576).toFixed(1)} rps_limited=${rpsLimited.toFixed(1)} max_per_second_limited=${maxPerSecond}`,
);
