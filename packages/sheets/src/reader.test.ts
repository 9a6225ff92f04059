import { describe, expect, it } from 'vitest';
import { parseA1Range } from './a1.js';
import { readSheetRows } from './reader.js';
import type { SheetsApi } from './sheets-api.js';
import { HEADER } from './test-helpers.js';

/** An in-memory sheet of `count` data rows that records every range it is asked for. */
function sheetApi(count: number) {
  const grid: unknown[][] = [HEADER];
  for (let i = 0; i < count; i++) grid.push([`0${81_230_000_000 + i}`, `Pelanggan ${i}`, `P${i}`]);
  const reads: { startRow: number; endRow: number }[] = [];
  const api: SheetsApi = {
    spreadsheets: {
      values: {
        async get({ range }) {
          const { startRow, endRow = Number.POSITIVE_INFINITY } = parseA1Range(range);
          reads.push({ startRow, endRow });
          const values = grid.slice(startRow - 1, Math.min(endRow, grid.length));
          return { data: { range, values } };
        },
        batchUpdate: async () => ({}),
      },
    },
  };
  return { api, reads };
}

describe('readSheetRows', () => {
  it('reads bounded blocks as rows are pulled, never more than one block ahead', async () => {
    const pageRows = 100;
    const { api, reads } = sheetApi(1_000);
    const reader = await readSheetRows({
      sheets: api,
      spreadsheetId: 's',
      range: 'Sheet1!A1:G',
      pageRows,
    });
    expect(reads).toHaveLength(1); // opening reads the first block only

    let pulled = 0;
    for await (const row of reader.rows) {
      pulled++;
      expect(row.row).toBe(pulled + 1);
      // The block being sent, plus the next one fetched ahead: however long the sheet is.
      expect(reads.length).toBeLessThanOrEqual(Math.ceil((pulled + 1) / pageRows) + 1);
      if (pulled === 250) expect(reads.length).toBeLessThanOrEqual(4);
    }

    expect(pulled).toBe(1_000);
    expect(reader.stats).toEqual({ pages: reads.length, rows: 1_000, done: true });
    for (const read of reads) expect(read.endRow - read.startRow + 1).toBe(pageRows);
    expect(reads.map((read) => read.startRow)).toEqual(
      Array.from({ length: reads.length }, (_, index) => 1 + index * pageRows),
    );
  });
});
