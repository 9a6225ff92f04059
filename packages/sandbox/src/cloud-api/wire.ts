import type { StatusError } from '../types.js';

/** A message's type and its type-named content, e.g. { type: 'text', text: { body } }. */
export interface WireContent {
  type: string;
  [field: string]: unknown;
}

/** One status of a sent message, before a gateway wraps it in its own webhook event. */
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

/** A customer's message, before a gateway wraps it in its own webhook event. */
export interface InboundEvent {
  content: WireContent;
  /** The customer's number; always there for Kirem, optional on Meta with `userId`. */
  from?: string;
  /** Meta's business-scoped user id. */
  userId?: string;
  username?: string;
  name: string;
  messageId: string;
  timestamp: string;
  replyTo?: string;
}

/** Where Meta's status errors point (`href`), as real failed statuses carry it. */
const ERROR_CODES_URL =
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
