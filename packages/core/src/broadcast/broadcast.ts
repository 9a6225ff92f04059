import type { WhatsAppClient } from '../client.js';
import { invalidConfig, KabarError } from '../errors.js';
import { callHook } from '../hooks.js';
import type { MessageCategory, OutgoingMessage } from '../message.js';
import { messageRecipient } from './recipient.js';

/** How one broadcast turns rows into messages, and which rows it leaves alone. */
export interface BroadcastOptions<Row> {
  /** The message for one row, without having to think about anything else. Return null/undefined to skip the row (reason 'no_message'). May be async. */
  message(
    row: Row,
    index: number,
  ): OutgoingMessage | null | undefined | Promise<OutgoingMessage | null | undefined>;
  /** A stable identity per row, used by resume (`alreadySent`) and in results. Default: String(index). */
  key?(row: Row, index: number): string;
  /** Rows to skip because the customer opted out (e.g. replied STOP). May be async. Reason 'opted_out'. */
  isOptedOut?(row: Row, index: number): boolean | Promise<boolean>;
  /**
   * What the messages are for, unless a message says itself: `marketing` (the default) is
   * refused to contacts who opted out when the client has a consent policy.
   */
  category?: MessageCategory;
  /** Resume: rows already sent in an earlier run are skipped with reason 'already_sent'. May be async. */
  alreadySent?(key: string, row: Row, index: number): boolean | Promise<boolean>;
  /**
   * Rows processed at once (sends in flight plus results waiting to be read). Default 8, an
   * integer from 1 to 256. The client's rate limit still paces the sends.
   */
  concurrency?: number;
  /** Stops pulling new rows; sends in flight finish and are reported (never left unknown). */
  signal?: AbortSignal;
  /**
   * After every row's result. Like the client's hooks it only observes: an exception thrown here
   * is ignored, so a broken progress bar never stops a half-sent broadcast.
   */
  onProgress?(progress: BroadcastProgress): void;
}

/**
 * What happened to one row. Every row pulled from the input ends in exactly one result, so a run
 * can be audited (or resumed from `sent` keys) without guessing. `to` is the message's `to` as
 * given (a group's id for `{ group }`, comma-joined for a batch); `failed` carries it only when the
 * row got as far as a message. A failed row's `error` is the send's `KabarError`; an error thrown
 * by one of the row callbacks (`key`, `message`, ...) is wrapped as `provider_error`, its `cause`.
 */
export type BroadcastResult<Row> =
  | { status: 'sent'; index: number; key: string; row: Row; to: string; messageId: string }
  | {
      status: 'skipped';
      index: number;
      key: string;
      row: Row;
      /**
       * `opted_out` also when the client's send policy refused marketing to the contact;
       * `outside_window` when it refused a free-form message outside the 24-hour window.
       */
      reason: 'opted_out' | 'outside_window' | 'already_sent' | 'no_message';
    }
  | { status: 'failed'; index: number; key: string; row: Row; to?: string; error: KabarError };

/** Running totals, so a long broadcast can show where it is without keeping every result. */
export interface BroadcastProgress {
  /** Rows with a result so far: `sent + skipped + failed`. */
  processed: number;
  sent: number;
  skipped: number;
  failed: number;
  /** Rows pulled whose result is not in yet. */
  inFlight: number;
}

/**
 * The totals of a finished run. `aborted` is true when the run stopped before the input ended,
 * because the signal aborted or the loop reading the results broke out early; rows never pulled
 * were then neither sent nor reported, and a later run can pick them up through `alreadySent`.
 */
export interface BroadcastSummary extends BroadcastProgress {
  aborted: boolean;
  /** Milliseconds from the start of the run until it finished. */
  durationMs: number;
}

/**
 * A lazy run: nothing is pulled or sent until it is iterated or `done()` is called, and it can be
 * consumed only once (iterating it a second time, or after `done()`, throws `invalid_config`),
 * because a broadcast that silently ran twice would message every customer twice. An error from
 * the rows themselves (the iterable throws) is thrown by the loop, or rejects `done()`.
 *
 * Results come in completion order, each with its row's `index`. Breaking out of a `for await`
 * loop stops pulling rows; sends already in flight still finish in the background (they cannot be
 * taken back safely) and are counted and passed to `onProgress`, but are not yielded.
 */
export interface BroadcastRun<Row> extends AsyncIterable<BroadcastResult<Row>> {
  /**
   * Runs the rest of the broadcast (results not iterated are still counted) and resolves with the
   * totals. Calling it again returns the same promise.
   */
  done(): Promise<BroadcastSummary>;
}

const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 256;

type Stop = 'end' | 'aborted' | 'returned' | 'error';
type Stage = 'key' | 'isOptedOut' | 'alreadySent' | 'message' | 'send';

/**
 * Sends one message per row with bounded concurrency, under the client's rate limit, and reports
 * every row. Rows are pulled only when a slot is free and at most `concurrency` results wait for a
 * slow reader, so a million-row export streams through in constant memory. A failed row never
 * stops the others; only an error from the rows themselves ends the run, after the sends in flight
 * have settled. Sends are never aborted midway: a send cut off in flight might still have been
 * delivered, and could then not be reported truthfully.
 *
 * Throws `invalid_config` at once when `client` is not a client, `message` or another callback is
 * not a function, `concurrency` is out of range, `signal` is not an `AbortSignal`, or `rows` is not
 * iterable.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { broadcast } from '@kabar/core/broadcast';
 * import { kirem } from '@kabar/core/kirem';
 *
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 * });
 * const customers = [
 *   { id: 'c-1', name: 'Budi', phone: '0812-3456-7890' },
 *   { id: 'c-2', name: 'Sari', phone: '0813-1234-5678' },
 * ];
 * const optedOut = new Set<string>(); // numbers that replied STOP
 * const sentKeys = new Set<string>(); // kept from an earlier run, to resume it
 *
 * for await (const result of broadcast(wa, customers, {
 *   key: (c) => c.id,
 *   message: (c) => ({ to: c.phone, text: `Halo ${c.name}, pesanan Anda sudah dikirim.` }),
 *   isOptedOut: (c) => optedOut.has(c.phone),
 *   alreadySent: (key) => sentKeys.has(key),
 * })) {
 *   if (result.status === 'sent') sentKeys.add(result.key);
 *   if (result.status === 'failed') console.warn(result.key, result.error.code);
 * }
 * ```
 */
export function broadcast<Row>(
  client: WhatsAppClient,
  rows: Iterable<Row> | AsyncIterable<Row>,
  options: BroadcastOptions<Row>,
): BroadcastRun<Row> {
  if (!client || typeof client.send !== 'function') {
    throw invalidConfig('broadcast', 'client', 'must be a client from createClient()');
  }
  if (!options || typeof options.message !== 'function') {
    throw invalidConfig(
      'broadcast',
      'message',
      'must be a function returning the message for a row',
    );
  }
  for (const name of ['key', 'isOptedOut', 'alreadySent', 'onProgress'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw invalidConfig('broadcast', name, 'must be a function');
    }
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw invalidConfig(
      'broadcast',
      'concurrency',
      `must be an integer from 1 to ${MAX_CONCURRENCY}`,
    );
  }
  const { signal } = options;
  if (
    signal !== undefined &&
    (typeof signal?.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')
  ) {
    throw invalidConfig('broadcast', 'signal', 'must be an AbortSignal');
  }
  const openRows = rowsOpener(rows);

  let claimed: 'iterator' | 'done' | undefined;
  let started = false;
  let startedAt = 0;
  let finishedAt: number | undefined;
  let iterator: Iterator<Row> | AsyncIterator<Row> | undefined;
  let pulling = false;
  let stopped: Stop | undefined;
  let rowsError: { error: unknown } | undefined;
  let errorReported = false;
  /** Results go uncollected once the reader broke out or `done()` took over. */
  let collecting = true;
  const buffer: BroadcastResult<Row>[] = [];
  let nextIndex = 0;
  const totals = { sent: 0, skipped: 0, failed: 0, inFlight: 0 };
  let waiters: (() => void)[] = [];

  const progress = (): BroadcastProgress => ({
    processed: totals.sent + totals.skipped + totals.failed,
    ...totals,
  });
  const finished = () => started && stopped !== undefined && !pulling && totals.inFlight === 0;

  /** Wakes everyone waiting for a result or the end, after any change of state. */
  function changed(): void {
    if (finishedAt === undefined && finished()) {
      finishedAt = performance.now();
      signal?.removeEventListener('abort', onAbort);
    }
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  }
  const nextChange = () => new Promise<void>((resolve) => waiters.push(resolve));

  function stop(reason: Stop): void {
    stopped ??= reason;
    // A generator paused at `yield` runs its `finally` (closing a cursor, a file) on return().
    if ((reason === 'aborted' || reason === 'returned') && !pulling) closeRows();
  }

  let closed = false;
  function closeRows(): void {
    if (closed || !iterator || stopped === 'end' || stopped === 'error') return;
    closed = true;
    try {
      const result = iterator.return?.();
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, () => {});
      }
    } catch {
      // The rows are abandoned either way; a failing cleanup changes no result.
    }
  }

  function onAbort(): void {
    stop('aborted');
    changed();
  }

  function start(): void {
    if (started) return;
    started = true;
    startedAt = performance.now();
    if (stopped) {
      // The reader gave up before asking for anything: the rows are never opened.
      changed();
      return;
    }
    if (signal?.aborted) {
      stop('aborted');
      changed();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      iterator = openRows();
    } catch (error) {
      rowsError = { error };
      stop('error');
      changed();
      return;
    }
    pump();
  }

  /** Pulls one more row when a slot is free: slots hold rows in flight and unread results. */
  function pump(): void {
    if (stopped || pulling || !iterator) return;
    if (totals.inFlight + buffer.length >= concurrency) return;
    if (signal?.aborted) {
      stop('aborted');
      changed();
      return;
    }
    pulling = true;
    void pull(iterator);
  }

  async function pull(rowsIterator: Iterator<Row> | AsyncIterator<Row>): Promise<void> {
    let step: IteratorResult<Row>;
    try {
      step = await rowsIterator.next();
    } catch (error) {
      // The input itself broke: the run fails, whatever else stopped it meanwhile.
      pulling = false;
      rowsError = { error };
      stopped = 'error';
      changed();
      return;
    }
    pulling = false;
    if (stopped) {
      // Aborted or abandoned while this row was on its way: it is dropped unsent and unreported.
      closeRows();
      changed();
      return;
    }
    if (step.done) {
      stop('end');
      changed();
      return;
    }
    const index = nextIndex++;
    totals.inFlight++;
    void processRow(step.value, index).then(settle);
    pump();
  }

  function settle(result: BroadcastResult<Row>): void {
    totals.inFlight--;
    totals[result.status]++;
    if (collecting) buffer.push(result);
    callHook(options.onProgress, progress());
    changed();
    pump();
  }

  async function processRow(row: Row, index: number): Promise<BroadcastResult<Row>> {
    let key = String(index);
    let to: string | undefined;
    let stage: Stage = 'key';
    try {
      if (options.key) key = String(options.key(row, index));
      stage = 'isOptedOut';
      if (options.isOptedOut && (await options.isOptedOut(row, index))) {
        return { status: 'skipped', index, key, row, reason: 'opted_out' };
      }
      stage = 'alreadySent';
      if (options.alreadySent && (await options.alreadySent(key, row, index))) {
        return { status: 'skipped', index, key, row, reason: 'already_sent' };
      }
      stage = 'message';
      const message = await options.message(row, index);
      if (message === null || message === undefined) {
        return { status: 'skipped', index, key, row, reason: 'no_message' };
      }
      stage = 'send';
      to = messageRecipient(message);
      // No signal here on purpose: aborting a send in flight would leave its outcome unknown.
      const sent = await client.send({ category: options.category ?? 'marketing', ...message });
      return { status: 'sent', index, key, row, to: to ?? sent.to, messageId: sent.id };
    } catch (error) {
      // The send policy refused it before any request: the contact is skipped, not failed.
      if (
        KabarError.isInstance(error) &&
        (error.code === 'opted_out' || error.code === 'outside_window')
      ) {
        return { status: 'skipped', index, key, row, reason: error.code };
      }
      const failure = asKabarError(error, stage, index);
      return to === undefined
        ? { status: 'failed', index, key, row, error: failure }
        : { status: 'failed', index, key, row, to, error: failure };
    }
  }

  function claim(by: 'iterator' | 'done'): void {
    if (claimed && !(by === 'done' && claimed === 'iterator')) {
      throw new KabarError(
        'invalid_config',
        'broadcast: a run can be consumed only once, by iterating it or by done(); ' +
          'call broadcast() again for another run',
      );
    }
    claimed ??= by;
  }

  let summary: Promise<BroadcastSummary> | undefined;

  async function settleAll(): Promise<BroadcastSummary> {
    while (!finished()) await nextChange();
    if (rowsError) throw rowsError.error;
    return {
      ...progress(),
      aborted: stopped === 'aborted' || stopped === 'returned',
      durationMs: Math.round((finishedAt ?? performance.now()) - startedAt),
    };
  }

  return {
    [Symbol.asyncIterator](): AsyncIterator<BroadcastResult<Row>> {
      claim('iterator');
      const end = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
      return {
        async next() {
          start();
          for (;;) {
            const result = buffer.shift();
            if (result) {
              pump();
              return { done: false, value: result };
            }
            if (!collecting) return end();
            if (finished()) {
              if (rowsError && !errorReported) {
                errorReported = true;
                throw rowsError.error;
              }
              return end();
            }
            await nextChange();
          }
        },
        async return() {
          if (collecting) {
            collecting = false;
            buffer.length = 0;
            stop('returned');
            changed();
          }
          return end();
        },
      };
    },

    done() {
      if (summary) return summary;
      try {
        claim('done');
      } catch (error) {
        return Promise.reject(error);
      }
      // From here on nobody reads results one by one: count them, keep none, and stop waiting.
      collecting = false;
      buffer.length = 0;
      start();
      changed();
      pump();
      summary = settleAll();
      return summary;
    },
  };
}

/** Prefers the async protocol, so a source offering both is read the way it was meant to be. */
function rowsOpener<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
): () => Iterator<Row> | AsyncIterator<Row> {
  const source = rows as Partial<Iterable<Row> & AsyncIterable<Row>> | null | undefined;
  if (source && typeof source[Symbol.asyncIterator] === 'function') {
    return () => (source as AsyncIterable<Row>)[Symbol.asyncIterator]();
  }
  if (source && typeof source[Symbol.iterator] === 'function') {
    return () => (source as Iterable<Row>)[Symbol.iterator]();
  }
  throw invalidConfig(
    'broadcast',
    'rows',
    'must be an iterable or async iterable (an array, a generator, a database cursor)',
  );
}

function asKabarError(error: unknown, stage: Stage, index: number): KabarError {
  if (KabarError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const where = stage === 'send' ? 'sending row' : `${stage}() threw for row`;
  return new KabarError('provider_error', `broadcast: ${where} ${index}: ${reason}`, {
    cause: error,
  });
}
