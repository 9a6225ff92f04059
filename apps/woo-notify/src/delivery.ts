import { KabarError, type OutgoingMessage, type WhatsAppClient } from '@kabar/core';
import type { WooNotifyConfig } from './config.js';
import type { Logger } from './log.js';
import type { ServiceMetrics } from './metrics.js';
import type { Awaitable, OutboxRow, RowPatch } from './outbox.js';

/** Errors that will not get better by waiting: the row goes to the dead letters at once. */
const PERMANENT = new Set([
  'unauthenticated',
  'invalid_phone',
  'validation',
  'template_not_approved',
  'unsupported_feature',
  // Refusals of the contact; normally the row is skipped (REFUSED), never retried.
  'opted_out',
  'outside_window',
]);

/**
 * The send policy refused the contact before any request (a marketing message to a customer who
 * opted out, a text outside the 24-hour window), or the gateway did (Meta's 131047): waiting will
 * not change it, and it is no failure of the service. The row is `skipped`, with the reason.
 */
const REFUSED = new Set(['opted_out', 'outside_window']);

/** Exponential backoff with jitter, never sooner than the gateway's Retry-After. */
function backoffMs(attempt: number, base: number, max: number, retryAfterS?: number): number {
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.max(jittered, (retryAfterS ?? 0) * 1000);
}

/**
 * The row's latest attempt, which may have reached the gateway, joins its uncertain attempts: the
 * reconciler looks for it in the gateway's records between the first and the latest of them.
 */
export function uncertainWindow(
  row: Pick<OutboxRow, 'attempt_started_at' | 'uncertain_since' | 'updated_at'>,
): Pick<RowPatch, 'uncertain_since' | 'uncertain_until'> {
  const started = row.attempt_started_at ?? row.updated_at;
  return { uncertain_since: row.uncertain_since ?? started, uncertain_until: started };
}

/** Where a failed attempt leaves its row, and the fields to record. */
export type FailureOutcome =
  | { state: 'maybe_sent' | 'dead'; reason: string; patch: RowPatch; why?: Record<string, unknown> }
  | { state: 'pending'; reason: string; patch: RowPatch; delayMs: number };

/** What a failed attempt (the row's `attempts`-th, claimed at `attempt_started_at`) leads to. */
function onFailure(
  error: unknown,
  row: Pick<OutboxRow, 'attempts' | 'attempt_started_at' | 'uncertain_since' | 'updated_at'>,
  config: Pick<WooNotifyConfig, 'gateway' | 'worker'>,
): FailureOutcome {
  const { maxAttempts, backoffBaseMs, backoffMaxMs } = config.worker;
  const kabar = KabarError.isInstance(error) ? error : undefined;
  const code = kabar?.code ?? 'unknown';
  const reason = `${code}: ${error instanceof Error ? error.message : String(error)}`;
  // Anything but a Kabar error that says otherwise may have reached the gateway.
  const uncertain = kabar?.maybeAccepted ?? true;
  // Like core's maybeAccepted across one call's attempts, the row remembers across the worker's
  // attempts that one of them may have been delivered.
  const window = uncertain ? uncertainWindow(row) : {};
  const mayHaveBeenSent = uncertain || row.uncertain_since != null;
  if (uncertain && !config.gateway.deduplicates) {
    // The gateway would not drop a resend: only its records can say whether to send again.
    const last_error = `may have been delivered: ${reason}`;
    return { state: 'maybe_sent', reason, patch: { state: 'maybe_sent', last_error, ...window } };
  }
  let gaveUp: { last_error: string; why: Record<string, unknown> } | undefined;
  if (PERMANENT.has(code)) gaveUp = { last_error: reason, why: { permanent: true } };
  else if (row.attempts >= maxAttempts) {
    const last_error = `gave up after ${row.attempts} attempts: ${reason}`;
    gaveUp = { last_error, why: { maxAttempts } };
  }
  if (gaveUp) {
    const state = mayHaveBeenSent ? 'maybe_sent' : 'dead';
    const last_error = mayHaveBeenSent
      ? `may have been delivered; ${gaveUp.last_error}`
      : gaveUp.last_error;
    return { state, reason, why: gaveUp.why, patch: { state, last_error, ...window } };
  }
  const delayMs = backoffMs(row.attempts, backoffBaseMs, backoffMaxMs, kabar?.retryAfter);
  const patch: RowPatch = {
    state: 'pending',
    next_attempt_at: Date.now() + delayMs,
    last_error: reason,
    ...window,
  };
  return { state: 'pending', reason, patch, delayMs };
}

/** What `deliverRow` needs: the gateway, and how to record a row's new fields. */
export interface DeliveryDeps {
  client: WhatsAppClient;
  config: Pick<WooNotifyConfig, 'gateway' | 'worker'>;
  log: Logger;
  metrics: Pick<ServiceMetrics, 'sent'>;
  record(row: OutboxRow, patch: RowPatch): Awaitable<void>;
}

/**
 * Sends one claimed row and records the outcome: sent, retry later, dead, or maybe sent. The
 * message carries the row's dedupe key as its Idempotency-Key. Shared by the SQLite and the
 * BullMQ worker; only how a row is stored differs.
 */
export async function deliverRow(
  row: OutboxRow,
  { client, config, log, metrics, record }: DeliveryDeps,
): Promise<{ state: 'sent' } | { state: 'skipped'; reason: string } | FailureOutcome> {
  const message = JSON.parse(row.message ?? 'null') as OutgoingMessage;
  const context = {
    id: row.id,
    order: row.order_number,
    status: row.status,
    role: row.role,
    attempt: row.attempts,
    // The webhook request that queued the row: its log lines and these share the id.
    requestId: row.request_id,
  };
  try {
    const result = await client.send(message);
    await record(row, { state: 'sent', gateway_message_id: result.id, last_error: null });
    metrics.sent();
    log('info', 'message_sent', { ...context, messageId: result.id });
    return { state: 'sent' };
  } catch (error) {
    // Skipped only when no attempt of the row may have reached the gateway; otherwise it goes the
    // way of any permanent error (maybe_sent, for the reconciler), since it may have been delivered.
    if (
      KabarError.isInstance(error) &&
      REFUSED.has(error.code) &&
      !error.maybeAccepted &&
      row.uncertain_since == null
    ) {
      const reason = `${error.code}: ${error.message}`;
      await record(row, { state: 'skipped', last_error: reason });
      log('warn', 'message_skipped', { ...context, reason: error.code, error: reason });
      return { state: 'skipped', reason };
    }
    const next = onFailure(error, row, config);
    await record(row, next.patch);
    if (next.state === 'pending') {
      log('warn', 'message_retry', {
        ...context,
        error: next.reason,
        retryInMs: Math.round(next.delayMs),
      });
    } else {
      const event = next.state === 'dead' ? 'message_dead' : 'message_maybe_sent';
      log('error', event, { ...context, error: next.reason, ...next.why });
    }
    return next;
  }
}
