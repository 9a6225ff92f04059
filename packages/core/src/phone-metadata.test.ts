import { readFileSync } from 'node:fs';
import full from 'libphonenumber-js/metadata.min.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { withoutFormats } from '../scripts/phone-metadata.mjs';
import { CALLING_CODE_REGIONS, STRICT_METADATA } from './phone-metadata.js';

// The generated file must follow the installed libphonenumber-js: after an upgrade, run
// `node scripts/phone-metadata.mjs`.
describe('phone metadata', () => {
  it('holds the installed rules (all but the formats) for every calling code it checks in full', () => {
    const codes = Object.keys(STRICT_METADATA.country_calling_codes);
    expect(codes).toContain('62');
    for (const code of codes) {
      const regions =
        full.country_calling_codes[code as keyof typeof full.country_calling_codes] ?? [];
      expect(STRICT_METADATA.country_calling_codes[code]).toEqual(regions);
      for (const region of regions) {
        expect(STRICT_METADATA.countries[region]).toEqual(
          withoutFormats(full.countries[region as keyof typeof full.countries]),
        );
      }
    }
  });

  it('knows every calling code of the installed metadata', () => {
    expect(CALLING_CODE_REGIONS).toEqual(
      Object.fromEntries(
        Object.entries(full.country_calling_codes).map(([code, list]) => [code, list.join(' ')]),
      ),
    );
  });

  it('names every region of the installed metadata in CountryCode', () => {
    const written = readFileSync(new URL('./phone-metadata.ts', import.meta.url), 'utf8');
    const declared = written.slice(written.indexOf('export type CountryCode'));
    const regions = [...declared.matchAll(/\| '([A-Z]{2})'/g)].map((match) => match[1]);
    expect(regions).toEqual(Object.keys(full.countries).sort());
  });
});
