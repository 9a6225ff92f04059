import { Cluster, Redis } from 'ioredis';

/** What `testRedis` found. */
export interface TestRedis {
  /** `REDIS_URL`, else the local default `redis://127.0.0.1:6379`. */
  url: string;
  /** False only when no Redis answers outside CI: CI must have one, so there the tests run and fail. */
  runnable: boolean;
}

/**
 * For test files that need a real Redis: probes it once and, when none answers on a developer's
 * machine, says which suite is skipped instead of failing it.
 *
 * @example
 * ```ts
 * import { testRedis } from '@kabar/redis/testing';
 * import { Cluster, Redis } from 'ioredis';
 * import { describe, it } from 'vitest';
 *
 * const { url, runnable } = await testRedis('my Redis tests');
 * describe.runIf(runnable)('my Redis tests', () => {
 *   it('answers', async () => {
 *     const redis = new Redis(url);
 *     await redis.ping();
 *     redis.disconnect();
 *   });
 * });
 * ```
 */
export async function testRedis(suite: string): Promise<TestRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let available = false;
  try {
    await probe.connect();
    available = (await probe.ping()) === 'PONG';
  } catch {
    available = false;
  } finally {
    probe.disconnect();
  }
  const inCi = process.env.CI !== undefined;
  if (!available && !inCi) console.warn(`${suite} skipped: no Redis answers at ${url}`);
  return { url, runnable: available || inCi };
}

/** What `testRedisCluster` found. */
export interface TestRedisCluster {
  /**
   * `REDIS_CLUSTER_NODES` (comma-separated `host:port`), else the local default
   * `127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002`: pass them to ioredis' `new Cluster(nodes)`.
   */
  nodes: { host: string; port: number }[];
  /** False only when no cluster answers outside CI: CI must have one, so there the tests run and fail. */
  runnable: boolean;
}

/**
 * `testRedis` for a Redis Cluster: probes it once (every slot must be served) and, when none
 * answers on a developer's machine, says which suite is skipped instead of failing it. This
 * repository starts a local 3-master cluster with `node scripts/redis-cluster.mjs`.
 *
 * @example
 * ```ts
 * import { testRedisCluster } from '@kabar/redis/testing';
 * import { Cluster } from 'ioredis';
 * import { describe, it } from 'vitest';
 *
 * const { nodes, runnable } = await testRedisCluster('my Redis Cluster tests');
 * describe.runIf(runnable)('my Redis Cluster tests', () => {
 *   it('answers', async () => {
 *     const cluster = new Cluster(nodes);
 *     await cluster.set('{greeting}:hello', 'world');
 *     cluster.disconnect();
 *   });
 * });
 * ```
 */
export async function testRedisCluster(suite: string): Promise<TestRedisCluster> {
  const nodes = (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002')
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean)
    .map((node) => {
      const [host, port] = node.split(':');
      return { host: host || '127.0.0.1', port: Number(port) };
    });
  const probe = new Cluster(nodes, {
    lazyConnect: true,
    clusterRetryStrategy: () => null,
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 0 },
  });
  probe.on('error', () => {});
  let available = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), 3000);
    });
    await Promise.race([probe.connect(), late]);
    const info = await Promise.race([probe.cluster('INFO'), late]);
    available = String(info).includes('cluster_state:ok');
  } catch {
    available = false;
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
  const inCi = process.env.CI !== undefined;
  if (!available && !inCi) {
    console.warn(
      `${suite} skipped: no Redis Cluster answers at ${nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`,
    );
  }
  return { nodes, runnable: available || inCi };
}
