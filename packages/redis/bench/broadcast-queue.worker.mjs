// One broadcast queue worker process for broadcast-queue.bench.mjs, configured by environment
// variables. It says 'ready' once connected, and stops on 'close' or when the bench goes away.
import { kirem } from '@kabar/core/kirem';
import { createBroadcastQueue } from '@kabar/redis/broadcast-queue';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`bench worker: ${name} is not set`);
  return value;
};

const queue = createBroadcastQueue({
  connection: env('BENCH_REDIS_URL'),
  name: env('BENCH_QUEUE_NAME'),
  prefix: env('BENCH_QUEUE_PREFIX'),
});
const limitMax = Number(env('BENCH_LIMIT_MAX'));
const worker = queue.work({
  provider: kirem({ apiKey: 'kirem_bench_key', baseUrl: env('BENCH_GATEWAY_URL') }),
  limit: limitMax > 0 ? { max: limitMax, durationMs: 1000 } : false,
  concurrency: Number(env('BENCH_CONCURRENCY')),
});

let stopping;
const stop = () => {
  stopping ??= (async () => {
    await worker.close();
    await queue.close();
    process.exit(0);
  })();
  return stopping;
};
process.on('message', (message) => {
  if (message === 'close') void stop();
});
process.on('disconnect', () => void stop());

await worker.waitUntilReady();
process.send?.('ready');
