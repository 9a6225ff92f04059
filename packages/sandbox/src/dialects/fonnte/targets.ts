/** One recipient of a send: a number or a group id, and the values for its message's variables. */
export interface FonnteTarget {
  /** The number with the country code applied, or the group id as given ('…@g.us'). */
  readonly to: string;
  readonly group: boolean;
  /** `{name}`, then `{var1}`, `{var2}`, …: the values after the number's `|`s. */
  readonly vars: readonly string[];
}

/** Fonnte's default `countryCode` (docs: api-send-message). */
export const DEFAULT_COUNTRY_CODE = '62';

/** New groups' ids (120363…@g.us) and old ones (<creator>-<timestamp>@g.us). */
const GROUP_ID = /^\d[\d-]*@g\.us$/;

/** What people type between the digits of a number. */
const SEPARATORS = /[\s\-+().]/g;

/** The `countryCode` field: digits, or the default when absent or not digits. */
export function countryCodeOf(value: string | undefined): string {
  const code = value?.trim() ?? '';
  return /^\d{1,4}$/.test(code) ? code : DEFAULT_COUNTRY_CODE;
}

/**
 * A number as Fonnte writes it in its answers: separators dropped, a leading 0 replaced by the
 * country code unless that is '0' (which turns the replacement off), or undefined when what is
 * left is not 8 to 15 digits without a leading 0.
 */
export function normalizeNumber(raw: string, countryCode: string): string | undefined {
  const digits = raw.trim().replace(SEPARATORS, '');
  if (!/^\d+$/.test(digits)) return undefined;
  const number =
    digits.startsWith('0') && countryCode !== '0' ? `${countryCode}${digits.slice(1)}` : digits;
  return /^[1-9]\d{7,14}$/.test(number) ? number : undefined;
}

/** The comma-separated items of a `target` field, blanks dropped. */
export function targetItems(target: string): string[] {
  return target
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The recipients of a `target` field, in order, and the items that are neither a number nor a
 * group id. Each item may carry variables after `|` (`08123456789|Fonnte|Admin`).
 */
export function parseTargets(
  target: string,
  countryCode: string,
): { targets: FonnteTarget[]; invalid: string[] } {
  const targets: FonnteTarget[] = [];
  const invalid: string[] = [];
  for (const item of targetItems(target)) {
    const [recipient = '', ...vars] = item.split('|').map((part) => part.trim());
    if (GROUP_ID.test(recipient)) {
      targets.push({ to: recipient, group: true, vars });
      continue;
    }
    const number = normalizeNumber(recipient, countryCode);
    if (number === undefined) invalid.push(item);
    else targets.push({ to: number, group: false, vars });
  }
  return { targets, invalid };
}

/**
 * The message for one target: `{name}` takes its first value, `{var1}` the second, and so on.
 * A placeholder without a value stays as written, so the mistake shows in the stored message.
 */
export function fillVariables(message: string, vars: readonly string[]): string {
  return message.replace(/\{(name|var([1-9]\d*))\}/g, (placeholder, _key, index?: string) => {
    const value = index === undefined ? vars[0] : vars[Number(index)];
    return value ?? placeholder;
  });
}
