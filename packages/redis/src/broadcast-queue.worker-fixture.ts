// One broadcast worker process for broadcast-queue.test.ts. The test forks it (through vite-node,
// which runs TypeScript), configures it with environment variables, and follows it over IPC:
// 'ready' once connected, then 'active' / 'completed' / 'failed' with each job id. It stops on a
// 'close' message, when the test process goes away, or by SIGKILL when a test wants a crash.
// It works on one Redis node (BQ_REDIS_URL) or on a Redis Cluster (BQ_CLUSTER_NODES, host:port,...).
import { createRequire } from 'node:module';
import { kirem } from '@kabar/core/kirem';
import { meta } from '@kabar/core/meta';
import { Cluster } from 'ioredis';
import { createBroadcastQueue } from './broadcast-queue/index.js';

// Every CommonJS module this process loaded (ioredis and bullmq load as CommonJS); the cache is
// one for all, whatever path the require is made for. (Not import.meta: vite-node fails on it here.)
const { cache: loadedModules } = createRequire(`${process.cwd()}/`);

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`worker fixture: ${name} is not set`);
  return value;
}

const number = (name: string) => Number(setting(name));
/** A number the test may leave unset (empty), so the queue's own default applies. */
const optionalNumber = (name: string) =>
  process.env[name] ? Number(process.env[name]) : undefined;
const send = (message: unknown) => process.send?.(message);

/**
 * Where a test package runs the suite on other majors (KABAR_REDIS_EXPECT_MAJORS, e.g.
 * `ioredis@5 bullmq@5`), a worker that loaded any other ioredis or bullmq exits before it is ready.
 */
function checkMajors(): void {
  const expected = process.env.KABAR_REDIS_EXPECT_MAJORS?.split(' ').filter(Boolean) ?? [];
  if (expected.length === 0) return;
  const loaded = new Set(
    Object.keys(loadedModules)
      .map((path) => /\/\.pnpm\/(ioredis|bullmq)@(\d+)\./.exec(path))
      .filter((match) => match !== null)
      .map(([, name, major]) => `${name}@${major}`),
  );
  const wrong = [...loaded].filter((entry) => !expected.includes(entry));
  const missing = expected.filter((entry) => !loaded.has(entry));
  if (wrong.length > 0 || missing.length > 0) {
    console.error(
      `worker fixture: loaded ${[...loaded].join(', ')}; expected ${expected.join(', ')}`,
    );
    process.exit(1);
  }
}

const provider =
  setting('BQ_GATEWAY') === 'meta'
    ? meta({
        accessToken: setting('BQ_META_TOKEN'),
        phoneNumberId: setting('BQ_META_PHONE_NUMBER_ID'),
        baseUrl: setting('BQ_META_BASE_URL'),
      })
    : kirem({ apiKey: setting('BQ_KIREM_KEY'), baseUrl: setting('BQ_KIREM_BASE_URL') });

// On a Cluster the process shares its own Cluster client with the queue, which keeps it open.
const cluster = process.env.BQ_CLUSTER_NODES
  ? new Cluster(
      process.env.BQ_CLUSTER_NODES.split(',').map((node) => {
        const [host, port] = node.split(':');
        return { host: host || '127.0.0.1', port: Number(port) };
      }),
    )
  : undefined;
// Said, not thrown: a node error ioredis recovers from must not end the process.
cluster?.on('error', (error: Error) => console.error(`worker fixture: ${error.message}`));
const queue = createBroadcastQueue({
  connection: cluster ?? setting('BQ_REDIS_URL'),
  name: setting('BQ_QUEUE_NAME'),
  prefix: setting('BQ_QUEUE_PREFIX'),
});
const worker = queue.work({
  provider,
  // Turned-away sends go back to BullMQ, which retries them with its backoff.
  clientOptions: { retry: false },
  limit: {
    max: number('BQ_LIMIT_MAX'),
    durationMs: number('BQ_LIMIT_MS'),
    jitterMs: optionalNumber('BQ_LIMIT_JITTER_MS'),
  },
  concurrency: number('BQ_CONCURRENCY'),
  lockDurationMs: optionalNumber('BQ_LOCK_MS'),
  stalledIntervalMs: optionalNumber('BQ_STALLED_MS'),
  maxStalledCount: optionalNumber('BQ_MAX_STALLED'),
});
worker.bullWorker.on('active', (job) => send({ type: 'active', jobId: job.id }));
worker.bullWorker.on('completed', (job) => send({ type: 'completed', jobId: job.id }));
worker.bullWorker.on('failed', (job) => send({ type: 'failed', jobId: job?.id }));

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= (async () => {
    await worker.close();
    await queue.close();
    await cluster?.quit().catch(() => cluster.disconnect());
    process.exit(0);
  })();
  return stopping;
}
process.on('message', (message) => {
  if (message === 'close') void stop();
});
process.on('disconnect', () => void stop());

await worker.waitUntilReady();
checkMajors();
send({ type: 'ready' });
