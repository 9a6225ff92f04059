import { STATUS_CODES } from 'node:http';
import { json, type Reply } from '../../http.js';

// Wablas documents no failure bodies. These texts are the ones public client code handles
// (research note B2), so clients written against the real gateway recognise them here.

/** A token no device has, or a device that expired or was deactivated. */
export const TOKEN_INVALID = 'token invalid or device expired';
/** The right token with a secret key that is not the device's. */
export const SECRET_KEY_INVALID = 'secret key invalid';
/** The token alone, for a device that requires its secret key. */
export const NEED_SECRET_KEY = 'need secret key';
/** A send while the device's WhatsApp session is logged out. */
export const DEVICE_DISCONNECTED = 'device disconnected, need to scan qr code again';
/** A send that would take the device's quota below zero. */
export const QUOTA_EXPIRED = 'quota expired';
/** A recipient that is not a phone number; the wording of the documented contact-group answer. */
export const PHONE_INVALID = 'format phone invalid';

/**
 * The HTTP status of every refusal. Client code reports both 400 and 500 for
 * `token invalid or device expired`; 400 is the one of the two that says "your request", so
 * generic HTTP clients do not retry a refusal as if the server had broken.
 */
export const REFUSAL_STATUS = 400;

/** Wablas' failure shape: `{ status: false, message }`. */
export function wablasFailure(message: string, status = REFUSAL_STATUS): Reply {
  return json(status, { status: false, message });
}

/**
 * A request Wablas cannot use. It starts with the client-code text `param invalid`, so clients
 * that match on it still do, and names what is wrong, which the real gateway may not.
 */
export function paramInvalid(detail: string): Reply {
  return wablasFailure(`param invalid: ${detail}`);
}

/**
 * The answer for a bare HTTP status (an injected fault, a body over the size limit). A 5xx stands
 * for the server or its proxy failing before Wablas decided anything, so it carries no
 * `status: false` (which means "Wablas refused this message") and clients treat it as an outage.
 */
export function failureForStatus(status: number): Reply {
  const reason = STATUS_CODES[status] ?? 'Error';
  if (status >= 500) return json(status, { message: reason });
  if (status === 401 || status === 403) return wablasFailure(TOKEN_INVALID, status);
  return wablasFailure(reason.toLowerCase(), status);
}
