import { statusErrorObject, type WireContent, type WireStatus } from '../../cloud-api/wire.js';
import type { Template } from '../../types.js';
import type { WebhookWire } from '../../webhook-dispatch.js';

/** The business account a Meta webhook is about, as its envelope names it. */
export interface MetaAccount {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
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

/** The messages field carrying one customer message and who sent it. */
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

/** The messages field carrying one status of a sent message. */
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

/** Meta signs with the app secret in X-Hub-Signature-256, over its json_encode-style bytes. */
export const META_WEBHOOK: WebhookWire = {
  provider: 'meta',
  defaultSecret: 'meta_app_secret',
  signatureHeader: 'x-hub-signature-256',
  serialize: metaJson,
};
