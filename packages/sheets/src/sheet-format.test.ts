import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetters, formatRange, parseA1Range } from './a1.js';
import { detectLayout, SEED_COLUMNS } from './columns.js';
import { compileMessage } from './message.js';
import { cellText, isAlreadySent, isOptedOut, toSheetRow } from './rows.js';

describe('A1 ranges', () => {
  it('parses the forms the CLI accepts', () => {
    expect(parseA1Range('Sheet1!A1:G')).toEqual({
      sheet: 'Sheet1',
      startColumn: 0,
      startRow: 1,
      endColumn: 6,
      endRow: undefined,
    });
    expect(parseA1Range("'Data Pelanggan'!B2:H500")).toMatchObject({
      sheet: 'Data Pelanggan',
      startColumn: 1,
      startRow: 2,
      endColumn: 7,
      endRow: 500,
    });
    expect(parseA1Range("'It''s'!A:G")).toMatchObject({
      sheet: "It's",
      startRow: 1,
      endRow: undefined,
    });
    expect(parseA1Range('Sheet1')).toMatchObject({ sheet: 'Sheet1', endColumn: undefined });
    expect(parseA1Range('A2:G')).toMatchObject({ sheet: undefined, startRow: 2, endColumn: 6 });
    for (const bad of ['', 'Sheet1!', 'Sheet1!G1:A5', 'Sheet1!A5:G1', "'Open!A1", 'Sheet1!A1:']) {
      expect(() => parseA1Range(bad)).toThrow(/range/);
    }
  });

  it('formats ranges back, quoting sheet names that need it', () => {
    expect(columnLetters(0)).toBe('A');
    expect(columnLetters(25)).toBe('Z');
    expect(columnLetters(26)).toBe('AA');
    expect(columnIndex('AB')).toBe(27);
    expect(formatRange('Sheet1', 3, 5, 5, 9)).toBe('Sheet1!D5:F9');
    expect(formatRange('Data Pelanggan', 3, 5, 5, 5)).toBe("'Data Pelanggan'!D5:F5");
    expect(formatRange(undefined, 0, 1, 6)).toBe('A1:G');
  });
});

describe('the seed sheet', () => {
  it('finds the header by name, Indonesian or English, in any case, with a title row above', () => {
    const indonesian = detectLayout(
      [
        ['Broadcast Promo'],
        [],
        ['NO. HP', 'nama pelanggan', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt-Out'],
      ],
      1,
    );
    expect(indonesian).toMatchObject({ headerRow: 3, firstDataRow: 4, columns: SEED_COLUMNS });

    const english = detectLayout(
      [['Name', 'Phone Number', 'Sent Time', 'Message ID', 'Status', 'Promo Code', 'Unsubscribe']],
      1,
    );
    expect(english.columns).toEqual({
      name: 0,
      phone: 1,
      sentAt: 2,
      messageId: 3,
      status: 4,
      promo: 5,
      optOut: 6,
    });
    // A running number column "No" is not the phone.
    expect(detectLayout([['No', 'Nama', 'Nomor WhatsApp', 'Status']], 1).columns).toMatchObject({
      phone: 2,
      name: 1,
      status: 3,
    });
  });

  it("assumes the seed's A..G order when there is no header", () => {
    const layout = detectLayout([['081230000001', 'Budi', 'PROMO1']], 5);
    expect(layout).toMatchObject({ headerRow: undefined, firstDataRow: 5, columns: SEED_COLUMNS });
  });

  it('reads phone cells that lost their leading 0, and other cell types, as text', () => {
    expect(cellText(81234567890)).toBe('81234567890');
    expect(cellText(6281234567890)).toBe('6281234567890');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText('  Budi ')).toBe('Budi');
    expect(cellText(null)).toBe('');

    const layout = detectLayout([['081230000001']], 2);
    const row = toSheetRow([81230000001, 'Budi', 'P1'], 2, layout);
    const message = compileMessage(
      { template: { name: 'broadcast_promo' } },
      { layout },
    )(row as NonNullable<typeof row>);
    expect(message).toMatchObject({
      to: '6281230000001',
      template: { name: 'broadcast_promo', language: 'id', params: ['Budi', 'P1'] },
    });
    expect(toSheetRow(['', null, '  '], 3, layout)).toBeUndefined();
  });

  it('knows opt-outs and rows already sent', () => {
    expect(isOptedOut({ optOut: 'STOP' })).toBe(true);
    expect(isOptedOut({ optOut: 'stop' })).toBe(true);
    expect(isOptedOut({ optOut: 'TRUE' })).toBe(true);
    expect(isOptedOut({ optOut: '' })).toBe(false);
    expect(isAlreadySent({ status: 'SUKSES', messageId: '' })).toBe(true);
    expect(isAlreadySent({ status: '', messageId: 'wamid.x' })).toBe(true);
    expect(isAlreadySent({ status: 'GAGAL: timeout', messageId: '' })).toBe(false);
    expect(isAlreadySent({ status: 'DILEWATI (Opt-Out)', messageId: '' })).toBe(false);
  });

  it('fills a text from columns, with the seed default for a blank name', () => {
    const layout = detectLayout(
      [['Nomor HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu', 'Opt-Out', 'Kota']],
      1,
    );
    const build = compileMessage(
      { text: 'Halo {name} di {Kota}, kode {promo} {{ok}}' },
      { layout },
    );
    const row = toSheetRow(['0812-3000-0001', '', 'X9', '', '', '', '', 'Bandung'], 2, layout);
    expect(build(row as NonNullable<typeof row>)).toMatchObject({
      to: '6281230000001',
      text: 'Halo Pelanggan di Bandung, kode X9 {ok}',
    });
    expect(() => compileMessage({ text: 'Halo {umur}' }, { layout })).toThrow(/no column 'umur'/);
  });
});
