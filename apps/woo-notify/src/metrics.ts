import { type PrometheusHooks, prometheusHooks } from '@kabar/prometheus';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { OutboxStore } from './outbox.js';

/** How the webhook endpoint answered one WooCommerce delivery. */
export type DeliveryOutcome =
  | {
      outcome: 'accepted';
      /** queued: new rows; duplicate: every row known already; ignored: topic or status. */
      reason: 'queued' | 'duplicate' | 'ignored' | 'ping';
    }
  | {
      outcome: 'refused';
      reason: 'bad_signature' | 'bad_json' | 'not_an_order' | 'too_large' | 'error';
    };

/** The service's Prometheus metrics, served at `/metrics`. */
export interface ServiceMetrics {
  readonly registry: Registry;
  /**
   * Core's hooks for the gateway client: requests, latency, retries, and failed calls by Kabar
   * error code (`onFailure`).
   */
  readonly gateway: PrometheusHooks;
  /** Counts one answered webhook delivery. */
  delivery(outcome: DeliveryOutcome): void;
  /** Counts a message the gateway accepted. */
  sent(): void;
}

/**
 * A registry of its own (two services in one process never share counts) holding the service's
 * counters, the gateway metrics of `@kabar/prometheus` and Node's process metrics.
 */
export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gateway = prometheusHooks({ registry });
  const deliveries = new Counter({
    name: 'woo_notify_webhook_deliveries_total',
    help: 'WooCommerce webhook deliveries answered, by outcome (accepted: 200, refused: 4xx/5xx) and reason',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  const sent = new Counter({
    name: 'woo_notify_messages_sent_total',
    help: 'Messages the gateway accepted',
    registers: [registry],
  });
  return {
    registry,
    gateway,
    delivery: ({ outcome, reason }) => deliveries.inc({ outcome, reason }),
    sent: () => sent.inc(),
  };
}

/** Outbox depth by state and the age of the oldest pending row, read from `store` at each scrape. */
export function watchOutbox(metrics: ServiceMetrics, store: OutboxStore): void {
  new Gauge({
    name: 'woo_notify_outbox_rows',
    help: 'Outbox rows by state',
    labelNames: ['state'],
    registers: [metrics.registry],
    async collect() {
      for (const [state, n] of Object.entries(await store.counts())) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'woo_notify_outbox_oldest_pending_age_seconds',
    help: 'Seconds since the oldest pending row was queued; 0 when none is pending',
    registers: [metrics.registry],
    async collect() {
      const at = await store.oldestPendingAt();
      this.set(at === undefined ? 0 : Math.max(0, (Date.now() - at) / 1000));
    },
  });
}
