/** What a `{placeholder}` of the message text stands for in a row. */
export type PlaceholderField = 'name' | 'promo' | 'phone';

/**
 * Placeholder names after lower-casing and dropping everything but letters and digits, so `{Nama}`
 * and `{kode_promo}` work as well as `{name}` and `{promo}`: people write them in Indonesian.
 */
const PLACEHOLDERS: Readonly<Record<string, PlaceholderField>> = {
  name: 'name',
  nama: 'name',
  promo: 'promo',
  kode: 'promo',
  kodepromo: 'promo',
  promocode: 'promo',
  code: 'promo',
  phone: 'phone',
  nomor: 'phone',
  nohp: 'phone',
};

const PLACEHOLDER = /\{([^{}\n]{1,40})\}/g;

function fieldOf(placeholder: string): PlaceholderField | undefined {
  const key = placeholder.toLowerCase().replace(/[^a-z0-9]/g, '');
  return Object.hasOwn(PLACEHOLDERS, key) ? PLACEHOLDERS[key] : undefined;
}

/** Every `{…}` in `text`, braces included. */
function placeholdersIn(text: string): string[] {
  // match() rather than matchAll(): the bundle targets ES2019 for older Apps Script runtimes.
  return text.match(PLACEHOLDER) ?? [];
}

/** The `{…}` in `text` that name no field, as written (`{alamat}`), each once. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = placeholdersIn(text).filter((found) => fieldOf(found.slice(1, -1)) === undefined);
  return [...new Set(unknown)];
}

/** Whether `text` needs the promo code column. */
export function usesPromo(text: string): boolean {
  return placeholdersIn(text).some((found) => fieldOf(found.slice(1, -1)) === 'promo');
}

/** What one row puts into the message: the same values a template gets as `{{1}}`, `{{2}}`. */
export interface RowValues {
  /** Digits-only international form. */
  phone: string;
  /** `[name, promo?]`, as the row plan builds a template's body parameters. */
  params: readonly string[];
}

/** `text` with every known placeholder replaced by the row's value; unknown ones stay as written. */
export function fillMessage(text: string, row: RowValues): string {
  const values: Record<PlaceholderField, string> = {
    name: row.params[0] ?? '',
    promo: row.params[1] ?? '',
    phone: row.phone,
  };
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const field = fieldOf(name);
    return field === undefined ? whole : values[field];
  });
}
