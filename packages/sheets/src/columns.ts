import { columnLetters } from './a1.js';
import { SheetsConfigError } from './errors.js';

/** The columns of the Kirem seed's broadcast sheet. */
export type ColumnRole = 'phone' | 'name' | 'promo' | 'status' | 'messageId' | 'sentAt' | 'optOut';

/** Every column role, in the seed's column order (A to G). */
export const COLUMN_ROLES: readonly ColumnRole[] = [
  'phone',
  'name',
  'promo',
  'status',
  'messageId',
  'sentAt',
  'optOut',
];

/**
 * Where each column is. Offsets count from the range's first column (offset 0 is column A for
 * `Sheet1!A1:G`); `headerRow` and `firstDataRow` are sheet row numbers.
 */
export interface SheetLayout {
  /** The header's row number, or undefined when the sheet has none (the seed's A..G order is assumed). */
  headerRow: number | undefined;
  /** The sheet row number of the first data row (the one after the header). */
  firstDataRow: number;
  /** Each role's column offset, or undefined when the header has no such column. */
  columns: Record<ColumnRole, number | undefined>;
  /** Header cell texts by offset ('' where blank); empty without a header. */
  headers: string[];
}

/** The seed's sheet without a header: A phone, B name, C promo code, D status, E message id, F sent time, G opt-out. */
export const SEED_COLUMNS: Record<ColumnRole, number> = {
  phone: 0,
  name: 1,
  promo: 2,
  status: 3,
  messageId: 4,
  sentAt: 5,
  optOut: 6,
};

/**
 * Header names by role, Indonesian and English, matched on lowercased words (punctuation ignored).
 * Checked in this order, so "WA ID" is the message id before "WA" could make it a phone column.
 */
const HEADER_PATTERNS: [ColumnRole, RegExp][] = [
  [
    'messageId',
    /\b(message ?id|msg ?id|wa ?id|wamid|id pesan|pesan id|id wa|whatsapp id|message_id)\b/,
  ],
  ['optOut', /\b(opt ?out|optout|unsubscribe|unsub|berhenti|stop|blokir|block)\b/],
  [
    'sentAt',
    /\b(sent ?(time|at|on|date)|time ?sent|date ?sent|waktu|timestamp|tanggal|tgl|jam|dikirim pada)\b/,
  ],
  ['status', /\b(status|keterangan|hasil|result)\b/],
  ['promo', /\b(promo|kode|code|voucher|kupon|coupon|diskon|discount)\b/],
  [
    'phone',
    // Not a bare "No": in Indonesian sheets that is usually the row's running number.
    /\b(phone|telepon|telpon|telp|tlp|hp|handphone|ponsel|whatsapp|wa|nomor|mobile|msisdn)\b/,
  ],
  ['name', /\b(nama|name|pelanggan|customer|penerima|recipient)\b/],
];

/** Lowercased words: `No. HP (WhatsApp)` → `no hp whatsapp`. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function roleOf(header: string): ColumnRole | undefined {
  const normalized = normalizeHeader(header);
  if (normalized === '') return undefined;
  return HEADER_PATTERNS.find(([, pattern]) => pattern.test(normalized))?.[0];
}

/** How many rows at the top of the range may come before the header (a title, a blank line). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Finds the header among the first rows: the first row whose text cells name a phone column and at
 * least one other known column. Without one, the seed's column order is assumed and every row is
 * data. `firstRow` is the sheet row number of `rows[0]`.
 */
export function detectLayout(rows: readonly (readonly unknown[])[], firstRow: number): SheetLayout {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let index = 0; index < limit; index++) {
    const cells = rows[index] ?? [];
    const columns = emptyColumns();
    let known = 0;
    cells.forEach((cell, offset) => {
      if (typeof cell !== 'string') return;
      const role = roleOf(cell);
      if (role && columns[role] === undefined) {
        columns[role] = offset;
        known++;
      }
    });
    if (columns.phone !== undefined && known >= 2) {
      return {
        headerRow: firstRow + index,
        firstDataRow: firstRow + index + 1,
        columns,
        headers: cells.map((cell) => (typeof cell === 'string' ? cell.trim() : '')),
      };
    }
  }
  return {
    headerRow: undefined,
    firstDataRow: firstRow,
    columns: { ...SEED_COLUMNS },
    headers: [],
  };
}

function emptyColumns(): Record<ColumnRole, number | undefined> {
  return {
    phone: undefined,
    name: undefined,
    promo: undefined,
    status: undefined,
    messageId: undefined,
    sentAt: undefined,
    optOut: undefined,
  };
}

const ROLE_LABELS: Record<ColumnRole, string> = {
  phone: 'phone (Nomor HP / Phone)',
  name: 'name (Nama / Name)',
  promo: 'promo code (Kode Promo / Promo Code)',
  status: 'status (Status)',
  messageId: 'message id (WA ID / Message ID)',
  sentAt: 'sent time (Waktu Kirim / Sent Time)',
  optOut: 'opt-out (Opt-Out)',
};

/** Throws when the columns a run writes to (status, message id, sent time) are missing. */
export function requireWritableColumns(
  layout: SheetLayout,
  startColumn: number,
): { status: number; messageId: number; sentAt: number } {
  const { status, messageId, sentAt } = layout.columns;
  if (status === undefined || messageId === undefined || sentAt === undefined) {
    const missing = (['status', 'messageId', 'sentAt'] as const)
      .filter((role) => layout.columns[role] === undefined)
      .map((role) => ROLE_LABELS[role]);
    throw new SheetsConfigError(
      `the header row (row ${layout.headerRow}) has no column for ${missing.join(', ')}; ` +
        'add them (e.g. Status, WA ID, Waktu Kirim) so results can be written back',
    );
  }
  return {
    status: startColumn + status,
    messageId: startColumn + messageId,
    sentAt: startColumn + sentAt,
  };
}

/** One line for the report, e.g. `header row 1: phone A, name B, ...`. */
export function describeLayout(layout: SheetLayout, startColumn: number): string {
  const parts = COLUMN_ROLES.filter((role) => layout.columns[role] !== undefined).map(
    (role) =>
      `${role} ${columnLetters(startColumn + (layout.columns[role] as number))}${
        layout.headers.length > 0
          ? ` "${layout.headers[layout.columns[role] as number] ?? ''}"`
          : ''
      }`,
  );
  const where =
    layout.headerRow === undefined
      ? `no header row found, the seed's column order is assumed`
      : `header row ${layout.headerRow}`;
  return `${where}: ${parts.join(', ')}`;
}
