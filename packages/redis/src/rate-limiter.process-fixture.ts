// One limiter process for redis.test.ts: the test forks several (through vite-node, which runs
// TypeScript), each with its own ioredis connection (a single node, or a Cluster when
// RL_CLUSTER_NODES is set) and its own redisRateLimiter on one shared key. On a 'go' message it
// acquires RL_COUNT times at once and answers, over IPC, every grant: its time on Redis's clock
// (from the reservation) and when acquire resolved here, both in epoch milliseconds. Grants still
// waiting after RL_ABORT_AFTER_MS (when set) are aborted and reported as such.
import { Cluster, Redis } from 'ioredis';
import { redisRateLimiterWithLog } from './rate-limiter.js';

const env = (name: string) => process.env[name] ?? '';
const nodes = env('RL_CLUSTER_NODES');
const redis = nodes
  ? new Cluster(
      nodes.split(',').map((node) => {
        const [host, port] = node.split(':');
        return { host: host as string, port: Number(port) };
      }),
    )
  : new Redis(env('RL_REDIS_URL'));

const grants: { grantAt: number; resolvedAt: number | null; aborted: boolean }[] = [];
// Limiters keep no state of their own (it is all in Redis): one per acquire, so each grant's
// reservation is known.
const limiterFor = (onReserve: (reservation: { grant: string }) => void) =>
  redisRateLimiterWithLog(
    {
      redis,
      prefix: env('RL_PREFIX'),
      limit: Number(env('RL_LIMIT')),
      intervalMs: Number(env('RL_INTERVAL_MS')),
      burst: env('RL_BURST') ? Number(env('RL_BURST')) : undefined,
    },
    onReserve,
  );

process.on('message', async (message: { type: string }) => {
  if (message.type !== 'go') return;
  const controller = new AbortController();
  const abortAfter = env('RL_ABORT_AFTER_MS');
  const timer = abortAfter ? setTimeout(() => controller.abort(), Number(abortAfter)) : undefined;
  await Promise.all(
    Array.from({ length: Number(env('RL_COUNT')) }, async () => {
      let grantAt = 0;
      const limiter = limiterFor(({ grant }) => {
        grantAt = Number(grant) / 1000;
      });
      try {
        await limiter.acquire(env('RL_KEY'), controller.signal);
        const resolvedAt = performance.timeOrigin + performance.now();
        grants.push({ grantAt, resolvedAt, aborted: false });
      } catch {
        grants.push({ grantAt, resolvedAt: null, aborted: true });
      }
    }),
  );
  clearTimeout(timer);
  process.send?.({ type: 'grants', grants });
  // Let the aborted grants' ZREMs go out before leaving.
  await redis.quit().catch(() => {});
  process.exit(0);
});

// Ready once connected (on a Cluster, once the slots are known) and one round trip warmed up.
redis.on('ready', () => {
  redis.ping().then(() => process.send?.({ type: 'ready' }));
});
