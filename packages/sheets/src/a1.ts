import { SheetsConfigError } from './errors.js';

/** A rectangular A1 range. Columns are 0-based (A = 0), rows 1-based as in the sheet. */
export interface A1Range {
  /** The sheet (tab) name, unquoted; undefined means the spreadsheet's first sheet. */
  sheet: string | undefined;
  startColumn: number;
  startRow: number;
  /** Inclusive; undefined when the range runs to the sheet's last column. */
  endColumn: number | undefined;
  /** Inclusive; undefined when the range runs to the sheet's last row (`A1:G`). */
  endRow: number | undefined;
}

const CELLS = /^([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})?(\d+)?)?$/;
const MAX_ROWS = 10_000_000;

/**
 * Parses `Sheet1!A1:G`, `'Data Pelanggan'!A2:G500`, `Sheet1!A:G`, `Sheet1` (the whole sheet) or
 * `A1:G` (the first sheet). Throws `SheetsConfigError` for anything else.
 */
export function parseA1Range(input: string): A1Range {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new SheetsConfigError('range: is empty (e.g. --range "Sheet1!A1:G")');
  }
  const text = input.trim();
  let sheet: string | undefined;
  let cells: string;
  if (text.startsWith("'")) {
    const close = closingQuote(text);
    if (close < 0) throw invalid(input, 'the quoted sheet name is not closed');
    sheet = text.slice(1, close).replace(/''/g, "'");
    const rest = text.slice(close + 1);
    if (rest === '') cells = '';
    else if (rest.startsWith('!') && rest.length > 1) cells = rest.slice(1);
    else throw invalid(input, "expected '!' after the sheet name");
  } else {
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      sheet = text.slice(0, bang);
      cells = text.slice(bang + 1);
      if (cells === '') throw invalid(input, "nothing follows '!'");
    } else if (looksLikeCells(text)) {
      cells = text;
    } else {
      sheet = text;
      cells = '';
    }
  }
  if (sheet !== undefined && sheet === '') throw invalid(input, 'the sheet name is empty');
  if (cells === '') {
    return { sheet, startColumn: 0, startRow: 1, endColumn: undefined, endRow: undefined };
  }
  const match = CELLS.exec(cells);
  if (!match) throw invalid(input, `'${cells}' is not an A1 range like A1:G`);
  const [, startLetters, startDigits, endLetters, endDigits] = match;
  const hasEnd = cells.includes(':');
  if (!startLetters && !startDigits) throw invalid(input, 'the range has no start');
  if (hasEnd && !endLetters && !endDigits) throw invalid(input, 'the range has no end');
  const startColumn = startLetters ? columnIndex(startLetters) : 0;
  const startRow = startDigits ? Number(startDigits) : 1;
  let endColumn: number | undefined;
  let endRow: number | undefined;
  if (hasEnd) {
    endColumn = endLetters ? columnIndex(endLetters) : undefined;
    endRow = endDigits ? Number(endDigits) : undefined;
  } else {
    // A single cell or a single column/row.
    endColumn = startLetters ? startColumn : undefined;
    endRow = startDigits ? startRow : undefined;
  }
  if (startRow < 1 || startRow > MAX_ROWS || (endRow !== undefined && endRow > MAX_ROWS)) {
    throw invalid(input, 'row numbers start at 1');
  }
  if (endRow !== undefined && endRow < startRow) {
    throw invalid(input, 'the end row comes before the start row');
  }
  if (endColumn !== undefined && endColumn < startColumn) {
    throw invalid(input, 'the end column comes before the start column');
  }
  if (!startLetters && endLetters) throw invalid(input, 'the start column is missing');
  return { sheet, startColumn, startRow, endColumn, endRow };
}

/** `B2`, `A1:G`, `A:G`, `2:500`: cells of the first sheet. Anything else is a sheet's name. */
function looksLikeCells(text: string): boolean {
  return /^[A-Za-z]{1,3}\d+$/.test(text) || /^[A-Za-z]{0,3}\d*:[A-Za-z]{0,3}\d*$/.test(text);
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (text[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

function invalid(input: string, problem: string): SheetsConfigError {
  return new SheetsConfigError(
    `range: cannot use '${input}': ${problem} (expected e.g. 'Sheet1!A1:G')`,
  );
}

/** `A` → 0, `Z` → 25, `AA` → 26. */
export function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/** 0 → `A`, 25 → `Z`, 26 → `AA`. */
export function columnLetters(index: number): string {
  let letters = '';
  let n = index + 1;
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** `'Sheet 1'!`, `Sheet1!`, or '' for the first sheet. Quotes whenever the name is not plain. */
export function sheetPrefix(sheet: string | undefined): string {
  if (sheet === undefined) return '';
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) && !looksLikeCells(sheet)) return `${sheet}!`;
  return `'${sheet.replace(/'/g, "''")}'!`;
}

/** A1 text for a block of cells, e.g. `Sheet1!D5:F9`. Rows are 1-based, columns 0-based. */
export function formatRange(
  sheet: string | undefined,
  startColumn: number,
  startRow: number,
  endColumn?: number,
  endRow?: number,
): string {
  const start = `${columnLetters(startColumn)}${startRow}`;
  const endCol = endColumn === undefined ? '' : columnLetters(endColumn);
  const endRowText = endRow === undefined ? '' : String(endRow);
  const end = endColumn === undefined && endRow === undefined ? '' : `:${endCol}${endRowText}`;
  return `${sheetPrefix(sheet)}${start}${end}`;
}

/** Rows-only A1 text, e.g. `Sheet1!2:5000`, for ranges without column bounds. */
export function formatRowRange(
  sheet: string | undefined,
  startRow: number,
  endRow: number,
): string {
  return `${sheetPrefix(sheet)}${startRow}:${endRow}`;
}
