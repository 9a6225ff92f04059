import { KabarError } from './errors.js';

/**
 * How the client retries a failed call (`createClient({ retry })`). Failures where the gateway
 * clearly did not take the request (connection refused, 408, 429, 503 with `Retry-After`,
 * throughput errors) are retried, and reads are retried after any transient failure. A send that
 * may have reached the gateway (a timeout, a reset, another 5xx) is retried only when the gateway
 * deduplicates, or with `retryUnsafe`.
 */
export interface RetryOptions {
  /** Retries after the first attempt; 0 for none. Default 2. */
  maxRetries?: number;
  /** First backoff delay; doubles each retry, with jitter. Default 500 ms. */
  initialDelayMs?: number;
  /** Ceiling for one backoff delay. Default 10 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited out: the error is thrown. Default 60 s. */
  maxRetryAfterMs?: number;
  /**
   * Also retry sends that may already have been accepted (timeouts, 5xx) on gateways that do not
   * deduplicate. This can deliver a message twice; leave it off unless duplicates are harmless.
   */
  retryUnsafe?: boolean;
}

/** Retry options with every default filled in. */
export type ResolvedRetry = Required<RetryOptions>;

/** The retry policy for `createClient`'s `retry` option; `false` turns retries off. */
export function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry {
  const defaults: ResolvedRetry = {
    maxRetries: 2,
    initialDelayMs: 500,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    retryUnsafe: false,
  };
  if (options === false) return { ...defaults, maxRetries: 0 };
  return { ...defaults, ...options };
}

/**
 * How repeating an operation affects the gateway:
 * - `idempotent`: reads and set-style writes; repeating changes nothing.
 * - `send`: a message; repeating delivers it again unless the gateway deduplicates.
 * - `unsafe`: other creations (templates, uploads); repeating may create twice.
 */
export type Repeatability = 'idempotent' | 'send' | 'unsafe';

/** Whether a failed attempt may be repeated without risking a second delivery. */
export function shouldRetry(
  error: unknown,
  repeatability: Repeatability,
  gatewayDeduplicates: boolean,
  options: ResolvedRetry,
): error is KabarError {
  if (!KabarError.isInstance(error) || !error.isRetryable) return false;
  if (!error.maybeAccepted || repeatability === 'idempotent') return true;
  if (repeatability === 'send' && gatewayDeduplicates) return true;
  return options.retryUnsafe;
}

/** Delay before retry number `retry` (1-based), or undefined when Retry-After is too long to wait. */
export function retryDelayMs(
  error: KabarError,
  retry: number,
  options: ResolvedRetry,
): number | undefined {
  if (error.retryAfter !== undefined) {
    const ms = error.retryAfter * 1000;
    return ms <= options.maxRetryAfterMs ? ms : undefined;
  }
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (retry - 1));
  // Half fixed, half random: spreads out clients that failed together without ever retrying instantly.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Waits `ms` milliseconds; rejects with `aborted` when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new KabarError('aborted', 'aborted while waiting to retry', { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(
        new KabarError('aborted', 'aborted while waiting to retry', { cause: signal?.reason }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
