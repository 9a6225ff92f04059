import {
  KabarError,
  type OutgoingMessage,
  type Reconciliation,
  reconcileSend,
  type WhatsAppClient,
} from '@kabar/core';
import type { WooNotifyConfig } from './config.js';
import type { Logger } from './log.js';
import type { Awaitable, OutboxRow, RowPatch } from './outbox.js';

/** What the reconciler needs from either outbox. */
export interface ReconcileStore {
  /**
   * Rows with a message whose send may have reached the gateway and is not settled: every
   * `maybe_sent` row, every `sending` row (in flight: its log entry may already be there), and
   * `pending` rows with an uncertain earlier attempt.
   */
  uncertainRows(): Awaitable<OutboxRow[]>;
  /** Gateway message ids already recorded for rows sent to `recipient`. */
  messageIdsTo(recipient: string): Awaitable<string[]>;
  /**
   * Applies the reconciler's verdict to a row still `maybe_sent` and unchanged since it was read
   * (an admin replay or another instance may have moved it); true when it did.
   */
  settle(row: OutboxRow, patch: RowPatch): Awaitable<boolean>;
}

/**
 * What became of a `maybe_sent` row: `sent` / `failed` per the gateway's records, `requeued` (the
 * gateway has no record of it: sent again), `dead` (no record, but no attempts left), `unknown`
 * (the gateway cannot say: left for a person), `deferred` (asked again at the next sweep).
 */
export type Verdict = 'sent' | 'failed' | 'requeued' | 'dead' | 'unknown' | 'deferred';

/** One sweep: what was decided for each `maybe_sent` row, and how many of each. */
export interface ReconcileReport {
  counts: Record<Verdict, number>;
  rows: { id: number; order: string; verdict: Verdict; evidence: string }[];
}

/** What a sweep needs. */
export interface ReconcileDeps {
  store: ReconcileStore;
  client: WhatsAppClient;
  config: Pick<WooNotifyConfig, 'reconcile' | 'worker'>;
  log: Logger;
}

/** What the gateway said of one row, or that it is too early to ask. */
type Judgement = Reconciliation | { outcome: 'deferred'; evidence: string };

// How long after an attempt its message may still show up in the gateway's log (core's default).
const LOG_WINDOW_MS = 10 * 60_000;

function messageOf(row: OutboxRow): OutgoingMessage {
  return JSON.parse(row.message ?? 'null') as OutgoingMessage;
}

/** The message kind as gateways log it. woo-notify sends templates and texts only. */
function kindOf(row: OutboxRow): string {
  return 'template' in messageOf(row) ? 'template' : 'text';
}

/** When the row's uncertain attempts started; rows from before these fields span their life. */
function windowOf(row: OutboxRow): { since: number; until: number } {
  return {
    since: row.uncertain_since ?? row.created_at,
    until: row.uncertain_until ?? row.updated_at,
  };
}

/**
 * Asks the gateway about one recipient's uncertain sends of one kind, oldest first. Its log does
 * not say which order a message was for, so several sends are settled only together: all found
 * (each its own log entry) or none found; anything in between is left to a person.
 */
async function judge(group: OutboxRow[], deps: ReconcileDeps): Promise<Judgement[]> {
  const { store, client, config } = deps;
  const recipient = (group[0] as OutboxRow).recipient;
  const exclude = new Set(await store.messageIdsTo(recipient));
  const now = Date.now();
  const results: Reconciliation[] = [];
  for (const row of group) {
    const { since, until } = windowOf(row);
    const span = until - since;
    let result: Reconciliation;
    try {
      result = await reconcileSend(
        client,
        { to: recipient, startedAt: since, type: kindOf(row), excludeMessageIds: exclude },
        // The latest attempt, not the first, must have had time to show up in the log.
        { settleMs: config.reconcile.settleMs + span, windowMs: span + LOG_WINDOW_MS },
      );
    } catch (error) {
      if (!KabarError.isInstance(error) || error.isRetryable) throw error;
      // 403 on a plan without the analytics API, and the like: asking again will not help.
      const evidence = `the ${client.provider} gateway would not show its records: ${error.code}: ${error.message}`;
      return group.map(() => ({ outcome: 'unknown', evidence }));
    }
    if (result.outcome === 'unknown' && now < until + config.reconcile.settleMs) {
      return group.map(() => ({ outcome: 'deferred', evidence: result.evidence }));
    }
    if ('messageId' in result && result.messageId) exclude.add(result.messageId);
    results.push(result);
  }
  if (new Set(results.map((result) => result.outcome)).size > 1) {
    const found = results.filter((result) => 'messageId' in result).length;
    const evidence = `${found} of ${group.length} uncertain sends to this number are in the ${client.provider} log, which cannot tell which order each was for`;
    return group.map(() => ({ outcome: 'unknown', evidence }));
  }
  return results;
}

/** The row's new fields for a judgement, and the verdict to report. */
function verdictFor(
  row: OutboxRow,
  judgement: Judgement,
  maxAttempts: number,
): { verdict: Verdict; patch?: RowPatch } {
  const checked = { evidence: judgement.evidence, checked_at: Date.now() };
  switch (judgement.outcome) {
    case 'deferred':
      return { verdict: 'deferred' };
    case 'unknown': {
      // Stays maybe_sent; the window is kept so the admin sees when the send was attempted.
      const { since, until } = windowOf(row);
      return {
        verdict: 'unknown',
        patch: { ...checked, uncertain_since: since, uncertain_until: until },
      };
    }
    case 'sent':
    case 'failed': {
      const sent = judgement.outcome === 'sent';
      const last_error = sent
        ? null
        : `the gateway took it but reports delivery failed: ${judgement.evidence}`;
      return {
        verdict: judgement.outcome,
        patch: {
          ...checked,
          state: sent ? 'sent' : 'dead',
          gateway_message_id: judgement.messageId ?? null,
          last_error,
        },
      };
    }
    case 'not_sent': {
      // Proven undelivered, so no longer uncertain; the resend reuses the row's Idempotency-Key.
      const cleared = { ...checked, uncertain_since: null, uncertain_until: null };
      if (row.attempts >= maxAttempts) {
        const last_error = `gave up after ${row.attempts} attempts, never delivered (a replay sends it once): ${judgement.evidence}`;
        return { verdict: 'dead', patch: { ...cleared, state: 'dead', last_error } };
      }
      const last_error = `not delivered, sending again: ${judgement.evidence}`;
      return {
        verdict: 'requeued',
        patch: { ...cleared, state: 'pending', next_attempt_at: Date.now(), last_error },
      };
    }
  }
}

/**
 * One sweep: every `maybe_sent` row is settled from the gateway's own records where they can say
 * (Kirem's outbound message log), else marked for review with what is known. Shared by the SQLite
 * and the Redis outbox.
 */
export async function reconcileOnce(deps: ReconcileDeps): Promise<ReconcileReport> {
  const { store, config, log } = deps;
  const groups = new Map<string, OutboxRow[]>();
  for (const row of await store.uncertainRows()) {
    const key = `${row.recipient} ${kindOf(row)}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const report: ReconcileReport = {
    counts: { sent: 0, failed: 0, requeued: 0, dead: 0, unknown: 0, deferred: 0 },
    rows: [],
  };
  for (const members of groups.values()) {
    const group = members.sort((a, b) => windowOf(a).since - windowOf(b).since);
    const waiting = group.filter((row) => row.state === 'maybe_sent');
    if (waiting.length === 0) continue;
    let judgements: Judgement[];
    if (waiting.length < group.length) {
      // Another send to this number is still being retried: its log entry, if any, would be
      // indistinguishable from these. Ask once it has settled.
      const evidence = 'another send to this number is still in progress';
      judgements = group.map(() => ({ outcome: 'deferred', evidence }));
    } else {
      try {
        judgements = await judge(group, deps);
      } catch (error) {
        log('warn', 'reconcile_failed', { error: (error as Error).message });
        const evidence = `could not ask the gateway now: ${(error as Error).message}`;
        judgements = group.map(() => ({ outcome: 'deferred', evidence }));
      }
    }
    for (const [i, row] of group.entries()) {
      if (row.state !== 'maybe_sent') continue;
      const judgement = judgements[i] as Judgement;
      const { evidence } = judgement;
      const { verdict, patch } = verdictFor(row, judgement, config.worker.maxAttempts);
      if (patch && !(await store.settle(row, patch))) continue;
      report.counts[verdict] += 1;
      report.rows.push({ id: row.id, order: row.order_number, verdict, evidence });
      logVerdict(log, row, verdict, evidence, patch);
    }
  }
  return report;
}

function logVerdict(
  log: Logger,
  row: OutboxRow,
  verdict: Verdict,
  evidence: string,
  patch: RowPatch | undefined,
): void {
  const context = { id: row.id, order: row.order_number, status: row.status, role: row.role };
  if (verdict === 'deferred') return;
  if (verdict === 'unknown') {
    // Once per new finding, not at every sweep.
    if (evidence === row.evidence) return;
    const { since, until } = windowOf(row);
    log('warn', 'message_needs_review', {
      ...context,
      evidence,
      startedAt: new Date(since).toISOString(),
      lastAttemptAt: new Date(until).toISOString(),
      idempotencyKey: messageOf(row).idempotencyKey,
    });
    return;
  }
  log(verdict === 'sent' || verdict === 'requeued' ? 'info' : 'warn', 'message_reconciled', {
    ...context,
    verdict,
    messageId: patch?.gateway_message_id ?? undefined,
    evidence,
  });
}

/** The periodic sweep and the admin's "now". */
export interface Reconciler {
  /** Sweeps now (or joins the sweep under way). */
  run(): Promise<ReconcileReport>;
  /** No more sweeps; resolves once the one under way has finished. */
  stop(): Promise<void>;
}

/**
 * Sweeps at start and every `reconcile.intervalMs` (none when 0). `onRequeued` runs after a sweep
 * that put rows back to pending (the SQLite worker is woken; Redis rows get their job at once).
 */
export function startReconciler(deps: ReconcileDeps & { onRequeued?: () => void }): Reconciler {
  const { intervalMs } = deps.config.reconcile;
  let current: Promise<ReconcileReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const run = () => {
    current ??= reconcileOnce(deps)
      .then((report) => {
        if (report.counts.requeued > 0) deps.onRequeued?.();
        return report;
      })
      .finally(() => {
        current = undefined;
      });
    return current;
  };
  const tick = () => {
    run()
      .catch((error: Error) => deps.log('error', 'reconcile_failed', { error: error.message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  if (intervalMs > 0) timer = setTimeout(tick, 0);

  return {
    run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => {});
    },
  };
}
