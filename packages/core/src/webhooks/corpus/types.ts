import type { BusinessNumber, WebhookEvent } from '../events.js';
import type { ParseWebhookOptions } from '../parse.js';

/**
 * Where a corpus payload comes from:
 * - `example`: one of Meta's example payloads, as published (made valid JSON where the page's was
 *   not, e.g. a trailing comma or a comment);
 * - `syntax`: Meta's syntax block for the webhook, every placeholder filled in (with the page's
 *   example values where it gives them);
 * - `variation`: our own payload, built on the page's syntax to cover a case its examples do not;
 * - `gateway`: a Kirem or Waviro payload (their docs or the sandbox's format).
 */
export type CorpusOrigin = 'example' | 'syntax' | 'variation' | 'gateway';

export interface CorpusEntry {
  name: string;
  /** The documentation page the payload comes from or follows. */
  source: string;
  origin: CorpusOrigin;
  payload: unknown;
  options?: ParseWebhookOptions;
  /**
   * Every event the payload must give, in order, with every field that has a value. `raw` holds
   * the very object of the payload the event was read from (the test checks it by identity).
   */
  expected: WebhookEvent[];
}

const DOCS = 'https://developers.facebook.com/documentation/business-messaging/whatsapp';

/** The URL of a page of Meta's WhatsApp Business Platform docs. */
export function doc(path: string): string {
  return `${DOCS}/${path}`;
}

/** Unix seconds to the Date the parser gives. */
export function at(seconds: number): Date {
  return new Date(seconds * 1000);
}

/** The business number of Meta's examples (WABA 102290129340398). */
export const META_METADATA = {
  display_phone_number: '15550783881',
  phone_number_id: '106540352242922',
};
export const META_WABA = '102290129340398';
export const META_BIZ: BusinessNumber = {
  accountId: META_WABA,
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};
/** A change without `metadata` (template, account and phone number fields) only names the WABA. */
export const META_WABA_ONLY: BusinessNumber = { accountId: META_WABA };

/** An Indonesian business number, for our own variations. */
export const ID_METADATA = {
  display_phone_number: '6281100001234',
  phone_number_id: '109876543210987',
};
export const ID_WABA = '301234567890123';
export const ID_BIZ: BusinessNumber = {
  accountId: ID_WABA,
  phoneNumberId: '109876543210987',
  displayPhoneNumber: '6281100001234',
};

/** Meta's envelope around one change. */
export function envelope(
  field: string,
  value: Record<string, unknown>,
  wabaId: string = META_WABA,
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: [{ value, field }] }],
  };
}

/** A `messages` change value for Meta's example business number. */
export function metaValue(rest: Record<string, unknown>): Record<string, unknown> {
  return { messaging_product: 'whatsapp', metadata: META_METADATA, ...rest };
}

/** A `messages` change value for the Indonesian business number. */
export function idValue(rest: Record<string, unknown>): Record<string, unknown> {
  return { messaging_product: 'whatsapp', metadata: ID_METADATA, ...rest };
}

/** Sheena Nelson, the customer of Meta's examples. */
export const SHEENA_CONTACT = { profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' };
export const SHEENA = { phone: '16505551234', name: 'Sheena Nelson' };
