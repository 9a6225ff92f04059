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

export type FailureOutcome =
  | { state: 'maybe_sent' | 'dead'; reason: string; error: string; why?: Record<string, unknown> }
  | { state: 'pending'; reason: string; error: string; delayMs: number };

/** What a failed send (the row's `attempts`-th) leads to; shared by the SQLite and Redis workers. */
export function onFailure(
  error: unknown,
  attempts: number,
  config: Pick<WooNotifyConfig, 'gateway' | 'worker'>,
): FailureOutcome {
  const { maxAttempts, backoffBaseMs, backoffMaxMs } = config.worker;
  const kabar = KabarError.isInstance(error) ? error : undefined;
  const code = kabar?.code ?? 'unknown';
  const reason = `${code}: ${error instanceof Error ? error.message : String(error)}`;
  if (!config.gateway.deduplicates && (kabar?.maybeAccepted ?? true)) {
    // The gateway may have delivered it and would not drop a resend: leave it to the admin.
    return { state: 'maybe_sent', reason, error: `may have been delivered: ${reason}` };
  }
  if (PERMANENT.has(code))
    return { state: 'dead', reason, error: reason, why: { permanent: true } };
  if (attempts >= maxAttempts) {
    return {
      state: 'dead',
      reason,
      error: `gave up after ${attempts} attempts: ${reason}`,
      why: { maxAttempts },
    };
  }
  const delayMs = backoffMs(attempts, backoffBaseMs, backoffMaxMs, kabar?.retryAfter);
  return { state: 'pending', reason, error: reason, delayMs };
}

export function startWorker(deps: {
  outbox: Outbox;
  client: WhatsAppClient;
  config: WooNotifyConfig;
  log: Logger;
}): Worker {
  const { outbox, client, config, log } = deps;
  const { concurrency, pollIntervalMs } = config.worker;
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
      const next = onFailure(error, row.attempts, config);
      if (next.state === 'pending') {
        outbox.retryLater(row.id, Date.now() + next.delayMs, next.error);
        log('warn', 'message_retry', {
          ...context,
          error: next.reason,
          retryInMs: Math.round(next.delayMs),
        });
      } else if (next.state === 'maybe_sent') {
        outbox.markMaybeSent(row.id, next.error);
        log('error', 'message_maybe_sent', { ...context, error: next.reason });
      } else {
        outbox.markDead(row.id, next.error);
        log('error', 'message_dead', { ...context, error: next.reason, ...next.why });
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
