import type { GatewayRequestHead } from '../../gateway.js';
import { NEED_SECRET_KEY, SECRET_KEY_INVALID, TOKEN_INVALID } from './failures.js';
import type { WablasState } from './state.js';

/** Where the number check lives under the prefix, standing in for https://phone.wablas.com. */
export const PHONE_CHECK_PATH = '/phone/check-phone-number';

/**
 * Paths whose documented form sends the token without its secret key: device info
 * (`?token={token}`) and the number check (`Authorization: {token}`).
 */
const TOKEN_ALONE_PATHS = new Set(['/api/device/info', PHONE_CHECK_PATH]);

/**
 * The credential a request carries: the Authorization header, or on a GET the `token` query
 * parameter, as the docs' GET samples (send-message, device info) pass it.
 */
export function credentialOf(req: GatewayRequestHead): string | undefined {
  const header = req.headers.authorization?.trim();
  if (header) return header;
  return req.method === 'GET' ? (req.query.get('token')?.trim() ?? undefined) : undefined;
}

/**
 * Why Wablas turns the request's credential away, or undefined when it lets it through.
 * `{token}.{secretKey}` always works; the token alone only where the docs show it alone, or for a
 * device that does not require its secret key (accounts made before Wablas added them).
 */
export function credentialProblem(
  wablas: WablasState,
  req: GatewayRequestHead,
): string | undefined {
  const credential = credentialOf(req);
  if (!credential) return TOKEN_INVALID;
  const { tokens, secretKeys } = wablas.options;
  const device = wablas.device.device;
  const alone = tokens.includes(credential);
  // Tokens are matched whole, so a token that itself contains a dot still splits right.
  const token = alone ? credential : tokens.find((known) => credential.startsWith(`${known}.`));
  if (token === undefined || !device.active) return TOKEN_INVALID;
  if (alone) {
    return device.secretKeyRequired && !TOKEN_ALONE_PATHS.has(req.path)
      ? NEED_SECRET_KEY
      : undefined;
  }
  return secretKeys.includes(credential.slice(token.length + 1)) ? undefined : SECRET_KEY_INVALID;
}
