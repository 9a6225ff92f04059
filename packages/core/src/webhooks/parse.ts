import type { WebhookEvent } from './events.js';
import { isRecord, notAWebhook } from './parse/json.js';
import { kiremEnvelope } from './parse/kirem.js';
import { metaEnvelope } from './parse/meta-envelope.js';
import { waviroAck, waviroKeyword } from './parse/waviro.js';

/** What `parseWebhook` needs to know besides the body. */
export interface ParseWebhookOptions {
  /**
   * Who sent a Meta-format envelope: Meta itself (default) or Kirem, which can forward Meta's
   * format unchanged. Only changes the `provider` of the events.
   */
  metaFormatFrom?: 'meta' | 'kirem';
  /**
   * Waviro keyword calls carry `webhookkey`; they are refused unless it matches this (compared in
   * constant time). Without it, a keyword call throws `invalid_config`.
   */
  waviroWebhookKey?: string;
}

const utf8 = new TextDecoder();

function decode(input: unknown): unknown {
  if (
    typeof input !== 'string' &&
    !(input instanceof Uint8Array) &&
    !(input instanceof ArrayBuffer)
  ) {
    return input;
  }
  const text = typeof input === 'string' ? input : utf8.decode(input);
  try {
    return JSON.parse(text);
  } catch {
    throw notAWebhook('not valid JSON');
  }
}

/**
 * Turns any supported gateway's webhook body (raw or parsed) into typed events: Meta's envelope
 * (also when Kirem forwards it) with every field a business subscribes to, Kirem's
 * `{event, data}`, Waviro's `notifyurl` acks and keyword calls. Items are read one by one: one
 * malformed or unfamiliar item becomes an `unknown` event and the others still come through. Only
 * a body that is no webhook at all throws (`invalid_payload`, status 400); a Waviro keyword call
 * also throws `invalid_signature` (401) for a wrong `webhookkey`, and `invalid_config` when
 * `waviroWebhookKey` is not set.
 *
 * It checks no signature: call `verifySignature` on the same raw body first (or use
 * `createWebhookHandler`, which does both).
 *
 * @example
 * ```ts
 * import { parseWebhook, verifySignature } from '@kabar/core/webhooks';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   const rawBody = new Uint8Array(await request.arrayBuffer());
 *   verifySignature({
 *     provider: 'meta',
 *     rawBody,
 *     signature: request.headers.get('x-hub-signature-256'),
 *     secret: process.env.META_APP_SECRET!,
 *   }); // throws invalid_signature: answer 401
 *   for (const event of parseWebhook(rawBody)) {
 *     switch (event.kind) {
 *       case 'message':
 *         if (event.content.type === 'text') console.log(event.from, event.content.text);
 *         break;
 *       case 'status':
 *         console.log(event.messageId, event.status); // 'sent', 'delivered', 'read', 'failed', ...
 *         break;
 *     }
 *   }
 *   return Response.json({ received: true });
 * }
 * ```
 */
export function parseWebhook(input: unknown, options: ParseWebhookOptions = {}): WebhookEvent[] {
  const body = decode(input);
  if (!isRecord(body)) throw notAWebhook('expected a JSON object');
  if (body.object === 'whatsapp_business_account' || 'entry' in body) {
    return metaEnvelope(body, options.metaFormatFrom ?? 'meta');
  }
  if (typeof body.event === 'string' && 'data' in body) return kiremEnvelope(body);
  if ('msgid' in body && 'ack' in body) return [waviroAck(body)];
  if ('keyword' in body && 'webhookkey' in body) return [waviroKeyword(body, options)];
  throw notAWebhook('not a webhook format Kabar knows (Meta, Kirem or Waviro)');
}
