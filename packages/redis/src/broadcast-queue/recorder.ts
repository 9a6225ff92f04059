import { tryNormalizePhone } from '@kabar/core';
import { UnrecoverableError } from 'bullmq';
import { type RedisClient, runScript } from '../script.js';
import type { BroadcastKeys } from './keys.js';
import {
  type BroadcastJobReturn,
  done,
  type FinalRecord,
  type NotSentRecord,
  optionalTo,
  type RowTry,
} from './records.js';
import { type BroadcastQueueResult, type SkipReason, toResult } from './results.js';
import { RECORD, SETTLE } from './scripts.js';

/** Writes one worker's row outcomes to Redis and tells its `onResult` about each one stored. */
export interface Recorder {
  /** Records the row as sent. */
  sent(
    row: RowTry,
    send: { to: string; messageId: string; evidence?: string },
  ): Promise<BroadcastJobReturn>;
  /** Ends a try that did not send: unless another try of the row was recorded as sent meanwhile. */
  notSent(row: RowTry, stored: NotSentRecord): Promise<BroadcastJobReturn>;
  /**
   * Records a row the client's send policy refused before any request: nothing was sent and
   * nothing failed, so the job completes. A send of the row recorded by an earlier try wins.
   */
  skip(row: RowTry, reason: SkipReason): Promise<BroadcastJobReturn>;
  /**
   * For a job BullMQ failed without its processor recording it: stores `maybeSent` if the row's
   * send had started, else `failed`, unless the row is already recorded.
   */
  settle(
    keys: BroadcastKeys,
    key: string,
    maybeSent: FinalRecord,
    failed: FinalRecord,
  ): Promise<void>;
}

/** A recorder writing through `redis` (the worker's own connection). */
export function createRecorder(
  redis: RedisClient,
  onResult: ((result: BroadcastQueueResult) => void) | undefined,
): Recorder {
  function report(key: string, stored: FinalRecord): void {
    if (!onResult) return;
    try {
      onResult(toResult(key, stored));
    } catch {
      // Observers never change what happened to a row.
    }
  }

  /** Stores a row's outcome; resolves with what the row's record is now (a send already recorded wins). */
  async function record(row: RowTry, stored: FinalRecord): Promise<FinalRecord> {
    const isSent = stored.status === 'sent';
    const kept = await runScript<string>(
      redis,
      RECORD,
      [row.keys.results, row.keys.counts, row.keys.rows, row.keys.sentTo],
      [
        row.key,
        JSON.stringify(stored),
        stored.status,
        (isSent && tryNormalizePhone(stored.to)) || '',
        isSent ? stored.messageId : '',
      ],
    );
    if (kept !== '') return JSON.parse(kept) as FinalRecord;
    report(row.key, stored);
    return stored;
  }

  return {
    async sent(row, send) {
      const stored: BroadcastJobReturn = {
        status: 'sent',
        jobId: row.jobId,
        ...send,
        ...done(row),
      };
      await record(row, stored);
      return stored;
    },

    async notSent(row, stored) {
      const now = await record(row, stored);
      if (now.status === 'sent') return now;
      throw new UnrecoverableError(
        stored.status === 'failed'
          ? `${stored.error.code}: ${stored.error.message}`
          : `maybe_sent: ${stored.reason}`,
      );
    },

    async skip(row, reason) {
      const stored: BroadcastJobReturn = {
        status: 'skipped',
        jobId: row.jobId,
        ...optionalTo(row.to),
        reason,
        ...done(row),
      };
      // RECORD keeps only a 'sent' over a new record, so what is there now is one of the two.
      return (await record(row, stored)) as BroadcastJobReturn;
    },

    async settle(keys, key, maybeSent, failed) {
      const stored = await runScript<string>(
        redis,
        SETTLE,
        [keys.results, keys.counts, keys.rows],
        [key, JSON.stringify(maybeSent), JSON.stringify(failed)],
      );
      if (stored !== '') report(key, JSON.parse(stored) as FinalRecord);
    },
  };
}
