import { type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { STRICT_METADATA } from './phone-metadata.js';
import { readNumber } from './phone-rules.js';

// phone-rules.ts reads numbers with libphonenumber's rules on its own, to keep core small. Here it
// must answer exactly as libphonenumber-js does with the same rules, for tens of thousands of
// inputs around each region's real numbers: national, with trunk and international prefixes, with
// the calling code with and without a plus, and plain noise.
const METADATA = STRICT_METADATA as unknown as MetadataJson;
const REGIONS = Object.keys(STRICT_METADATA.countries);
const CALLING_CODES = Object.keys(STRICT_METADATA.country_calling_codes);
const PREFIXES = ['', '0', '00', '000', '001', '008', '009', '0011', '010', '0082', '1831'];

/** The same reading from libphonenumber-js. */
function reference(input: string, region?: string) {
  const parsed = parsePhoneNumberFromString(
    input,
    region as Parameters<typeof parsePhoneNumberFromString>[1],
    METADATA,
  );
  if (!parsed) return undefined;
  return { number: parsed.number.slice(1), region: parsed.country, valid: parsed.isValid() };
}

function ours(input: string, region?: string) {
  const read = readNumber(input, region);
  if (!read) return undefined;
  return { number: read.callingCode + read.national, region: read.region, valid: read.valid };
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((state >>> 0) % 1_000_003) % below;
  };
}

/** Numbers around a region's example: a few digits changed, one added or taken away. */
function around(example: string, pick: (below: number) => number): string[] {
  const numbers: string[] = [example];
  for (let i = 0; i < 60; i++) {
    const digits = example.split('');
    for (let changes = 1 + pick(3); changes > 0; changes--) {
      digits[1 + pick(digits.length - 1)] = String(pick(10));
    }
    if (pick(4) === 0) digits.push(String(pick(10)));
    if (pick(4) === 0) digits.pop();
    numbers.push(digits.join(''));
  }
  for (let i = 0; i < 20; i++) {
    numbers.push(Array.from({ length: 1 + pick(18) }, () => String(pick(10))).join(''));
  }
  return numbers;
}

describe('readNumber', () => {
  it('reads every input as libphonenumber-js does with the same rules', () => {
    const pick = random(20261207);
    let compared = 0;
    let valid = 0;
    const mismatches: string[] = [];
    const compare = (input: string, region?: string) => {
      const expected = reference(input, region);
      const actual = ours(input, region);
      compared += 1;
      if (actual?.valid) valid += 1;
      if (JSON.stringify(actual) !== JSON.stringify(expected) && mismatches.length < 10) {
        mismatches.push(
          `${input} in ${region ?? '+'}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`,
        );
      }
    };
    for (const region of REGIONS) {
      const example = (examples as Record<string, string>)[region] ?? '812345678';
      const callingCode = STRICT_METADATA.countries[region]?.[0] as string;
      for (const national of around(example, pick)) {
        for (const prefix of PREFIXES) {
          compare(prefix + national, region);
          compare(`${prefix}${callingCode}${national}`, region);
        }
        const otherCode = CALLING_CODES[pick(CALLING_CODES.length)] as string;
        compare(`00${otherCode}${national}`, region);
        compare(`+${callingCode}${national}`);
        compare(`+${callingCode}0${national}`);
        compare(`+${otherCode}${national}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Enough of the inputs are real numbers for the comparison to mean something.
    expect(compared).toBeGreaterThan(40_000);
    expect(valid).toBeGreaterThan(5_000);
  });

  it('knows the region of numbers whose calling code several regions share', () => {
    // +61: Australia, the Cocos Islands and Christmas Island.
    expect(readNumber('+61891621234')?.region).toBe('CC');
    expect(readNumber('+61412345678')?.region).toBe('AU');
    expect(readNumber('0412345678', 'AU')).toMatchObject({ national: '412345678', valid: true });
  });
});
