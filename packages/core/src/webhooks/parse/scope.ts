import type {
  BusinessNumber,
  UnknownEvent,
  WebhookEvent,
  WebhookProvider,
  WhatsAppUser,
} from '../events.js';
import { ItemError, isRecord, type Json, optionalString, records } from './json.js';

/** The change's `contacts`, findable by phone and by business-scoped user id. */
type Contacts = {
  byPhone: Map<string, WhatsAppUser>;
  byUserId: Map<string, WhatsAppUser>;
  only?: WhatsAppUser;
};

/** The change's `contacts`, indexed. */
export function contactsOf(value: Json): Contacts {
  const contacts: Contacts = { byPhone: new Map(), byUserId: new Map() };
  const list = records(value.contacts);
  for (const contact of list) {
    const profile = isRecord(contact.profile) ? contact.profile : {};
    const user: WhatsAppUser = {
      phone: optionalString(contact.wa_id),
      userId: optionalString(contact.user_id),
      parentUserId: optionalString(contact.parent_user_id),
      username: optionalString(profile.username),
      name: optionalString(profile.name),
    };
    if (user.phone) contacts.byPhone.set(user.phone, user);
    if (user.userId) contacts.byUserId.set(user.userId, user);
  }
  if (list.length === 1)
    contacts.only =
      contacts.byPhone.values().next().value ?? contacts.byUserId.values().next().value;
  return contacts;
}

/** A user from an item's own fields, completed by the change's contact for them. */
export function userOf(
  phone: string | undefined,
  userId: string | undefined,
  parentUserId: string | undefined,
  contacts: Contacts,
): WhatsAppUser {
  const contact =
    (phone && contacts.byPhone.get(phone)) ||
    (userId && contacts.byUserId.get(userId)) ||
    (!phone && !userId ? contacts.only : undefined);
  return {
    phone: phone ?? contact?.phone,
    userId: userId ?? contact?.userId,
    parentUserId: parentUserId ?? contact?.parentUserId,
    username: contact?.username,
    name: contact?.name,
  };
}

/** What every item of one `changes[]` entry shares: the provider, the business number, the contacts. */
export interface ChangeScope {
  provider: WebhookProvider;
  business?: BusinessNumber;
  contacts: Contacts;
}

/** Builds one event; a malformed item becomes an `unknown` event saying why. */
export function item(
  scope: ChangeScope,
  field: string | undefined,
  raw: unknown,
  build: () => WebhookEvent,
): WebhookEvent {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ItemError)) throw error;
    return unknown(scope, field, error.message, raw);
  }
}

/** An `unknown` event: something Kabar could not type, with why. */
export function unknown(
  scope: { provider: WebhookProvider; business?: BusinessNumber },
  field: string | undefined,
  reason: string,
  raw: unknown,
): UnknownEvent {
  return {
    kind: 'unknown',
    provider: scope.provider,
    field,
    reason,
    business: scope.business,
    raw,
  };
}

/** For envelopes without contacts (Kirem, Waviro). */
export const NO_CONTACTS: Contacts = { byPhone: new Map(), byUserId: new Map() };
