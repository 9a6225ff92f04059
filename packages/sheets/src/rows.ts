import type { SheetLayout } from './columns.js';

/** One data row of the sheet, every cell as text. */
export interface SheetRow {
  /** The row's number in the sheet (1-based), where its status is written back. */
  row: number;
  phone: string;
  name: string;
  promo: string;
  status: string;
  messageId: string;
  sentAt: string;
  optOut: string;
  /** Every cell of the range in this row, as text ('' where blank). */
  cells: string[];
}

/** What the CLI writes into the status column; the seed's words. */
export const STATUS_SENT = 'SUKSES';
/** Written before a failed row's reason in the status column. */
export const STATUS_FAILED_PREFIX = 'GAGAL: ';
/** Written into the status column of a row skipped because it opted out. */
export const STATUS_OPTED_OUT = 'DILEWATI (Opt-Out)';
/**
 * Written into the status column of a row the client's send policy skipped because the contact's
 * 24-hour customer-service window was closed (a text on Meta or Kirem). A rerun tries it again.
 */
export const STATUS_OUTSIDE_WINDOW = 'DILEWATI (Di luar 24 jam)';

/**
 * A cell as text. Sheets read with UNFORMATTED_VALUE give numbers for phone cells typed as numbers
 * (`81234567890`, the leading 0 lost); they are written out in full, never in exponent form.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).trim();
}

/** The row as the seed's columns, or undefined when every cell is blank (a gap in the sheet). */
export function toSheetRow(
  values: readonly unknown[],
  rowNumber: number,
  layout: SheetLayout,
): SheetRow | undefined {
  const cells = values.map(cellText);
  if (cells.every((cell) => cell === '')) return undefined;
  const at = (offset: number | undefined) => (offset === undefined ? '' : (cells[offset] ?? ''));
  const { columns } = layout;
  return {
    row: rowNumber,
    phone: at(columns.phone),
    name: at(columns.name),
    promo: at(columns.promo),
    status: at(columns.status),
    messageId: at(columns.messageId),
    sentAt: at(columns.sentAt),
    optOut: at(columns.optOut),
    cells,
  };
}

const OPT_OUT_WORDS = new Set(['stop', 'true', 'ya', 'yes', 'y', 'berhenti', 'unsubscribe', 'x']);

/** The seed marks opt-outs with STOP; a ticked checkbox (TRUE), YA or YES count as well. */
export function isOptedOut(row: Pick<SheetRow, 'optOut'>): boolean {
  return OPT_OUT_WORDS.has(row.optOut.trim().toLowerCase());
}

const SENT_STATUS = /^(sukses|berhasil|terkirim|sent|success|delivered|read|dibaca)\b/i;

/**
 * Resume: a row with a message id, or whose status says it went out, was sent by an earlier run
 * (or by hand) and is not sent again. Failed rows (GAGAL) are tried again.
 */
export function isAlreadySent(row: Pick<SheetRow, 'status' | 'messageId'>): boolean {
  return row.messageId.trim() !== '' || SENT_STATUS.test(row.status.trim());
}
