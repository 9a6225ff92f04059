// Reads phone numbers with the numbering rules of libphonenumber (Google's data, in
// libphonenumber-js's compressed layout, generated into phone-metadata.ts). Only what core needs:
// find the calling code, strip an international or national prefix, pick the region, check the
// number against the region's rules. Formatting, extensions and free-text extraction are left out,
// which is why this is a few hundred bytes instead of libphonenumber-js's 38 KB; phone-rules.test.ts
// checks it answers as libphonenumber-js does.
import { STRICT_METADATA } from './phone-metadata.js';

/** One region's rules in the compressed layout (version 4): positions, not names. */
export type RegionRules = readonly unknown[];

/** The rules of the calling codes checked in full. */
export interface PhoneRulesJson {
  version: number;
  /** Calling code → its regions, the main region first. */
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, RegionRules>;
}

// Positions in RegionRules.
const CALLING_CODE = 0;
const INTERNATIONAL_PREFIX = 1;
const NATIONAL_PATTERN = 2;
const LENGTHS = 3;
const NATIONAL_PREFIX = 5;
const NATIONAL_PREFIX_FOR_PARSING = 7;
const NATIONAL_PREFIX_TRANSFORM = 8;
const LEADING_DIGITS = 10;
const TYPES = 11;
// The kinds of number a region may list: fixed line, mobile, toll free, premium rate, personal,
// voicemail, UAN, pager, VoIP, shared cost.
const TYPE_COUNT = 10;

// National significant numbers are 2 to 17 digits long; calling codes 1 to 3.
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;

/** A region's rules with their patterns compiled (once, on first use). */
interface Plan {
  region: string;
  callingCode: string;
  internationalPrefix: RegExp;
  national: RegExp;
  lengths: number[];
  nationalPrefix: RegExp | undefined;
  nationalPrefixTransform: string | undefined;
  leadingDigits: RegExp | undefined;
  /** Patterns of the number types (fixed line, mobile, toll free, ...), each with its lengths. */
  types: { pattern: RegExp; lengths: number[] }[] | undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
const start = (pattern: string) => new RegExp(`^(?:${pattern})`);

function compile(region: string, rules: RegionRules): Plan {
  const lengths = rules[LENGTHS] as number[];
  const prefixForParsing = text(rules[NATIONAL_PREFIX_FOR_PARSING]) ?? text(rules[NATIONAL_PREFIX]);
  const leadingDigits = text(rules[LEADING_DIGITS]);
  const types = Array.isArray(rules[TYPES]) ? (rules[TYPES] as unknown[]) : undefined;
  return {
    region,
    callingCode: rules[CALLING_CODE] as string,
    internationalPrefix: start(rules[INTERNATIONAL_PREFIX] as string),
    national: whole(rules[NATIONAL_PATTERN] as string),
    lengths,
    nationalPrefix: prefixForParsing ? start(prefixForParsing) : undefined,
    nationalPrefixTransform: text(rules[NATIONAL_PREFIX_TRANSFORM]),
    leadingDigits: leadingDigits ? start(leadingDigits) : undefined,
    types:
      types && types.length > 0
        ? types.slice(0, TYPE_COUNT).flatMap((type) => {
            const [pattern, typeLengths] = Array.isArray(type) ? type : [];
            return text(pattern)
              ? [{ pattern: whole(pattern), lengths: (typeLengths as number[]) ?? lengths }]
              : [];
          })
        : undefined,
  };
}

const plans = new Map<string, Plan>();
function planOf(region: string): Plan {
  let plan = plans.get(region);
  if (!plan) {
    plan = compile(region, STRICT_METADATA.countries[region] as RegionRules);
    plans.set(region, plan);
  }
  return plan;
}

const regionsOf = (callingCode: string) => STRICT_METADATA.country_calling_codes[callingCode];
/** The main region of a calling code that has rules (callers found it in the rules). */
const mainRegion = (callingCode: string) => regionsOf(callingCode)?.[0] as string;

/** Whether `region`'s numbers are read with full rules here. */
export function hasRules(region: string): boolean {
  return Object.hasOwn(STRICT_METADATA.countries, region);
}

/** Whether `national` is one of the region's kinds of number (when the rules list kinds). */
function isOfSomeType(national: string, plan: Plan): boolean {
  if (!plan.national.test(national)) return false;
  return (plan.types ?? []).some(
    (type) => type.lengths.includes(national.length) && type.pattern.test(national),
  );
}

function isValidIn(national: string, plan: Plan): boolean {
  return plan.types ? isOfSomeType(national, plan) : plan.national.test(national);
}

type LengthFit = 'fits' | 'short' | 'long' | 'between';
function lengthFit(national: string, lengths: number[]): LengthFit {
  const length = national.length;
  if (length < (lengths[0] ?? 0)) return 'short';
  if (length > (lengths.at(-1) ?? Number.POSITIVE_INFINITY)) return 'long';
  return lengths.includes(length) ? 'fits' : 'between';
}

/**
 * The region of a national number among those sharing its calling code: the first whose leading
 * digits it starts with or (for regions without leading digits) whose kinds of number it is.
 */
function regionFor(callingCode: string, national: string): string | undefined {
  const regions = regionsOf(callingCode);
  if (!regions) return undefined;
  if (regions.length === 1) return regions[0];
  for (const region of regions) {
    const plan = planOf(region);
    if (plan.leadingDigits) {
      if (plan.leadingDigits.test(national)) return region;
    } else if (isOfSomeType(national, plan)) {
      return region;
    }
  }
  return undefined;
}

/**
 * `digits` without a national prefix (the trunk `0`, a carrier code), when taking it off leaves
 * something that can still be a number of the plan's calling code; otherwise `digits` unchanged.
 */
function withoutNationalPrefix(digits: string, plan: Plan): string {
  if (!plan.nationalPrefix) return digits;
  const match = plan.nationalPrefix.exec(digits);
  if (!match) return digits;
  // A transform rule rewrites the number from what the prefix pattern captured (some regions
  // keep part of the prefix); it applies only when the last group captured something.
  const captured = match.length > 1 && Boolean(match[match.length - 1]);
  const national =
    plan.nationalPrefixTransform && captured
      ? digits.replace(plan.nationalPrefix, plan.nationalPrefixTransform)
      : digits.slice(match[0].length);
  if (national === digits) return digits;
  // Taking the prefix off must not turn a number that fits the rules into one that does not...
  if (plan.national.test(digits) && !plan.national.test(national)) return digits;
  // ...nor leave too few digits, or a length between the region's lengths.
  const region = regionFor(plan.callingCode, national);
  const fit = lengthFit(national, region ? planOf(region).lengths : plan.lengths);
  return fit === 'short' || fit === 'between' ? digits : national;
}

/** A number read with the rules: its calling code, national number and region. */
export interface ReadNumber {
  callingCode: string;
  national: string;
  /** Undefined when the calling code has several regions and none claims the number. */
  region: string | undefined;
  /** Whether the number is valid under its region's rules. */
  valid: boolean;
}

/** Splits `digits` (after a + or an international prefix) into a known calling code and the rest. */
function splitCallingCode(digits: string): { callingCode: string; rest: string } | undefined {
  if (digits.startsWith('0')) return undefined;
  for (let length = 1; length <= MAX_CALLING_CODE_LENGTH && length <= digits.length; length++) {
    const callingCode = digits.slice(0, length);
    if (regionsOf(callingCode)) return { callingCode, rest: digits.slice(length) };
  }
  return undefined;
}

/**
 * Where a number written without a + starts, read in `plan`'s region: after an international
 * prefix (`00…`), after the region's own calling code written without a plus (when the digits are
 * too long or fit no rule otherwise), or it is national.
 */
function origin(
  digits: string,
  plan: Plan,
): { callingCode: string; rest: string; national: boolean } | undefined {
  const prefix = plan.internationalPrefix.exec(digits);
  if (prefix) {
    const rest = digits.slice(prefix[0].length);
    // A zero after the prefix means it was no international prefix after all.
    if (rest !== '' && !rest.startsWith('0')) {
      const split = splitCallingCode(rest);
      return split ? { ...split, national: false } : undefined;
    }
  }
  if (digits.startsWith(plan.callingCode)) {
    const shorter = digits.slice(plan.callingCode.length);
    const asShorter = withoutNationalPrefix(shorter, plan);
    const asWhole = withoutNationalPrefix(digits, plan);
    if (
      (!plan.national.test(asWhole) && plan.national.test(asShorter)) ||
      lengthFit(asWhole, plan.lengths) === 'long'
    ) {
      return { callingCode: plan.callingCode, rest: shorter, national: false };
    }
  }
  return { callingCode: plan.callingCode, rest: digits, national: true };
}

/**
 * Reads `input`, digits with an optional leading `+`: international after a `+`, otherwise as
 * dialled in `defaultRegion` (which must have rules). Undefined when it is no number at all (an
 * unknown calling code, too short or too long).
 */
export function readNumber(input: string, defaultRegion?: string): ReadNumber | undefined {
  let from: { callingCode: string; rest: string; national: boolean } | undefined;
  if (input.startsWith('+')) {
    const split = splitCallingCode(input.slice(1));
    from = split && { ...split, national: false };
  } else if (defaultRegion !== undefined && hasRules(defaultRegion)) {
    from = origin(input, planOf(defaultRegion));
  }
  if (!from) return undefined;
  const { callingCode, rest } = from;
  // The national prefix is read with the rules of the default region for a national number, of
  // the calling code's main region otherwise.
  const reading = planOf(from.national ? (defaultRegion as string) : mainRegion(callingCode));
  const national = withoutNationalPrefix(rest, reading);
  if (national.length < MIN_NATIONAL_LENGTH || national.length > MAX_NATIONAL_LENGTH) {
    return undefined;
  }
  const region = regionFor(callingCode, national) ?? (from.national ? defaultRegion : undefined);
  const valid = isValidIn(national, planOf(region ?? mainRegion(callingCode)));
  return { callingCode, national, region, valid };
}
