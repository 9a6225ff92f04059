import { KabarError } from '../errors.js';
import type { ConversationTracker } from '../policy/tracker.js';
import { type WaviroReplyItem, waviroReply } from '../providers/waviro/webhook-reply.js';
import { requireSecret } from '../secret.js';
import { authenticateWebhook } from './authenticate.js';
import {
  type BodySource,
  DEFAULT_WEBHOOK_BODY_LIMIT,
  payloadTooLarge,
  readRawBody,
} from './body.js';
import { DEFAULT_DEDUPE_TTL_MS, type DedupeStore, dedupeKey, memoryDedupeStore } from './dedupe.js';
import type { WebhookEvent, WebhookProvider } from './events.js';
import { type HandshakeQuery, queryParam, verifyMetaHandshake } from './handshake.js';
import {
  DEFAULT_MESSAGE_ID_TTL_MS,
  type MessageIdStore,
  memoryMessageIdStore,
} from './message-ids.js';
import type { Json } from './parse/json.js';
import { parseAs, WEBHOOK_PROVIDERS, webhookBody, webhookDialect } from './parse.js';
import type { RawBody } from './signature.js';

/** What `onEvents` learns about the delivery besides its events. */
export interface WebhookDelivery {
  /** The gateway the handler was made for. */
  provider: WebhookProvider;
  /** What the adapter passed as the request's `locals` (the framework's request, say). */
  locals?: unknown;
  /**
   * Waviro keyword calls only: items pushed here are the call's answer, which Waviro sends to the
   * customer. `bot.handle(events, delivery)` puts a bot's replies here by itself.
   */
  replies?: WaviroReplyItem[];
}

/** A place for the handler's few log lines (a bad signature's cause, a failed `onEvents`). */
export interface WebhookLogger {
  /** A refused request's cause (a missing or wrong signature), logged once per cause. */
  warn(message: string): void;
  /**
   * A failure the gateway is not told about: `onEvents` failed (when there is no `onError`), the
   * dedupe store failed, or a request was answered 500.
   */
  error(message: string, error?: unknown): void;
}

/** What `createWebhookHandler` takes. */
export interface WebhookHandlerOptions {
  /** Which gateway posts to this endpoint; each gateway gets its own URL. */
  provider: WebhookProvider;
  /**
   * Meta: the app secret. Kirem: the project's webhook secret. Waviro: the keyword's `webhookkey`
   * (its delivery acks carry no secret: give them an unguessable `notifyurl`). At least 12
   * characters.
   */
  secret: string;
  /** Meta only: answers the GET subscription handshake when the request presents this token. */
  verifyToken?: string;
  /** Body cap in bytes; larger requests get 413 without being read. Default 3 MiB. */
  bodyLimit?: number;
  /**
   * Remembers handled messages and statuses so redeliveries reach no handler (they still get
   * 200). Default: in memory; pass `redisDedupeStore` from `@kabar/redis` when several instances
   * share the URL, or `false` to turn it off.
   */
  dedupe?: DedupeStore | false;
  /** How long a handled item is remembered. Default 7 days, as long as Meta redelivers. */
  dedupeTtlMs?: number;
  /**
   * Fonnte only: remembers each send's `stateid` from its first status callback, so the delivered
   * and read callbacks, which carry the `stateid` alone, reach `onEvents` with the send id as
   * `messageId` too. Default: in memory; pass `redisMessageIdStore` from `@kabar/redis` when
   * several instances share the URL, or `false` to leave those callbacks named by their `stateid`.
   */
  messageIds?: MessageIdStore | false;
  /** How long a `stateid` is remembered. Default 30 days. */
  messageIdTtlMs?: number;
  /**
   * Receives each delivery's new events. It runs after the answer has gone out, except for Waviro
   * keyword calls, whose answer is the reply it builds (`delivery.replies`).
   */
  onEvents: (events: WebhookEvent[], delivery: WebhookDelivery) => unknown;
  /**
   * Sees every new event before `onEvents`, so the send policy's stores (customer windows,
   * consent) are current when your handlers answer. See `createConversationTracker`.
   */
  tracker?: ConversationTracker;
  /** Told about failures of `onEvents`, which the gateway can no longer hear about. */
  onError?: (error: unknown, events: WebhookEvent[]) => void;
  /** Where the handler's few log lines go. Default: `console`. */
  logger?: WebhookLogger;
}

/** One HTTP request as any framework can describe it. */
export interface WebhookRequest {
  /** The HTTP method, in any case. */
  method: string;
  /** Header names in any case (a `Headers` object works too). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The query parameters, for Meta's GET handshake. */
  query?: HandshakeQuery;
  /**
   * The body exactly as it arrived: bytes, a string, or a stream this reads with the cap. Never a
   * parsed object: the signature is over the raw bytes.
   */
  body?: RawBody | BodySource | null;
  /** Handed on to `onEvents` as `delivery.locals`, and by `bot.handle` to handlers as `chat.locals`. */
  locals?: unknown;
}

/** The answer to send, and what was dispatched. */
export interface WebhookResult {
  /** The HTTP status to answer with. */
  status: number;
  /** Headers to answer with, lower-case names. */
  headers: Record<string, string>;
  /** The body to answer with: JSON, or the challenge as plain text for Meta's handshake. */
  body: string;
  /** The new events handed to `onEvents` (redeliveries left out). */
  events: WebhookEvent[];
  /**
   * Settles once `onEvents` has finished with them; it never rejects. Serverless runtimes pass it
   * to `waitUntil` so the work is not cut off after the answer.
   */
  done: Promise<void>;
}

/** A framework-neutral webhook endpoint; adapters translate requests and answers. */
export interface WebhookHandler {
  /**
   * Answers one request: handshake, size, type, signature and payload checks, then dispatch. Never
   * rejects: every failure is an answer (500 for an unexpected one, which is logged).
   */
  handle(request: WebhookRequest): Promise<WebhookResult>;
  /**
   * The web-standard entry (Next.js route handlers, Bun, Deno, Workers). Pass the runtime's
   * `waitUntil` where there is one, so handlers finish after the answer.
   */
  fetch(
    request: Request,
    runtime?: { waitUntil?(promise: Promise<unknown>): void },
  ): Promise<Response>;
}

/** How long a Waviro keyword call may take to build its reply before answering without one. */
const WAVIRO_REPLY_TIMEOUT_MS = 10_000;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const value =
    record[name] ??
    Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1] ??
    undefined;
  return Array.isArray(value) ? value[0] : value;
}

/** Whether a `Content-Type` is JSON (`application/json` or a `+json` type), as webhooks are. */
export function isJsonContentType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || (type?.endsWith('+json') ?? false);
}

function isRawBody(body: unknown): body is RawBody {
  return typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

function isStream(body: unknown): body is BodySource {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

function answer(
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): WebhookResult {
  return {
    status,
    headers: { ...JSON_HEADERS, ...extraHeaders },
    body: JSON.stringify(body),
    events: [],
    done: Promise.resolve(),
  };
}

function refusal(
  status: number,
  error: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): WebhookResult {
  // A refused upload may still be streaming in: close the connection rather than read the rest.
  const close: Record<string, string> = status === 413 ? { connection: 'close' } : {};
  return answer(status, { error, message }, { ...close, ...extraHeaders });
}

/**
 * One webhook endpoint for a gateway, for any framework: Meta's GET handshake; 405 for other
 * methods; 415 for a body that is not JSON; 413 past the body cap, without reading further; 401
 * for a bad signature (its cause logged once, never the secret); 400 for a body that is not a
 * webhook; then 200 at once, with `onEvents` run after the answer. Redeliveries are answered 200
 * and reach no handler. Waviro keyword calls are answered with the replies `onEvents` builds,
 * waiting for it at most 10 seconds.
 *
 * Throws `invalid_config` at once for an unknown `provider`, an `onEvents` that is not a
 * function, or a missing or short secret (under 12 characters).
 *
 * @example
 * ```ts
 * import { createWebhookHandler } from '@kabar/core/webhooks';
 *
 * const webhook = createWebhookHandler({
 *   provider: 'meta',
 *   secret: process.env.META_APP_SECRET!,
 *   verifyToken: process.env.META_VERIFY_TOKEN, // answers Meta's GET handshake
 *   onEvents: async (events) => {
 *     for (const event of events) {
 *       if (event.kind === 'message') console.log(event.from, event.content.type);
 *       if (event.kind === 'status') console.log(event.messageId, event.status);
 *     }
 *   },
 * });
 *
 * // Next.js App Router (app/api/whatsapp/route.ts), Bun.serve, Deno.serve, Workers:
 * export const GET = (request: Request) => webhook.fetch(request);
 * export const POST = (request: Request) => webhook.fetch(request);
 * // Any other server: webhook.handle({ method, headers, query, body }) gives { status, headers, body }
 * ```
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { provider, verifyToken, onEvents } = options;
  const found = webhookDialect(provider);
  if (!found) {
    throw new KabarError(
      'invalid_config',
      `webhook handler: provider must be one of ${WEBHOOK_PROVIDERS.join(', ')}, not ${JSON.stringify(provider)}`,
    );
  }
  const { dialect } = found;
  if (typeof onEvents !== 'function') {
    throw new KabarError('invalid_config', 'webhook handler: onEvents must be a function');
  }
  const secret = requireSecret(options.secret, `the ${provider} webhook secret`);
  const bodyLimit = options.bodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT;
  const dedupe = options.dedupe === false ? undefined : (options.dedupe ?? memoryDedupeStore());
  const dedupeTtlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const messageAlias = dialect.messageAlias;
  const messageIds =
    messageAlias === undefined || options.messageIds === false
      ? undefined
      : (options.messageIds ?? memoryMessageIdStore());
  const messageIdTtlMs = options.messageIdTtlMs ?? DEFAULT_MESSAGE_ID_TTL_MS;
  const logger: WebhookLogger = options.logger ?? {
    warn: (message) => console.warn(message),
    error: (message, error) => console.error(message, error),
  };
  const onError =
    options.onError ??
    ((error: unknown) => logger.error(`${provider} webhook: onEvents failed`, error));
  // An attacker can send forged requests by the thousand: say each cause once, not once a request.
  const reportedCauses = new Set<string>();

  function reportOnce(cause: string): void {
    if (reportedCauses.has(cause)) return;
    reportedCauses.add(cause);
    logger.warn(`${cause} (further requests refused for this reason are not logged)`);
  }

  /** Claims each event's dedupe key; keeps the new ones. A store failure lets the event through. */
  async function fresh(
    store: DedupeStore,
    events: WebhookEvent[],
  ): Promise<{ events: WebhookEvent[]; keys: string[] }> {
    const kept: WebhookEvent[] = [];
    const keys: string[] = [];
    for (const event of events) {
      const key = dedupeKey(event);
      if (key === undefined) {
        kept.push(event);
        continue;
      }
      let first = true;
      try {
        first = await store.claim(key, dedupeTtlMs);
      } catch (error) {
        // Better a rare double than a lost message: handle it, and say the store is failing.
        logger.error(
          `${provider} webhook: the dedupe store failed; handling the event anyway`,
          error,
        );
      }
      if (first) {
        kept.push(event);
        keys.push(key);
      }
    }
    return { events: kept, keys };
  }

  /**
   * Records the other id a status callback carries beside the send id, and gives a callback named
   * only by a recorded one the send id. In order, before the answer, so a gateway that waits for
   * it before the next callback finds the pair recorded. A store failure leaves the event as it is.
   */
  async function withSendIds(
    store: MessageIdStore,
    aliasOf: NonNullable<typeof messageAlias>,
    events: WebhookEvent[],
  ): Promise<WebhookEvent[]> {
    const resolved: WebhookEvent[] = [];
    for (const event of events) {
      const found = event.kind === 'status' ? aliasOf(event) : undefined;
      if (event.kind !== 'status' || found === undefined) {
        resolved.push(event);
        continue;
      }
      try {
        if (found.sendId !== undefined) {
          await store.remember(found.alias, found.sendId, messageIdTtlMs);
          resolved.push(event);
        } else {
          const sendId = await store.lookup(found.alias);
          resolved.push(sendId === undefined ? event : { ...event, messageId: sendId });
        }
      } catch (error) {
        logger.error(
          `${provider} webhook: the message id store failed; the status keeps the id it came with`,
          error,
        );
        resolved.push(event);
      }
    }
    return resolved;
  }

  async function run(events: WebhookEvent[], keys: string[], delivery: WebhookDelivery) {
    try {
      await options.tracker?.observe(events);
      await onEvents(events, delivery);
    } catch (error) {
      // Forget the claims, so a manual replay of this delivery is handled rather than skipped.
      await Promise.all(keys.map((key) => dedupe?.release(key).catch(() => undefined)));
      onError(error, events);
    }
  }

  function handshake(request: WebhookRequest): WebhookResult {
    if (!dialect.handshake || !verifyToken) {
      return refusal(405, 'method_not_allowed', 'webhooks are POSTed', { allow: 'POST' });
    }
    try {
      const challenge = verifyMetaHandshake(request.query ?? {}, verifyToken);
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: challenge,
        events: [],
        done: Promise.resolve(),
      };
    } catch {
      return refusal(403, 'verification_failed', 'the verify token does not match');
    }
  }

  async function receive(request: WebhookRequest): Promise<WebhookResult> {
    if (!isJsonContentType(header(request.headers, 'content-type'))) {
      return refusal(415, 'unsupported_media_type', 'webhooks are JSON: application/json');
    }
    const contentLength = header(request.headers, 'content-length');
    let rawBody: RawBody;
    if (isRawBody(request.body)) {
      const size =
        typeof request.body === 'string'
          ? new TextEncoder().encode(request.body).byteLength
          : request.body.byteLength;
      if (size > bodyLimit) throw payloadTooLarge(bodyLimit);
      rawBody = request.body;
    } else if (isStream(request.body)) {
      rawBody = await readRawBody(request.body, { limit: bodyLimit, contentLength });
    } else if (request.body == null) {
      rawBody = new Uint8Array();
    } else {
      throw new KabarError(
        'invalid_config',
        'the body was already parsed; pass the raw bytes (mount the endpoint before any JSON body parser)',
      );
    }
    const query = (name: string) => queryParam(request.query ?? {}, name);
    // A signature over the bytes is checked before the body is even parsed.
    const signedBytes = dialect.auth.scheme === 'hmac-sha256';
    const authenticate = (body: Json) => {
      try {
        authenticateWebhook(provider, dialect.auth, secret, {
          rawBody,
          body,
          header: (name) => header(request.headers, name),
          query,
        });
      } catch (error) {
        if (!KabarError.isInstance(error) || error.code !== 'invalid_signature') throw error;
        reportOnce(`${error.message}: refused with 401`);
        return refusal(401, 'invalid_signature', error.message);
      }
      return undefined;
    };
    if (signedBytes) {
      const refused = authenticate({});
      if (refused) return refused;
    }
    const body = webhookBody(rawBody);
    if (!signedBytes) {
      const refused = authenticate(body);
      if (refused) return refused;
    }
    const items = parseAs({ name: provider, dialect }, body);
    const parsed =
      messageIds && messageAlias ? await withSendIds(messageIds, messageAlias, items) : items;
    const { events, keys } = dedupe ? await fresh(dedupe, parsed) : { events: parsed, keys: [] };
    const keywordCall = parsed.some(
      (event) => event.kind === 'message' && event.content.type === 'keyword',
    );
    if (keywordCall) {
      const replies: WaviroReplyItem[] = [];
      if (events.length > 0) {
        await withTimeout(
          run(events, keys, { provider, replies, locals: request.locals }),
          WAVIRO_REPLY_TIMEOUT_MS,
        );
      }
      return {
        ...answer(200, waviroReply(replies)),
        events,
        done: Promise.resolve(),
      };
    }
    const result = answer(200, { received: parsed.length });
    if (events.length === 0) return result;
    // Gateways retry slow endpoints: the answer goes out first, the handlers run on the next turn.
    const done = afterThisTurn(() => run(events, keys, { provider, locals: request.locals }));
    return { ...result, events, done };
  }

  async function handle(request: WebhookRequest): Promise<WebhookResult> {
    const method = request.method.toUpperCase();
    if (method === 'GET') return handshake(request);
    if (method !== 'POST') {
      return refusal(405, 'method_not_allowed', 'webhooks are POSTed', {
        allow: provider === 'meta' && verifyToken ? 'GET, POST' : 'POST',
      });
    }
    try {
      return await receive(request);
    } catch (error) {
      if (KabarError.isInstance(error) && error.status && error.status < 500) {
        return refusal(error.status, error.code, error.message);
      }
      const message = KabarError.isInstance(error) ? error.message : 'internal error';
      logger.error(
        `${provider} webhook: ${message}`,
        KabarError.isInstance(error) ? undefined : error,
      );
      return refusal(500, KabarError.isInstance(error) ? error.code : 'internal_error', message);
    }
  }

  return {
    handle,
    async fetch(request, runtime) {
      const url = new URL(request.url);
      const result = await handle({
        method: request.method,
        headers: request.headers,
        query: url.searchParams,
        body: request.body as BodySource | null,
      });
      runtime?.waitUntil?.(result.done);
      return new Response(result.status === 204 ? null : result.body, {
        status: result.status,
        headers: result.headers,
      });
    },
  };
}

const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

/**
 * Runs `work` after the current I/O turn, once the adapter has written the answer: `setImmediate`
 * where the runtime has it (Node, Bun, Deno), else a zero timeout.
 */
function afterThisTurn(work: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const start = () => resolve(work());
    if (immediate) immediate(start);
    else setTimeout(start, 0);
  });
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
