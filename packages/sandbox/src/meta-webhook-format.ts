import type { StatusError } from './types';

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
  recipient: string;
  timestamp: string;
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

/** The message as it sits in value.messages[]. */
export function metaMessage(
  content: WireContent,
  fields: { from: string; id: string; timestamp: string; context?: { from: string; id: string } },
): Record<string, unknown> {
  const { context, ...rest } = fields;
  return { ...(context ? { context } : {}), ...rest, ...content };
}

export function metaMessageEvent(
  account: MetaAccount,
  contact: { name: string; waId: string },
  message: Record<string, unknown>,
): unknown {
  return envelope(account, {
    contacts: [{ profile: { name: contact.name }, wa_id: contact.waId }],
    messages: [message],
  });
}

export function metaStatusEvent(account: MetaAccount, status: WireStatus): unknown {
  return envelope(account, {
    statuses: [
      {
        id: status.messageId,
        status: status.status,
        timestamp: status.timestamp,
        recipient_id: status.recipient,
        ...(status.error
          ? { errors: [{ code: status.error.code, title: status.error.title }] }
          : {}),
      },
    ],
  });
}

function envelope(account: MetaAccount, payload: Record<string, unknown>): unknown {
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
            field: 'messages',
          },
        ],
      },
    ],
  };
}
