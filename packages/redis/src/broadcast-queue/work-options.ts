import {
  type ClientOptions,
  createClient,
  maskPhonesIn,
  type Provider,
  type ReconcileOptions,
  type WhatsAppClient,
} from '@kabar/core';
import { invalid } from './errors.js';
import { type BroadcastLimit, checkLimit } from './limit.js';
import type { BroadcastQueueResult } from './results.js';

/** The options of `queue.work` whatever the gateway is given as: the limit and the worker's tuning. */
export interface WorkOptionsBase {
  /**
   * One budget for every worker on this queue (see `BroadcastLimit`). Give every worker the same
   * value. `false`: no limit. Default: the provider's documented limit when `provider` is given;
   * required with `client`.
   */
  limit?: BroadcastLimit | false;
  /** Sends in flight at once in this worker. Default 8. */
  concurrency?: number;
  /**
   * How long a worker's lock on a job lasts; BullMQ renews it every half of this while the worker
   * lives, and a dead worker's jobs go to the others once it runs out. Shorter recovers sooner,
   * but a worker that stalls for longer (event loop blocked, long GC, Redis unreachable) loses its
   * jobs to the others while still sending; the row's claim or the gateway's deduplication keeps
   * that from sending twice. Default 5000 ms.
   */
  lockDurationMs?: number;
  /** How often the workers look for jobs whose lock ran out (one of them per interval). Default 2000 ms. */
  stalledIntervalMs?: number;
  /**
   * How many times a row's job may come back from a dead worker and be sent again (on a gateway
   * that deduplicates) or settled (on the others). After that the next worker sends nothing new:
   * it settles the row from the gateway's records, else reports it `maybe_sent` (`failed` if its
   * send never started). Default 1.
   */
  maxStalledCount?: number;
  /**
   * How sends of unknown outcome are settled from the gateway's records (`reconcileSend` from
   * `@kabar/core`): e.g. `settleMs`, how long the gateway may take to log a send before its
   * absence means "not sent". Default: core's defaults.
   */
  reconcile?: ReconcileOptions;
  /** After each row this worker finishes. Observes only: an exception thrown here is ignored. */
  onResult?(result: BroadcastQueueResult): void;
  /** Worker-level errors (Redis connection trouble, lost locks). Default: stderr, phone numbers masked. */
  onError?(error: Error): void;
}

/** Options of `queue.work`: a provider (or a client), the shared limit, and the worker's tuning. */
export type BroadcastWorkOptions = WorkOptionsBase &
  (
    | {
        /**
         * A client made with `rateLimit: false`: the queue's limit is the global one, and a
         * client that paced itself too would only slow each worker down further.
         */
        client: WhatsAppClient;
        /**
         * Whether the gateway drops a resend with the same idempotency key (Kirem does, Meta does
         * not). A client does not say, so say it here; default false, the safe side: each row is
         * claimed in Redis before it is sent, and a retry of a claimed row is reported
         * `maybe_sent` instead of sent twice.
         */
        deduplicates?: boolean;
        provider?: never;
        clientOptions?: never;
      }
    | {
        /** The gateway; the worker makes its own client with `rateLimit: false` and reads `deduplicates` from it. */
        provider: Provider;
        clientOptions?: Omit<ClientOptions, 'provider' | 'rateLimit'>;
        client?: never;
        deduplicates?: never;
      }
  );

/** A worker's options checked, with every default filled in. */
export interface WorkSettings {
  client: WhatsAppClient;
  deduplicates: boolean;
  limit: BroadcastLimit | false;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  reconcile: ReconcileOptions;
  onResult: ((result: BroadcastQueueResult) => void) | undefined;
  onError: (error: Error) => void;
}

// A dead worker's jobs go back to the others within about lock + interval: seconds, not BullMQ's
// default minute. See lockDurationMs for what a shorter lock costs.
const DEFAULT_LOCK_MS = 5000;
const DEFAULT_STALLED_INTERVAL_MS = 2000;

/** Checks `queue.work`'s options and fills in the defaults; throws `invalid_config` on a bad one. */
export function resolveWorkOptions(workOptions: BroadcastWorkOptions): WorkSettings {
  if (!workOptions || typeof workOptions !== 'object') {
    throw invalid('work', 'needs options with a client or a provider');
  }
  let client: WhatsAppClient;
  let deduplicates: boolean;
  let limit = workOptions.limit;
  if (workOptions.provider !== undefined) {
    const { provider } = workOptions;
    if (!provider || typeof provider.send !== 'function') {
      throw invalid('provider', 'must be a provider such as kirem({ apiKey })');
    }
    client = createClient({ ...workOptions.clientOptions, provider, rateLimit: false });
    deduplicates = provider.deduplicates === true;
    if (limit === undefined && provider.defaultRateLimit) {
      limit = {
        max: provider.defaultRateLimit.limit,
        durationMs: provider.defaultRateLimit.intervalMs,
      };
    }
  } else {
    client = workOptions.client as WhatsAppClient;
    if (!client || typeof client.send !== 'function') {
      throw invalid('client', 'must be a client from createClient() (or pass provider)');
    }
    deduplicates = workOptions.deduplicates === true;
  }
  if (limit === undefined) {
    throw invalid('limit', 'is required: { max, durationMs } shared by every worker, or false');
  }
  checkLimit(limit);
  const concurrency = workOptions.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw invalid('concurrency', 'must be a positive integer');
  }
  const lockDuration = workOptions.lockDurationMs ?? DEFAULT_LOCK_MS;
  if (!(lockDuration > 0)) throw invalid('lockDurationMs', 'must be more than 0 milliseconds');
  const stalledInterval = workOptions.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS;
  if (!(stalledInterval > 0)) {
    throw invalid('stalledIntervalMs', 'must be more than 0 milliseconds');
  }
  const maxStalledCount = workOptions.maxStalledCount ?? 1;
  if (!Number.isInteger(maxStalledCount) || maxStalledCount < 0) {
    throw invalid('maxStalledCount', 'must be an integer of 0 or more');
  }
  return {
    client,
    deduplicates,
    limit,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    reconcile: workOptions.reconcile ?? {},
    onResult: workOptions.onResult,
    onError:
      workOptions.onError ??
      ((error: Error) =>
        console.error(`@kabar/redis broadcast queue worker: ${maskPhonesIn(error.message)}`)),
  };
}
