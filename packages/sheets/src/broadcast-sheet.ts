import {
  type CountryCode,
  createClient,
  type Feature,
  type FetchFunction,
  KabarError,
  type MessageCategory,
  type OutgoingMessage,
  type Provider,
  prepareMessage,
  type RetryOptions,
  type SendPolicy,
  type WhatsAppClient,
} from '@kabar/core';
import { type BroadcastProgress, type BroadcastResult, broadcast } from '@kabar/core/broadcast';
import { type A1Range, parseA1Range } from './a1.js';
import { describeLayout, requireWritableColumns } from './columns.js';
import { errorMessage, SheetsConfigError } from './errors.js';
import { compileMessage, describeMessage, type SheetMessage } from './message.js';
import { paceSends, type SendRate } from './pace.js';
import { readSheetRows } from './reader.js';
import {
  isAlreadySent,
  isOptedOut,
  type SheetRow,
  STATUS_FAILED_PREFIX,
  STATUS_OPTED_OUT,
  STATUS_OUTSIDE_WINDOW,
  STATUS_SENT,
} from './rows.js';
import type { SheetsApi } from './sheets-api.js';
import { SheetWriter, type SheetWriterOptions, type SheetWriterStats } from './writer.js';

/** What `broadcastSheet` sends, where from, through which gateway, and how fast. */
export interface BroadcastSheetOptions {
  /** The Sheets v4 client (`createSheetsClient`), or anything with the same two calls. */
  sheets: SheetsApi;
  /** The id in `docs.google.com/spreadsheets/d/<id>/edit`. */
  spreadsheetId: string;
  /** A1 range with the seed's columns, e.g. `Sheet1!A1:G`; the header row may be inside it. */
  range: string;
  /** The template or text each row receives, filled from its cells. */
  message: SheetMessage;
  /** The gateway. The engine makes its client, paced by `rateLimit`. Give this or `client`. */
  provider?: Provider;
  /** A client you configured yourself; paced only when `rateLimit` is given. */
  client?: WhatsAppClient;
  /**
   * Sends in any window, as the gateway sees them (see `paceSends`). Default with `provider`: the
   * gateway's documented limit (Kirem and Meta 80/s, Kirimy 100/min, Waviro 5/min). `false`: none.
   */
  rateLimit?: SendRate | false;
  /** Sends in flight at once. Default 16. */
  concurrency?: number;
  /** Read and validate every row (phone, message) and report what would go out; send and write nothing. */
  dryRun?: boolean;
  /** Stops pulling rows; sends in flight finish and their statuses are written. */
  signal?: AbortSignal;
  /** After every row, with totals (the row count once the whole sheet has been read). */
  onProgress?(progress: SheetProgress): void;
  /** Once the sheet's first block is read and its columns are known, before anything is sent. */
  onStart?(info: { range: A1Range; layout: string }): void;
  /** Rows per `values.get` call. Default 5000. */
  pageRows?: number;
  /** Tuning for status writes (defaults follow Sheets' 60 writes per minute per user). */
  writer?: Pick<
    SheetWriterOptions,
    | 'minIntervalMs'
    | 'maxWritesPerMinute'
    | 'quotaWindowMs'
    | 'maxRowsPerWrite'
    | 'maxAttempts'
    | 'maxPendingRows'
  >;
  /**
   * Mixed into each row's Idempotency-Key. Rows are keyed by spreadsheet, sheet, row, recipient and
   * message, so a rerun after a crash is deduplicated by gateways that honour keys (Kirem); name a
   * new campaign to deliberately send the same message to the same rows again.
   */
  campaign?: string;
  /** Region for numbers without a country code. Default `ID`. */
  defaultRegion?: CountryCode;
  /** Client options used when the engine makes the client from `provider`. */
  fetch?: FetchFunction;
  /** With `provider`: the client's retry policy, or `false` for none. Default: the client's. */
  retry?: RetryOptions | false;
  /** With `provider`: the client's per-request timeout, in milliseconds. Default: the client's. */
  timeoutMs?: number;
  /**
   * With `provider`: the client's send policy (`@kabar/core`), e.g. the consent store your webhooks
   * keep. Rows it refuses are skipped, not failed: `opted_out` writes `DILEWATI (Opt-Out)`,
   * `outside_window` writes `DILEWATI (Di luar 24 jam)`. With `client`, give the policy to it.
   */
  policy?: SendPolicy;
  /**
   * What the messages are for, as the send policy sees them. Default `marketing` (broadcasts are
   * promotions): contacts opted out in the policy's consent store are skipped.
   */
  category?: MessageCategory;
  /** Failures kept with their reasons in the summary. Default 5. */
  maxReasons?: number;
  /** Dry run: messages shown as examples. Default 3. */
  previewRows?: number;
}

/** What `onProgress` gets after every row: the broadcast's counters, plus the sheet's total. */
export interface SheetProgress extends BroadcastProgress {
  /** Data rows in the sheet, once all of it has been read. */
  total: number | undefined;
  /** Milliseconds since `broadcastSheet` was called. */
  elapsedMs: number;
  /** True in a dry run: `sent` then counts rows that would be sent. */
  dryRun: boolean;
}

/** One failed row, as the summary keeps it. */
export interface RowFailure {
  /** The row's number in the sheet (1-based). */
  row: number;
  /** The phone cell as written in the sheet. */
  phone: string;
  /** The error code, e.g. `invalid_phone`, `template_not_approved` or another `KabarError` code. */
  code: string;
  /** The error message on one line, at most 200 characters; also written after `GAGAL: `. */
  reason: string;
}

/** What `broadcastSheet` resolves with: the counts, the first failures, timings and status writes. */
export interface SheetBroadcastSummary {
  dryRun: boolean;
  /** Stopped before the end (Ctrl-C, the signal, or a failure that made going on unsafe). */
  aborted: boolean;
  /** Data rows handled (sent, skipped or failed). */
  rows: number;
  /** Sent; in a dry run, would be sent. */
  sent: number;
  failed: number;
  /**
   * Rows not sent: opted out (the sheet's opt-out column, or the send policy's consent store),
   * outside the 24-hour window (the send policy), already sent by an earlier run, or without a phone.
   */
  skipped: {
    total: number;
    optedOut: number;
    outsideWindow: number;
    alreadySent: number;
    noPhone: number;
  };
  /** The first few failures (`maxReasons`). */
  failures: RowFailure[];
  /** Every failure counted by error code (`invalid_phone`, `template_not_approved`, ...). */
  failureCodes: Record<string, number>;
  /** Dry run: what the first rows would receive. */
  preview: { row: number; to: string; message: string }[];
  /** The whole run: reading, sending and the last status write. */
  durationMs: number;
  /** From the first send to the last result. */
  sendDurationMs: number;
  /** Sent per second of sending. */
  ratePerSecond: number;
  /** Status writes; undefined in a dry run. */
  writes: SheetWriterStats | undefined;
  /** Which columns were used, e.g. `header row 1: phone A "Nomor HP", ...`. */
  layout: string;
  /** What stopped the run early, if something other than the signal did. */
  error: string | undefined;
}

const DEFAULT_CONCURRENCY = 16;
const MAX_REASON_LENGTH = 200;

/**
 * The engine behind `kabar-sheets broadcast`: reads the sheet (`readSheetRows`), sends one message
 * per row through `@kabar/core/broadcast` (bounded concurrency, the gateway's rate limit, opt-outs
 * skipped, rows already sent skipped so a rerun resumes), and writes each row's status, message
 * id and time back with batched `values.batchUpdate` calls (`SheetWriter`). Memory stays flat in
 * the number of rows.
 *
 * Rejects with `SheetsConfigError` (code `invalid_config`), before anything is sent, when the
 * setup is wrong: both or neither of `provider` and `client`, a `concurrency` outside 1..256, a
 * `range` that cannot be parsed, a sheet without status, message id and sent time columns, a
 * message naming an unknown column, or a template on a gateway without templates (a text on one
 * without text). An error from Google while reading the first block (401, 403, 404, ...) rejects
 * as thrown by googleapis. Later problems do not reject: failed rows are counted in the summary,
 * and a failed read or status write ends the run early with `aborted` and `error` set.
 *
 * @example
 * ```ts
 * import { kirem } from '@kabar/core/kirem';
 * import { broadcastSheet, createSheetsClient, googleAuth } from '@kabar/sheets';
 *
 * const sheets = createSheetsClient({ auth: await googleAuth({ credentialsFile: 'key.json' }) });
 * const summary = await broadcastSheet({
 *   sheets,
 *   spreadsheetId: '1AbC...xyz',
 *   range: 'Sheet1!A1:G',
 *   message: { template: { name: 'broadcast_promo', params: ['name', 'promo'] } },
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY ?? '' }),
 *   onProgress: (p) => console.log(`${p.processed}/${p.total ?? '?'}`),
 * });
 * console.log(summary.sent, summary.failed, summary.failures);
 * ```
 */
export async function broadcastSheet(
  options: BroadcastSheetOptions,
): Promise<SheetBroadcastSummary> {
  const startedAt = performance.now();
  const dryRun = options.dryRun === true;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new SheetsConfigError('concurrency: must be an integer from 1 to 256');
  }
  const maxReasons = options.maxReasons ?? 5;
  const previewRows = options.previewRows ?? 3;
  const defaultRegion = options.defaultRegion ?? 'ID';
  const range = parseA1Range(options.range);
  const baseClient = clientFor(options);
  checkCapability(baseClient, options.message);

  const reader = await readSheetRows({
    sheets: options.sheets,
    spreadsheetId: options.spreadsheetId,
    range,
    pageRows: options.pageRows,
  });
  const { layout } = reader;
  const columns = requireWritableColumns(layout, range.startColumn);
  const build = compileMessage(options.message, {
    layout,
    startColumn: range.startColumn,
    defaultRegion,
    idempotencySeed: JSON.stringify([
      options.campaign ?? '',
      options.spreadsheetId,
      range.sheet ?? '',
    ]),
  });
  const layoutText = describeLayout(layout, range.startColumn);
  options.onStart?.({ range, layout: layoutText });

  const controller = new AbortController();
  const forwardAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  else options.signal?.addEventListener('abort', forwardAbort, { once: true });

  let stopError: string | undefined;
  const writer = dryRun
    ? undefined
    : new SheetWriter({
        sheets: options.sheets,
        spreadsheetId: options.spreadsheetId,
        sheet: range.sheet,
        columns,
        ...options.writer,
        onError: (error) => {
          stopError ??= `${error.message}; stopped sending, since rows sent from here on could not be marked`;
          controller.abort();
        },
      });

  let client = dryRun ? dryRunClient(baseClient, defaultRegion) : baseClient;
  const rate = options.rateLimit ?? (options.client ? false : defaultRateOf(options.provider));
  if (!dryRun && rate) client = paceSends(client, rate);

  const skipped = { total: 0, optedOut: 0, outsideWindow: 0, alreadySent: 0, noPhone: 0 };
  const failures: RowFailure[] = [];
  const failureCodes: Record<string, number> = {};
  const preview: SheetBroadcastSummary['preview'] = [];
  let sent = 0;
  let failed = 0;

  // With a writer, a row is pulled only while the writer has room: statuses waiting for Sheets'
  // quota (or a 429 backoff) never pile up, and neither does memory.
  const rows = writer ? rowsAsRoomAllows(reader.rows, writer) : reader.rows;
  const run = broadcast<SheetRow>(client, rows, {
    key: (row) => String(row.row),
    message: build,
    isOptedOut: (row) => isOptedOut(row),
    alreadySent: (_key, row) => isAlreadySent(row),
    ...(options.category ? { category: options.category } : {}),
    concurrency,
    signal: controller.signal,
    onProgress: options.onProgress
      ? (progress) =>
          options.onProgress?.({
            ...progress,
            total: reader.stats.done ? reader.stats.rows : undefined,
            elapsedMs: performance.now() - startedAt,
            dryRun,
          })
      : undefined,
  });

  const handle = (result: BroadcastResult<SheetRow>) => {
    const { row } = result;
    if (result.status === 'sent') {
      sent++;
      writer?.write(row.row, {
        status: STATUS_SENT,
        messageId: result.messageId,
        sentAt: new Date().toISOString(),
      });
      if (dryRun && preview.length < previewRows) {
        const message = build(row) as OutgoingMessage;
        preview.push({ row: row.row, to: result.to, message: describeMessage(message) });
      }
    } else if (result.status === 'failed') {
      failed++;
      const { code } = result.error;
      failureCodes[code] = (failureCodes[code] ?? 0) + 1;
      const reason = truncate(result.error.message);
      if (failures.length < maxReasons) {
        failures.push({ row: row.row, phone: row.phone, code, reason });
      }
      writer?.write(row.row, {
        status: `${STATUS_FAILED_PREFIX}${reason}`,
        messageId: '',
        sentAt: new Date().toISOString(),
      });
    } else {
      skipped.total++;
      if (result.reason === 'opted_out' || result.reason === 'outside_window') {
        // The sheet's opt-out column, or the client's send policy refused it before any request.
        const optedOut = result.reason === 'opted_out';
        if (optedOut) skipped.optedOut++;
        else skipped.outsideWindow++;
        const status = optedOut ? STATUS_OPTED_OUT : STATUS_OUTSIDE_WINDOW;
        if (row.status !== status) {
          writer?.write(row.row, { status, messageId: row.messageId, sentAt: row.sentAt });
        }
      } else if (result.reason === 'already_sent') {
        skipped.alreadySent++;
      } else {
        skipped.noPhone++;
      }
    }
  };

  let sendDurationMs = 0;
  let aborted = false;
  try {
    for await (const result of run) handle(result);
    const totals = await run.done();
    sendDurationMs = totals.durationMs;
    aborted = totals.aborted;
  } catch (error) {
    // The sheet could not be read further; every result so far was handled and is written below.
    stopError ??= `reading the sheet failed: ${errorMessage(error)}`;
    aborted = true;
    sendDurationMs = performance.now() - startedAt;
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
  }
  const writes = writer ? await writer.close() : undefined;
  if (writes?.error && !stopError) stopError = writes.error;

  return {
    dryRun,
    aborted: aborted || controller.signal.aborted,
    rows: sent + failed + skipped.total,
    sent,
    failed,
    skipped,
    failures,
    failureCodes,
    preview,
    durationMs: Math.round(performance.now() - startedAt),
    sendDurationMs: Math.round(sendDurationMs),
    ratePerSecond: sendDurationMs > 0 ? sent / (sendDurationMs / 1000) : 0,
    writes,
    layout: layoutText,
    error: stopError,
  };
}

/** The rows, each pulled from the sheet only once the writer has room for its status. */
async function* rowsAsRoomAllows(
  rows: AsyncIterable<SheetRow>,
  writer: SheetWriter,
): AsyncGenerator<SheetRow> {
  const iterator = rows[Symbol.asyncIterator]();
  try {
    for (;;) {
      await writer.room();
      const step = await iterator.next();
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function clientFor(options: BroadcastSheetOptions): WhatsAppClient {
  if (options.client && options.provider) {
    throw new SheetsConfigError('broadcastSheet: give either provider or client, not both');
  }
  if (options.client && options.policy) {
    throw new SheetsConfigError(
      'broadcastSheet: policy goes with provider; give your own client its policy yourself',
    );
  }
  if (options.client) return options.client;
  if (!options.provider) throw new SheetsConfigError('broadcastSheet: a provider is required');
  return createClient({
    provider: options.provider,
    // Pacing is paceSends' job, which counts what the gateway sees rather than what leaves here.
    rateLimit: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    defaultRegion: options.defaultRegion ?? 'ID',
  });
}

function defaultRateOf(provider: Provider | undefined): SendRate | false {
  const limit = provider?.defaultRateLimit;
  return limit ? { limit: limit.limit, intervalMs: limit.intervalMs } : false;
}

function checkCapability(client: WhatsAppClient, message: SheetMessage): void {
  const kind = 'template' in message ? 'template' : 'text';
  if (client.supports(kind)) return;
  throw new SheetsConfigError(
    kind === 'template'
      ? `--gateway ${client.provider}: this gateway has no templates; send a text with --text '...'`
      : `--gateway ${client.provider}: this gateway cannot send plain text; use --template <name>`,
  );
}

/** Validates each message exactly as a send would, and sends nothing. */
function dryRunClient(client: WhatsAppClient, defaultRegion: CountryCode): WhatsAppClient {
  return {
    ...client,
    async send(message) {
      const prepared = prepareMessage(message, { defaultRegion });
      // The sheet engine only builds text and template messages, both plain features.
      if (!client.supports(prepared.kind as Feature)) {
        throw new KabarError(
          'unsupported_feature',
          `The ${client.provider} provider does not support ${prepared.kind}`,
        );
      }
      return { id: 'dry-run', to: prepared.to, provider: client.provider, raw: undefined };
    },
  };
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH
    ? `${oneLine.slice(0, MAX_REASON_LENGTH - 3)}...`
    : oneLine;
}
