import { digitsOnly, isValidRecipient } from './phone.js';

/** The media kinds a customer can send in. */
export const INBOUND_MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;

/** An inbound message's content fields; it has exactly one. */
export const INBOUND_CONTENT_FIELDS = [
  'text',
  'button',
  'list',
  ...INBOUND_MEDIA_TYPES,
  'location',
] as const;

/** One of the content fields of an inbound message. */
export type InboundContentField = (typeof INBOUND_CONTENT_FIELDS)[number];

/** The profile name of a customer the test did not name. */
export const DEFAULT_CUSTOMER_NAME = 'Sandbox Customer';

/** A customer's number as people type it: digits, an optional '+', spaces and dashes. */
export function isCustomerNumber(from: unknown): from is string {
  return (
    typeof from === 'string' &&
    /^\+?[1-9][\d\s-]*$/.test(from) &&
    isValidRecipient(digitsOnly(from))
  );
}

/** What a control call gets for a customer number it cannot use. */
export const FROM_ERROR =
  "from must be the customer's number in international form, e.g. '6281234567890'";
/** What a control call gets for a customer user id it cannot use. */
export const USER_ID_ERROR =
  "userId must be a business-scoped user id: a country code, '.' and up to 128 letters and digits, e.g. 'ID.1502576394655843'";
