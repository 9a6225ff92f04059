import type { Json } from '../../../webhooks/parse/json.js';
import type { WebhookDialect } from '../../gateway.js';
import { metaEnvelope } from './envelope.js';

/** Whether a body is Meta's `entry[].changes[]` envelope (from Meta, or forwarded by Kirem). */
export function isMetaEnvelope(body: Json): boolean {
  return body.object === 'whatsapp_business_account' || 'entry' in body;
}

/**
 * Meta's webhooks: the `entry[].changes[].value` envelope, signed `X-Hub-Signature-256` with the
 * app secret, after a GET `hub.challenge` handshake.
 */
export const metaWebhook: WebhookDialect = {
  auth: { scheme: 'hmac-sha256', header: 'x-hub-signature-256' },
  handshake: true,
  detect: isMetaEnvelope,
  parse: (body) => metaEnvelope(body, 'meta'),
};
