import { KabarError, type SendResult, tryNormalizePhone } from '@kabar/core';
import { messageRecipient } from '@kabar/core/broadcast';
import { type Job, UnrecoverableError } from 'bullmq';
import { type RedisClient, runScript } from '../script.js';
import { type BroadcastJobData, DEFAULT_CATEGORY } from './enqueue.js';
import { asKabarError, isPolicyRefusal } from './errors.js';
import type { BroadcastKeys } from './keys.js';
import { askGateway } from './reconcile.js';
import type { Recorder } from './recorder.js';
import {
  type BroadcastJobReturn,
  failedRecord,
  MAYBE_SENT_CLAIMED,
  MAYBE_SENT_STALLED,
  MAYBE_SENT_UNKNOWN,
  maybeSentRecord,
  type RowTry,
  type SendingRecord,
  type StoredRecord,
} from './records.js';
import { CLAIM, RELEASE } from './scripts.js';
import type { WorkSettings } from './work-options.js';

/** What a row's processor works with: the worker's settings, connection, keys and recorder. */
export interface RowProcessorContext {
  settings: WorkSettings;
  /** The worker's own connection. */
  redis: RedisClient;
  keysOf(broadcastId: string): BroadcastKeys;
  recorder: Recorder;
}

/**
 * The BullMQ processor of a worker: claims the row, sends it once, and records what happened; a
 * send of unknown outcome is settled from the gateway's records rather than sent again blindly.
 */
export function createRowProcessor({
  settings,
  redis,
  keysOf,
  recorder,
}: RowProcessorContext): (
  job: Job<BroadcastJobData, BroadcastJobReturn>,
) => Promise<BroadcastJobReturn> {
  const { client, deduplicates, maxStalledCount } = settings;
  const { sent, notSent, skip } = recorder;

  async function processJob(
    job: Job<BroadcastJobData, BroadcastJobReturn>,
  ): Promise<BroadcastJobReturn> {
    const { broadcastId, key, message } = job.data;
    const attempt = job.attemptsMade + 1;
    const row: RowTry = {
      key,
      jobId: job.id as string,
      message,
      to: messageRecipient(message),
      attempt,
      lastAttempt: attempt >= (job.opts.attempts ?? 1),
      keys: keysOf(broadcastId),
    };
    // The row's workers kept dying: this try sends nothing new, it only settles the row.
    const givenUp = job.stalledCounter > maxStalledCount;

    const [claim, current] = await runScript<[string, string]>(
      redis,
      CLAIM,
      [row.keys.results, row.keys.counts],
      [key, deduplicates && !givenUp ? '0' : '1', String(attempt), new Date().toISOString()],
    );
    const stored = JSON.parse(current) as StoredRecord;
    if (stored.status === 'sent') return stored;
    if (claim === 'done') {
      throw new UnrecoverableError(`maybe_sent: ${(stored as { reason?: string }).reason}`);
    }
    const sending = stored as SendingRecord;
    if (claim === 'claimed') {
      return reconcile(row, sending, givenUp ? MAYBE_SENT_STALLED : MAYBE_SENT_CLAIMED);
    }
    if (givenUp) {
      const error = new KabarError(
        'provider_error',
        'broadcast queue: the workers taking this row kept stopping before its send started; given up',
        { provider: client.provider },
      );
      return notSent(row, failedRecord(row, error));
    }
    return send(row, sending);
  }

  /**
   * Sends the row, always with its job id as the idempotency key. `resentAfter`: the gateway's
   * records showed an earlier try never arrived, and this is the one more send they call for.
   */
  async function send(
    row: RowTry,
    sending: SendingRecord,
    resentAfter?: string,
  ): Promise<BroadcastJobReturn> {
    let answer: SendResult;
    try {
      // The job id names the row for good: a resend after a crash carries the same key, and a
      // gateway that deduplicates (Kirem) drops it.
      // Marketing unless the message says otherwise: rows enqueued before the queue stamped
      // the broadcast's category on each message are treated as core's broadcast treats them.
      answer = await client.send({
        category: DEFAULT_CATEGORY,
        ...row.message,
        idempotencyKey: row.jobId,
      });
    } catch (thrown) {
      const error = asKabarError(thrown);
      // The send policy (or the gateway, for the window) refused it before it was taken:
      // the row is skipped, as core's broadcast skips it, not failed and not retried.
      if (isPolicyRefusal(thrown)) return skip(row, thrown.code);
      const unknown = !KabarError.isInstance(thrown) || error.maybeAccepted;
      // BullMQ tries again, unless this was the last try or the one resend records called for.
      if (!row.lastAttempt && resentAfter === undefined) {
        if (error.isRetryable && !error.maybeAccepted) {
          // The gateway did not take it: give the claim back; the retry waits for a backoff.
          await runScript(redis, RELEASE, [row.keys.results], [row.key]);
          throw error;
        }
        if (unknown && deduplicates) throw error; // same key again: safe
      }
      if (!unknown) return notSent(row, failedRecord(row, error));
      if (resentAfter === undefined) return reconcile(row, sending, MAYBE_SENT_UNKNOWN, error);
      const evidence = `${resentAfter}; sent once more, and that failed too`;
      return notSent(row, maybeSentRecord(row, sending, MAYBE_SENT_UNKNOWN, evidence, error));
    }
    return sent(row, {
      to: row.to ?? answer.to,
      messageId: answer.id,
      ...(resentAfter === undefined ? {} : { evidence: `${resentAfter}; sent once more` }),
    });
  }

  /**
   * Settles a send of unknown outcome from the gateway's records instead of leaving it to a
   * person: sent or failed as they show, sent once more (same key) where they show it never
   * arrived, and maybe_sent, with what they said, where they cannot tell.
   */
  async function reconcile(
    row: RowTry,
    sending: SendingRecord,
    reason: string,
    error?: KabarError,
  ): Promise<BroadcastJobReturn> {
    const uncertain = {
      message: row.message,
      to: row.to,
      startedAt: sending.startedAt,
      otherMessageIds: await otherSendsToNumberOf(row),
    };
    const found = await askGateway(client, uncertain, settings.reconcile);
    if (found.outcome === 'sent' && found.messageId !== undefined && row.to !== undefined) {
      return sent(row, { to: row.to, messageId: found.messageId, evidence: found.evidence });
    }
    if (found.outcome === 'failed') {
      const failure = new KabarError(
        'provider_error',
        `broadcast queue: the gateway's records show this message failed (${found.evidence})`,
        { provider: client.provider },
      );
      return notSent(row, failedRecord(row, failure, found));
    }
    if (found.outcome === 'not_sent') return send(row, sending, found.evidence);
    return notSent(row, maybeSentRecord(row, sending, reason, found.evidence, error));
  }

  /** What the broadcast's other rows sent to this row's number: never this row's message. */
  async function otherSendsToNumberOf(row: RowTry): Promise<string[]> {
    const number = row.to === undefined ? undefined : tryNormalizePhone(row.to);
    if (number === undefined) return [];
    const ids = await redis.hget(row.keys.sentTo, number);
    return ids ? ids.split(' ') : [];
  }

  return processJob;
}
