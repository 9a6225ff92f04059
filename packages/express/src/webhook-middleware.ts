import { type KabarError, requireSecret } from '@kabar/core';
import {
  createWebhookHandler,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookHandlerOptions,
} from '@kabar/core/webhooks';
import { type Middleware, type Request, sendJson, unreadBody } from './http.js';

/** What `onEvents` learns about a delivery: the webhook handler's, plus the Express request. */
export interface WebhookMiddlewareDelivery extends WebhookDelivery {
  req: Request;
}

/** `createWebhookHandler`'s options; `onEvents` also gets the request (`delivery.req`). */
export interface WebhookMiddlewareOptions extends Omit<WebhookHandlerOptions, 'onEvents'> {
  /**
   * Receives each delivery's new events after the gateway has its 200 (a bot's `handle`, say).
   * For Waviro keyword calls it runs first, and what it pushes to `delivery.replies` is the answer:
   * `(events, delivery) => bot.handle(events, delivery)` does that.
   */
  onEvents: (events: WebhookEvent[], delivery: WebhookMiddlewareDelivery) => unknown;
}

/**
 * A webhook endpoint on `createWebhookHandler` from `@kabar/core/webhooks`: it answers POSTs (and
 * Meta's GET handshake when `verifyToken` is set); other requests go on to `next()`. Mount it
 * before `express.json()` or on its own path, so the raw bytes are still there (`express.raw()` is
 * fine). Throws `invalid_config` at once when `secret` is missing or short. Answers 415 to a body
 * that is not JSON, 413 past `bodyLimit` (default 3 MiB), 401 to a bad signature, 400 to a body
 * that is not a webhook, and 500 when a JSON parser already consumed the body.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { createBot } from '@kabar/core/bot';
 * import { kirem } from '@kabar/core/kirem';
 * import { webhookMiddleware } from '@kabar/express';
 * import express from 'express';
 *
 * const client = createClient({ provider: kirem({ apiKey: process.env.KIREM_API_KEY ?? '' }) });
 * const bot = createBot({ client });
 * bot.hears('harga', ({ reply }) => reply.text('Kaos Rp 75.000'));
 *
 * const app = express();
 * app.use(
 *   '/webhook',
 *   webhookMiddleware({
 *     provider: 'kirem',
 *     secret: process.env.KIREM_WEBHOOK_SECRET ?? '',
 *     onEvents: (events, delivery) => bot.handle(events, delivery),
 *   }),
 * );
 * app.use(express.json()); // after it: the signature needs the raw bytes
 * ```
 */
export function webhookMiddleware(options: WebhookMiddlewareOptions): Middleware {
  requireSecret(options?.secret, 'webhookMiddleware option "secret"');
  const logger = options.logger ?? console;
  const handler = createWebhookHandler({
    ...options,
    onEvents: (events, delivery) =>
      options.onEvents(events, { ...delivery, req: delivery.locals as Request }),
  });
  const handshakes = options.provider === 'meta' && Boolean(options.verifyToken);

  return (req, res, next) => {
    if (req.method !== 'POST' && !(req.method === 'GET' && handshakes)) return next();
    Promise.resolve()
      .then(() =>
        handler.handle({
          method: req.method ?? 'POST',
          headers: req.headers,
          query: new URLSearchParams((req.url ?? '').split('?')[1] ?? ''),
          body: req.method === 'POST' ? unreadBody(req) : undefined,
          locals: req,
        }),
      )
      .then(
        (result) => res.writeHead(result.status, result.headers).end(result.body),
        (error: KabarError) => {
          // Only unreadBody throws: the body was parsed before it got here.
          logger.error(`webhookMiddleware: ${error.message}`);
          sendJson(res, 500, { error: error.code, message: error.message });
        },
      );
  };
}
