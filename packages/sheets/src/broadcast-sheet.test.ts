import { memoryConsentStore, memoryWindowStore } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { meta } from '@kabar/core/meta';
import { useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { broadcastSheet } from './broadcast-sheet.js';
import { createSheetsClient, googleAuth } from './google.js';
import { formatReport } from './report.js';
import {
  approvePromoTemplate,
  cell,
  customers,
  HEADER,
  kiremMessages,
  maxInWindow,
  PROMO_TEMPLATE,
  sheetOf,
} from './test-helpers.js';
import { type FakeSheetsServer, startFakeSheetsServer } from './testing/fake-sheets-server.js';

const sandbox = useSandbox();
const TOKEN = 'test-access-token';

let fake: FakeSheetsServer;

async function sheetsClient() {
  return createSheetsClient({
    auth: await googleAuth({ accessToken: TOKEN }),
    rootUrl: fake.rootUrl,
  });
}

function provider() {
  return kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl });
}

function metaProvider() {
  return meta({
    accessToken: sandbox.meta.accessToken,
    phoneNumberId: sandbox.meta.phoneNumberId,
    baseUrl: sandbox.meta.baseUrl,
    apiVersion: sandbox.meta.apiVersion,
  });
}

async function run(options: Partial<Parameters<typeof broadcastSheet>[0]> = {}) {
  return broadcastSheet({
    sheets: await sheetsClient(),
    spreadsheetId: fake.spreadsheetId,
    range: 'Sheet1!A1:G',
    message: { template: { name: PROMO_TEMPLATE } },
    provider: provider(),
    ...options,
  });
}

const writes = () =>
  fake.calls.filter((call) => call.kind === 'batchUpdate' && call.status === 200);

beforeEach(async () => {
  fake = await startFakeSheetsServer({ accessTokens: [TOKEN] });
  await approvePromoTemplate(sandbox);
});

afterEach(async () => {
  await fake.close();
});

describe('broadcastSheet against the sandbox and a fake Sheets v4 server', () => {
  it('sends a 300-row sheet once per row at 80/s and writes every status back in a few batchUpdate calls', async () => {
    const list = customers(300);
    fake.setValues('Sheet1', sheetOf(list));

    const summary = await run();

    expect(summary).toMatchObject({ rows: 300, sent: 300, failed: 0, aborted: false });
    expect(summary.error).toBeUndefined();
    const messages = await kiremMessages(sandbox);
    expect(messages).toHaveLength(300);
    // Once each, to the right number, with that row's name and promo code.
    const byPhone = new Map(messages.map((message) => [message.to, message]));
    expect(byPhone.size).toBe(300);
    for (const customer of list) {
      const message = byPhone.get(customer.phone);
      expect(message?.template?.name).toBe(PROMO_TEMPLATE);
      expect(message?.text).toContain(`Halo ${customer.name},`);
      expect(message?.text).toContain(`*${customer.promo}*`);
    }
    // Kirem's 80/s as the gateway counted it.
    expect(
      maxInWindow(
        messages.map((m) => Date.parse(m.createdAt)),
        1000,
      ),
    ).toBeLessThanOrEqual(80);

    // Every row's status, message id and time landed.
    const grid = fake.values();
    list.forEach((customer, index) => {
      const row = index + 2;
      expect(cell(grid, row, 3)).toBe('SUKSES');
      expect(cell(grid, row, 4)).toBe(byPhone.get(customer.phone)?.id);
      expect(Number.isNaN(Date.parse(cell(grid, row, 5)))).toBe(false);
    });

    // Few writes: at most one a second (plus the last), far inside 60 a minute.
    const calls = writes();
    const seconds = summary.durationMs / 1000;
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(
      maxInWindow(
        calls.map((call) => call.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(60);
    for (let i = 1; i < calls.length; i++) {
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
    expect(calls.reduce((sum, call) => sum + (call.rows ?? 0), 0)).toBe(300);
    expect(summary.writes).toMatchObject({
      writes: calls.length,
      rowsWritten: 300,
      pendingRows: 0,
    });
    // One read: the sheet fits in one values.get.
    expect(fake.calls.filter((call) => call.kind === 'get')).toHaveLength(1);
  });

  it('skips opted-out rows (STOP) and marks them as the seed does', async () => {
    const list = customers(10);
    const rows = sheetOf(list);
    for (const [row, mark] of [
      [2, 'STOP'],
      [5, 'stop'],
      [9, true],
    ] as const) {
      (rows[row - 1] as unknown[])[6] = mark;
    }
    fake.setValues('Sheet1', rows);

    const summary = await run({ rateLimit: false });

    expect(summary).toMatchObject({ sent: 7, failed: 0 });
    expect(summary.skipped).toMatchObject({ total: 3, optedOut: 3 });
    const messages = await kiremMessages(sandbox);
    const sentTo = new Set(messages.map((message) => message.to));
    expect(sentTo.size).toBe(7);
    const grid = fake.values();
    for (const row of [2, 5, 9]) {
      expect(sentTo.has((list[row - 2] as { phone: string }).phone)).toBe(false);
      expect(cell(grid, row, 3)).toBe('DILEWATI (Opt-Out)');
      expect(cell(grid, row, 4)).toBe('');
    }
  });

  it('resumes: rows already sent (status or message id) are skipped, failed ones retried', async () => {
    const list = customers(12);
    const rows = sheetOf(list);
    const earlier = '2026-01-01T00:00:00.000Z';
    for (const row of [2, 3, 4])
      rows[row - 1] = [...(rows[row - 1] as unknown[]), 'SUKSES', `wamid.old${row}`, earlier];
    (rows[4] as unknown[]).push('', 'wamid.byhand');
    (rows[5] as unknown[]).push('GAGAL: timeout', '', earlier);
    fake.setValues('Sheet1', rows);

    const summary = await run({ rateLimit: false });

    expect(summary).toMatchObject({ sent: 8, failed: 0 });
    expect(summary.skipped).toMatchObject({ alreadySent: 4 });
    const sentTo = new Set((await kiremMessages(sandbox)).map((message) => message.to));
    expect(sentTo.size).toBe(8);
    for (const row of [2, 3, 4, 5]) {
      expect(sentTo.has((list[row - 2] as { phone: string }).phone)).toBe(false);
    }
    expect(sentTo.has((list[4] as { phone: string }).phone)).toBe(true); // row 6 failed before
    const grid = fake.values();
    expect(cell(grid, 2, 4)).toBe('wamid.old2');
    expect(cell(grid, 2, 5)).toBe(earlier);
    expect(cell(grid, 5, 4)).toBe('wamid.byhand');
    expect(cell(grid, 6, 3)).toBe('SUKSES');
  });

  it('continues after an interrupted run: in-flight statuses are written, a rerun sends only the rest', async () => {
    const list = customers(120);
    fake.setValues('Sheet1', sheetOf(list));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 800);

    const first = await run({ rateLimit: { perSecond: 40 }, signal: controller.signal });

    expect(first.aborted).toBe(true);
    expect(first.sent).toBeGreaterThan(0);
    expect(first.sent).toBeLessThan(120);
    const afterFirst = await kiremMessages(sandbox);
    expect(afterFirst).toHaveLength(first.sent);
    const marked = fake.values().filter((row) => row[3] === 'SUKSES');
    expect(marked).toHaveLength(first.sent); // every send that went out is in the sheet

    const second = await run({ rateLimit: false });

    expect(second.sent).toBe(120 - first.sent);
    expect(second.skipped.alreadySent).toBe(first.sent);
    const all = await kiremMessages(sandbox);
    expect(all).toHaveLength(120);
    expect(new Set(all.map((message) => message.to)).size).toBe(120);
  });

  it('dry run reads and validates every row, reports what would be sent, sends and writes nothing', async () => {
    const list = customers(6);
    const rows = sheetOf(list);
    (rows[3] as unknown[])[0] = '12345'; // row 4: not a phone number
    (rows[6] as unknown[])[6] = 'STOP';
    fake.setValues('Sheet1', rows);
    const before = JSON.stringify(fake.values());

    const summary = await run({ dryRun: true });

    expect(summary).toMatchObject({ dryRun: true, sent: 4, failed: 1, aborted: false });
    expect(summary.skipped.optedOut).toBe(1);
    expect(summary.failures).toEqual([
      expect.objectContaining({ row: 4, code: 'invalid_phone', phone: '12345' }),
    ]);
    expect(summary.preview[0]).toMatchObject({ row: 2, to: list[0]?.phone });
    expect(summary.preview[0]?.message).toContain(PROMO_TEMPLATE);
    expect(summary.preview[0]?.message).toContain(list[0]?.promo);
    expect(summary.writes).toBeUndefined();
    expect(await kiremMessages(sandbox)).toHaveLength(0);
    expect(fake.calls.filter((call) => call.kind === 'batchUpdate')).toHaveLength(0);
    expect(JSON.stringify(fake.values())).toBe(before);
  });

  it('writes each failure to its row with the reason: an invalid phone and an injected gateway fault', async () => {
    const list = customers(20);
    const rows = sheetOf(list);
    (rows[2] as unknown[])[0] = '12'; // row 3
    (rows[7] as unknown[])[0] = 'bukan nomor'; // row 8
    fake.setValues('Sheet1', rows);
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 400,
      body: { status: 400, message: 'Nomor tujuan diblokir oleh Meta', errors: { to: 'blocked' } },
      times: 2,
    });

    const summary = await run({ rateLimit: false, concurrency: 4 });

    expect(summary).toMatchObject({ sent: 16, failed: 4 });
    expect(summary.failureCodes.invalid_phone).toBe(2);
    expect(summary.failures.length).toBe(4);
    expect(await kiremMessages(sandbox)).toHaveLength(16);
    const grid = fake.values();
    const statuses = Array.from({ length: 20 }, (_, index) => cell(grid, index + 2, 3));
    expect(cell(grid, 3, 3)).toMatch(/^GAGAL: Invalid phone number "12"/);
    expect(cell(grid, 8, 3)).toMatch(/^GAGAL: Invalid phone number "bukan nomor"/);
    expect(
      statuses.filter(
        (status) => status === 'GAGAL: kirem: Nomor tujuan diblokir oleh Meta (HTTP 400)',
      ),
    ).toHaveLength(2);
    expect(statuses.filter((status) => status === 'SUKSES')).toHaveLength(16);
    for (let row = 2; row <= 21; row++) {
      if (cell(grid, row, 3).startsWith('GAGAL')) {
        expect(cell(grid, row, 4)).toBe('');
        expect(cell(grid, row, 5)).not.toBe('');
      }
    }
  });

  it('reads a big sheet in blocks of rows and finds the header among the first rows', async () => {
    const list = customers(230);
    fake.setValues('Data', [['Broadcast Januari'], [], ...sheetOf(list)]);

    const summary = await run({ range: 'Data!A1:G', pageRows: 100, rateLimit: false });

    expect(summary).toMatchObject({ sent: 230, failed: 0 });
    expect(summary.layout).toMatch(/^header row 3: phone A "Nomor HP"/);
    const reads = fake.calls.filter((call) => call.kind === 'get');
    expect(reads.map((call) => call.ranges[0])).toEqual([
      'Data!A1:G100',
      'Data!A101:G200',
      'Data!A201:G300',
      'Data!A301:G400', // blank: the end (the grid goes on to row 1000, as Google's does)
    ]);
    expect(cell(fake.values('Data'), 232, 3)).toBe('SUKSES');
    expect(cell(fake.values('Data'), 3, 3)).toBe(HEADER[3]);
  });

  it('keeps unwritten statuses bounded: sending waits while the writer is full', async () => {
    fake.setValues('Sheet1', sheetOf(customers(300)));

    const summary = await run({
      rateLimit: false,
      concurrency: 8,
      pageRows: 50,
      writer: { minIntervalMs: 100, maxRowsPerWrite: 40, maxPendingRows: 40 },
    });

    expect(summary).toMatchObject({ sent: 300, failed: 0, aborted: false });
    expect(summary.writes).toMatchObject({ rowsWritten: 300, pendingRows: 0 });
    // Rows are pulled only while the writer has room; sends already in flight may still land.
    expect(summary.writes?.peakPendingRows).toBeLessThanOrEqual(40 + 8);
    expect(fake.values().filter((row) => row[3] === 'SUKSES')).toHaveLength(300);
    const reads = fake.calls.filter((call) => call.kind === 'get');
    for (const read of reads) expect(read.ranges[0]).toMatch(/^Sheet1!A\d+:G\d+$/);
    expect(reads.length).toBeGreaterThanOrEqual(6);
  });

  it('retries a write Sheets rate-limits (429) and stops sending when writes are refused (403)', async () => {
    fake.setValues('Sheet1', sheetOf(customers(40)));
    fake.fail({ kind: 'batchUpdate', status: 429, times: 1 });

    const retried = await run({ rateLimit: false });

    expect(retried).toMatchObject({ sent: 40, failed: 0 });
    expect(retried.writes).toMatchObject({ rowsWritten: 40, pendingRows: 0 });
    expect(
      fake
        .values()
        .slice(1)
        .every((row) => row[3] === 'SUKSES'),
    ).toBe(true);

    await sandbox.clear();
    fake.setValues('Sheet1', sheetOf(customers(200, 1000)));
    fake.fail({
      kind: 'batchUpdate',
      status: 403,
      message: 'The caller does not have permission',
      times: 100,
    });

    const refused = await run({ rateLimit: { perSecond: 100 } });

    expect(refused.aborted).toBe(true);
    expect(refused.error).toMatch(/HTTP 403.*does not have permission/);
    expect(refused.sent).toBeLessThan(200);
    expect(await kiremMessages(sandbox)).toHaveLength(refused.sent);
  });

  it('skips rows the send policy refuses, writes why and counts them, and tries them again next run', async () => {
    const list = customers(5);
    fake.setValues('Sheet1', sheetOf(list));
    const phone = (i: number) => (list[i] as { phone: string }).phone;
    const consent = memoryConsentStore();
    await consent.set(phone(1), { status: 'opted_out', source: 'keyword', at: Date.now() });
    const window = memoryWindowStore();
    // Rows 2 and 3 wrote in the last 24 hours; rows 4 to 6 never did.
    for (const i of [0, 1]) {
      await window.customerWrote({ business: 'default', contact: phone(i) }, Date.now());
    }
    const policy = { consent, window: { store: window } };

    const summary = await run({
      provider: metaProvider(),
      message: { text: 'Halo {name}, pakai kode {promo}!' },
      policy,
      rateLimit: false,
    });

    expect(summary).toMatchObject({ rows: 5, sent: 1, failed: 0 });
    expect(summary.skipped).toEqual({
      total: 4,
      optedOut: 1,
      outsideWindow: 3,
      alreadySent: 0,
      noPhone: 0,
    });
    const grid = fake.values();
    expect(cell(grid, 2, 3)).toBe('SUKSES');
    expect(cell(grid, 3, 3)).toBe('DILEWATI (Opt-Out)');
    for (const row of [4, 5, 6]) {
      expect(cell(grid, row, 3)).toBe('DILEWATI (Di luar 24 jam)');
      expect(cell(grid, row, 4)).toBe('');
    }
    const metaSent = await sandbox.messages({ provider: 'meta', direction: 'outbound' });
    expect(metaSent.map((m) => m.to)).toEqual([phone(0)]);
    expect(formatReport(summary)).toContain(
      'skipped     4 (opted out 1, outside 24h window 3, already sent 0, no phone 0)',
    );

    // Row 4 writes back: the next run sends it, the others stay skipped for the same reasons.
    await window.customerWrote({ business: 'default', contact: phone(2) }, Date.now());
    const again = await run({
      provider: metaProvider(),
      message: { text: 'Halo {name}, pakai kode {promo}!' },
      policy,
      rateLimit: false,
    });
    expect(again).toMatchObject({ sent: 1 });
    expect(again.skipped).toMatchObject({ alreadySent: 1, optedOut: 1, outsideWindow: 2 });
    expect(cell(fake.values(), 4, 3)).toBe('SUKSES');

    // Utility broadcasts still reach the opted-out contact; a template ignores the window.
    fake.setValues('Sheet1', sheetOf(list));
    const utility = await run({ policy, category: 'utility', rateLimit: false });
    expect(utility).toMatchObject({ sent: 5 });
  });

  it('rejects a setup it cannot run before sending anything', async () => {
    fake.setValues('Sheet1', [
      ['Nomor HP', 'Nama', 'Kode Promo'],
      ['081230000001', 'Budi', 'X1'],
    ]);
    await expect(run()).rejects.toThrow(/no column for status .*message id .*sent time/);
    fake.setValues('Sheet1', sheetOf(customers(2)));
    await expect(
      run({ message: { template: { name: PROMO_TEMPLATE, params: ['name', 'kota'] } } }),
    ).rejects.toThrow(/no column 'kota'/);
    await expect(run({ message: { text: 'Halo {nama}, kode {voucher}' } })).rejects.toThrow(
      /no column 'voucher'/,
    );
    expect(await kiremMessages(sandbox)).toHaveLength(0);
  });
});
