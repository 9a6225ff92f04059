import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from '../script.js';
import { invalid } from './errors.js';

/**
 * Where the queue lives: ioredis options, a `redis://` URL, or an ioredis instance to share: a
 * `Redis`, or a `Cluster` (the queue's keys then go under a hash tag, see `bullPrefixFor`).
 */
export type BroadcastQueueConnection = RedisOptions | string | Redis | Cluster;

/** The queue's connection; `owned`: made here, so closing the queue closes it. */
export function connect(connection: BroadcastQueueConnection): {
  redis: RedisClient;
  owned: boolean;
} {
  if (connection instanceof Redis || connection instanceof Cluster) {
    return { redis: connection, owned: false };
  }
  if (typeof connection === 'string') return { redis: new Redis(connection), owned: true };
  if (typeof connection === 'object' && connection !== null) {
    return { redis: new Redis(connection), owned: true };
  }
  throw invalid(
    'connection',
    'must be ioredis options, a redis:// URL, or a Redis or Cluster instance',
  );
}

/**
 * A worker's connection: the queue's settings, with commands that wait out a Redis outage
 * (`maxRetriesPerRequest: null`, which BullMQ wants of a worker's connection). A Cluster keeps its
 * node options under `redisOptions`, which is where BullMQ looks for it there; ioredis 5's
 * `Cluster.duplicate` replaces `redisOptions` whole, so they are merged here.
 */
export function workerConnection(
  connection: BroadcastQueueConnection,
  shared: RedisClient,
): RedisClient {
  if (typeof connection === 'string') return new Redis(connection, { maxRetriesPerRequest: null });
  if (shared instanceof Cluster) {
    return shared.duplicate([], {
      redisOptions: { ...shared.options.redisOptions, maxRetriesPerRequest: null },
    });
  }
  if (connection instanceof Redis) return shared.duplicate({ maxRetriesPerRequest: null });
  return new Redis({ ...(connection as RedisOptions), maxRetriesPerRequest: null });
}

/**
 * Keeps a worker's close from hanging on a Redis Cluster. BullMQ (5 and 6) runs its blocking
 * BZPOPMIN on a duplicate of the worker's connection and, on a Cluster, reconnects that duplicate
 * when the command fails with no node left. Closing an idle worker disconnects the duplicate with
 * the BZPOPMIN in flight, which fails it that way now and then: the duplicate comes back, and the
 * close waits forever for its 'end'. Given the worker's own Cluster (before BullMQ duplicates it),
 * this answers a function to call when closing starts: from then on a duplicate that comes back
 * is disconnected again. On one node it does nothing.
 */
export function guardClusterClose(connection: RedisClient): () => void {
  if (!(connection instanceof Cluster)) return () => {};
  let closing = false;
  const duplicate = connection.duplicate.bind(connection);
  connection.duplicate = (...args: Parameters<Cluster['duplicate']>): Cluster => {
    const copy = duplicate(...args);
    copy.on('ready', () => {
      if (closing) copy.disconnect();
    });
    return copy;
  };
  return () => {
    closing = true;
  };
}

/**
 * Lets a BullMQ queue or worker finish connecting before it is closed, for up to `timeoutMs`.
 * BullMQ 5 closed while it is still connecting (connected, not yet through its Redis version check)
 * rejects that check and emits the error from a connection it has already stripped of listeners:
 * an uncaught 'error' that ends the process. A script whose broadcast is already settled closes
 * that soon. BullMQ 6 does not need this; with Redis unreachable, closing goes on after the timeout.
 */
export async function doneConnecting(
  ready: () => Promise<unknown>,
  timeoutMs = 5000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    ready().catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
