import type { KabarError } from '@kabar/core';
import type { RedisClient } from '../script.js';
import { errorFromJson } from './errors.js';
import type { BroadcastKeys } from './keys.js';
import type { FinalRecord, StoredRecord } from './records.js';

/** What every row result carries, whatever its status (see `BroadcastQueueResult`). */
export interface Finished {
  /** The row's key, as enqueued. */
  key: string;
  /** `<broadcastId>/<key>`, URI-encoded parts; also the message's idempotency key. */
  jobId: string;
  /** Tries used, counting the one that finished the row. */
  attempts: number;
  /** ISO time the row finished. */
  finishedAt: string;
}

/**
 * What happened to one row, as recorded by the worker that finished it. A send whose outcome was
 * unknown (its worker died, or the gateway failed in a way that may have delivered the message) is
 * settled from the gateway's own records where it keeps them (Kirem's message logs): `evidence`
 * says what they showed. `maybe_sent` is what the gateway could not settle: the row was not sent
 * again, and a person has to check, with what is known here, before sending it by hand.
 * `skipped` rows were refused by the client's send policy before any request: nothing was sent.
 */
export type BroadcastQueueResult =
  | (Finished & {
      status: 'sent';
      to: string;
      messageId: string;
      /** When the send was settled from the gateway's records: the record that shows it. */
      evidence?: string;
    })
  | (Finished & {
      status: 'failed';
      to?: string;
      error: KabarError;
      /** When the gateway's records show the message failed: its id there. */
      messageId?: string;
      /** When the failure was read from the gateway's records: the record that shows it. */
      evidence?: string;
    })
  | (Finished & {
      status: 'maybe_sent';
      to?: string;
      /** Why the send is uncertain. */
      reason: string;
      error?: KabarError;
      /** What the gateway's records could say (or why they could not be asked). */
      evidence?: string;
      /** ISO time the first try that may have been accepted started; look from here. */
      startedAt?: string;
      /** The key every try went out with: resend with it where the gateway deduplicates. */
      idempotencyKey: string;
    })
  | (Finished & {
      status: 'skipped';
      to?: string;
      /**
       * `opted_out`: a marketing message to a contact who opted out (the client's consent
       * policy); `outside_window`: a free-form message outside the customer's 24-hour window.
       */
      reason: SkipReason;
    });

/** Why the client's send policy refused a row, as core's `broadcast` reports it. */
export type SkipReason = 'opted_out' | 'outside_window';

/** A row's final record as its result: errors as `KabarError`s, and the key to resend with. */
export function toResult(key: string, stored: FinalRecord): BroadcastQueueResult {
  switch (stored.status) {
    case 'sent':
      return { key, ...stored };
    case 'failed':
      return { key, ...stored, error: errorFromJson(stored.error) };
    case 'maybe_sent': {
      // Every try of a row goes out with its job id as the key.
      const { error, ...rest } = stored;
      const result = { key, ...rest, idempotencyKey: stored.jobId };
      return error ? { ...result, error: errorFromJson(error) } : result;
    }
    case 'skipped':
      return { key, ...stored };
  }
}

/** Every finished row's result, read in pages so a large broadcast never sits in memory whole. */
export async function* readResults(
  redis: RedisClient,
  keys: BroadcastKeys,
): AsyncIterable<BroadcastQueueResult> {
  let cursor = '0';
  do {
    const [next, entries] = await redis.hscan(keys.results, cursor, 'COUNT', 250);
    cursor = next;
    for (let i = 0; i + 1 < entries.length; i += 2) {
      const record = JSON.parse(entries[i + 1] as string) as StoredRecord;
      if (record.status !== 'sending') yield toResult(entries[i] as string, record);
    }
  } while (cursor !== '0');
}
