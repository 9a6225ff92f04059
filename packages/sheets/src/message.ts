import { createHash } from 'node:crypto';
import type { CountryCode, OutgoingMessage } from '@kabar/core';
import { normalizePhone } from '@kabar/core';
import { columnLetters } from './a1.js';
import { normalizeHeader, type SheetLayout } from './columns.js';
import { SheetsConfigError } from './errors.js';
import type { SheetRow } from './rows.js';

/** What each row receives: an approved template filled from its cells, or a text. */
export type SheetMessage =
  | {
      template: {
        name: string;
        /** Default `id`. */
        language?: string;
        /**
         * The template's body parameters `{{1}}`, `{{2}}`, ... as column names: `name`, `promo`,
         * `phone`, or any header of the sheet. Default `['name', 'promo']`, as the seed's template.
         */
        params?: string[];
      };
    }
  | {
      /** `Halo {name}, pakai kode {promo}!` — `{...}` names a column as in `params`. */
      text: string;
    };

/** The seed sends "Pelanggan" when the name cell is blank. */
export const DEFAULT_NAME = 'Pelanggan';
/**
 * The columns a template's body parameters come from when `params` is not given: `{{1}}` the name,
 * `{{2}}` the promo code.
 */
export const DEFAULT_TEMPLATE_PARAMS = ['name', 'promo'];

type Field = (row: SheetRow) => string;

const nameOf: Field = (row) => row.name || DEFAULT_NAME;
const promoOf: Field = (row) => row.promo;
const phoneOf: Field = (row) => row.phone;

/** The seed's columns by the names people use for them. */
const ROLE_ALIASES = new Map<string, Field>([
  ['name', nameOf],
  ['nama', nameOf],
  ['promo', promoOf],
  ['promo code', promoOf],
  ['kode', promoOf],
  ['kode promo', promoOf],
  ['code', promoOf],
  ['phone', phoneOf],
  ['nomor', phoneOf],
]);

/** The value a column name stands for in a row; throws naming the sheet's columns when unknown. */
export function resolveField(name: string, layout: SheetLayout, startColumn = 0): Field {
  const key = normalizeHeader(name);
  const alias = ROLE_ALIASES.get(key);
  if (alias) return alias;
  const byHeader = layout.headers.findIndex((header) => normalizeHeader(header) === key);
  if (byHeader >= 0) return (row) => row.cells[byHeader] ?? '';
  if (/^[a-z]$/.test(key)) {
    // A column letter (`C`), handy for sheets without a header.
    const offset = key.charCodeAt(0) - 97 - startColumn;
    if (offset >= 0) return (row) => row.cells[offset] ?? '';
  }
  const known = [
    'name',
    'promo',
    'phone',
    ...layout.headers.filter((header) => header !== '').map((header) => `"${header}"`),
  ];
  throw new SheetsConfigError(
    `message: no column '${name}' in the sheet; use one of ${known.join(', ')}` +
      ` or a column letter (${columnLetters(startColumn)}, ${columnLetters(startColumn + 1)}, ...)`,
  );
}

/** Where the columns are and how to read the phones, for `compileMessage`. */
export interface CompileMessageOptions {
  /** The sheet's columns, from `detectLayout` or `readSheetRows`. */
  layout: SheetLayout;
  /** The range's first column, 0-based (A = 0), so column letters resolve. Default 0. */
  startColumn?: number;
  /** Region for numbers without a country code. Default `ID`. */
  defaultRegion?: CountryCode;
  /**
   * Seeds each row's Idempotency-Key (Kirem): the same row, recipient and message in a later run
   * gets the same key, so a gateway that deduplicates answers with the first send's id instead of
   * sending again, e.g. after a crash between sending and writing the status. Undefined: no key.
   */
  idempotencySeed?: string;
}

/**
 * Turns the message spec into a function from row to message. Column names are checked here, once,
 * so a typo fails before anything is sent. The function throws `invalid_phone` for a bad number and
 * returns null for a row without one.
 *
 * Throws `SheetsConfigError` for an unknown column name, an empty template name or text, an
 * unclosed `{` in the text, or a spec with neither a template nor a text.
 */
export function compileMessage(
  spec: SheetMessage,
  options: CompileMessageOptions,
): (row: SheetRow) => OutgoingMessage | null {
  const { layout, startColumn = 0, defaultRegion = 'ID', idempotencySeed } = options;
  let content: (row: SheetRow) => Record<string, unknown>;
  if ('template' in spec && spec.template) {
    const { name, language = 'id' } = spec.template;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new SheetsConfigError('template: the name is empty');
    }
    const fields = (spec.template.params ?? DEFAULT_TEMPLATE_PARAMS).map((param) =>
      resolveField(param, layout, startColumn),
    );
    content = (row) => ({
      template: { name: name.trim(), language, params: fields.map((field) => field(row)) },
    });
  } else if ('text' in spec && typeof spec.text === 'string') {
    if (spec.text.trim() === '') throw new SheetsConfigError('text: the message is empty');
    const parts = parseText(spec.text, layout, startColumn);
    content = (row) => ({
      text: parts.map((part) => (typeof part === 'string' ? part : part(row))).join(''),
    });
  } else {
    throw new SheetsConfigError('message: give a template or a text');
  }

  return (row) => {
    if (row.phone === '') return null;
    const to = normalizePhone(row.phone, { defaultRegion });
    const body = content(row);
    const message = { to, ...body } as OutgoingMessage;
    if (idempotencySeed !== undefined) {
      message.idempotencyKey = `kabar-sheets-${createHash('sha256')
        .update(JSON.stringify([idempotencySeed, row.row, to, body]))
        .digest('hex')
        .slice(0, 40)}`;
    }
    return message;
  };
}

/** `Halo {name}!` → ['Halo ', field, '!']; `{{` and `}}` stand for literal braces. */
function parseText(text: string, layout: SheetLayout, startColumn: number): (string | Field)[] {
  const parts: (string | Field)[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if ((char === '{' || char === '}') && text[i + 1] === char) {
      literal += char;
      i++;
      continue;
    }
    if (char === '{') {
      const close = text.indexOf('}', i);
      if (close < 0) throw new SheetsConfigError(`text: '{' at position ${i + 1} is not closed`);
      if (literal) parts.push(literal);
      literal = '';
      parts.push(resolveField(text.slice(i + 1, close), layout, startColumn));
      i = close;
      continue;
    }
    literal += char;
  }
  if (literal) parts.push(literal);
  return parts;
}

/** A short human summary of a message for the dry-run preview. */
export function describeMessage(message: OutgoingMessage): string {
  if ('template' in message && message.template) {
    const { name, language, params = [] } = message.template;
    // Named parameters show as name=value, positional ones by value alone.
    const shown = Array.isArray(params)
      ? params.map((p) => JSON.stringify(String(p)))
      : Object.entries(params).map(([key, p]) => `${key}=${JSON.stringify(String(p))}`);
    return `template ${name} (${language}) [${shown.join(', ')}]`;
  }
  if ('text' in message && typeof message.text === 'string') {
    const text = message.text.length > 80 ? `${message.text.slice(0, 77)}...` : message.text;
    return `text ${JSON.stringify(text)}`;
  }
  return 'message';
}
