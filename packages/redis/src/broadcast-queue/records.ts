import type { KabarError, OutgoingMessage } from '@kabar/core';
import type { BroadcastKeys } from './keys.js';
import type { SkipReason } from './results.js';

/** While a row's send is under way: from the first try that may have been accepted. */
export interface SendingRecord {
  /** Claimed, and its send started; not finished yet. */
  status: 'sending';
  /** The try that claimed the row. */
  attempt: number;
  /** ISO time that try started: where settling looks in the gateway's records from. */
  startedAt: string;
}

/**
 * The JSON kept per row in the broadcast's results hash in Redis: `sending` while a send is under
 * way, then the row's outcome. `results()` turns finished ones into `BroadcastQueueResult`s (with
 * errors as `KabarError`s); a completed BullMQ job returns the `sent` or `skipped` one.
 */
export type StoredRecord =
  | SendingRecord
  | {
      status: 'sent';
      jobId: string;
      to: string;
      messageId: string;
      evidence?: string;
      attempts: number;
      finishedAt: string;
    }
  | {
      status: 'failed';
      jobId: string;
      to?: string;
      /** The `KabarError` the row failed with, as JSON (`error.toJSON()`). */
      error: Record<string, unknown>;
      messageId?: string;
      evidence?: string;
      attempts: number;
      finishedAt: string;
    }
  | {
      status: 'maybe_sent';
      jobId: string;
      to?: string;
      reason: string;
      error?: Record<string, unknown>;
      evidence?: string;
      startedAt?: string;
      attempts: number;
      finishedAt: string;
    }
  | {
      status: 'skipped';
      jobId: string;
      to?: string;
      reason: SkipReason;
      attempts: number;
      finishedAt: string;
    };

/**
 * A completed job's return value, as recorded: the row's send, or the row skipped by the client's
 * send policy (nothing to send, nothing failed).
 */
export type BroadcastJobReturn = Extract<StoredRecord, { status: 'sent' | 'skipped' }>;

/** A row's outcome: any record but `sending`. */
export type FinalRecord = Exclude<StoredRecord, SendingRecord>;

/** What a try that sent nothing, and ends the row as a failure or a question, records. */
export type NotSentRecord = Extract<FinalRecord, { status: 'failed' | 'maybe_sent' }>;

/** One try of one row, as a worker runs it: what its records are made from. */
export interface RowTry {
  key: string;
  jobId: string;
  message: OutgoingMessage;
  to: string | undefined;
  attempt: number;
  lastAttempt: boolean;
  keys: BroadcastKeys;
}

/** Why a row is `maybe_sent`: an earlier try claimed it and its worker never reported back. */
export const MAYBE_SENT_CLAIMED =
  'an earlier try of this row started sending and never reported back; not sent again';
/** Why a row is `maybe_sent`: its workers kept dying until the row was given up. */
export const MAYBE_SENT_STALLED =
  'the workers sending this row kept stopping and the job was given up; not sent again';
/** Why a row is `maybe_sent`: the send failed after the request may have reached the gateway. */
export const MAYBE_SENT_UNKNOWN = 'the send failed in a way that may have delivered the message';

/** The fields every record of a finished try carries. */
export function done(row: RowTry): { attempts: number; finishedAt: string } {
  return { attempts: row.attempt, finishedAt: new Date().toISOString() };
}

/** `{ to }`, or nothing for a message without a recipient, so the record has no `to: undefined`. */
export function optionalTo(to: string | undefined): { to?: string } {
  return to === undefined ? {} : { to };
}

/** A failed record; `fromRecords`: the gateway's records showed the failure. */
export function failedRecord(
  row: RowTry,
  error: KabarError,
  fromRecords?: { messageId: string | undefined; evidence: string },
): NotSentRecord {
  return {
    status: 'failed',
    jobId: row.jobId,
    ...optionalTo(row.to),
    error: error.toJSON(),
    ...(fromRecords?.messageId === undefined ? {} : { messageId: fromRecords.messageId }),
    ...(fromRecords === undefined ? {} : { evidence: fromRecords.evidence }),
    ...done(row),
  };
}

/** A maybe_sent record, with what a person needs to check it. */
export function maybeSentRecord(
  row: RowTry,
  sending: SendingRecord,
  reason: string,
  evidence: string,
  error: KabarError | undefined,
): NotSentRecord {
  return {
    status: 'maybe_sent',
    jobId: row.jobId,
    ...optionalTo(row.to),
    reason,
    ...(error === undefined ? {} : { error: error.toJSON() }),
    evidence,
    startedAt: sending.startedAt,
    ...done(row),
  };
}
