import { KabarError } from '@kabar/core';
import { createWebhookHandler, type WebhookHandlerOptions } from '@kabar/core/webhooks';
import type { Context, MiddlewareHandler } from 'hono';

/** `createWebhookHandler`'s options: provider, secret, verifyToken, bodyLimit, dedupe, onEvents… */
export type WhatsappWebhookOptions = WebhookHandlerOptions;

/** The runtime's `waitUntil` (Cloudflare Workers), if the context has one; Node, Bun and Deno have none. */
function runtimeOf(c: Context): { waitUntil(promise: Promise<unknown>): void } | undefined {
  try {
    // Hono's getter throws when the runtime passed no ExecutionContext.
    const ctx = c.executionCtx;
    return { waitUntil: (promise) => ctx.waitUntil(promise) };
  } catch {
    return undefined;
  }
}

/**
 * A WhatsApp webhook endpoint (GET for Meta's handshake, POST for deliveries), answered by
 * `@kabar/core`'s `createWebhookHandler` on the request's raw body:
 * `app.on(['GET', 'POST'], '/webhook', whatsappWebhook({ provider, secret, verifyToken, onEvents }))`.
 * `onEvents` runs after the answer, kept alive by `executionCtx.waitUntil` where the runtime has it
 * (Cloudflare Workers). Put no body-reading middleware (validators, `c.req.json()`) before it:
 * the signature is over the unread bytes. Throws `invalid_config` at once for a missing or short
 * secret, and for a request whose body was already read.
 *
 * @example
 * ```ts
 * import { whatsappWebhook } from '@kabar/hono';
 * import { Hono } from 'hono';
 *
 * const app = new Hono();
 * app.on(
 *   ['GET', 'POST'],
 *   '/webhook',
 *   whatsappWebhook({
 *     provider: 'meta',
 *     secret: process.env.META_APP_SECRET ?? '',
 *     verifyToken: process.env.META_VERIFY_TOKEN,
 *     onEvents: async (events) => {
 *       for (const event of events) {
 *         if (event.kind === 'message' && event.content.type === 'text') {
 *           console.log(`${event.from}: ${event.content.text}`);
 *         }
 *       }
 *     },
 *   }),
 * );
 *
 * export default app;
 * ```
 */
export function whatsappWebhook(options: WhatsappWebhookOptions): MiddlewareHandler {
  const handler = createWebhookHandler(options);
  return async (c) => {
    if (c.req.raw.bodyUsed) {
      throw new KabarError(
        'invalid_config',
        'whatsappWebhook: the request body was already read; mount it before any middleware that reads the body',
      );
    }
    return handler.fetch(c.req.raw, runtimeOf(c));
  };
}
