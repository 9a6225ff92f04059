import { describe, expect, it } from 'vitest';
import { detectLayout, matchHeaders, phoneText, planRow } from './layout';

describe('header detection', () => {
  it('reads the seed layout', () => {
    const layout = detectLayout([
      ['No HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt Out'],
    ]);
    expect(layout).toEqual({
      headerRow: 0,
      columns: { phone: 0, name: 1, promo: 2, status: 3, messageId: 4, sentAt: 5, optOut: 6 },
      added: [],
    });
  });

  it('reads English labels in any order and case', () => {
    expect(
      matchHeaders(['STOP', 'sent at', 'Message ID', 'PHONE', 'Promo Code', 'name', 'status']),
    ).toEqual({
      optOut: 0,
      sentAt: 1,
      messageId: 2,
      phone: 3,
      promo: 4,
      name: 5,
      status: 6,
    });
  });

  it('matches longer labels by a distinctive word, but not generic ones', () => {
    expect(
      matchHeaders(['Nomor Urut', 'Kode Pelanggan', 'No. HP Pelanggan', 'Nama Lengkap Pelanggan']),
    ).toEqual({
      phone: 2,
      name: 3,
    });
  });

  it('skips title rows and adds the missing output columns after the last one', () => {
    const layout = detectLayout([
      ['Daftar nomor HP pelanggan', ''],
      ['', ''],
      ['Nama', 'Nomor WhatsApp', 'Promo'],
    ]);
    expect(layout?.headerRow).toBe(2);
    expect(layout?.columns).toMatchObject({
      name: 0,
      phone: 1,
      promo: 2,
      status: 3,
      messageId: 4,
      sentAt: 5,
    });
    expect(layout?.added).toEqual([
      { column: 3, header: 'Status' },
      { column: 4, header: 'Message ID' },
      { column: 5, header: 'Waktu Kirim' },
    ]);
  });

  it('gives up without a phone column', () => {
    expect(
      detectLayout([
        ['Nama', 'Alamat'],
        ['Budi', 'Jakarta'],
      ]),
    ).toBeUndefined();
  });
});

describe('rows', () => {
  const layout = detectLayout([
    ['No HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt Out'],
  ]);
  if (!layout) throw new Error('no layout');
  const plan = (raw: (string | number | boolean)[]) =>
    planRow(
      layout,
      raw,
      raw.map((cell) => (typeof cell === 'boolean' ? String(cell).toUpperCase() : String(cell))),
    );

  it('restores the leading 0 lost by number cells', () => {
    expect(phoneText(81234567890, '8.12346E+10')).toBe('81234567890');
    expect(plan([81234567890, 'Budi', 'X1', '', '', '', ''])).toEqual({
      kind: 'send',
      phone: '6281234567890',
      params: ['Budi', 'X1'],
    });
  });

  it('knows sent rows by status or message id, seed statuses included', () => {
    expect(plan(['081234567890', 'A', 'X', 'TERKIRIM', '', '', '']).kind).toBe('sent');
    expect(plan(['081234567890', 'A', 'X', 'SUKSES', '', '', '']).kind).toBe('sent');
    expect(plan(['081234567890', 'A', 'X', '', 'wamid.1', '', '']).kind).toBe('sent');
    expect(plan(['081234567890', 'A', 'X', 'GAGAL: HTTP 500 (coba lagi)', '', '', '']).kind).toBe(
      'send',
    );
  });

  it('holds rows an earlier run marked TIDAK PASTI, unless a message id says they went out', () => {
    const unclear =
      'TIDAK PASTI: Fonnte HTTP 502: respons bukan JSON (cek dulu, kosongkan Status untuk kirim ulang)';
    expect(plan(['081234567890', 'A', 'X', unclear, '', '', '']).kind).toBe('unclear');
    expect(plan(['081234567890', 'A', 'X', unclear, '142223099', '', '']).kind).toBe('sent');
    // Cleared by hand after checking the gateway's log: sent again.
    expect(plan(['081234567890', 'A', 'X', '', '', '', '']).kind).toBe('send');
  });

  it('skips opt-outs written as STOP, a checkbox or ya', () => {
    for (const value of ['STOP', 'stop', true, 'Ya', 'x']) {
      expect(plan(['081234567890', 'A', 'X', '', '', '', value]).kind).toBe('optOut');
    }
    expect(plan(['081234567890', 'A', 'X', '', '', '', false]).kind).toBe('send');
  });

  it('names empty phones, bad phones and empty promo codes', () => {
    expect(plan(['', 'A', 'X', '', '', '', '']).kind).toBe('empty');
    expect(plan(['0812', 'A', 'X', '', '', '', ''])).toEqual({ kind: 'invalid', input: '0812' });
    expect(plan(['081234567890', 'A', '', '', '', '', '']).kind).toBe('missingPromo');
    expect(plan(['081234567890', '', 'X', '', '', '', ''])).toMatchObject({
      params: ['Pelanggan', 'X'],
    });
  });
});
