// Peak memory of the kabar-sheets broadcast (`broadcastSheet`, what the CLI runs) at 10,000 and
// 100,000 rows: it must stay flat in the number of rows (and under 100 MB at 100,000).
//
// Each figure is one fresh child process (memory-child.mjs) and its kernel high-water mark
// (resourceUsage().maxRSS). The fake Sheets server (fake-sheets-child.mjs) and the gateway (core's
// bench/gateway-stub.mjs, a bare Kirem-shaped HTTP server) each run in their own process, so
// neither the sheet's 100,000 rows nor the messages received count toward the measured process.
// The baseline is the same child loading the same modules and building the same clients, sending
// nothing: `cost` is a run's peak above it. No rate limit, concurrency 32 (the fastest, so the
// most rows are between the reader, the sends and the status writer at once).
//
// The same sheet is then sent by the kabar-sheets bin itself (dist/cli.js, which runs the
// broadcast in a worker with small heap limits): `cli_*` is that whole process's peak.
//
//   BENCH_MEMORY_ROWS=10000,100000   the row counts (first and last give `growth`)
//   BENCH_MEMORY_MAX_MB=100          the limit: `within_limit` says whether every run kept under it
//   BENCH_MEMORY_STRICT=1            exits non-zero when one did not (rows lost always do)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { forkReady } from '../../core/bench/fork-ready.mjs';
import { startFakeSheets } from './fake-sheets.mjs';

const COUNTS = (process.env.BENCH_MEMORY_ROWS ?? '10000,100000').split(',').map(Number);
const MAX_MB = Number(process.env.BENCH_MEMORY_MAX_MB ?? 100);

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

// The gateway: core's stub, in its own process.
const gateway = forkReady(new URL('../../core/bench/gateway-stub.mjs', import.meta.url));
const gatewayUrl = `http://127.0.0.1:${(await gateway.ready).port}`;

// The fake Sheets server, in its own process, driven over IPC.
const sheetsServer = await startFakeSheets();
const fakeSheets = sheetsServer.info;
const { ask } = sheetsServer;

async function measure(mode) {
  const config = { mode, ...fakeSheets, gatewayUrl };
  const { child, ready } = forkReady(new URL('./memory-child.mjs', import.meta.url), [
    JSON.stringify(config),
  ]);
  const report = await ready;
  await new Promise((resolve) =>
    child.exitCode === null ? child.once('exit', resolve) : resolve(),
  );
  return report;
}

const baseline = await measure('baseline');
console.log(
  `baseline (modules loaded, clients built): peak RSS ${baseline.maxRssMb.toFixed(1)} MB`,
);

const scratch = mkdtempSync(join(tmpdir(), 'kabar-sheets-memory-'));

/** Runs the kabar-sheets bin over the loaded sheet; its peak RSS in MB. */
async function measureCli(count) {
  const peakFile = join(scratch, `peak-${count}`);
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const preload = new URL('./report-peak-rss.mjs', import.meta.url).href;
  const argv = ['broadcast', '--spreadsheet', fakeSheets.spreadsheetId, '--range', 'Sheet1!A1:G'];
  argv.push('--gateway', 'kirem', '--template', 'broadcast_promo', '--campaign', 'memory-cli');
  argv.push('--sheets-root-url', fakeSheets.rootUrl, '--rate', 'none', '--concurrency', '32');
  await promisify(execFile)(process.execPath, ['--import', preload, cli, ...argv], {
    env: {
      PATH: process.env.PATH,
      GOOGLE_ACCESS_TOKEN: fakeSheets.token,
      KABAR_API_KEY: 'kirem_bench_key',
      KABAR_BASE_URL: gatewayUrl,
      BENCH_PEAK_RSS_FILE: peakFile,
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return Number(readFileSync(peakFile, 'utf8'));
}

const runs = [];
for (const count of COUNTS) {
  await ask({ cmd: 'load', count, offset: 0 });
  const report = await measure('run');
  const sheet = await ask({ cmd: 'check' });
  const { summary } = report;
  check(
    summary.sent === count && summary.failed === 0,
    `${count} rows: sent ${summary.sent}, failed ${summary.failed} ${JSON.stringify(summary.failureCodes)} ${summary.error ?? ''}`,
  );
  check(sheet.sent === count, `${count} rows: ${sheet.sent} rows marked SUKSES in the sheet`);
  check(sheet.rejected === 0, `${count} rows: Sheets refused ${sheet.rejected} calls`);
  runs.push({ count, ...report });
  console.log(
    `${count} rows: peak RSS ${report.maxRssMb.toFixed(1)} MB (cost ${(report.maxRssMb - baseline.maxRssMb).toFixed(1)} MB over the baseline), peak heap ${report.peakHeapMb.toFixed(1)} MB; ${(summary.durationMs / 1000).toFixed(1)} s; sheet ${sheet.reads} values.get + ${sheet.writes} values.batchUpdate calls`,
  );
}

const cliRuns = [];
for (const count of COUNTS) {
  await ask({ cmd: 'load', count, offset: 0 });
  const maxRssMb = await measureCli(count);
  const sheet = await ask({ cmd: 'check' });
  check(sheet.sent === count, `kabar-sheets, ${count} rows: ${sheet.sent} rows marked SUKSES`);
  cliRuns.push({ count, maxRssMb });
  console.log(`kabar-sheets bin, ${count} rows: peak RSS ${maxRssMb.toFixed(1)} MB`);
}
rmSync(scratch, { recursive: true, force: true });

sheetsServer.close();
gateway.child.disconnect();

const first = runs[0];
const last = runs[runs.length - 1];
const growth = last.maxRssMb - first.maxRssMb;
const peak = Math.max(...runs.map((run) => run.maxRssMb));
const withinLimit = peak <= MAX_MB;
const cliPeak = Math.max(...cliRuns.map((run) => run.maxRssMb));
const cliWithinLimit = cliPeak <= MAX_MB;
if (!cliWithinLimit && process.env.BENCH_MEMORY_STRICT === '1') {
  failures.push(`kabar-sheets bin: peak RSS ${cliPeak.toFixed(1)} MB, over ${MAX_MB} MB`);
}
if (!withinLimit) {
  const message = `peak RSS ${peak.toFixed(1)} MB, over ${MAX_MB} MB`;
  if (process.env.BENCH_MEMORY_STRICT === '1') failures.push(message);
  else console.warn(`WARNING: ${message}`);
}
if (failures.length > 0) {
  for (const failure of failures) console.error(`FAILED: ${failure}`);
  process.exitCode = 1;
}
const mb = (value) => value.toFixed(1);
const label = (count) => (count >= 1000 ? `${count / 1000}k` : String(count));
const fields = [
  ...runs.map((run) => `rows_${label(run.count)}_rss_mb=${mb(run.maxRssMb)}`),
  ...cliRuns.map((run) => `cli_${label(run.count)}_rss_mb=${mb(run.maxRssMb)}`),
];
console.log(
  `RESULT sheets.broadcast.memory ${fields.join(' ')} baseline_rss_mb=${mb(baseline.maxRssMb)} cost_${last.count / 1000}k_mb=${mb(last.maxRssMb - baseline.maxRssMb)} growth_mb=${mb(growth)} cli_growth_mb=${mb(cliRuns[cliRuns.length - 1].maxRssMb - cliRuns[0].maxRssMb)} limit_mb=${MAX_MB} within_limit=${withinLimit} cli_within_limit=${cliWithinLimit}`,
);
