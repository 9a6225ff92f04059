// Starts the local 3-master Redis Cluster that the Redis tests run against (besides the single
// node at REDIS_URL), unless one already answers: `node scripts/redis-cluster.mjs`, or as a vitest
// globalSetup (packages/redis, packages/redis-ioredis5-test, apps/woo-notify). Idempotent: a
// cluster whose state is ok is left alone; nodes that are missing are started and a cluster with no
// slots assigned is created. Nodes run with no persistence, their nodes-<port>.conf in a fresh
// temporary directory, daemonized (they outlive the test run, so the next run finds them).
//
// REDIS_CLUSTER_NODES (default 127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002) names the nodes.
// Without redis-server on the PATH it says so and does nothing, unless CI is set: there it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CLUSTER_NODES = '127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function nodesFromEnv() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by the test runs as well; turbo's test task is never cached
  return (process.env.REDIS_CLUSTER_NODES ?? DEFAULT_CLUSTER_NODES)
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean)
    .map((node) => {
      const [host, port] = node.split(':');
      return { host: host || '127.0.0.1', port: Number(port) };
    });
}

/** `redis-cli` against one node; undefined when it does not answer. */
function cli(node, ...args) {
  const result = spawnSync('redis-cli', ['-h', node.host, '-p', String(node.port), ...args], {
    encoding: 'utf8',
    timeout: 5000,
  });
  if (result.status !== 0 || result.error) return undefined;
  const out = result.stdout.trim();
  return out.startsWith('Could not connect') ? undefined : out;
}

const clusterInfo = (node) => {
  const info = cli(node, 'cluster', 'info');
  if (!info) return undefined;
  return Object.fromEntries(
    info.split(/\r?\n/).map((line) => line.split(':').map((part) => part.trim())),
  );
};

const healthy = (nodes) => nodes.every((node) => clusterInfo(node)?.cluster_state === 'ok');

function has(command) {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Makes sure the cluster answers with cluster_state:ok on every node; see the top of the file. */
export async function ensureRedisCluster({ quiet = false } = {}) {
  const nodes = nodesFromEnv();
  const say = (line) => quiet || console.log(`redis-cluster: ${line}`);
  if (healthy(nodes)) {
    say(`already up on ${nodes.map((n) => n.port).join(', ')}`);
    return { started: false, nodes };
  }
  if (!has('redis-server') || !has('redis-cli')) {
    const message = 'redis-server and redis-cli are not on the PATH; no Redis Cluster started';
    if (process.env.CI !== undefined) throw new Error(`redis-cluster: ${message}`);
    say(`${message} (the cluster tests are skipped)`);
    return { started: false, nodes };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kabar-redis-cluster-'));
  for (const node of nodes) {
    if (cli(node, 'ping') === 'PONG') continue;
    execFileSync('redis-server', [
      '--port',
      String(node.port),
      '--bind',
      node.host,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${node.port}.conf`),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--logfile',
      join(dir, `redis-${node.port}.log`),
    ]);
  }
  for (let i = 0; i < 50 && !nodes.every((node) => cli(node, 'ping') === 'PONG'); i++) {
    await sleep(100);
  }
  const unassigned = nodes.every((node) => clusterInfo(node)?.cluster_slots_assigned === '0');
  if (unassigned) {
    const created = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `${node.host}:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (created.status !== 0) {
      throw new Error(`redis-cluster: cluster create failed: ${created.stdout}${created.stderr}`);
    }
  }
  for (let i = 0; i < 100; i++) {
    if (healthy(nodes)) {
      say(`up on ${nodes.map((n) => n.port).join(', ')} (node files in ${dir})`);
      return { started: true, nodes };
    }
    await sleep(100);
  }
  throw new Error(
    `redis-cluster: cluster_state is not ok on ${nodes.map((n) => n.port).join(', ')}`,
  );
}

/** As a vitest globalSetup. */
export async function setup() {
  await ensureRedisCluster();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ensureRedisCluster();
}
