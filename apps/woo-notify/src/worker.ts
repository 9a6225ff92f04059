import { KabarError, type OutgoingMessage, type WhatsAppClient } from '@kabar/core';
import type { WooNotifyConfig } from './config.js';
import type { Logger } from './log.js';
import type { Outbox, OutboxRow } from './outbox.js';

/** Errors that will not get better by waiting: the row goes to the dead letters at once. */
const PERMANENT = new Set([
  'unauthenticated',
  'invalid_phone',
  'validation',
  'template_not_approved',
  'unsupported_feature',
]);

export interface Worker {
  readonly running: boolean;
  /** Look for work now (after an enqueue or a replay). */
  wake(): void;
  /** Stops claiming rows and resolves once every in-flight send has finished. */
  stop(): Promise<void>;
  readonly inFlight: number;
}

export function backoffMs(
  attempt: number,
  base: number,
  max: number,
  retryAfterS?: number,
): number {
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.max(jittered, (retryAfterS ?? 0) * 1000);
}

export function startWorker(deps: {
  outbox: Outbox;
  client: WhatsAppClient;
  config: WooNotifyConfig;
  log: Logger;
}): Worker {
  const { outbox, client, config, log } = deps;
  const { concurrency, maxAttempts, backoffBaseMs, backoffMaxMs, pollIntervalMs } = config.worker;
  const inFlight = new Set<Promise<void>>();
  let running = true;
  let timer: NodeJS.Timeout | undefined;

  async function deliver(row: OutboxRow): Promise<void> {
    const message = JSON.parse(row.message ?? 'null') as OutgoingMessage;
    const context = {
      id: row.id,
      order: row.order_number,
      status: row.status,
      role: row.role,
      attempt: row.attempts,
    };
    try {
      const result = await client.send(message);
      outbox.markSent(row.id, result.id);
      log('info', 'message_sent', { ...context, messageId: result.id });
    } catch (error) {
      const kabar = KabarError.isInstance(error) ? error : undefined;
      const code = kabar?.code ?? 'unknown';
      const reason = `${code}: ${error instanceof Error ? error.message : String(error)}`;
      if (!config.gateway.deduplicates && (kabar?.maybeAccepted ?? true)) {
        // The gateway may have delivered it and would not drop a resend: leave it to the admin.
        outbox.markMaybeSent(row.id, `may have been delivered: ${reason}`);
        log('error', 'message_maybe_sent', { ...context, error: reason });
      } else if (PERMANENT.has(code)) {
        outbox.markDead(row.id, reason);
        log('error', 'message_dead', { ...context, error: reason, permanent: true });
      } else if (row.attempts >= maxAttempts) {
        outbox.markDead(row.id, `gave up after ${row.attempts} attempts: ${reason}`);
        log('error', 'message_dead', { ...context, error: reason, maxAttempts });
      } else {
        const delay = backoffMs(row.attempts, backoffBaseMs, backoffMaxMs, kabar?.retryAfter);
        outbox.retryLater(row.id, Date.now() + delay, reason);
        log('warn', 'message_retry', { ...context, error: reason, retryInMs: Math.round(delay) });
      }
    }
  }

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
        const task = deliver(row).finally(() => {
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
