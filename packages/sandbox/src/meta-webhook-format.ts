import type { StatusError, Template } from './types';

/** A message's type and its type-named content, e.g. { type: 'text', text: { body } }. */
export interface WireContent {
  type: string;
  [field: string]: unknown;
}

export interface MetaAccount {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface WireStatus {
  messageId: string;
  status: string;
  /** The recipient's number; '' for a send addressed only by business-scoped user id. */
  recipient: string;
  /** The business-scoped user id a send was addressed to (`recipient` without `to`). */
  recipientUserId?: string;
  timestamp: string;
  /** The send's biz_opaque_callback_data, echoed on every status. */
  callbackData?: string;
  error?: StatusError;
}

/**
 * Meta serialises webhook bodies the way PHP's json_encode does: every non-ASCII UTF-16 unit as
 * \uXXXX (lowercase hex) and '/' as '\/'. The signature covers those exact bytes, so a receiver
 * that re-serialises the parsed JSON instead of hashing the raw body gets a mismatch, as it would
 * against Meta.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff/]/g, (char) =>
    char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The customer as Meta identifies them: the phone number (`wa_id`), the business-scoped user id
 * (`user_id`, BSUID), or both. A user who adopted a username may come with no phone number.
 */
export interface MetaUser {
  name: string;
  waId?: string;
  userId?: string;
  username?: string;
}

/** The message as it sits in value.messages[]: `from` and/or `from_user_id` name the sender. */
export function metaMessage(
  content: WireContent,
  fields: {
    from?: string;
    fromUserId?: string;
    id: string;
    timestamp: string;
    context?: { from: string; id: string };
  },
): Record<string, unknown> {
  const { context, from, fromUserId, id, timestamp } = fields;
  return {
    ...(context ? { context } : {}),
    ...(from === undefined ? {} : { from }),
    ...(fromUserId === undefined ? {} : { from_user_id: fromUserId }),
    id,
    timestamp,
    ...content,
  };
}

/** value.contacts[0]: `profile.username` and `user_id` only when known, `wa_id` only with a phone. */
function metaContact(user: MetaUser): Record<string, unknown> {
  return {
    profile: {
      name: user.name,
      ...(user.username === undefined ? {} : { username: user.username }),
    },
    ...(user.waId === undefined ? {} : { wa_id: user.waId }),
    ...(user.userId === undefined ? {} : { user_id: user.userId }),
  };
}

export function metaMessageEvent(
  account: MetaAccount,
  contact: MetaUser,
  message: Record<string, unknown>,
): unknown {
  return envelope(account, 'messages', {
    contacts: [metaContact(contact)],
    messages: [message],
  });
}

/**
 * The user_preferences field: the customer stopped or resumed marketing messages. Meta documents
 * `wa_id` in both the contact and the preference; a BSUID-identified customer gets `user_id` in
 * both instead (or as well), as in Meta's other BSUID payloads.
 */
export function metaUserPreferencesEvent(
  account: MetaAccount,
  user: MetaUser,
  value: 'stop' | 'resume',
  timestamp: number,
): unknown {
  return envelope(account, 'user_preferences', {
    contacts: [metaContact(user)],
    user_preferences: [
      {
        ...(user.waId === undefined ? {} : { wa_id: user.waId }),
        ...(user.userId === undefined ? {} : { user_id: user.userId }),
        detail: `User requested to ${value} marketing messages`,
        category: 'marketing_messages',
        value,
        timestamp,
      },
    ],
  });
}

/**
 * The message_template_status_update field. Unlike the phone-number fields it has no
 * messaging_product or metadata, the entry carries `time`, and the template id is a number.
 */
export function metaTemplateStatusEvent(
  wabaId: string,
  template: Template,
  reason: string,
  time: number,
): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        time,
        changes: [
          {
            value: {
              event: template.status,
              message_template_id: Number(template.id),
              message_template_name: template.name,
              message_template_language: template.language,
              reason,
              message_template_category: template.category,
            },
            field: 'message_template_status_update',
          },
        ],
      },
    ],
  };
}

export function metaStatusEvent(account: MetaAccount, status: WireStatus): unknown {
  return envelope(account, 'messages', {
    statuses: [
      {
        id: status.messageId,
        status: status.status,
        timestamp: status.timestamp,
        // A BSUID-addressed send has no number to report; Meta names the user id instead.
        ...(status.recipient === '' ? {} : { recipient_id: status.recipient }),
        ...(status.recipientUserId === undefined
          ? {}
          : { recipient_user_id: status.recipientUserId }),
        ...(status.callbackData === undefined
          ? {}
          : { biz_opaque_callback_data: status.callbackData }),
        ...(status.error ? { errors: [statusErrorObject(status.error)] } : {}),
      },
    ],
  });
}

/** Where Meta's status errors point (`href`), as real failed statuses carry it. */
export const ERROR_CODES_URL =
  'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

/**
 * An entry of a failed status's `errors`: `{ code, title }` for a reason given only that way, or
 * Meta's full object `{ code, title, message, error_data: { details }, href }` when it has details
 * (the errors webhook syntax:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors).
 */
export function statusErrorObject(error: StatusError): Record<string, unknown> {
  if (error.details === undefined) return { code: error.code, title: error.title };
  return {
    code: error.code,
    title: error.title,
    message: error.message ?? error.title,
    error_data: { details: error.details },
    href: ERROR_CODES_URL,
  };
}

function envelope(
  account: MetaAccount,
  field: 'messages' | 'user_preferences',
  payload: Record<string, unknown>,
): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: account.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: account.displayPhoneNumber,
                phone_number_id: account.phoneNumberId,
              },
              ...payload,
            },
            field,
          },
        ],
      },
    ],
  };
}
