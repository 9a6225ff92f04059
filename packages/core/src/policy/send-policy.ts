import { KabarError } from '../errors.js';
import type { OutgoingMessage, PreparedMessage, TemplateContent } from '../message.js';
import { maskPhone } from '../phone.js';
import type { ConsentStore } from './consent.js';
import { type WindowStore, windowOpen } from './window.js';

/**
 * What to do with a free-form (non-template) message to a customer whose 24-hour window is closed
 * or unknown: `error` (the default) throws `outside_window` before the request; `allow` sends it
 * anyway (Meta accepts it, then fails it with 131047); `{ template }` sends that template instead.
 */
export type OutsideWindow =
  | 'error'
  | 'allow'
  | {
      /** The approved template to send instead, or a function that builds it from the message. */
      template: TemplateContent | ((message: OutgoingMessage) => TemplateContent);
    };

/** The 24-hour window rule for gateways on Meta's platform (Meta, Kirem). */
export interface WindowPolicy {
  /** Where inbound webhooks note when each customer last wrote (`createConversationTracker`). */
  store: WindowStore;
  /** The business number, as the tracker records it. Default `default`. */
  business?: string;
  /** Default `error`. */
  outside?: OutsideWindow;
}

/**
 * Rules every send through the client follows before any request. `window` applies on gateways
 * with Meta's customer-service window (Meta, Kirem); `consent` everywhere.
 */
export interface SendPolicy {
  window?: WindowPolicy;
  /**
   * Marketing to a contact who opted out throws `opted_out`. A message is marketing when its
   * `category` says so or, without one, when it is a template the gateway lists as MARKETING
   * (looked up with `templates.list` only for contacts who opted out, and cached for 10 minutes).
   */
  consent?: ConsentStore;
  /** The clock, in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** What the policy needs from the client for one send. */
export interface PolicyContext {
  provider: string;
  /** Whether the provider's gateway has Meta's window. */
  hasWindow: boolean;
  /** Validates a replacement message (the fallback template) the way `send` validates. */
  prepare: (message: OutgoingMessage) => PreparedMessage;
  /** The category the gateway lists a template under, where it lists templates. */
  templateCategory: (name: string, language: string) => Promise<string | undefined>;
}

/** Whether a message is marketing: as the caller says, else as its template is listed. */
async function isMarketing(prepared: PreparedMessage, context: PolicyContext): Promise<boolean> {
  const { category } = prepared.message;
  if (category !== undefined) return category === 'marketing';
  if (prepared.kind !== 'template') return false;
  const listed = await context.templateCategory(prepared.content.name, prepared.content.language);
  return listed?.toUpperCase() === 'MARKETING';
}

async function checkConsent(
  prepared: PreparedMessage,
  consent: ConsentStore,
  context: PolicyContext,
) {
  if (prepared.recipientType === 'group') return;
  if (prepared.message.category !== undefined && prepared.message.category !== 'marketing') return;
  const records = await Promise.all(prepared.recipients.map((contact) => consent.get(contact)));
  const refused = prepared.recipients.filter((_, i) => records[i]?.status === 'opted_out');
  // Only a send to someone who opted out needs its category, so most sends look nothing up.
  if (refused.length === 0 || !(await isMarketing(prepared, context))) return;
  const { provider } = context;
  throw new KabarError(
    'opted_out',
    `${refused.map(maskPhone).join(', ')} opted out of marketing messages; send them utility messages only, or none`,
    { provider, details: { contacts: refused.length } },
  );
}

/**
 * Applies the policy to one validated message; resolves with what to send (the message itself or
 * its fallback template), or rejects with `outside_window` or `opted_out`.
 */
export async function applySendPolicy(
  prepared: PreparedMessage,
  policy: SendPolicy,
  context: PolicyContext,
): Promise<PreparedMessage> {
  if (policy.consent) await checkConsent(prepared, policy.consent, context);
  const window = policy.window;
  if (!window || !context.hasWindow || prepared.kind === 'template') return prepared;
  if (prepared.recipientType === 'group') return prepared;
  const outside = window.outside ?? 'error';
  if (outside === 'allow') return prepared;
  const now = (policy.now ?? Date.now)();
  const key = { business: window.business ?? 'default', contact: prepared.to };
  const last = await window.store.lastCustomerMessage(key);
  if (windowOpen(last, now)) return prepared;
  if (outside === 'error') {
    const since =
      last === undefined ? 'has not written' : `last wrote ${new Date(last).toISOString()}`;
    throw new KabarError(
      'outside_window',
      `${maskPhone(prepared.to)} ${since}, so the 24-hour customer-service window is closed: send an approved template, or set policy.window.outside`,
      { provider: context.provider },
    );
  }
  const { message } = prepared;
  const template =
    typeof outside.template === 'function' ? outside.template(message) : outside.template;
  return context.prepare({
    to: message.to,
    template,
    category: message.category,
    callbackData: message.callbackData,
    idempotencyKey: message.idempotencyKey,
  } as OutgoingMessage);
}
