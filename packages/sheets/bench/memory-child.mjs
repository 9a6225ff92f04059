// One measured process of memory.bench.mjs: loads the kabar-sheets engine and the Kirem provider,
// and either stops there (the baseline) or runs `broadcastSheet` over the fake Sheets server's
// sheet to the gateway stub. Both of those run in other processes, so this process's peak RSS
// (the kernel's high-water mark, resourceUsage().maxRSS) is the engine's own. Reports over IPC.
//
// BENCH_HEAPSNAPSHOT_AT=50000 writes a heap snapshot (into the working directory) once that many
// rows have a result, to see what is held mid-run.
import { writeHeapSnapshot } from 'node:v8';
import { kirem } from '@kabar/core/kirem';
import { broadcastSheet, createSheetsClient, googleAuth } from '../dist/index.js';

const { mode, rootUrl, spreadsheetId, token, gatewayUrl } = JSON.parse(process.argv[2]);
const snapshotAt = Number(process.env.BENCH_HEAPSNAPSHOT_AT ?? 0);

const sheets = createSheetsClient({ auth: await googleAuth({ accessToken: token }), rootUrl });
const provider = kirem({ apiKey: 'kirem_bench_key', baseUrl: gatewayUrl });

let peakHeap = process.memoryUsage().heapUsed;
let processed = 0;
const trace = process.env.BENCH_MEMORY_TRACE === '1';
let ticks = 0;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peakHeap = Math.max(peakHeap, usage.heapUsed);
  if (trace && ticks++ % 10 === 0) {
    const mb = (value) => (value / 1048576).toFixed(0);
    console.error(
      `rows ${processed}: rss ${mb(usage.rss)} heap ${mb(usage.heapUsed)}/${mb(usage.heapTotal)} external ${mb(usage.external)} buffers ${mb(usage.arrayBuffers)}`,
    );
  }
}, 20);

let summary;
if (mode === 'run') {
  let snapshotTaken = false;
  summary = await broadcastSheet({
    sheets,
    spreadsheetId,
    range: 'Sheet1!A1:G',
    message: { template: { name: 'broadcast_promo' } },
    provider,
    rateLimit: false,
    concurrency: 32,
    campaign: 'memory',
    onProgress(progress) {
      processed = progress.processed;
      if (snapshotAt > 0 && !snapshotTaken && progress.processed >= snapshotAt) {
        snapshotTaken = true;
        console.error(`heap snapshot: ${writeHeapSnapshot()}`);
      }
    },
  });
}
clearInterval(sampler);

process.send(
  {
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 1048576,
    summary: summary && {
      sent: summary.sent,
      failed: summary.failed,
      rows: summary.rows,
      error: summary.error,
      writes: summary.writes,
      durationMs: summary.durationMs,
      failureCodes: summary.failureCodes,
    },
  },
  () => process.exit(0),
);
