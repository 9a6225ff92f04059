import { type A1Range, formatRange, formatRowRange, parseA1Range } from './a1.js';
import { detectLayout, type SheetLayout } from './columns.js';
import { errorMessage, googleStatus, SheetsConfigError } from './errors.js';
import { cellText, type SheetRow, toSheetRow } from './rows.js';
import type { SheetsApi } from './sheets-api.js';

/** Which sheet `readSheetRows` opens, and how many rows it reads per call. */
export interface ReadSheetOptions {
  /** The Sheets v4 client (`createSheetsClient`), or anything with the same two calls. */
  sheets: SheetsApi;
  spreadsheetId: string;
  /** A1 range such as `Sheet1!A1:G` (the header row may be inside it). */
  range: string | A1Range;
  /**
   * Rows per `values.get` call. A sheet up to this size is read in one call; a bigger one in blocks
   * of this many rows, fetched as sending reaches them (the next block is fetched while the current
   * one is sent), so memory stays flat however long the sheet is. Reading stops at the range's or
   * the grid's last row, or at a block with no values at all. Default 5000.
   */
  pageRows?: number;
}

/** Counters of what `readSheetRows` has read so far. */
export interface SheetReadStats {
  /** `values.get` calls made so far. */
  pages: number;
  /** Non-blank data rows read so far. */
  rows: number;
  /** True once the last block has been read: `rows` is then the sheet's total. */
  done: boolean;
}

/** An opened sheet: its range and columns, and its rows as they are read. */
export interface SheetReader {
  /** The range that is read, parsed. */
  range: A1Range;
  /** The header row and the columns found in the first block. */
  layout: SheetLayout;
  /** The data rows, in sheet order, read lazily. Can be iterated once. */
  rows: AsyncIterable<SheetRow>;
  /** Live counters. */
  stats: SheetReadStats;
}

/** Rows per `values.get` call when `pageRows` is not given. */
export const DEFAULT_PAGE_ROWS = 5000;

interface Page {
  start: number;
  values: unknown[][];
  /** No rows after this page. */
  last: boolean;
}

/**
 * Opens the sheet: reads the first block, finds the header row and the columns (see
 * `detectLayout`), and returns the rows as an async iterable that reads further blocks on demand.
 * Values are read unformatted, so phone numbers typed as numbers keep all their digits.
 *
 * Rejects with `SheetsConfigError` for a `pageRows` outside 1..100000, a range that cannot be
 * parsed, or one that starts after column A without naming its last column; Google's errors on the
 * first block reject as googleapis throws them. Iterating the rows a second time throws.
 */
export async function readSheetRows(options: ReadSheetOptions): Promise<SheetReader> {
  const { sheets, spreadsheetId } = options;
  const range = typeof options.range === 'string' ? parseA1Range(options.range) : options.range;
  const pageRows = options.pageRows ?? DEFAULT_PAGE_ROWS;
  if (!Number.isInteger(pageRows) || pageRows < 1 || pageRows > 100_000) {
    throw new SheetsConfigError('pageRows: must be an integer from 1 to 100000');
  }
  if (range.endColumn === undefined && range.startColumn !== 0) {
    throw new SheetsConfigError(
      'range: give the last column too (e.g. B1:H), or the whole sheet by its name',
    );
  }
  const stats: SheetReadStats = { pages: 0, rows: 0, done: false };

  async function fetchPage(start: number, first: boolean): Promise<Page> {
    const end = Math.min(start + pageRows - 1, range.endRow ?? Number.POSITIVE_INFINITY);
    const a1 =
      range.endColumn === undefined
        ? formatRowRange(range.sheet, start, end)
        : formatRange(range.sheet, range.startColumn, start, range.endColumn, end);
    let data: { range?: string | null; values?: unknown[][] | null };
    try {
      stats.pages++;
      ({ data } = await sheets.spreadsheets.values.get({
        spreadsheetId,
        range: a1,
        majorDimension: 'ROWS',
        valueRenderOption: 'UNFORMATTED_VALUE',
        dateTimeRenderOption: 'FORMATTED_STRING',
      }));
    } catch (error) {
      // A block that starts past the sheet's last row: the previous block ended exactly there.
      if (
        !first &&
        googleStatus(error) === 400 &&
        /exceeds grid limits/i.test(errorMessage(error))
      ) {
        return { start, values: [], last: true };
      }
      throw error;
    }
    const values = Array.isArray(data?.values) ? data.values : [];
    const returnedEnd = endRowOf(data?.range);
    // The end: the range's own last row, the grid's last row (Google clips the range it answers
    // with), or a whole block without a single value. New sheets have 1000 rows and people add
    // thousands more; reading every blank block would spend the 60-reads-a-minute quota.
    const last =
      (range.endRow !== undefined && end >= range.endRow) ||
      (returnedEnd !== undefined && returnedEnd < end) ||
      (!first && values.length === 0);
    return { start, values, last };
  }

  const firstPage = await fetchPage(range.startRow, true);
  const layout = detectLayout(firstPage.values, range.startRow);

  let iterated = false;
  const rows: AsyncIterable<SheetRow> = {
    [Symbol.asyncIterator]() {
      if (iterated) throw new Error('readSheetRows: the rows can be iterated only once');
      iterated = true;
      return pageRowsOf(firstPage);
    },
  };

  async function* pageRowsOf(first: Page): AsyncGenerator<SheetRow> {
    let page: Page | undefined = first;
    while (page) {
      const current: Page = page;
      // Fetch the next block while this one is being sent; at most two blocks are held.
      const next = current.last ? undefined : fetchPage(current.start + pageRows, false);
      next?.catch(() => {});
      // Only the block's cells as Google sent them are held; each row is made as it is pulled,
      // so a block is never held twice (as cells and as rows).
      const values: (unknown[] | undefined)[] = current.values;
      current.values = [];
      const skip = Math.max(0, layout.firstDataRow - current.start);
      for (let index = skip; index < values.length; index++) {
        if (!isBlank(values[index])) stats.rows++;
      }
      if (current.last) stats.done = true;
      for (let index = skip; index < values.length; index++) {
        const row = toSheetRow(values[index] ?? [], current.start + index, layout);
        values[index] = undefined;
        if (row) yield row;
      }
      page = next ? await next : undefined;
    }
    stats.done = true;
  }

  return { range, layout, rows, stats };
}

/** True for a row Google sent without a single non-blank cell (`toSheetRow` skips it). */
function isBlank(values: unknown[] | undefined): boolean {
  return !values || values.every((value) => cellText(value) === '');
}

/** The last row of an A1 range the API answered with (`Sheet1!A1:G1000` → 1000). */
function endRowOf(a1: string | null | undefined): number | undefined {
  if (typeof a1 !== 'string') return undefined;
  try {
    return parseA1Range(a1).endRow;
  } catch {
    return undefined;
  }
}
