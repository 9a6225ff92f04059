import { describe, expect, it } from 'vitest';
import type { SheetsApi } from './sheets-api.js';
import { maxInWindow } from './test-helpers.js';
import { SheetWriter, valueRanges } from './writer.js';

type Update = { at: number; data: { range: string; values: unknown[][] }[] };

function fakeApi(options: { fail?: (attempt: number) => Error | undefined } = {}) {
  const updates: Update[] = [];
  let attempts = 0;
  const api: SheetsApi = {
    spreadsheets: {
      values: {
        get: async () => ({ data: {} }),
        batchUpdate: async ({ requestBody }) => {
          attempts++;
          const error = options.fail?.(attempts);
          if (error) throw error;
          updates.push({ at: performance.now(), data: requestBody.data });
          return {};
        },
      },
    },
  };
  return { api, updates };
}

const result = (n: number) => ({ status: 'SUKSES', messageId: `wamid.${n}`, sentAt: `t${n}` });

describe('SheetWriter', () => {
  it('groups consecutive rows into one range per block of adjacent columns', () => {
    const batch = [2, 3, 4, 7].map((row) => [row, result(row)] as const);
    expect(
      valueRanges(batch, { sheet: 'Sheet1', columns: { status: 3, messageId: 4, sentAt: 5 } }),
    ).toEqual([
      {
        range: 'Sheet1!D2:F4',
        values: [
          ['SUKSES', 'wamid.2', 't2'],
          ['SUKSES', 'wamid.3', 't3'],
          ['SUKSES', 'wamid.4', 't4'],
        ],
      },
      { range: 'Sheet1!D7:F7', values: [['SUKSES', 'wamid.7', 't7']] },
    ]);
    // Status apart from the other two: two column blocks.
    expect(
      valueRanges([[9, result(9)]], {
        sheet: undefined,
        columns: { status: 0, messageId: 7, sentAt: 8 },
      }),
    ).toEqual([
      { range: 'A9:A9', values: [['SUKSES']] },
      { range: 'H9:I9', values: [['wamid.9', 't9']] },
    ]);
  });

  it('writes at most once per interval and never more than the quota in any window', async () => {
    const { api, updates } = fakeApi();
    const writer = new SheetWriter({
      sheets: api,
      spreadsheetId: 's',
      sheet: 'Sheet1',
      columns: { status: 3, messageId: 4, sentAt: 5 },
      minIntervalMs: 50,
      maxWritesPerMinute: 3,
      quotaWindowMs: 300,
    });
    const started = performance.now();
    let row = 2;
    while (performance.now() - started < 700) {
      writer.write(row, result(row));
      row++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const stats = await writer.close();

    expect(stats).toMatchObject({ rowsWritten: row - 2, pendingRows: 0, error: undefined });
    // The writer times a write from just before the call; the fake stamps it inside. A busy
    // machine can put a few milliseconds between the two, so the window and the interval are
    // checked 20 ms short (unpaced writes would come every 5 ms).
    expect(
      maxInWindow(
        updates.map((update) => update.at),
        280,
      ),
    ).toBeLessThanOrEqual(3);
    for (let i = 1; i < updates.length; i++) {
      expect((updates[i]?.at ?? 0) - (updates[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(30);
    }
    // Rows that accumulated while waiting went out together.
    expect(updates.length).toBeLessThanOrEqual(10);
  });

  it('holds at most maxPendingRows unwritten: room() makes the sender wait while Sheets is slow', async () => {
    const quota = Object.assign(new Error('Quota exceeded'), { status: 429 });
    // Sheets refuses the first two writes: the writer backs off and rows keep arriving.
    const { api, updates } = fakeApi({ fail: (attempt) => (attempt <= 2 ? quota : undefined) });
    const writer = new SheetWriter({
      sheets: api,
      spreadsheetId: 's',
      sheet: 'Sheet1',
      columns: { status: 3, messageId: 4, sentAt: 5 },
      minIntervalMs: 10,
      maxRowsPerWrite: 20,
      maxPendingRows: 30,
    });
    for (let row = 2; row < 502; row++) {
      await writer.room();
      writer.write(row, result(row));
      expect(writer.stats.pendingRows).toBeLessThanOrEqual(30);
    }
    const stats = await writer.close();

    expect(stats).toMatchObject({ rowsWritten: 500, pendingRows: 0, error: undefined });
    expect(stats.peakPendingRows).toBe(30);
    expect(updates.every((update) => update.data.length === 1)).toBe(true);
    const written = updates.flatMap((update) => update.data.flatMap((range) => range.values));
    expect(written).toHaveLength(500);
  });

  it('retries 429 and 5xx with backoff, and gives up on a refusal, reporting the rows unwritten', async () => {
    const quota = Object.assign(new Error('Quota exceeded'), { status: 429 });
    const flaky = fakeApi({ fail: (attempt) => (attempt === 1 ? quota : undefined) });
    const writer = new SheetWriter({
      sheets: flaky.api,
      spreadsheetId: 's',
      sheet: undefined,
      columns: { status: 3, messageId: 4, sentAt: 5 },
      minIntervalMs: 0,
    });
    writer.write(2, result(2));
    expect(await writer.close()).toMatchObject({ writes: 1, requests: 2, rowsWritten: 1 });

    const denied = Object.assign(new Error('The caller does not have permission'), { status: 403 });
    const refused = fakeApi({ fail: () => denied });
    const errors: Error[] = [];
    const stuck = new SheetWriter({
      sheets: refused.api,
      spreadsheetId: 's',
      sheet: undefined,
      columns: { status: 3, messageId: 4, sentAt: 5 },
      minIntervalMs: 0,
      onError: (error) => errors.push(error),
    });
    stuck.write(2, result(2));
    stuck.write(3, result(3));
    const stats = await stuck.close();
    expect(stats).toMatchObject({ writes: 0, requests: 1, pendingRows: 2 });
    expect(stats.error).toMatch(/HTTP 403/);
    expect(errors).toHaveLength(1);
  });
});
