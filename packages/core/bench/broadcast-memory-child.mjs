// One measured process of broadcast-memory.bench.mjs: loads core and the Kirem provider, and
// either stops there (the baseline) or runs `broadcast` over generated rows to the gateway stub
// (its own process). Its peak RSS (resourceUsage().maxRSS) is reported over IPC.
//   input 'generator': rows from an async generator, made as they are pulled
//   input 'array':     every row built into an array first (what a caller with a loaded export does)
import { createClient } from '@kabar/core';
import { broadcast } from '@kabar/core/broadcast';
import { kirem } from '@kabar/core/kirem';

const { mode, input, rows: count, gatewayUrl } = JSON.parse(process.argv[2]);
const trace = process.env.BENCH_MEMORY_TRACE === '1';

const client = createClient({
  provider: kirem({ apiKey: 'kirem_bench_key', baseUrl: gatewayUrl }),
  rateLimit: false,
});

const rowAt = (i) => ({
  id: `c-${i}`,
  name: `Pelanggan ${i + 1}`,
  phone: `0${81_230_000_000 + i}`,
  promo: `PROMO${i + 1}`,
});
async function* generated() {
  for (let i = 0; i < count; i++) yield rowAt(i);
}

let processed = 0;
let ticks = 0;
const sampler = setInterval(() => {
  if (trace && ticks++ % 10 === 0) {
    const usage = process.memoryUsage();
    const mb = (value) => (value / 1048576).toFixed(0);
    console.error(
      `rows ${processed}: rss ${mb(usage.rss)} heap ${mb(usage.heapUsed)}/${mb(usage.heapTotal)} external ${mb(usage.external)}`,
    );
  }
}, 20);

const totals = { sent: 0, skipped: 0, failed: 0 };
let firstError;
if (mode === 'run') {
  const rows = input === 'array' ? Array.from({ length: count }, (_, i) => rowAt(i)) : generated();
  const run = broadcast(client, rows, {
    key: (row) => row.id,
    message: (row) => ({
      to: row.phone,
      text: `Halo ${row.name}, gunakan kode ${row.promo} untuk diskon di seluruh produk.`,
    }),
    concurrency: 32,
    onProgress: (progress) => {
      processed = progress.processed;
    },
  });
  for await (const result of run) {
    totals[result.status]++;
    if (result.status === 'failed') firstError ??= result.error.message;
  }
}
clearInterval(sampler);

process.send({ maxRssMb: process.resourceUsage().maxRSS / 1024, totals, firstError }, () =>
  process.exit(0),
);
