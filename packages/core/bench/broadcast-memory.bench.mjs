// Peak memory of core's `broadcast` at 10,000 and 100,000 rows: it must stay flat in the number
// of rows (and under 100 MB at 100,000), so an export of any size streams through.
//
// Each figure is one fresh child process (broadcast-memory-child.mjs) and its kernel high-water
// mark (resourceUsage().maxRSS). The gateway (gateway-stub.mjs) runs in its own process, so what it
// receives never counts. The baseline is the same child loading the same modules and building the
// same client, sending nothing: `cost` is a run's peak above it. No rate limit, concurrency 32.
// Rows come from an async generator (the input holds nothing); an array of 100,000 rows built
// before the run is measured too, for what a caller holding the whole export pays. Last, the
// generator run again under the V8 heap flags the README advises for big runs in small containers
// (HEAP_FLAGS): a library cannot set them, so the default runs are what an app gets without them.
//
//   BENCH_MEMORY_ROWS=10000,100000   the row counts (first and last give `growth`)
//   BENCH_MEMORY_MAX_MB=100          the limit: `within_limit` says whether every generator run kept
//                                    under it
//   BENCH_MEMORY_STRICT=1            exits non-zero when one did not (rows lost always do)
import { forkReady } from './fork-ready.mjs';

const COUNTS = (process.env.BENCH_MEMORY_ROWS ?? '10000,100000').split(',').map(Number);
const MAX_MB = Number(process.env.BENCH_MEMORY_MAX_MB ?? 100);
const HEAP_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=256'];

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

const gateway = forkReady(new URL('./gateway-stub.mjs', import.meta.url));
const gatewayUrl = `http://127.0.0.1:${(await gateway.ready).port}`;

async function measure(mode, input, rows, execArgv = undefined) {
  const { child, ready } = forkReady(
    new URL('./broadcast-memory-child.mjs', import.meta.url),
    [JSON.stringify({ mode, input, rows, gatewayUrl })],
    execArgv,
  );
  const report = await ready;
  await new Promise((resolve) =>
    child.exitCode === null ? child.once('exit', resolve) : resolve(),
  );
  if (mode === 'run') {
    check(
      report.totals.sent === rows,
      `${input} ${rows} rows: sent ${report.totals.sent}, failed ${report.totals.failed} ${report.firstError ?? ''}`,
    );
  }
  return report.maxRssMb;
}

const mb = (value) => value.toFixed(1);
const label = (count) => (count >= 1000 ? `${count / 1000}k` : String(count));

const baseline = await measure('baseline', 'none', 0);
console.log(`baseline (modules loaded, client built): peak RSS ${mb(baseline)} MB`);
const fields = [];
const generatorRuns = [];
for (const count of COUNTS) {
  const rss = await measure('run', 'generator', count);
  generatorRuns.push(rss);
  fields.push(`rows_${label(count)}_rss_mb=${mb(rss)}`);
  console.log(
    `async generator, ${count} rows: peak RSS ${mb(rss)} MB (cost ${mb(rss - baseline)} MB)`,
  );
}
const last = COUNTS[COUNTS.length - 1];
const arrayRss = await measure('run', 'array', last);
console.log(
  `array of ${last} rows built first: peak RSS ${mb(arrayRss)} MB (cost ${mb(arrayRss - baseline)} MB; the array's own share included)`,
);
const flagsRss = await measure('run', 'generator', last, HEAP_FLAGS);
console.log(
  `async generator, ${last} rows, node ${HEAP_FLAGS.join(' ')}: peak RSS ${mb(flagsRss)} MB`,
);
gateway.child.disconnect();

const growth = generatorRuns[generatorRuns.length - 1] - generatorRuns[0];
const peak = Math.max(...generatorRuns);
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
console.log(
  `RESULT broadcast.memory ${fields.join(' ')} array_${label(last)}_rss_mb=${mb(arrayRss)} heap_flags_${label(last)}_rss_mb=${mb(flagsRss)} baseline_rss_mb=${mb(baseline)} cost_${label(last)}_mb=${mb(generatorRuns[generatorRuns.length - 1] - baseline)} growth_mb=${mb(growth)} limit_mb=${MAX_MB} within_limit=${withinLimit}`,
);
