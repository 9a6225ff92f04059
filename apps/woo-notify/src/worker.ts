import type { WhatsAppClient } from '@kabar/core';
import type { WooNotifyConfig } from './config.js';
import { deliverRow } from './delivery.js';
import type { Logger } from './log.js';
import type { ServiceMetrics } from './metrics.js';
import type { Outbox, OutboxRow, RowPatch } from './outbox.js';

/** A claim-and-send loop, either backend. */
export interface Worker {
  readonly running: boolean;
  /** Look for work now (after an enqueue or a replay). */
  wake(): void;
  /** Stops claiming rows and resolves once every in-flight send has finished. */
  stop(): Promise<void>;
  readonly inFlight: number;
}

/** The SQLite worker: polls the outbox for due rows and sends up to `concurrency` at a time. */
export function startWorker(deps: {
  outbox: Outbox;
  client: WhatsAppClient;
  config: WooNotifyConfig;
  log: Logger;
  metrics: ServiceMetrics;
}): Worker {
  const { outbox, client, config, log, metrics } = deps;
  const { concurrency, pollIntervalMs } = config.worker;
  const inFlight = new Set<Promise<unknown>>();
  let running = true;
  let timer: NodeJS.Timeout | undefined;

  const delivery = {
    client,
    config,
    log,
    metrics,
    record: (row: OutboxRow, patch: RowPatch) => outbox.update(row.id, patch),
  };

  function schedule(delay: number) {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delay);
  }

  function tick() {
    timer = undefined;
    if (!running || !outbox.open) return;
    const free = concurrency - inFlight.size;
    if (free > 0) {
      let rows: OutboxRow[] = [];
      try {
        rows = outbox.claim(free);
      } catch (error) {
        log('error', 'outbox_claim_failed', { error: (error as Error).message });
      }
      for (const row of rows) {
        const task = deliverRow(row, delivery).finally(() => {
          inFlight.delete(task);
          if (running) schedule(0);
        });
        inFlight.add(task);
      }
    }
    if (inFlight.size < concurrency) {
      const next = outbox.open ? outbox.nextDueAt() : undefined;
      const wait =
        next === undefined
          ? pollIntervalMs
          : Math.max(0, Math.min(pollIntervalMs, next - Date.now()));
      schedule(wait);
    }
  }

  schedule(0);
  return {
    get running() {
      return running;
    },
    get inFlight() {
      return inFlight.size;
    },
    wake() {
      if (running && inFlight.size < concurrency) schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
