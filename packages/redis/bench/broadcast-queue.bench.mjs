// The BullMQ broadcast queue with 1, 2 and 4 worker processes, in two modes, each measured in this
// one run against its own baseline:
//   unlimited  rows per second from resume to settled; the baseline is 1 worker, so scale_4v1 is
//              what adding processes buys (and a plain loop of the same client's sends, run here
//              too, is what the queue costs per send)
//   limited    the queue's global limit set: at no point may the gateway see more than `limit`
//              sends within 1 second, however many workers share it; 1 worker is the baseline
//              again, and every run should come out near the limit, not a multiple of it
// Every run checks exactly once at the gateway stub (bench/gateway-stub.mjs, its own process): the
// Idempotency-Key of each send is the row's job id, and every row's must arrive once, none twice,
// none missing. Jobs are enqueued on a paused queue and the clock starts at resume, so neither
// enqueueing nor starting the worker processes is measured.
//
//   REDIS_URL=redis://127.0.0.1:6379   BENCH_ROWS=10000   BENCH_LIMIT=500 (per second)
//   BENCH_CONCURRENCY=8 (sends in flight per worker, the queue's default)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { createBroadcastQueue } from '@kabar/redis/broadcast-queue';
import { testRedis } from '@kabar/redis/testing';
import { Redis } from 'ioredis';

// As the tests: skipped where no Redis answers, except in CI.
const { url: REDIS_URL, runnable } = await testRedis('@kabar/redis broadcast queue bench');
if (!runnable) process.exit(0);
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WORKER_COUNTS = [1, 2, 4];
const WINDOW_MS = 1000;
const prefix = `kabar-bench-bq-${process.pid}-${Date.now()}`;

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

function forkReady(path, env) {
  const child = fork(here(path), [], { env: { ...process.env, ...env } });
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${path} exited with ${code} before ready`)));
  });
  return { child, ready };
}

function exited(child) {
  return child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
}

const stub = forkReady('./gateway-stub.mjs');
const { port } = await stub.ready;
const gatewayUrl = `http://127.0.0.1:${port}`;

/** What the stub received since the last report: each send's Idempotency-Key and arrival time. */
function stubReport() {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.type !== 'report') return;
      stub.child.off('message', onMessage);
      resolve(message);
    };
    stub.child.on('message', onMessage);
    stub.child.send('report');
  });
}

/** The most arrivals in any span of `WINDOW_MS` (times are in arrival order). */
function maxInWindow(times) {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= WINDOW_MS) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

const phoneOf = (index) => `0812${String(3_000_000 + index)}`;
function* rowsOf(count) {
  for (let i = 0; i < count; i++) {
    yield { key: `row-${i}`, message: { to: phoneOf(i), text: `Promo bench, baris ${i}.` } };
  }
}

let runs = 0;
/** One broadcast of ROWS rows through `workers` processes; limitMax 0: no limit. */
async function run(workers, limitMax) {
  runs += 1;
  const name = `run${runs}`;
  const broadcastId = `bench-${runs}`;
  const queue = createBroadcastQueue({ connection: REDIS_URL, name, prefix });
  const children = [];
  try {
    await queue.bullQueue.pause();
    const { enqueued } = await queue.enqueue(broadcastId, rowsOf(ROWS));
    if (enqueued !== ROWS) throw new Error(`enqueued ${enqueued} of ${ROWS}`);
    const env = {
      BENCH_REDIS_URL: REDIS_URL,
      BENCH_QUEUE_NAME: name,
      BENCH_QUEUE_PREFIX: prefix,
      BENCH_GATEWAY_URL: gatewayUrl,
      BENCH_LIMIT_MAX: String(limitMax),
      BENCH_CONCURRENCY: String(CONCURRENCY),
    };
    const started = Array.from({ length: workers }, () =>
      forkReady('./broadcast-queue.worker.mjs', env),
    );
    children.push(...started.map(({ child }) => child));
    await Promise.all(started.map(({ ready }) => ready));

    const t0 = performance.now();
    await queue.bullQueue.resume();
    const summary = await queue.settled(broadcastId, { intervalMs: 20, timeoutMs: 170_000 });
    const seconds = (performance.now() - t0) / 1000;

    for (const child of children) child.send('close');
    await Promise.all(children.map(exited));
    const { keys, times } = await stubReport();

    const seen = new Map();
    for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
    let missing = 0;
    for (let i = 0; i < ROWS; i++) if (!seen.has(`${broadcastId}/row-${i}`)) missing++;
    const duplicates = [...seen.values()].filter((count) => count > 1).length;
    const strangers = [...seen.keys()].filter((key) => !key.startsWith(`${broadcastId}/`)).length;
    const exactlyOnce =
      missing === 0 &&
      duplicates === 0 &&
      strangers === 0 &&
      keys.length === ROWS &&
      summary.sent === ROWS;
    return {
      workers,
      rps: ROWS / seconds,
      seconds,
      maxPerWindow: maxInWindow(times),
      exactlyOnce,
      missing,
      duplicates,
      summary,
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await queue.close();
  }
}

/** The same client a worker makes (Kirem, no client-side limit), sending ROWS messages in a loop. */
async function clientLoopRps() {
  const client = createClient({
    provider: kirem({ apiKey: 'kirem_bench_key', baseUrl: gatewayUrl }),
    rateLimit: false,
  });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ROWS) {
        const index = next++;
        await client.send({ to: phoneOf(index), text: `Promo bench, baris ${index}.` });
      }
    }),
  );
  const rps = ROWS / ((performance.now() - t0) / 1000);
  await stubReport();
  return rps;
}

async function removeBenchKeys() {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

const format = (results) => results.map((r) => `${r.workers}:${Math.round(r.rps)}`).join(',');
const line = (mode, r) =>
  console.log(
    `${mode.padEnd(9)} workers=${r.workers} ${Math.round(r.rps)} rows/s (${r.seconds.toFixed(1)} s), ` +
      `max ${r.maxPerWindow} in any 1 s at the gateway, sent ${r.summary.sent}, ` +
      `missing ${r.missing}, duplicated ${r.duplicates}, exactly once ${r.exactlyOnce}`,
  );

let failed = false;
try {
  const clientRps = await clientLoopRps();
  console.log(`client loop: ${Math.round(clientRps)} sends/s at concurrency ${CONCURRENCY}`);
  const unlimited = [];
  for (const workers of WORKER_COUNTS) {
    unlimited.push(await run(workers, 0));
    line('unlimited', unlimited.at(-1));
  }
  const limited = [];
  for (const workers of WORKER_COUNTS) {
    limited.push(await run(workers, LIMIT));
    line('limited', limited.at(-1));
  }
  const all = [...unlimited, ...limited];
  const exactlyOnce = all.every((r) => r.exactlyOnce);
  const limitedMax = Math.max(...limited.map((r) => r.maxPerWindow));
  const scale = unlimited.at(-1).rps / unlimited[0].rps;
  const limitedScale = limited.at(-1).rps / limited[0].rps;
  const perWorker1 = unlimited[0].rps / clientRps;
  console.log(
    `1 worker against the client loop: ${perWorker1.toFixed(3)}; limited 4 vs 1 workers: ${limitedScale.toFixed(3)}`,
  );
  console.log(
    `RESULT broadcast.queue workers=${format(unlimited)} scale_4v1=${scale.toFixed(3)} ` +
      `limited_workers=${format(limited)} limited_max_per_s=${limitedMax} limit=${LIMIT} ` +
      `client_loop_rps=${Math.round(clientRps)} exactly_once=${exactlyOnce} rows=${ROWS} concurrency=${CONCURRENCY}`,
  );
  failed = !exactlyOnce || limitedMax > LIMIT;
} finally {
  await removeBenchKeys();
  stub.child.disconnect();
}
if (failed) {
  console.error(
    'broadcast queue bench: a row was not sent exactly once, or the limit was exceeded',
  );
  process.exit(1);
}
