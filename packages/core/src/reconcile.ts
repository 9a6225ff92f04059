import type { CallOptions, WhatsAppClient } from './client.js';
import { maskPhone, normalizePhone } from './phone.js';

/**
 * What is known of a send whose outcome is unknown: the call failed with `maybeAccepted`, or the
 * process died between sending and recording the answer.
 */
export interface UncertainSend {
  /** The recipient, in any form `normalizePhone` accepts. */
  to: string;
  /** When the first attempt went out. Gateway records older than this are other messages. */
  startedAt: Date | string | number;
  /** The message's kind as gateways log it (`text`, `template`, `image`, …), when known. */
  type?: string;
  /** The queue id a gateway that queues answered with (Qirim's `batch_id`), when it was recorded. */
  batchId?: string;
  /** Message ids that belong to other sends to the same number; never matched to this one. */
  excludeMessageIds?: Iterable<string>;
}

/**
 * What the gateway's own records say about an uncertain send:
 * - `sent`: the gateway has it (a log entry or a batch entry); do not send again.
 * - `failed`: the gateway took it and reports that delivery failed.
 * - `not_sent`: the gateway keeps a record of every send and has none for this one; sending again
 *   delivers it once.
 * - `unknown`: the gateway cannot say (no queryable records, too early, too old); a person decides.
 */
export type Reconciliation =
  | { outcome: 'sent' | 'failed'; messageId: string | undefined; status: string; evidence: string }
  | { outcome: 'not_sent' | 'unknown'; evidence: string };

/** Tuning for `reconcileSend`; the defaults suit Kirem's logs and Qirim's batches. */
export interface ReconcileOptions extends CallOptions {
  /** How long a gateway may take to log an accepted send; before that, no log proves nothing. Default 60 s. */
  settleMs?: number;
  /** How long after `startedAt` a logged send may still be this one (retries, queues). Default 10 min. */
  windowMs?: number;
  /** Tolerated difference between this machine's clock and the gateway's. Default 30 s. */
  clockSkewMs?: number;
  /** How long the gateway keeps logs; older sends are `unknown`. Default 7 days (Kirem's free plan). */
  retentionMs?: number;
  /** The current time; for tests and replays. Default `Date.now`. */
  now?: () => number;
}

// Gateways log a delivered message under these statuses; anything else in a log is still in flight.
const ARRIVED = new Set(['sent', 'delivered', 'read', 'played']);
// A page of logs is 100; looking further back than this many pages is not reconciling, it is a scan.
const MAX_LOG_PAGES = 20;
const LOG_PAGE_SIZE = 100;

/**
 * Asks the gateway whether an uncertain send went through: Qirim's batch status when a batch id is
 * known, else Kirem's outbound message log for the recipient around `startedAt`. Other gateways keep
 * nothing Kabar can query, so their sends come back `unknown` with the reason. Throws the client's
 * `KabarError` when the gateway cannot be asked right now (try again later), and `invalid_phone`
 * when `to` is not a valid number.
 *
 * @example
 * ```ts
 * import { createClient, reconcileSend } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 *
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 * });
 *
 * // Recorded when a send failed with `error.maybeAccepted` (idempotencyKey: `error.idempotencyKey`):
 * const uncertain = {
 *   to: '0812-3456-7890',
 *   startedAt: '2025-06-02T08:00:00Z',
 *   type: 'template',
 *   idempotencyKey: 'order-1001-shipped',
 * };
 *
 * // A minute or more later (before `settleMs`, an empty log says `unknown`):
 * const answer = await reconcileSend(wa, uncertain);
 * if (answer.outcome === 'not_sent') {
 *   await wa.send({
 *     to: uncertain.to,
 *     template: { name: 'order_shipped', language: 'id', params: ['1001'] },
 *     idempotencyKey: uncertain.idempotencyKey,
 *   });
 * } else if (answer.outcome === 'unknown') {
 *   console.warn('a person should check:', answer.evidence);
 * }
 * ```
 */
export async function reconcileSend(
  client: WhatsAppClient,
  send: UncertainSend,
  options: ReconcileOptions = {},
): Promise<Reconciliation> {
  const to = normalizePhone(send.to);
  const startedAt = new Date(send.startedAt).getTime();
  if (Number.isNaN(startedAt)) return { outcome: 'unknown', evidence: 'no valid start time' };
  if (send.batchId !== undefined && client.supports('batch.status')) {
    return fromBatch(client, to, send.batchId, options);
  }
  if (client.supports('logs.messages')) return fromLogs(client, to, startedAt, send, options);
  return {
    outcome: 'unknown',
    evidence: `the ${client.provider} gateway keeps no record of sends that Kabar can query`,
  };
}

async function fromBatch(
  client: WhatsAppClient,
  to: string,
  batchId: string,
  options: ReconcileOptions,
): Promise<Reconciliation> {
  const batch = await client.batches.get(batchId, options);
  const entry = batch.messages.find((message) => message.to.replace(/\D/g, '') === to);
  if (!entry)
    return { outcome: 'unknown', evidence: `batch ${batchId} has no message to ${maskPhone(to)}` };
  const evidence = `batch ${batchId}: ${entry.status}`;
  if (ARRIVED.has(entry.status)) {
    return { outcome: 'sent', messageId: entry.messageId, status: entry.status, evidence };
  }
  if (entry.status === 'failed') {
    return { outcome: 'failed', messageId: entry.messageId, status: entry.status, evidence };
  }
  return { outcome: 'unknown', evidence: `${evidence} (still in the gateway's queue)` };
}

async function fromLogs(
  client: WhatsAppClient,
  to: string,
  startedAt: number,
  send: UncertainSend,
  options: ReconcileOptions,
): Promise<Reconciliation> {
  const now = (options.now ?? Date.now)();
  const skew = options.clockSkewMs ?? 30_000;
  const windowEnd = startedAt + (options.windowMs ?? 600_000);
  if (now - startedAt > (options.retentionMs ?? 7 * 86_400_000)) {
    return { outcome: 'unknown', evidence: 'older than the gateway keeps message logs' };
  }
  const excluded = new Set(send.excludeMessageIds ?? []);
  // Logs come newest first; the match is the earliest send to this number at or after startedAt.
  let match: { messageId: string; status: string; createdAt: string } | undefined;
  let scanned = 0;
  const filter = { direction: 'outbound' as const, recipient: to, limit: LOG_PAGE_SIZE };
  for await (const log of client.logs.allMessages(filter, options)) {
    const createdAt = Date.parse(log.createdAt);
    if (createdAt < startedAt - skew) break;
    if (++scanned > MAX_LOG_PAGES * LOG_PAGE_SIZE) break;
    if (createdAt > windowEnd || excluded.has(log.messageId)) continue;
    if (send.type !== undefined && log.type !== send.type) continue;
    match = { messageId: log.messageId, status: log.status, createdAt: log.createdAt };
  }
  if (match) {
    const evidence = `${client.provider} log: ${match.messageId} to ${maskPhone(to)} at ${match.createdAt}, ${match.status}`;
    const outcome = match.status === 'failed' ? 'failed' : 'sent';
    return { outcome, messageId: match.messageId, status: match.status, evidence };
  }
  if (scanned > MAX_LOG_PAGES * LOG_PAGE_SIZE) {
    return { outcome: 'unknown', evidence: 'too many sends to this number to tell them apart' };
  }
  if (now - startedAt < (options.settleMs ?? 60_000)) {
    return { outcome: 'unknown', evidence: 'too early: the gateway may not have logged it yet' };
  }
  const kind = send.type === undefined ? '' : ` ${send.type}`;
  const since = new Date(startedAt).toISOString();
  return {
    outcome: 'not_sent',
    evidence: `${client.provider} logged no${kind} send to ${maskPhone(to)} since ${since}`,
  };
}
