import type { WhatsAppClient } from '../client.js';
import { tryNormalizePhone } from '../phone.js';
import type { MessageEvent, WebhookEvent } from '../webhooks/events.js';
import { recipientOf } from '../webhooks/recipient.js';
import type { ConsentRecord, ConsentStore } from './consent.js';
import type { WindowStore } from './window.js';

/** A word that, sent alone, opts the customer out (or in), and the language it is in. */
export interface ConsentKeyword {
  /**
   * Matched against the whole message, ignoring case and surrounding spaces and punctuation;
   * messages over 64 characters are never keywords.
   */
  keyword: string;
  /** Picks the confirmation text: a key of `confirm.texts`, e.g. `id` or `en`. */
  language: string;
}

/** Options of `createConversationTracker`; give the stores you use. */
export interface ConversationTrackerOptions {
  /** Notes each customer message, opening their 24-hour window. */
  window?: WindowStore;
  /** The business number windows are kept under, as the send policy reads them. Default `default`. */
  business?: string;
  /** Records opt-outs and opt-ins from keywords and Meta's marketing preference webhooks. */
  consent?: ConsentStore;
  /** Default `STOP`, `UNSUBSCRIBE` (English) and `BERHENTI` (Indonesian). */
  optOutKeywords?: ConsentKeyword[];
  /** Default `START` (English) and `MULAI` (Indonesian). */
  optInKeywords?: ConsentKeyword[];
  /**
   * Answers an opt-out keyword, once per opt-out, in the keyword's language. Off unless given.
   * `texts` defaults to an Indonesian and an English text that say how to opt back in. The
   * opt-out is recorded first, so a confirmation that fails is not sent again on redelivery;
   * give the tracker the `window` store too, or a window policy on `client` refuses it.
   */
  confirm?: { client: WhatsAppClient; texts?: Record<string, string> };
  /** The clock, in epoch milliseconds, for events without a timestamp. */
  now?: () => number;
}

/**
 * Keeps the stores of the send policy up to date from webhooks: pass it to
 * `createWebhookHandler({ tracker })`, or call `observe(events)` yourself.
 */
export interface ConversationTracker {
  /** Notes every customer message and consent change in `events`. */
  observe(events: readonly WebhookEvent[]): Promise<void>;
  /** Records an opt-in from your own flow (a checkout box, an import). */
  optIn(contact: string, source?: string): Promise<void>;
  /** Records an opt-out from your own flow. */
  optOut(contact: string, source?: string): Promise<void>;
}

const DEFAULT_OPT_OUT: ConsentKeyword[] = [
  { keyword: 'STOP', language: 'en' },
  { keyword: 'UNSUBSCRIBE', language: 'en' },
  { keyword: 'BERHENTI', language: 'id' },
];
const DEFAULT_OPT_IN: ConsentKeyword[] = [
  { keyword: 'START', language: 'en' },
  { keyword: 'MULAI', language: 'id' },
];
const DEFAULT_TEXTS: Record<string, string> = {
  id: 'Anda tidak akan menerima pesan promosi lagi dari kami. Balas MULAI untuk berlangganan kembali.',
  en: "You won't receive promotional messages from us any more. Reply START to subscribe again.",
};

/**
 * The key the policy's stores use for a contact: a phone number in any common form becomes its
 * digits (`0812-3456-7890` → `6281234567890`), as webhooks and sends name it; a business-scoped
 * user id stays as it is.
 */
export function consentContact(contact: string): string {
  if (/^[A-Z]{2}\./.test(contact)) return contact;
  return tryNormalizePhone(contact) ?? contact;
}

/** The message as a keyword: upper case, without surrounding spaces and punctuation. */
function asKeyword(text: string): string {
  return text
    .trim()
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '')
    .toUpperCase();
}

/** Keywords are single words; longer messages are conversation, never a keyword. */
const MAX_KEYWORD_MESSAGE = 64;

function findKeyword(list: ConsentKeyword[], text: string): ConsentKeyword | undefined {
  // Checked before any regular expression: trimming punctuation off a long hostile message would
  // take time quadratic in its length.
  if (text.length > MAX_KEYWORD_MESSAGE) return undefined;
  const word = asKeyword(text);
  return list.find((entry) => asKeyword(entry.keyword) === word);
}

/**
 * Watches inbound webhooks for the send policy: each customer message opens their 24-hour window;
 * STOP, UNSUBSCRIBE or BERHENTI (or Meta's marketing opt-out) opts them out, START or MULAI back
 * in; with `confirm`, an opt-out is answered once in the keyword's language.
 *
 * @example
 * ```ts
 * const tracker = createConversationTracker({ window, consent, confirm: { client: wa } });
 * const webhook = createWebhookHandler({ provider: 'meta', secret, tracker, onEvents });
 * ```
 */
export function createConversationTracker(
  options: ConversationTrackerOptions,
): ConversationTracker {
  const { window, consent, confirm } = options;
  const business = options.business ?? 'default';
  const optOut = options.optOutKeywords ?? DEFAULT_OPT_OUT;
  const optIn = options.optInKeywords ?? DEFAULT_OPT_IN;
  const texts = { ...DEFAULT_TEXTS, ...confirm?.texts };
  const now = options.now ?? Date.now;

  /** Records consent; true when the contact was not already in that state. */
  async function record(contact: string, entry: ConsentRecord): Promise<boolean> {
    if (!consent) return false;
    const previous = await consent.set(contact, entry);
    // A newer record stays in force (the store ignored this one): nothing changed.
    if (previous !== undefined && previous.at > entry.at) return false;
    return previous?.status !== entry.status;
  }

  async function onKeyword(event: MessageEvent, text: string, at: number): Promise<void> {
    const contact = event.from;
    const out = findKeyword(optOut, text);
    if (out) {
      const changed = await record(contact, { status: 'opted_out', source: 'keyword', at });
      const reply = texts[out.language] ?? texts.en;
      if (changed && confirm && reply) {
        const to = recipientOf(event.sender, contact);
        await confirm.client.send({ to, text: reply, category: 'utility' });
      }
      return;
    }
    if (findKeyword(optIn, text))
      await record(contact, { status: 'opted_in', source: 'keyword', at });
  }

  return {
    async observe(events) {
      for (const event of events) {
        const at =
          event.kind === 'message' || event.kind === 'user_preference'
            ? (event.timestamp?.getTime() ?? now())
            : now();
        if (event.kind === 'message') {
          if (event.groupId !== undefined) continue;
          await window?.customerWrote({ business, contact: event.from }, at);
          const { content } = event;
          if (content.type === 'text') await onKeyword(event, content.text, at);
          else if (content.type === 'button') await onKeyword(event, content.title, at);
        } else if (event.kind === 'user_preference' && event.category === 'marketing_messages') {
          const status =
            event.value === 'stop'
              ? 'opted_out'
              : event.value === 'resume'
                ? 'opted_in'
                : undefined;
          if (status) await record(event.from, { status, source: 'user_preferences', at });
        }
      }
    },
    async optIn(contact, source = 'api') {
      await record(consentContact(contact), { status: 'opted_in', source, at: now() });
    },
    async optOut(contact, source = 'api') {
      await record(consentContact(contact), { status: 'opted_out', source, at: now() });
    },
  };
}
