import { InvalidPhoneError } from './errors.js';
import { CALLING_CODE_REGIONS, type CountryCode, STRICT_METADATA } from './phone-metadata.js';
import { hasRules, readNumber } from './phone-rules.js';

export type { CountryCode };

/** Options of `normalizePhone` and `tryNormalizePhone`. */
export interface NormalizePhoneOptions {
  /** Region assumed for numbers written without a country code. Default `ID` (Indonesia). */
  defaultRegion?: CountryCode;
}

// People paste numbers with every kind of punctuation; only digits and a leading + carry meaning.
const SEPARATORS = /[\s\-.()/]/g;

/**
 * Turns `0812-3456-7890`, `+62 812 3456 7890`, `6281234567890` or `81234567890` into the
 * digits-only international form gateways expect (`6281234567890`). Spaces, dashes, dots, slashes
 * and parentheses are ignored. Numbers of Indonesia and of the countries its businesses message
 * most (Malaysia, Singapore, Brunei, Timor-Leste, the Philippines, Thailand, Vietnam, Australia,
 * Hong Kong, Taiwan, Japan, Korea, Saudi Arabia, the Emirates, Qatar, the Netherlands) are
 * validated in full with libphonenumber's rules; a number of any other country must be written with its
 * country code and is checked for shape only (a known calling code, 8 to 15 digits), which keeps
 * core small and quick to load. `defaultRegion` must be one of the countries checked in full.
 * Throws `InvalidPhoneError` (code `invalid_phone`) echoing the input when it is not a valid number.
 *
 * @example
 * ```ts
 * import { InvalidPhoneError, normalizePhone } from '@kabar/core';
 *
 * normalizePhone('0812-3456-7890'); // '6281234567890'
 * normalizePhone('+60 12-345 6789'); // '60123456789'
 * normalizePhone('012-345 6789', { defaultRegion: 'MY' }); // '60123456789'
 *
 * try {
 *   normalizePhone('12345');
 * } catch (error) {
 *   if (InvalidPhoneError.isInstance(error)) console.log(error.code, error.input); // invalid_phone 12345
 * }
 * ```
 */
export function normalizePhone(input: string, options: NormalizePhoneOptions = {}): string {
  if (typeof input !== 'string' && typeof input !== 'number') {
    throw new InvalidPhoneError(input, 'expected a string');
  }
  const defaultRegion = options.defaultRegion ?? 'ID';
  const cacheKey = `${defaultRegion}:${input}`;
  const cached = recentNumbers.get(cacheKey);
  if (cached !== undefined) return cached;
  const normalized = parseAndValidate(input, defaultRegion);
  // Businesses message the same customers again and again (OTP resends, order updates); parsing
  // with the numbering rules is the costliest step of a send, so recent answers are remembered.
  if (recentNumbers.size >= RECENT_NUMBERS_LIMIT) recentNumbers.clear();
  recentNumbers.set(cacheKey, normalized);
  return normalized;
}

const RECENT_NUMBERS_LIMIT = 10_000;
const recentNumbers = new Map<string, string>();

function parseAndValidate(input: string, defaultRegion: CountryCode): string {
  const compact = String(input).replace(SEPARATORS, '');
  if (compact === '') throw new InvalidPhoneError(input, 'it is empty');
  if (!/^\+?\d+$/.test(compact)) {
    throw new InvalidPhoneError(input, 'only digits, spaces, dashes and a leading + are allowed');
  }
  const digits = compact.replace(/^\+/, '');
  // `62…` without a plus is how Indonesian numbers are usually stored; the rules might read it as a
  // national number, so we make the country code explicit.
  if (compact.startsWith('+') || (defaultRegion === 'ID' && digits.startsWith('62'))) {
    const normalized = international(digits);
    if (normalized === undefined) throw new InvalidPhoneError(input, 'not a valid phone number');
    return normalized;
  }
  const strictRegion = hasRules(defaultRegion);
  if (strictRegion) {
    const read = readNumber(compact, defaultRegion);
    if (read?.valid) return read.callingCode + read.national;
  }
  // Digits that are no national number may be an international one stored without its plus, as
  // normalizePhone itself answers: normalizing twice gives the same number.
  const normalized = international(digits);
  if (normalized !== undefined) return normalized;
  throw new InvalidPhoneError(
    input,
    strictRegion
      ? 'not a valid phone number'
      : `numbers of ${defaultRegion} must be written with their country code (+…)`,
  );
}

/**
 * An international number (digits after the +) normalized, or undefined when it is not valid: in
 * full for the calling codes of STRICT_METADATA, by shape (8 to 15 digits) for the others.
 */
function international(digits: string): string | undefined {
  const code = callingCodeOf(digits);
  if (code === undefined) return undefined;
  if (!(code in STRICT_METADATA.country_calling_codes)) {
    return digits.length >= 8 && digits.length <= 15 ? digits : undefined;
  }
  const read = readNumber(`+${digits}`);
  return read?.valid ? read.callingCode + read.national : undefined;
}

/** The country calling code `digits` (international, without +) start with, if any. */
export function callingCodeOf(digits: string): string | undefined {
  for (let length = 1; length <= 3; length++) {
    const code = digits.slice(0, length);
    if (Object.hasOwn(CALLING_CODE_REGIONS, code)) return code;
  }
  return undefined;
}

/**
 * The region of a normalized number (`6281234567890` → `ID`): exact for the countries checked in
 * full; elsewhere the main region of its calling code (`+1` is `US`, `+7` is `RU`).
 */
export function regionOfPhone(digits: string): CountryCode | undefined {
  const code = callingCodeOf(digits);
  if (code === undefined) return undefined;
  if (code in STRICT_METADATA.country_calling_codes) {
    return readNumber(`+${digits}`)?.region as CountryCode | undefined;
  }
  return CALLING_CODE_REGIONS[code]?.split(' ')[0] as CountryCode | undefined;
}

/** Whether `region` is an ISO 3166 region code that has phone numbers (`ID`, `MY`, `US`). */
export function isPhoneRegion(region: unknown): region is CountryCode {
  if (typeof region !== 'string' || !/^[A-Z]{2}$/.test(region)) return false;
  return Object.values(CALLING_CODE_REGIONS).some((regions) => regions.split(' ').includes(region));
}

/** `normalizePhone` that answers `undefined` instead of throwing. */
export function tryNormalizePhone(
  input: string,
  options: NormalizePhoneOptions = {},
): string | undefined {
  try {
    return normalizePhone(input, options);
  } catch {
    return undefined;
  }
}

/**
 * A phone number fit for logs: the country and operator prefix and the last four digits stay, so
 * two numbers can still be told apart, the rest is hidden (`6281300000005` → `62813****0005`).
 * Shorter numbers keep only two digits at each end, so at least half is always hidden; anything
 * too short to be a number is hidden whole.
 */
export function maskPhone(input: unknown): string {
  const digits = typeof input === 'string' || typeof input === 'number' ? String(input) : '';
  const compact = digits.replace(/[^\d]/g, '');
  if (compact.length < 6) return '****';
  if (compact.length < 11) return `${compact.slice(0, 2)}****${compact.slice(-2)}`;
  return `${compact.slice(0, 5)}****${compact.slice(-4)}`;
}

// A phone number as it appears in free text: 8 to 15 digits, maybe after a '+', maybe grouped by
// spaces, dashes or brackets, not part of a longer word (a message id, an ISO time). Dots do not
// group digits here, so IP addresses and amounts stay readable.
const PHONE_IN_TEXT = /(?<![\w+])\+?\d(?:[ ()-]{0,2}\d){7,14}(?!\w)/g;

/**
 * `text` with every phone number in it masked by `maskPhone`: for log lines that quote an error
 * message or a job id, where a number may appear anywhere.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (phone) => maskPhone(phone));
}
