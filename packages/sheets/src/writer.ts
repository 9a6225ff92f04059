import { formatRange } from './a1.js';
import { errorMessage, googleStatus } from './errors.js';
import type { SheetsApi } from './sheets-api.js';

/** What one row gets written: the seed's status, message id ("WA ID") and sent time columns. */
export interface RowResult {
  /** `SUKSES`, `GAGAL: <reason>` or `DILEWATI (Opt-Out)`. */
  status: string;
  /** The gateway's message id; '' for a failed row. */
  messageId: string;
  /** When the row was handled, ISO 8601. */
  sentAt: string;
}

/** Where `SheetWriter` writes, and how it keeps within Sheets' write quota. */
export interface SheetWriterOptions {
  /** The Sheets v4 client (`createSheetsClient`), or anything with the same two calls. */
  sheets: SheetsApi;
  spreadsheetId: string;
  /** The sheet (tab) name; undefined for the spreadsheet's first sheet. */
  sheet: string | undefined;
  /** Absolute 0-based columns (A = 0). */
  columns: { status: number; messageId: number; sentAt: number };
  /** At most one write per this many ms. Default 1000. */
  minIntervalMs?: number;
  /** Sheets allows 60 write requests per minute per user; this many in any 60 s. Default 60. */
  maxWritesPerMinute?: number;
  /** The quota's window, 60 s (60 500 ms, for clock skew); shorter only to test the pacing quickly. */
  quotaWindowMs?: number;
  /** Rows per `batchUpdate` call (keeps a request well under Sheets' ~2 MB advice). Default 5000. */
  maxRowsPerWrite?: number;
  /** Tries per batch when Sheets answers 429/5xx or the network fails. Default 6. */
  maxAttempts?: number;
  /**
   * Rows held unwritten before `room()` makes the sender wait: memory stays bounded however
   * fast rows are sent or however long Sheets keeps refusing (429 backoff). `write()` itself
   * never drops a row. Default twice `maxRowsPerWrite`.
   */
  maxPendingRows?: number;
  /**
   * Called once when writing gives up (a 403 because the sheet is read-only for this account, or
   * retries spent). The rows stay unwritten; the caller should stop sending, since a rerun could
   * not tell which rows went out.
   */
  onError?(error: Error): void;
}

/** What a `SheetWriter` has written so far. */
export interface SheetWriterStats {
  /** Successful `batchUpdate` calls. */
  writes: number;
  /** Every `batchUpdate` call made, failed ones included. */
  requests: number;
  /** Rows written by successful calls. */
  rowsWritten: number;
  /** Rows accepted by `write()` and not written (yet). */
  pendingRows: number;
  /** The most rows ever held unwritten at once. */
  peakPendingRows: number;
  /** Why writing gave up, if it did. */
  error: string | undefined;
}

/** Sheets' quota minute, plus a little, since Google's clock and ours never agree to the ms. */
const WINDOW_MS = 60_500;
const MAX_BACKOFF_MS = 32_000;

/**
 * Collects per-row results and writes them with as few `spreadsheets.values.batchUpdate` calls as
 * the quota asks for: at most one call per `minIntervalMs` and `maxWritesPerMinute` in any minute,
 * each carrying every row accumulated since the last one. Consecutive rows go into one range
 * (`Sheet1!D5:F40`). Values are written RAW, so a gateway's error text is never read as a formula.
 * The constructor throws a `RangeError` for a negative `minIntervalMs`, or a `maxWritesPerMinute`,
 * `maxRowsPerWrite` or `maxAttempts` below 1.
 */
export class SheetWriter {
  readonly #options: Required<Omit<SheetWriterOptions, 'onError' | 'sheet' | 'maxPendingRows'>> &
    Pick<SheetWriterOptions, 'onError' | 'sheet'>;
  readonly #pending = new Map<number, RowResult>();
  readonly #starts: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing = false;
  #backoffUntil = 0;
  #attempt = 0;
  #failure: Error | undefined;
  #idle: (() => void)[] = [];
  #waitingForRoom: (() => void)[] = [];
  readonly #maxPendingRows: number;
  #stats = { writes: 0, requests: 0, rowsWritten: 0, peakPendingRows: 0 };
  /** The first write waits one interval too, so it carries the first second's rows, not one row. */
  readonly #createdAt = performance.now();

  constructor(options: SheetWriterOptions) {
    this.#options = {
      minIntervalMs: 1000,
      maxWritesPerMinute: 60,
      quotaWindowMs: WINDOW_MS,
      maxRowsPerWrite: 5000,
      maxAttempts: 6,
      ...options,
    };
    const { minIntervalMs, maxWritesPerMinute, maxRowsPerWrite, maxAttempts } = this.#options;
    if (!(minIntervalMs >= 0) || !(maxWritesPerMinute >= 1) || !(maxRowsPerWrite >= 1)) {
      throw new RangeError('SheetWriter: minIntervalMs, maxWritesPerMinute, maxRowsPerWrite');
    }
    if (!(maxAttempts >= 1)) throw new RangeError('SheetWriter: maxAttempts must be at least 1');
    this.#maxPendingRows = options.maxPendingRows ?? 2 * maxRowsPerWrite;
    if (!(this.#maxPendingRows >= 1)) {
      throw new RangeError('SheetWriter: maxPendingRows must be at least 1');
    }
  }

  /** Queues a row's result; a later result for the same row replaces an unwritten earlier one. */
  write(row: number, result: RowResult): void {
    this.#pending.set(row, result);
    if (this.#pending.size > this.#stats.peakPendingRows) {
      this.#stats.peakPendingRows = this.#pending.size;
    }
    this.#schedule();
  }

  /**
   * Resolves once fewer than `maxPendingRows` rows wait to be written (at once when they do), or
   * writing has given up. Await it before sending another row, so unwritten rows never pile up.
   */
  room(): Promise<void> {
    if (this.#hasRoom()) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waitingForRoom.push(resolve));
  }

  #hasRoom(): boolean {
    return this.#pending.size < this.#maxPendingRows || this.#failure !== undefined;
  }

  /** The counters now; `pendingRows` includes rows queued but not yet written. */
  get stats(): SheetWriterStats {
    return {
      ...this.#stats,
      pendingRows: this.#pending.size,
      error: this.#failure ? errorMessage(this.#failure) : undefined,
    };
  }

  /** Writes everything queued (still within the quota) and resolves with the totals. */
  async close(): Promise<SheetWriterStats> {
    while ((this.#pending.size > 0 || this.#flushing) && !this.#failure) {
      this.#schedule();
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.stats;
  }

  #nextAllowedAt(): number {
    const { minIntervalMs, maxWritesPerMinute, quotaWindowMs } = this.#options;
    const starts = this.#starts;
    let at = this.#backoffUntil;
    const last = starts[starts.length - 1] ?? this.#createdAt;
    at = Math.max(at, last + minIntervalMs);
    if (starts.length >= maxWritesPerMinute) {
      at = Math.max(at, (starts[starts.length - maxWritesPerMinute] as number) + quotaWindowMs);
    }
    return at;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#flushing || this.#failure) return;
    if (this.#pending.size === 0) return;
    const wait = Math.max(0, this.#nextAllowedAt() - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Timers may fire a fraction of a millisecond early; the quota is checked again.
      if (this.#nextAllowedAt() > performance.now()) this.#schedule();
      else void this.#flush();
    }, Math.ceil(wait));
  }

  async #flush(): Promise<void> {
    if (this.#flushing || this.#pending.size === 0 || this.#failure) return;
    this.#flushing = true;
    const { maxRowsPerWrite, maxWritesPerMinute } = this.#options;
    const rows = [...this.#pending.keys()].sort((a, b) => a - b).slice(0, maxRowsPerWrite);
    const batch = rows.map((row) => [row, this.#pending.get(row) as RowResult] as const);
    for (const row of rows) this.#pending.delete(row);
    this.#starts.push(performance.now());
    if (this.#starts.length > maxWritesPerMinute) this.#starts.shift();
    this.#stats.requests++;
    try {
      await this.#options.sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: this.#options.spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data: valueRanges(batch, this.#options) },
      });
      this.#stats.writes++;
      this.#stats.rowsWritten += batch.length;
      this.#attempt = 0;
      this.#backoffUntil = 0;
    } catch (error) {
      // Put the rows back, unless a newer result for the row arrived meanwhile.
      for (const [row, result] of batch) {
        if (!this.#pending.has(row)) this.#pending.set(row, result);
      }
      this.#attempt++;
      if (isRetryable(error) && this.#attempt < this.#options.maxAttempts) {
        const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.#attempt - 1));
        this.#backoffUntil = performance.now() + backoff * (0.75 + Math.random() * 0.5);
      } else {
        const status = googleStatus(error);
        this.#failure = new Error(
          `writing statuses to the sheet failed${status ? ` (HTTP ${status})` : ''}: ${errorMessage(error)}`,
          { cause: error },
        );
        try {
          this.#options.onError?.(this.#failure);
        } catch {
          // An observer's failure changes nothing here.
        }
      }
    } finally {
      this.#flushing = false;
      const idle = this.#idle;
      this.#idle = [];
      for (const wake of idle) wake();
      if (this.#hasRoom()) {
        const waiting = this.#waitingForRoom;
        this.#waitingForRoom = [];
        for (const wake of waiting) wake();
      }
      this.#schedule();
    }
  }
}

function isRetryable(error: unknown): boolean {
  const status = googleStatus(error);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * The `data` of one batchUpdate: one value range per block of consecutive rows and adjacent
 * columns (the seed's D, E, F make one block; columns apart make one range each).
 */
export function valueRanges(
  batch: readonly (readonly [number, RowResult])[],
  options: Pick<SheetWriterOptions, 'sheet' | 'columns'>,
): { range: string; values: string[][] }[] {
  const fields = (['status', 'messageId', 'sentAt'] as const)
    .map((field) => ({ field, column: options.columns[field] }))
    .sort((a, b) => a.column - b.column);
  const columnRuns: (typeof fields)[] = [];
  for (const entry of fields) {
    const run = columnRuns[columnRuns.length - 1];
    const previous = run?.[run.length - 1];
    if (run && previous && entry.column === previous.column + 1) run.push(entry);
    else columnRuns.push([entry]);
  }
  const rowRuns: (readonly [number, RowResult])[][] = [];
  for (const entry of batch) {
    const run = rowRuns[rowRuns.length - 1];
    const previous = run?.[run.length - 1];
    if (run && previous && entry[0] === previous[0] + 1) run.push(entry);
    else rowRuns.push([entry]);
  }
  const data: { range: string; values: string[][] }[] = [];
  for (const rowRun of rowRuns) {
    const firstRow = (rowRun[0] as readonly [number, RowResult])[0];
    const lastRow = firstRow + rowRun.length - 1;
    for (const columnRun of columnRuns) {
      const firstColumn = (columnRun[0] as (typeof fields)[number]).column;
      const lastColumn = firstColumn + columnRun.length - 1;
      data.push({
        range: formatRange(options.sheet, firstColumn, firstRow, lastColumn, lastRow),
        values: rowRun.map(([, result]) => columnRun.map(({ field }) => result[field])),
      });
    }
  }
  return data;
}
