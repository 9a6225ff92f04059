import { isRecord } from '../../http.js';
import { INBOUND_MEDIA_TYPES } from '../../inbound-input.js';
import { digitsOnly } from '../../phone.js';
import type { DeliveryKind, KiremWebhookRule } from '../../types.js';

/** The message types a Kirem messages.received event from the sandbox can have. */
export const KIREM_MESSAGE_TYPES: readonly string[] = [
  'text',
  'interactive',
  'location',
  ...INBOUND_MEDIA_TYPES,
];

/** What a rule is checked against; a field the event lacks matches no rule that names it. */
export interface EventFacts {
  type?: string;
  /** Digits: the sender of a message, or the customer a status is about. */
  from?: string;
  text?: string;
}

/**
 * The facts of one Kirem webhook event. A status has neither type nor text, so rules on those are
 * about messages only; its `from` is the recipient, so a sender rule also gets that customer's
 * statuses.
 */
export function eventFacts(kind: DeliveryKind, event: unknown): EventFacts {
  const data = isRecord(event) && isRecord(event.data) ? event.data : {};
  if (kind === 'status') {
    return typeof data.recipient === 'string' && /^\d+$/.test(data.recipient)
      ? { from: data.recipient }
      : {};
  }
  if (kind !== 'message') return {};
  const text = messageText(data);
  return {
    ...(typeof data.type === 'string' ? { type: data.type } : {}),
    ...(typeof data.from === 'string' && data.from !== '' ? { from: data.from } : {}),
    ...(text === undefined ? {} : { text }),
  };
}

/** The text body, a media caption, or the title of a button or list reply. */
function messageText(data: Record<string, unknown>): string | undefined {
  const type = typeof data.type === 'string' ? data.type : '';
  const content = data[type];
  if (!isRecord(content)) return undefined;
  const reply = content.button_reply ?? content.list_reply;
  const text = content.body ?? content.caption ?? (isRecord(reply) ? reply.title : undefined);
  return typeof text === 'string' ? text : undefined;
}

/** Whether a target with these rules gets the event: with none, every event; else any rule's. */
export function routes(rules: readonly KiremWebhookRule[] | undefined, facts: EventFacts): boolean {
  return !rules || rules.length === 0 || rules.some((rule) => matches(rule, facts));
}

/** Whether the event meets every criterion the rule names. */
export function matches(rule: KiremWebhookRule, facts: EventFacts): boolean {
  const { type, from, keyword, regex } = rule;
  const { text } = facts;
  return (
    (type === undefined || facts.type === type) &&
    (from === undefined || (facts.from?.startsWith(digitsOnly(from)) ?? false)) &&
    (keyword === undefined || (text !== undefined && keywordPattern(keyword).test(text))) &&
    (regex === undefined || (text !== undefined && new RegExp(regex).test(text)))
  );
}

// Letters and digits of any script, so 'promo' is not found in 'promosi' nor 'café' in 'cafés'.
const WORD_CHARACTER = '[\\p{L}\\p{N}_]';

/** The keyword as whole words, case-insensitive; any run of spaces in it matches any other. */
function keywordPattern(keyword: string): RegExp {
  const words = keyword.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<!${WORD_CHARACTER})${words}(?!${WORD_CHARACTER})`, 'iu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

const RULE_FIELDS = ['type', 'from', 'keyword', 'regex'];

/** Checked rules, or what is wrong with them; `undefined` stays "no rules". */
export function parseRules(
  value: unknown,
): { ok: true; rules: KiremWebhookRule[] | undefined } | { ok: false; error: string } {
  if (value === undefined) return { ok: true, rules: undefined };
  if (!Array.isArray(value)) return { ok: false, error: 'rules must be an array' };
  const rules: KiremWebhookRule[] = [];
  for (const [index, rule] of value.entries()) {
    const problem = ruleProblem(rule);
    if (problem) return { ok: false, error: `rules[${index}] ${problem}` };
    rules.push(rule as KiremWebhookRule);
  }
  return { ok: true, rules };
}

function ruleProblem(rule: unknown): string | undefined {
  if (!isRecord(rule)) return 'must be an object';
  const keys = Object.keys(rule);
  const unknown = keys.find((key) => !RULE_FIELDS.includes(key));
  if (unknown) return `has an unknown field '${unknown}' (known: ${RULE_FIELDS.join(', ')})`;
  if (keys.length === 0) return `must name at least one of ${RULE_FIELDS.join(', ')}`;
  const { type, from, keyword, regex } = rule;
  if (type !== undefined && !KIREM_MESSAGE_TYPES.some((known) => known === type)) {
    return `type must be one of ${KIREM_MESSAGE_TYPES.join(', ')}`;
  }
  if (
    from !== undefined &&
    (typeof from !== 'string' || !/^\+?[\d\s().-]*\d[\d\s().-]*$/.test(from))
  ) {
    return 'from must be a number or the start of one, e.g. "62812"';
  }
  if (keyword !== undefined && (typeof keyword !== 'string' || keyword.trim() === '')) {
    return 'keyword must be a non-empty string';
  }
  if (regex !== undefined) {
    if (typeof regex !== 'string' || regex === '') return 'regex must be a non-empty string';
    try {
      new RegExp(regex);
    } catch (error) {
      return `regex is invalid: ${(error as Error).message}`;
    }
  }
  return undefined;
}
