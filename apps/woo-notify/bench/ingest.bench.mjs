// pnpm bench: accepted WooCommerce webhooks per second and p99 acknowledgement latency through
// the real endpoint (signature check, order planning, SQLite outbox insert + commit with WAL and
// synchronous=FULL, then 200) against a bare endpoint that only verifies the signature: same
// Express app, same payloads, alternating rounds in one run, load from a separate process.
// The outbox worker is paused (not started), so only ingestion is measured.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, createLogger, createMetrics, loadConfig, openOutbox } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECRET = 'bench-webhook-secret';

const order = {
  id: 0,
  number: '0',
  status: 'processing',
  currency: 'IDR',
  date_created: '2026-11-21T10:15:30',
  date_created_gmt: '2026-11-21T03:15:30',
  total: '150000',
  shipping_total: '20000',
  billing: {
    first_name: 'Budi',
    last_name: 'Santoso',
    address_1: 'Jl. Merdeka No. 10',
    city: 'Bandung',
    postcode: '40111',
    country: 'ID',
    email: 'budi@example.co.id',
    phone: '0812-3456-7890',
  },
  shipping: { first_name: 'Budi', last_name: 'Santoso', country: 'ID', phone: '' },
  line_items: [
    {
      id: 315,
      name: 'Kopi Gayo 250g',
      product_id: 93,
      quantity: 2,
      subtotal: '90000',
      total: '90000',
      sku: 'KOPI-GAYO-250',
      price: 45000,
    },
    {
      id: 316,
      name: 'Gula Aren 500g',
      product_id: 94,
      quantity: 1,
      subtotal: '40000',
      total: '40000',
      sku: 'GULA-AREN-500',
      price: 40000,
    },
  ],
  currency_symbol: 'Rp',
};

const dbPath = join(tmpdir(), `woo-notify-bench-${process.pid}.sqlite`);
const config = loadConfig({
  env: {},
  overrides: { port: 0, webhookSecret: SECRET, dbPath, logLevel: 'silent' },
});
const log = createLogger('silent');
const outbox = openOutbox(dbPath);

function listen(app) {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}
const outboxServer = await listen(createApp({ config, log, outbox, metrics: createMetrics() }));
const bareServer = await listen(createApp({ config, log, bare: true, metrics: createMetrics() }));
const urlOf = (server) => `http://127.0.0.1:${server.address().port}/webhooks/woocommerce`;

const loader = fork(fileURLToPath(new URL('./load.mjs', import.meta.url)));
let firstId = 1;
function round(url, total) {
  return new Promise((resolve) => {
    loader.once('message', resolve);
    loader.send({ url, secret: SECRET, order, firstId, total, concurrency: CONCURRENCY });
    firstId += total;
  });
}
function p99(values) {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

// Warm-up, not counted.
await round(urlOf(outboxServer), 500);
await round(urlOf(bareServer), 500);

const results = { outbox: { rps: [], latencies: [] }, bare: { rps: [], latencies: [] } };
for (let i = 0; i < ROUNDS; i++) {
  const order = i % 2 === 0 ? ['outbox', 'bare'] : ['bare', 'outbox'];
  for (const kind of order) {
    const result = await round(urlOf(kind === 'outbox' ? outboxServer : bareServer), PER_ROUND);
    results[kind].rps.push(result.rps);
    results[kind].latencies.push(...result.latencies);
    console.log(
      `round ${i + 1} ${kind.padEnd(6)} ${result.rps.toFixed(0).padStart(6)} req/s  p99 ${p99(result.latencies).toFixed(2)} ms`,
    );
  }
}
loader.kill();
outboxServer.close();
bareServer.close();
const counts = outbox.counts();
outbox.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const outboxRps = median(results.outbox.rps);
const bareRps = median(results.bare.rps);
console.log(
  `outbox rows written: ${counts.pending} (worker paused; 2 rows per order: customer + admin)`,
);
console.log(
  `RESULT woo.ingest outbox_per_s=${outboxRps.toFixed(0)} bare_per_s=${bareRps.toFixed(0)} ratio=${(outboxRps / bareRps).toFixed(2)} outbox_p99_ms=${p99(results.outbox.latencies).toFixed(2)} bare_p99_ms=${p99(results.bare.latencies).toFixed(2)}`,
);
