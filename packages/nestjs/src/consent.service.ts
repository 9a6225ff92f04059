import {
  type ConsentRecord,
  type ConsentStore,
  type ConversationTracker,
  consentContact,
  createConversationTracker,
  KabarError,
  type WhatsAppClient,
} from '@kabar/core';
import { Inject, Injectable } from '@nestjs/common';
import type { WhatsAppModuleOptions } from './options.js';
import { WHATSAPP_MODULE_OPTIONS, WHATSAPP_TRACKER } from './tokens.js';

/** The tracker the webhook endpoint feeds, or undefined without a `policy` option. */
export function trackerOf(
  options: WhatsAppModuleOptions,
  client: WhatsAppClient,
): ConversationTracker | undefined {
  const policy = options.policy;
  if (!policy) return undefined;
  const { confirm } = policy;
  return createConversationTracker({
    window: policy.window?.store,
    business: policy.window?.business,
    consent: policy.consent,
    optOutKeywords: policy.optOutKeywords,
    optInKeywords: policy.optInKeywords,
    confirm: confirm
      ? { client, texts: typeof confirm === 'object' ? confirm.texts : undefined }
      : undefined,
    now: policy.now,
  });
}

function notConfigured() {
  return new KabarError(
    'invalid_config',
    'ConsentService: give WhatsAppModule a `policy.consent` option (a ConsentStore)',
  );
}

/**
 * Marketing consent, in the store of the `policy.consent` option: the webhook endpoint records
 * STOP / START keywords and Meta's marketing preference webhooks; record your own (a checkout
 * box, an import) here. Sends with `category: 'marketing'` to a contact who opted out throw
 * `opted_out`. Contacts may be written in any common form (`0812-3456-7890`).
 *
 * @example
 * ```ts
 * import { ConsentService } from '@kabar/nestjs';
 * import { Injectable } from '@nestjs/common';
 *
 * @Injectable()
 * export class CheckoutService {
 *   constructor(private readonly consent: ConsentService) {}
 *
 *   async placed(phone: string, wantsPromotions: boolean): Promise<void> {
 *     if (wantsPromotions) await this.consent.optIn(phone, 'checkout');
 *   }
 * }
 * ```
 */
@Injectable()
export class ConsentService {
  private readonly store: ConsentStore | undefined;

  constructor(
    @Inject(WHATSAPP_MODULE_OPTIONS) options: WhatsAppModuleOptions,
    @Inject(WHATSAPP_TRACKER) private readonly tracker: ConversationTracker | undefined,
  ) {
    this.store = options.policy?.consent;
  }

  private required(): { store: ConsentStore; tracker: ConversationTracker } {
    if (!this.store || !this.tracker) throw notConfigured();
    return { store: this.store, tracker: this.tracker };
  }

  /** Records that the contact accepts marketing messages; `source` says how (default `api`). */
  async optIn(contact: string, source?: string): Promise<void> {
    await this.required().tracker.optIn(contact, source);
  }

  /** Records that the contact refuses marketing messages; `source` says how (default `api`). */
  async optOut(contact: string, source?: string): Promise<void> {
    await this.required().tracker.optOut(contact, source);
  }

  /** The contact's latest consent (status, source, when), or undefined when they never said. */
  async get(contact: string): Promise<ConsentRecord | undefined> {
    return this.required().store.get(consentContact(contact));
  }

  /** Whether a marketing message to the contact would be refused (`opted_out`). */
  async isOptedOut(contact: string): Promise<boolean> {
    return (await this.get(contact))?.status === 'opted_out';
  }
}
