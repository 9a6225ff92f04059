import { createWebhookHandler, type WebhookHandler } from '@kabar/core/webhooks';
import { handleWhatsAppEvents } from '../../../lib/whatsapp';

/** The signature check uses node:crypto, which the edge runtime lacks. */
export const runtime = 'nodejs';

/** Every request is answered fresh, never from a cache. */
export const dynamic = 'force-dynamic';

let handler: WebhookHandler | undefined;

/**
 * Built on the first request rather than at import, so `next build` (which imports route modules)
 * does not need the secrets; a missing or short secret fails that first request loudly.
 */
function webhook(): WebhookHandler {
  handler ??= createWebhookHandler({
    provider: 'meta',
    secret: process.env.META_APP_SECRET ?? '',
    verifyToken: process.env.META_VERIFY_TOKEN,
    onEvents: handleWhatsAppEvents,
  });
  return handler;
}

/** Meta's subscription handshake: `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
export const GET = async (request: Request): Promise<Response> => webhook().fetch(request);

/**
 * Deliveries. The handler reads `request.body` itself, so the signature is checked over the exact
 * bytes Meta signed; never call `request.json()` before it.
 */
export const POST = async (request: Request): Promise<Response> => webhook().fetch(request);
