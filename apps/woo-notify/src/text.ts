import { LIMITS } from '@kabar/core';

// C0 and C1 controls (tab, new lines and carriage return included), DEL, and the Unicode line and
// paragraph separators: each could start a line of its own in the customer's chat.
const BREAKING = /[\p{Cc}\u2028\u2029]/gu;
// Bidi marks, embeddings, overrides and isolates: they can make "Rp 10.000" read as "000.01 pR".
const BIDI = /\p{Bidi_Control}/gu;

/**
 * Customer-supplied order text made safe to put inside a message: control characters and line
 * breaks become spaces, direction overrides vanish, runs of white space shrink to one, and
 * anything longer than `max` characters is cut with an ellipsis.
 */
export function cleanText(value: string, max: number): string {
  const flat = value.replace(BIDI, '').replace(BREAKING, ' ').replace(/\s+/g, ' ').trim();
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
