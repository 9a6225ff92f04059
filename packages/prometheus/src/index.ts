import {
  type FailureEvent,
  type Hooks,
  KabarError,
  type ResponseEvent,
  type RetryEvent,
} from '@kabar/core';
import { Counter, Histogram, type Registry, register } from 'prom-client';

/**
 * Latency buckets in seconds for calls to an HTTP gateway: from a fast local answer (10 ms) to a
 * gateway near the client's default 15 s timeout and past it.
 */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30,
];

/** Options of {@link prometheusHooks}. */
export interface PrometheusHooksOptions {
  /** Where the metrics are registered. Default: prom-client's global `register`. */
  registry?: Registry;
  /** Prepended to every metric name. Default `kabar_`. */
  prefix?: string;
  /** Upper bounds, in seconds, of the latency histogram's buckets. Default {@link DEFAULT_BUCKETS}. */
  buckets?: readonly number[];
}

/** The label names of the request counter and the latency histogram. */
export type RequestLabel = 'provider' | 'operation' | 'status_class';
/** The label names of the retry and failure counters. */
export type ErrorLabel = 'provider' | 'operation' | 'code';

/** The prom-client metrics behind {@link PrometheusHooks}, for your own dashboards or tests. */
export interface KabarMetrics {
  /** `<prefix>gateway_requests_total`: HTTP attempts, retries included, by status class. */
  requests: Counter<RequestLabel>;
  /** `<prefix>gateway_request_duration_seconds`: how long each HTTP attempt took. */
  duration: Histogram<RequestLabel>;
  /** `<prefix>gateway_retries_total`: retries the client decided on, by the failure's code. */
  retries: Counter<ErrorLabel>;
  /** `<prefix>failures_total`: client calls that failed, by Kabar error code. */
  failures: Counter<ErrorLabel>;
}

/** Core's hooks that feed the metrics, and the metrics. */
export interface PrometheusHooks extends Hooks {
  /** Counts the attempt and observes its duration, whatever its status. */
  onResponse(event: ResponseEvent): void;
  /** Counts the retry by the failed attempt's Kabar error code. */
  onRetry(event: RetryEvent): void;
  /**
   * Counts a call that failed for good by its Kabar error code (`unknown` for anything else),
   * including sends refused before any request (`validation`, `opted_out`, ...).
   */
  onFailure(event: FailureEvent): void;
  /** The metrics, registered in the chosen registry. */
  readonly metrics: KabarMetrics;
}

/**
 * `2xx`, `4xx`, ... for a response; `none` when no response came back (network failure,
 * timeout, abort). A class, never the status itself, keeps the series few.
 */
export function statusClass(status: number | undefined): string {
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) {
    return 'none';
  }
  return `${Math.floor(status / 100)}xx`;
}

// Creating a metric twice in one registry throws; two clients sharing a registry share its metrics.
function counter<T extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly T[],
): Counter<T> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<T>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<T extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly T[],
  buckets: readonly number[],
): Histogram<T> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing as Histogram<T>;
  return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] });
}

/**
 * Turns `@kabar/core`'s client hooks into Prometheus metrics. Labels are the provider, the
 * operation (`send`, `templates.list`, ...), the status class or the Kabar error code: never a
 * URL, a phone number or a message id, so the number of series stays small.
 *
 * Pass the result as `createClient({ hooks })`.
 */
export function prometheusHooks(options: PrometheusHooksOptions = {}): PrometheusHooks {
  const registry = options.registry ?? register;
  const prefix = options.prefix ?? 'kabar_';
  const requestLabels: RequestLabel[] = ['provider', 'operation', 'status_class'];
  const errorLabels: ErrorLabel[] = ['provider', 'operation', 'code'];
  const metrics: KabarMetrics = {
    requests: counter(
      registry,
      `${prefix}gateway_requests_total`,
      'HTTP attempts sent to a WhatsApp gateway, retries included, by status class (none: no response)',
      requestLabels,
    ),
    duration: histogram(
      registry,
      `${prefix}gateway_request_duration_seconds`,
      'Time from sending an HTTP attempt to a gateway until its response was read or it failed',
      requestLabels,
      options.buckets ?? DEFAULT_BUCKETS,
    ),
    retries: counter(
      registry,
      `${prefix}gateway_retries_total`,
      'Retries the Kabar client decided on, by the Kabar error code of the failed attempt',
      errorLabels,
    ),
    failures: counter(
      registry,
      `${prefix}failures_total`,
      'Kabar client calls that failed, by Kabar error code',
      errorLabels,
    ),
  };
  return {
    metrics,
    onResponse(event: ResponseEvent) {
      const labels = {
        provider: event.provider,
        operation: event.operation,
        status_class: statusClass(event.status),
      };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, event.durationMs / 1000);
    },
    onRetry(event: RetryEvent) {
      metrics.retries.inc({
        provider: event.provider,
        operation: event.operation,
        code: event.error.code,
      });
    },
    onFailure(event: FailureEvent) {
      metrics.failures.inc({
        provider: event.provider,
        operation: event.operation,
        code: KabarError.isInstance(event.error) ? event.error.code : 'unknown',
      });
    },
  };
}
export { readSamples, type Sample, sampleTotal } from './samples.js';
