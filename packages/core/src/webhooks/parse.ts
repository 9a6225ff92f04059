import { KabarError } from '../errors.js';
import type { WebhookDialect } from '../providers/gateway.js';
import { GATEWAYS } from '../providers/registry.js';
import { secretMatches } from '../secret.js';
import type { WebhookEvent, WebhookProvider } from './events.js';
import { isRecord, type Json, notAWebhook } from './parse/json.js';

/** What `parseWebhook` needs to know besides the body. */
export interface ParseWebhookOptions {
  /**
   * Read the body as this gateway's. Without it the format is recognised from the body's shape,
   * trying the gateways in registry order.
   */
  provider?: WebhookProvider;
  /**
   * Who sent a Meta-format envelope: Meta itself (default) or Kirem, which can forward Meta's
   * format unchanged. Only changes the `provider` of the events; `provider: 'kirem'` does the same.
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
 * `{event, data}`, Waviro's `notifyurl` acks and keyword calls, Fonnte's and Wablas' incoming
 * messages, statuses and device connection events. Items are read one by one: one
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
  const body = webhookBody(input);
  const provider = options.provider ?? (options.metaFormatFrom === 'kirem' ? 'kirem' : undefined);
  const found = provider ? webhookDialect(provider) : detectDialect(body);
  if (!found) {
    throw notAWebhook(`not a webhook format Kabar knows (${WEBHOOK_PROVIDERS.join(', ')})`);
  }
  const { dialect } = found;
  if (dialect.auth.scheme === 'body-key' && dialect.auth.field in body) {
    checkWaviroKey(body, dialect.auth.field, options.waviroWebhookKey);
  }
  return parseAs(found, body);
}

/** The events of a body read as one gateway's, which must be in that gateway's format. */
export function parseAs({ name, dialect }: NamedDialect, body: Json): WebhookEvent[] {
  if (!dialect.detect(body)) throw notAWebhook(`not a ${name} webhook`, name);
  return dialect.parse(body);
}

/** The webhook's JSON object, from raw bytes, text or an already parsed value. */
export function webhookBody(input: unknown): Json {
  const body = decode(input);
  if (!isRecord(body)) throw notAWebhook('expected a JSON object');
  return body;
}

/** A gateway's webhook dialect. */
export interface NamedDialect {
  name: WebhookProvider;
  dialect: WebhookDialect;
}

// A gateway's parser sets `provider` on its events, so the compiler has already checked that each
// gateway with webhooks is a `WebhookProvider`.
const DIALECTS: NamedDialect[] = GATEWAYS.flatMap(({ name, webhook }) =>
  webhook ? [{ name: name as WebhookProvider, dialect: webhook }] : [],
);

/** The gateways whose webhooks Kabar reads, in registry order. */
export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = DIALECTS.map(({ name }) => name);

/** The webhook dialect of `provider`, or undefined when Kabar reads no webhooks of it. */
export function webhookDialect(provider: string): NamedDialect | undefined {
  return DIALECTS.find(({ name }) => name === provider);
}

function detectDialect(body: Json): NamedDialect | undefined {
  return DIALECTS.find(({ dialect }) => dialect.detect(body));
}

// parseWebhook alone (no handler) still refuses a keyword call whose key does not match.
function checkWaviroKey(body: Json, field: string, expected: string | undefined): void {
  if (typeof expected !== 'string' || expected === '') {
    throw new KabarError(
      'invalid_config',
      'waviro webhook: pass waviroWebhookKey to accept keyword calls',
    );
  }
  if (!secretMatches(body[field], expected)) {
    throw new KabarError('invalid_signature', `waviro webhook: ${field} does not match`, {
      provider: 'waviro',
      status: 401,
    });
  }
}
