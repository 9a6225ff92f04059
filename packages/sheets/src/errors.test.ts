import { KabarError } from '@kabar/core';
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-args.js';
import { SheetsConfigError } from './errors.js';

describe('SheetsConfigError', () => {
  it('is a KabarError with code invalid_config, so one check catches every setup error', () => {
    let thrown: unknown;
    try {
      parseCli(
        ['broadcast', '--spreadsheet', 'x', '--range', 'Sheet1!A1:G', '--gateway', 'pos'],
        {},
      );
    } catch (error) {
      thrown = error;
    }
    expect(KabarError.isInstance(thrown)).toBe(true);
    expect(SheetsConfigError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'invalid_config', name: 'SheetsConfigError' });
    expect((thrown as Error).message).toMatch(/--gateway: 'pos' is not one of meta, kirem, qirim/);
  });

  it('tells its own kind apart from other invalid_config errors', () => {
    expect(SheetsConfigError.isInstance(new KabarError('invalid_config', 'other'))).toBe(false);
    expect(SheetsConfigError.isInstance(new Error('plain'))).toBe(false);
  });
});
