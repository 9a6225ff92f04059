import { tryNormalizePhone } from '@kabar/core';

/**
 * A cell as `Range.getValues()` returns it (the typings say `any`): a string, a number, a boolean,
 * a Date, or '' for an empty cell.
 */
export type CellValue = string | number | boolean | Date | null;

export type Field = 'phone' | 'name' | 'promo' | 'status' | 'messageId' | 'sentAt' | 'optOut';

/** Header labels per field, compared after lower-casing and dropping everything but letters and digits. */
const EXACT: Record<Field, string[]> = {
  phone: [
    'nohp',
    'nomorhp',
    'hp',
    'phone',
    'phonenumber',
    'nomortelepon',
    'notelp',
    'notelepon',
    'telepon',
    'telp',
    'whatsapp',
    'nowa',
    'nomorwa',
    'nowhatsapp',
    'nomorwhatsapp',
    'wa',
    'mobile',
    'mobilenumber',
    'msisdn',
    'ponsel',
    'nomorponsel',
    'handphone',
    'nohandphone',
    'nomorhandphone',
    'telephone',
  ],
  name: ['nama', 'name', 'namapelanggan', 'namalengkap', 'fullname', 'customername', 'pelanggan'],
  promo: [
    'kodepromo',
    'promo',
    'promocode',
    'kode',
    'code',
    'kodevoucher',
    'voucher',
    'vouchercode',
    'kupon',
    'kodekupon',
    'coupon',
    'couponcode',
  ],
  status: ['status', 'statuskirim', 'statuspengiriman', 'sendstatus', 'deliverystatus'],
  messageId: [
    'messageid',
    'waid',
    'wamid',
    'idpesan',
    'pesanid',
    'msgid',
    'idwa',
    'whatsappid',
    'wamessageid',
  ],
  sentAt: [
    'waktukirim',
    'sentat',
    'senttime',
    'waktu',
    'waktupengiriman',
    'tanggalkirim',
    'jamkirim',
    'timestamp',
    'time',
    'sent',
    'dikirim',
    'dikirimpada',
  ],
  optOut: [
    'optout',
    'stop',
    'berhenti',
    'unsubscribe',
    'unsubscribed',
    'berhentilangganan',
    'blokir',
  ],
};

/**
 * Distinctive words that identify a field inside a longer label ("No. HP Pelanggan"). Generic ones
 * ("nomor", "kode", "pelanggan") are exact-only: "Nomor Urut" or "Kode Pelanggan" must not match.
 */
const CONTAINS: Record<Field, string[]> = {
  phone: [
    'nohp',
    'nomorhp',
    'phone',
    'telepon',
    'whatsapp',
    'nowa',
    'nomorwa',
    'handphone',
    'ponsel',
    'mobile',
    'msisdn',
    'notelp',
  ],
  name: ['nama', 'name'],
  promo: ['promo', 'voucher', 'kupon', 'coupon'],
  status: ['status'],
  messageId: ['messageid', 'waid', 'wamid', 'idpesan', 'msgid'],
  sentAt: ['waktu', 'sentat', 'tanggal', 'timestamp'],
  optOut: ['optout', 'unsubscribe', 'berhenti'],
};

/** Checked in this order, so the specific labels claim their columns first. */
const FIELD_ORDER: Field[] = ['messageId', 'optOut', 'sentAt', 'status', 'promo', 'phone', 'name'];

export interface Layout {
  /** 0-based index of the header row in the data range. */
  headerRow: number;
  /** 0-based column per field; output fields missing from the sheet are placed after the last column. */
  columns: Partial<Record<Field, number>> & {
    phone: number;
    status: number;
    messageId: number;
    sentAt: number;
  };
  /** Output columns that do not exist yet, with the header to write. */
  added: { column: number; header: string }[];
}

const ADDED_HEADERS = { status: 'Status', messageId: 'Message ID', sentAt: 'Waktu Kirim' } as const;

export function normalizeHeader(value: unknown): string {
  return String(value ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Maps one row's cells to fields: exact labels first, then labels containing a distinctive word. */
export function matchHeaders(cells: readonly unknown[]): Partial<Record<Field, number>> {
  const labels = cells.map(normalizeHeader);
  const found: Partial<Record<Field, number>> = {};
  const taken = new Set<number>();
  for (const exact of [true, false]) {
    for (const field of FIELD_ORDER) {
      if (found[field] !== undefined) continue;
      const index = labels.findIndex(
        (label, column) =>
          label !== '' &&
          !taken.has(column) &&
          (exact ? EXACT[field].includes(label) : CONTAINS[field].some((w) => label.includes(w))),
      );
      if (index >= 0) {
        found[field] = index;
        taken.add(index);
      }
    }
  }
  return found;
}

/** Finds the header row among the first rows: the first one with a phone column. */
export function detectLayout(display: readonly string[][], searchRows = 10): Layout | undefined {
  const width = Math.max(0, ...display.map((row) => row.length));
  for (let row = 0; row < Math.min(searchRows, display.length); row++) {
    const cells = display[row] ?? [];
    const found = matchHeaders(cells);
    if (found.phone === undefined) continue;
    // A title row such as "Daftar nomor HP pelanggan" is no header: a lone phone label must be exact.
    const exactPhone = EXACT.phone.includes(normalizeHeader(cells[found.phone]));
    if (Object.keys(found).length < 2 && !exactPhone) continue;

    const added: Layout['added'] = [];
    let next = Math.max(width, lastFilledColumn(cells) + 1);
    const output = (field: keyof typeof ADDED_HEADERS): number => {
      const existing = found[field];
      if (existing !== undefined) return existing;
      const column = next++;
      added.push({ column, header: ADDED_HEADERS[field] });
      return column;
    };
    const columns = {
      ...found,
      phone: found.phone,
      status: output('status'),
      messageId: output('messageId'),
      sentAt: output('sentAt'),
    };
    return { headerRow: row, columns, added };
  }
  return undefined;
}

function lastFilledColumn(cells: readonly string[]): number {
  for (let column = cells.length - 1; column >= 0; column--) {
    if (String(cells[column] ?? '').trim() !== '') return column;
  }
  return -1;
}

export const STATUS = {
  sent: 'TERKIRIM',
  optOut: 'DILEWATI (Opt-Out)',
  /** The gateway refused the contact: their 24-hour window is closed. A later run tries again. */
  outsideWindow: 'DILEWATI (Di luar 24 jam)',
  duplicate: (row: number) => `DILEWATI (duplikat baris ${row})`,
  invalidPhone: (input: string) => `GAGAL: nomor HP tidak valid (${input.slice(0, 40)})`,
  missingPromo: 'GAGAL: kode promo kosong',
  failed: (reason: string, retryable: boolean) =>
    `GAGAL: ${reason}${retryable ? ' (coba lagi)' : ''}`,
  /**
   * The gateway may have delivered it (Fonnte, Wablas: no answer, a 5xx, no message id). Later runs
   * skip the row until someone checks the gateway's log and clears the status.
   */
  unclear: (reason: string) =>
    `TIDAK PASTI: ${reason} (cek dulu, kosongkan Status untuk kirim ulang)`,
} as const;

const SENT_STATUS = /^(terkirim|sukses|sent|success|berhasil|delivered|read|dibaca)\b/i;
const UNCLEAR_STATUS = /^tidak pasti\b/i;
const OPT_OUT_VALUES = new Set([
  'stop',
  'ya',
  'yes',
  'y',
  'x',
  'v',
  '1',
  'true',
  'optout',
  'berhenti',
  'unsubscribe',
  'blokir',
]);

export type RowPlan =
  | { kind: 'empty' }
  | { kind: 'sent' }
  /** Marked TIDAK PASTI by an earlier run: maybe delivered, so not sent again until cleared. */
  | { kind: 'unclear' }
  | { kind: 'optOut' }
  | { kind: 'invalid'; input: string }
  | { kind: 'missingPromo' }
  | { kind: 'send'; phone: string; params: string[] };

/** The cell as text: numbers in phone columns lose nothing (81234567890 stays whole). */
export function phoneText(raw: CellValue | undefined, display: string | undefined): string {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(Math.round(raw));
  if (typeof raw === 'string') return raw.trim();
  return String(display ?? '').trim();
}

function text(display: readonly string[], column: number | undefined): string {
  return column === undefined ? '' : String(display[column] ?? '').trim();
}

/** What to do with one data row, judged on its own (duplicates are the run's business). */
export function planRow(
  layout: Layout,
  raw: readonly CellValue[],
  display: readonly string[],
): RowPlan {
  const { columns } = layout;
  const input = phoneText(raw[columns.phone], display[columns.phone]);
  if (input === '') return { kind: 'empty' };
  const status = text(display, columns.status);
  if (text(display, columns.messageId) !== '' || SENT_STATUS.test(status)) return { kind: 'sent' };
  if (UNCLEAR_STATUS.test(status)) return { kind: 'unclear' };
  if (columns.optOut !== undefined) {
    const optOut = raw[columns.optOut];
    if (optOut === true || OPT_OUT_VALUES.has(normalizeHeader(display[columns.optOut]))) {
      return { kind: 'optOut' };
    }
  }
  const phone = tryNormalizePhone(input.replace(/^'/, ''));
  if (phone === undefined) return { kind: 'invalid', input };
  const params = [text(display, columns.name) || 'Pelanggan'];
  if (columns.promo !== undefined) {
    const promo = text(display, columns.promo);
    if (promo === '') return { kind: 'missingPromo' };
    params.push(promo);
  }
  return { kind: 'send', phone, params };
}
