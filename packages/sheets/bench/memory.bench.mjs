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
//   BENCH_MEMORY_ROWS=10000,100000   the row counts (first and last give `growth`)
//   BENCH_MEMORY_MAX_MB=100          the limit: `within_limit` says whether every run kept under it
//   BENCH_MEMORY_STRICT=1            exits non-zero when one did not (rows lost always do)
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

sheetsServer.close();
gateway.child.disconnect();

const first = runs[0];
const last = runs[runs.length - 1];
const growth = last.maxRssMb - first.maxRssMb;
const peak = Math.max(...runs.map((run) => run.maxRssMb));
const withinLimit = peak <= MAX_MB;
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
const fields = runs.map(
  (run) =>
    `rows_${run.count >= 1000 ? `${run.count / 1000}k` : run.count}_rss_mb=${mb(run.maxRssMb)}`,
);
console.log(
  `RESULT sheets.broadcast.memory ${fields.join(' ')} baseline_rss_mb=${mb(baseline.maxRssMb)} cost_${last.count / 1000}k_mb=${mb(last.maxRssMb - baseline.maxRssMb)} growth_mb=${mb(growth)} limit_mb=${MAX_MB} within_limit=${withinLimit}`,
);
