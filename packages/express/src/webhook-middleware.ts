import { KabarError, requireSecret } from '@kabar/core';
import {
  parseWebhook,
  type SignedProvider,
  verifyMetaHandshake,
  verifySignature,
  type WebhookEvent,
} from '@kabar/core/webhooks';
import { type Middleware, type Request, rawBody, sendJson } from './http.js';

export interface WebhookMiddlewareOptions {
  provider: SignedProvider;
  /** Kirem's webhook secret, or Meta's app secret. */
  secret: string;
  /** Meta only: answers the GET subscription handshake with this token. */
  verifyToken?: string;
  /** Receives the parsed events after the gateway has its 200 (a bot's `handle`, say). */
  onEvents: (events: WebhookEvent[], req: Request) => unknown;
  /** Told about failures of `onEvents`, which the gateway can no longer hear about. */
  onError?: (error: unknown) => void;
  /** Body cap in bytes. Default 3 MiB, Meta's largest payloads. */
  bodyLimit?: number;
}

/**
 * A webhook endpoint: raw body, signature check (401), parsing (400), a fast 200, then dispatch.
 * Mount it before `express.json()` or on its own path, so the raw bytes are still there. Throws
 * `invalid_config` at once when `secret` is missing or short: an empty key makes every signature
 * forgeable.
 */
export function webhookMiddleware(options: WebhookMiddlewareOptions): Middleware {
  const secret = requireSecret(options?.secret, 'webhookMiddleware option "secret"');
  const bodyLimit = options.bodyLimit ?? 3 * 1024 * 1024;
  const onError = options.onError ?? ((error) => console.error('webhook handler failed:', error));

  return (req, res, next) => {
    if (req.method === 'GET' && options.provider === 'meta' && options.verifyToken) {
      try {
        const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
        res.statusCode = 200;
        res.setHeader('content-type', 'text/plain');
        res.end(verifyMetaHandshake(query, options.verifyToken));
      } catch {
        sendJson(res, 403, { error: 'verification failed' });
      }
      return;
    }
    if (req.method !== 'POST') {
      next();
      return;
    }
    (async () => {
      const body = await rawBody(req, bodyLimit);
      const header =
        req.headers[options.provider === 'meta' ? 'x-hub-signature-256' : 'x-kirem-signature'];
      verifySignature({
        provider: options.provider,
        rawBody: body,
        signature: Array.isArray(header) ? header[0] : header,
        secret,
      });
      const events = parseWebhook(body, { metaFormatFrom: options.provider });
      // Gateways retry slow endpoints; answer first, then do the work.
      sendJson(res, 200, { received: events.length });
      try {
        await options.onEvents(events, req);
      } catch (error) {
        onError(error);
      }
    })().catch((error: unknown) => {
      if (res.headersSent) return onError(error);
      const status = KabarError.isInstance(error) && error.status ? error.status : 500;
      sendJson(res, status, {
        error: KabarError.isInstance(error) ? error.code : 'internal_error',
      });
    });
  };
}
