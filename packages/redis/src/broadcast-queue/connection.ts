import { Redis, type RedisOptions } from 'ioredis';
import { invalid } from './errors.js';

/** Where the queue lives: ioredis options, a `redis://` URL, or an ioredis instance to share. */
export type BroadcastQueueConnection = RedisOptions | string | Redis;

/** The queue's connection; `owned`: made here, so closing the queue closes it. */
export function connect(connection: BroadcastQueueConnection): { redis: Redis; owned: boolean } {
  if (connection instanceof Redis) return { redis: connection, owned: false };
  if (typeof connection === 'string') return { redis: new Redis(connection), owned: true };
  if (typeof connection === 'object' && connection !== null) {
    return { redis: new Redis(connection), owned: true };
  }
  throw invalid('connection', 'must be ioredis options, a redis:// URL or a Redis instance');
}

/** A worker's connection: the queue's settings, with commands that wait out a Redis outage. */
export function workerConnection(connection: BroadcastQueueConnection, shared: Redis): Redis {
  if (typeof connection === 'string') return new Redis(connection, { maxRetriesPerRequest: null });
  if (connection instanceof Redis) return shared.duplicate({ maxRetriesPerRequest: null });
  return new Redis({ ...connection, maxRetriesPerRequest: null });
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
