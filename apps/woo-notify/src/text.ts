import { LIMITS } from '@kabar/core';

// C0 and C1 controls (tab, new lines and carriage return included), DEL, and the Unicode line and
// paragraph separators: each could start a line of its own in the customer's chat.
const BREAKING = /[\p{Cc}\u2028\u2029]/gu;
// Bidi marks, embeddings, overrides and isolates: they can make "Rp 10.000" read as "000.01 pR".
const BIDI = /\p{Bidi_Control}/gu;

// The named entities WordPress and WooCommerce write into names, notes and addresses
// (`wptexturize`, `esc_html`); any other name is left as written.
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  times: '×',
  deg: '°',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
};

/**
 * WooCommerce's REST API returns product names, addresses and notes as WordPress stored them,
 * HTML entities included (`Kopi &amp; Teh`, `Kaos &#8211; Hitam`). Decodes them in one pass, so
 * `&amp;lt;` becomes `&lt;`, as a browser shows it, and never `<`.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
    const code =
      entity[1] === 'x' || entity[1] === 'X'
        ? Number.parseInt(entity.slice(2), 16)
        : Number.parseInt(entity.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Customer-supplied order text made safe to put inside a message: HTML entities decoded, control
 * characters and line breaks turned into spaces, direction overrides removed (decoded ones too),
 * runs of white space shrunk to one, and anything longer than `max` characters cut with an
 * ellipsis.
 */
export function cleanText(value: string, max: number): string {
  const flat = decodeEntities(value)
    .replace(BIDI, '')
    .replace(BREAKING, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(flat, max);
}

/** Cuts `text` to at most `max` characters (code points, as WhatsApp counts), ending with "…". */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A filled text message within WhatsApp's 4096 characters. */
export function messageText(text: string): string {
  return clip(text, LIMITS.textBody);
}

// Meta refuses a template whose body with its parameters filled in exceeds 1024 characters, so no
// single parameter can usefully be longer.
const TEMPLATE_PARAM_MAX = 1024;

/**
 * A filled template parameter as WhatsApp accepts it: one line (a multi-line placeholder such as
 * `{products}` is joined with "; "), no tabs, no run of more than four spaces, never empty.
 */
export function templateParam(text: string): string {
  const oneLine = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('; ');
  return clip(oneLine, TEMPLATE_PARAM_MAX) || '-';
}
