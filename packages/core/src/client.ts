import {
  invalidConfig,
  KabarError,
  settleSendError,
  UnsupportedFeatureError,
  ValidationError,
} from './errors.js';
import { firstMissing, requiredFeatures } from './features.js';
import { callHook, type Hooks } from './hooks.js';
import { performRequest, type TransportContext } from './http.js';
import { parseConversation, parseConversations, parseSentMessage, parseTools } from './mcp.js';
import { uploadBlob } from './media.js';
import type { OutgoingMessage, PreparedMessage, SendResult } from './message.js';
import { type CountryCode, normalizePhone } from './phone.js';
import { applySendPolicy, type SendPolicy } from './policy/send-policy.js';
import type { Feature, Provider, ProviderContext } from './provider.js';
import { type RateLimiter, type RateLimitOptions, rateLimiterFrom } from './rate-limit.js';
import { redactError } from './redact.js';
import type {
  BatchStatus,
  BlockResult,
  BusinessNumber,
  BusinessProfile,
  BusinessProfileUpdate,
  ConnectionStatus,
  Conversation,
  ConversationDetail,
  Group,
  LogPage,
  McpTool,
  MediaDownload,
  MediaInfo,
  MediaUpload,
  MessageLog,
  MessageLogFilter,
  OtpRequest,
  OtpRequested,
  OtpVerification,
  ProfileOptions,
  ProfilePhoto,
  Template,
  TemplateCategory,
  TemplateDefinition,
  TemplateDetails,
  TemplateEdit,
  TemplateFilter,
  TemplateLookup,
  UnblockResult,
  WebhookLog,
  WebhookLogFilter,
} from './resources.js';
import {
  type Repeatability,
  type RetryOptions,
  resolveRetry,
  retryDelayMs,
  shouldRetry,
  sleep,
} from './retry.js';
import type { FetchFunction } from './transport/fetch.js';
import { transportFor } from './transport/select.js';
import { prepareMessage } from './validate.js';

/** Settings for {@link createClient}. Only `provider` is required. */
export interface ClientOptions {
  /** The gateway to talk to: `kirem({...})`, `meta({...})`, `failover([...])`, ... */
  provider: Provider;
  /**
   * Retry policy for failed HTTP attempts, or `false` for none. Default: 2 retries, backing off
   * from 500 ms. Reads are retried whenever the error is retryable; a send only when the retry
   * cannot deliver the message twice, and uploads, template creation, OTP checks and MCP calls only
   * when the gateway cannot have received the failed attempt (see `RetryOptions.retryUnsafe`).
   */
  retry?: RetryOptions | false;
  /**
   * Pace sends: `{ perSecond }`, `{ perMinute }`, `{ limit, intervalMs }`, a shared `RateLimiter`
   * (e.g. from `@kabar/redis`), or `false` for no pacing. Default: the provider's documented limit
   * (80 messages/s for Kirem and Meta). Only `send` and `markAsRead` are paced. A limit that is not
   * positive throws `invalid_config` from `createClient`.
   */
  rateLimit?: RateLimitOptions | RateLimiter | false;
  /**
   * A fetch implementation (a proxy agent, a test double); with it, every request goes through it.
   * Default: on Node, keep-alive `node:http`/`node:https` (several times the throughput of
   * `fetch`, and `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` are honoured); elsewhere (Workers, Deno,
   * Bun, browsers) the global `fetch`. Pass `fetch: globalThis.fetch` to use fetch on Node too.
   */
  fetch?: FetchFunction;
  /**
   * Time limit for one HTTP attempt, in milliseconds; each retry gets a fresh one. Default 15 000.
   * For `media.download` it covers the wait for the response headers only, not reading the body.
   */
  timeoutMs?: number;
  /** Observers for logging and metrics, called on every request, response and retry. */
  hooks?: Hooks;
  /**
   * Region assumed for numbers written without a country code (`0812…`), for message recipients,
   * OTP phones and `numbers.check`. Default `ID` (Indonesia).
   */
  defaultRegion?: CountryCode;
  /**
   * Rules every `send` follows before any request: Meta's 24-hour customer-service window (on
   * Meta and Kirem) and marketing consent. Fed by `createConversationTracker` from webhooks.
   */
  policy?: SendPolicy;
}

/** Options every client call accepts as its last argument. */
export interface CallOptions {
  /**
   * Cancels the call, whether it is waiting for the rate limit, for a response or for a retry. The
   * call then rejects with code `aborted`; a send aborted after its request went out is marked
   * `maybeAccepted`.
   */
  signal?: AbortSignal;
}

/** Options of `markAsRead`. */
export interface MarkAsReadOptions extends CallOptions {
  /**
   * Also show "typing…" to the customer until you answer or 25 seconds pass (feature
   * `typingIndicator`). Send it when a reply will take a few seconds.
   */
  typing?: boolean;
}

/**
 * A WhatsApp client bound to one provider, made by {@link createClient}. Calls for a feature the
 * provider lacks throw {@link UnsupportedFeatureError} (`unsupported_feature`) before any request;
 * check first with {@link WhatsAppClient.supports}. Every call can also reject with a
 * {@link KabarError} from the gateway or the network (`unauthenticated`, `rate_limited`,
 * `timeout`, `network`, ...), after the retries the policy allows.
 */
export interface WhatsAppClient {
  /** The provider's name, e.g. `kirem`, or `failover(kirem,kirimy)`. */
  readonly provider: string;
  /** Every feature the provider declares. */
  readonly capabilities: ReadonlySet<Feature>;
  /**
   * Whether the provider declares `feature`, so a message or call that needs it will not be
   * refused with `unsupported_feature`. For a `failover` provider only sending fails over: it
   * answers true for a non-message feature any of its providers has, yet that call still throws.
   */
  supports(feature: Feature): boolean;
  /**
   * Validates one message, normalises its recipient, and sends it, paced by the rate limit.
   * Resolves with the gateway's answer, including its message id.
   *
   * Before any request it throws {@link ValidationError} (`validation`, naming the field) for a
   * message that breaks WhatsApp's rules, {@link InvalidPhoneError} (`invalid_phone`) for a bad
   * `to`, and {@link UnsupportedFeatureError} (`unsupported_feature`) when the provider cannot send
   * this kind of message. A gateway failure is a {@link KabarError} whose `maybeAccepted` says
   * whether the message may have been delivered anyway and whose `idempotencyKey` is the key to
   * resend it under.
   *
   * @example
   * ```ts
   * import { KabarError } from '@kabar/core';
   *
   * try {
   *   const sent = await wa.send({
   *     to: '0812-3456-7890',
   *     template: { name: 'order_shipped', language: 'id', params: ['Budi', 'INV-1001'] },
   *   });
   *   console.log(sent.id);
   * } catch (error) {
   *   if (KabarError.isInstance(error) && error.maybeAccepted) {
   *     // The gateway may have it: check with reconcileSend before sending again.
   *   }
   *   throw error;
   * }
   * ```
   */
  send(message: OutgoingMessage, options?: CallOptions): Promise<SendResult>;
  /**
   * Marks an incoming message as read, so its sender sees blue ticks, and with `typing: true`
   * shows a typing indicator until you answer. `messageId` is the id from the inbound webhook; an
   * empty one throws `validation`.
   */
  markAsRead(messageId: string, options?: MarkAsReadOptions): Promise<void>;
  /** Media files stored at the gateway, referenced by id in messages. */
  media: {
    /**
     * Uploads a file and resolves with its media id, for `{ image: { id } }` and the like. A file
     * that is empty or over WhatsApp's size limit for its MIME type throws `validation` before
     * the upload. Not retried after a failure the gateway may have received.
     */
    upload(upload: MediaUpload, options?: CallOptions): Promise<{ id: string }>;
    /**
     * Downloads a media file, such as one a customer sent, as a stream. Meta throws
     * `media_error` when its media URL points at a host the access token must not go to.
     */
    download(mediaId: string, options?: CallOptions): Promise<MediaDownload>;
    /**
     * What the gateway knows of a media file: a short-lived download URL, MIME type, SHA-256 and
     * size (feature `media.info`). An empty `mediaId` throws `validation`; an unknown one rejects
     * with `not_found`.
     */
    info(mediaId: string, options?: CallOptions): Promise<MediaInfo>;
    /**
     * Deletes a media file from the gateway (feature `media.delete`). An empty `mediaId` throws
     * `validation`; an unknown or already deleted one rejects with `not_found`.
     */
    delete(mediaId: string, options?: CallOptions): Promise<void>;
  };
  /**
   * Message templates registered with the gateway. Meta needs `businessAccountId` for these and
   * throws `invalid_config` without it.
   */
  templates: {
    /** Every template, optionally only those in one review status. */
    list(filter?: TemplateFilter, options?: CallOptions): Promise<Template[]>;
    /**
     * One template with its quality rating, rejection reason and parameter format (feature
     * `templates.get`). `idOrName` is taken as the template's id when it is all digits, else as
     * its name; a name in several languages needs `options.language` (else `validation`). An
     * empty `idOrName` throws `validation`; an unknown template rejects with `not_found`.
     */
    get(idOrName: string, options?: TemplateLookup & CallOptions): Promise<TemplateDetails>;
    /**
     * Changes a template's components (replacing all of them) and/or category, by its numeric id
     * (feature `templates.edit`); the template goes back through review. Throws `validation`
     * before any request for a non-numeric id, an edit with neither field, an unknown category or
     * components that are not a non-empty array of components. Meta allows an APPROVED template
     * one edit a day and never a new category, and rejects other edits. Not retried after a
     * failure the gateway may have received, since a second edit would spend the quota.
     */
    edit(id: string, edit: TemplateEdit, options?: CallOptions): Promise<void>;
    /**
     * Submits a new template for review and resolves with its id, status and category. Not
     * retried after a failure the gateway may have received, so it cannot create it twice.
     */
    create(
      definition: TemplateDefinition,
      options?: CallOptions,
    ): Promise<{ id: string; status: string; category: string }>;
    /** Deletes a template by name. */
    delete(name: string, options?: CallOptions): Promise<void>;
  };
  /** The WhatsApp Business profile customers see for the sending number. */
  profile: {
    /** Reads the profile. */
    get(options?: ProfileOptions & CallOptions): Promise<BusinessProfile>;
    /** Changes the fields given in `update`; fields left out are not sent. */
    update(update: BusinessProfileUpdate, options?: ProfileOptions & CallOptions): Promise<void>;
    /**
     * Uploads a new profile picture and sets it (feature `profile.photo`). A photo that is not a
     * JPEG or PNG, is empty or is over 5 MB throws `validation` before the upload. Meta needs the
     * provider's `appId` for the upload and throws `invalid_config` without it. Not retried after
     * a failure the gateway may have received.
     */
    uploadPhoto(photo: ProfilePhoto, options?: CallOptions): Promise<void>;
  };
  /**
   * Blocking WhatsApp users from writing to the sending number (feature `users.block`). Phone
   * numbers are normalised first, so a bad one throws `invalid_phone`.
   */
  users: {
    /**
     * Blocks 1 to 1000 numbers, each of which must have written to the business in the last 24
     * hours (Meta's rule). A number the gateway will not block does not reject the call: it is
     * listed in `failed` with the reason. An empty or longer list throws `validation`.
     */
    block(phones: readonly string[], options?: CallOptions): Promise<BlockResult>;
    /** Unblocks 1 to 1000 numbers; like `block`, numbers that fail are listed in `failed`. */
    unblock(phones: readonly string[], options?: CallOptions): Promise<UnblockResult>;
    /** Every blocked WhatsApp id, fetching page after page. */
    listBlocked(options?: CallOptions): Promise<string[]>;
  };
  /** The gateway's own logs of messages and webhook deliveries (Kirem). */
  logs: {
    /** One page of message logs, newest first; `limit` and `offset` choose the page. */
    messages(filter?: MessageLogFilter, options?: CallOptions): Promise<LogPage<MessageLog>>;
    /**
     * Every matching message log, fetching page after page from `offset` (`limit` sets the page
     * size). Throws `unsupported_feature` when called, before iteration starts.
     */
    allMessages(filter?: MessageLogFilter, options?: CallOptions): AsyncIterable<MessageLog>;
    /** One page of the log of webhooks the gateway delivered to your endpoint. */
    webhooks(filter?: WebhookLogFilter, options?: CallOptions): Promise<LogPage<WebhookLog>>;
    /** Every matching webhook log, page after page, like `allMessages`. */
    allWebhooks(filter?: WebhookLogFilter, options?: CallOptions): AsyncIterable<WebhookLog>;
  };
  /**
   * Codes generated, sent and checked by the gateway itself (Qirim). Phone numbers are normalised
   * first, so a bad one throws `invalid_phone`.
   */
  otp: {
    /**
     * Asks the gateway to create a code and send it to `request.phone`. Throws `validation` for a
     * `codeLength` or `ttl` out of range, and the gateway's `resend_cooldown` (with `retryAfter`)
     * or `daily_limit` when the number has asked too often.
     */
    request(request: OtpRequest, options?: CallOptions): Promise<OtpRequested>;
    /** Replaces the number's live code with a new one and sends it; fails like `request`. */
    resend(request: OtpRequest, options?: CallOptions): Promise<OtpRequested>;
    /**
     * Checks a code. Resolves `{ verified: true }` when it matches; a wrong code rejects with
     * `otp_incorrect`, then `too_many_attempts`, and an old one with `otp_expired`. Each check
     * spends an attempt, so it is not retried after a failure the gateway may have received.
     */
    verify(check: { phone: string; code: string }, options?: CallOptions): Promise<OtpVerification>;
  };
  /** Delivery state of a queued batch (`SendResult.batch.id`). */
  batches: {
    /** The per-recipient status of one batch. */
    get(batchId: string, options?: CallOptions): Promise<BatchStatus>;
  };
  /** Calls the gateway's own health endpoint and resolves with what it reports, as is. */
  health(options?: CallOptions): Promise<unknown>;
  /** WhatsApp groups the sending number belongs to. */
  groups: {
    /** Every group, with the id to send to as `to: { group: id }`. */
    list(options?: CallOptions): Promise<Group[]>;
  };
  /** Whether the gateway's WhatsApp session is logged in (or the QR code to log it in). */
  connection: {
    /** The session's login state, with the QR code to log it in when the gateway offers one. */
    status(options?: CallOptions): Promise<ConnectionStatus>;
  };
  /** Questions about phone numbers. */
  numbers: {
    /**
     * Whether a number is registered on WhatsApp. The number is normalised first, so a bad one
     * throws `invalid_phone`.
     */
    check(phone: string, options?: CallOptions): Promise<boolean>;
    /**
     * Every phone number of the business account, following the gateway's pages (feature
     * `numbers.list`), e.g. to let a user pick the sending number. Meta needs `businessAccountId`
     * and throws `invalid_config` without it.
     */
    list(options?: CallOptions): Promise<BusinessNumber[]>;
  };
  /** The gateway's MCP endpoint (Kirem): tools and the conversations of its chat inbox. */
  mcp: {
    /**
     * A raw JSON-RPC 2.0 call; resolves with `result`. A JSON-RPC error rejects with `not_found`,
     * `validation` or `provider_error`. Not retried after a failure the gateway may have received.
     */
    call(method: string, params?: unknown, options?: CallOptions): Promise<unknown>;
    /** The tools the endpoint offers (`tools/list`). */
    listTools(options?: CallOptions): Promise<McpTool[]>;
    /** Conversations in the inbox, optionally only those with one `status` (e.g. `open`). */
    listConversations(filter?: { status?: string }, options?: CallOptions): Promise<Conversation[]>;
    /** One conversation with its messages; an unknown `sessionId` rejects with `not_found`. */
    getConversation(sessionId: string, options?: CallOptions): Promise<ConversationDetail>;
    /**
     * Sends `text` to the customer of a conversation. Resolves with the gateway's confirmation
     * and the message id it names (`undefined` when it names none). Not retried after a failure
     * the gateway may have received.
     */
    sendMessage(
      sessionId: string,
      text: string,
      options?: CallOptions,
    ): Promise<{ text: string; messageId: string | undefined }>;
  };
}

async function* pages<T>(
  fetchPage: (offset: number) => Promise<LogPage<T>>,
  startOffset: number,
): AsyncIterable<T> {
  let offset = startOffset;
  for (;;) {
    const page = await fetchPage(offset);
    yield* page.logs;
    offset += page.logs.length;
    if (page.logs.length === 0 || offset >= page.total) return;
  }
}

/** `value` as a non-empty id, or `validation` naming `field`. */
function requireId(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(field, 'is required');
  }
  return value;
}

const TEMPLATE_CATEGORIES: readonly TemplateCategory[] = ['AUTHENTICATION', 'MARKETING', 'UTILITY'];

/** Checks a `templates.edit` call before any request. */
function checkTemplateEdit(id: unknown, edit: TemplateEdit | undefined): TemplateEdit {
  if (typeof id !== 'string' || !/^\d+$/.test(id)) {
    throw new ValidationError('id', 'must be the numeric template id (templates.get returns it)');
  }
  if (typeof edit !== 'object' || edit === null) throw new ValidationError('edit', 'is required');
  const { components, category } = edit;
  if (components === undefined && category === undefined) {
    throw new ValidationError('edit', 'must change components or category');
  }
  if (category !== undefined && !TEMPLATE_CATEGORIES.includes(category)) {
    throw new ValidationError('category', `must be one of ${TEMPLATE_CATEGORIES.join(', ')}`);
  }
  if (components !== undefined) {
    if (!Array.isArray(components) || components.length === 0) {
      throw new ValidationError('components', 'must be a non-empty array');
    }
    components.forEach((component, index) => {
      if (
        typeof component !== 'object' ||
        component === null ||
        typeof component.type !== 'string'
      ) {
        throw new ValidationError(`components[${index}].type`, 'is required');
      }
    });
  }
  return {
    ...(components === undefined ? {} : { components }),
    ...(category === undefined ? {} : { category }),
  };
}

/** Meta's limit on the numbers one Block Users request may name. */
const MAX_BLOCK_USERS = 1000;
/** How long the consent rule trusts a fetched list of template categories. */
const TEMPLATE_CATEGORY_TTL_MS = 10 * 60 * 1000;

/** 1 to 1000 numbers, each normalised (else `invalid_phone`), without repeats. */
function blockPhones(
  phones: readonly string[] | undefined,
  options: { defaultRegion?: CountryCode },
): string[] {
  if (!Array.isArray(phones) || phones.length === 0) {
    throw new ValidationError('phones', 'must be a non-empty array of phone numbers');
  }
  if (phones.length > MAX_BLOCK_USERS) {
    throw new ValidationError('phones', `must hold at most ${MAX_BLOCK_USERS} numbers per call`);
  }
  return [...new Set(phones.map((phone) => normalizePhone(phone, options)))];
}

/** Checks the types of a `profile.uploadPhoto` photo and its size before any request. */
function checkProfilePhoto(photo: ProfilePhoto | undefined): ProfilePhoto & { file: Blob } {
  if (typeof photo !== 'object' || photo === null)
    throw new ValidationError('photo', 'is required');
  const type = typeof photo.mimeType === 'string' ? photo.mimeType.toLowerCase().trim() : '';
  if (type !== 'image/jpeg' && type !== 'image/png') {
    throw new ValidationError('mimeType', 'must be image/jpeg or image/png');
  }
  // Images may be 5 MB, the limit WhatsApp sets for profile pictures too.
  return { ...photo, mimeType: type, file: uploadBlob({ ...photo, mimeType: type }) };
}

/**
 * Creates a client for one gateway. The provider translates; the client validates before the
 * network, paces sends, times out, retries only where a retry cannot deliver a message twice, and
 * reports to hooks with credentials redacted.
 *
 * @throws {@link KabarError} with code `invalid_config` when `provider` is missing or not a
 * provider, no `fetch` is available, `timeoutMs` is not positive, the rate limit is not positive,
 * or (on Node) `HTTPS_PROXY`/`HTTP_PROXY` is set to something that is not a URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 *
 * const wa = createClient({
 *   provider: kirem({
 *     apiKey: process.env.KIREM_API_KEY!,
 *     baseUrl: 'http://127.0.0.1:4010/kirem', // @kabar/sandbox; omit in production
 *   }),
 *   timeoutMs: 10_000,
 * });
 *
 * const sent = await wa.send({ to: '0812-3456-7890', text: 'Halo' });
 * console.log(sent.id); // wamid.…
 * ```
 */
export function createClient(options: ClientOptions): WhatsAppClient {
  const { provider } = options;
  if (!provider || typeof provider.send !== 'function') {
    throw invalidConfig('client', 'provider', 'must be a provider such as kirem({ apiKey })');
  }
  const transport = transportFor(options.fetch);
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!(timeoutMs > 0)) throw invalidConfig('client', 'timeoutMs', 'must be a positive number');
  const retry = resolveRetry(options.retry);
  const limiter =
    options.rateLimit === false
      ? undefined
      : options.rateLimit
        ? rateLimiterFrom(options.rateLimit)
        : provider.defaultRateLimit
          ? rateLimiterFrom(provider.defaultRateLimit)
          : undefined;
  const phoneOptions = { defaultRegion: options.defaultRegion };

  let templateCategories: { at: number; byName: Map<string, string> } | undefined;
  /**
   * A template's category as the gateway lists it, for the consent rule; undefined where the
   * gateway lists no templates or the list cannot be had (the send is then not held back).
   */
  async function templateCategory(name: string, language: string): Promise<string | undefined> {
    if (!provider.capabilities.has('templates.list')) return undefined;
    if (!templateCategories || Date.now() - templateCategories.at > TEMPLATE_CATEGORY_TTL_MS) {
      try {
        const listed = await client.templates.list();
        templateCategories = {
          at: Date.now(),
          byName: new Map(listed.map((t) => [`${t.name}\n${t.language}`, String(t.category)])),
        };
      } catch {
        return undefined;
      }
    }
    return templateCategories.byName.get(`${name}\n${language}`);
  }

  /** Validates a message and refuses, before any request, what the provider cannot send. */
  function prepareSupported(message: OutgoingMessage): PreparedMessage {
    const prepared = prepareMessage(message, phoneOptions);
    const missing = firstMissing(provider.capabilities, requiredFeatures(prepared));
    if (missing) throw new UnsupportedFeatureError(provider.name, missing);
    return prepared;
  }

  function requireFeature<K extends keyof Provider>(
    feature: Feature,
    method: K,
  ): NonNullable<Provider[K]> {
    const implementation = provider[method];
    if (!provider.capabilities.has(feature) || typeof implementation !== 'function') {
      throw new UnsupportedFeatureError(provider.name, feature);
    }
    return implementation.bind(provider) as NonNullable<Provider[K]>;
  }

  /** Tells `hooks.onFailure` that a call failed for good. */
  function failed(operation: string, attempts: number, error: unknown): void {
    callHook(options.hooks?.onFailure, { provider: provider.name, operation, attempts, error });
  }

  async function run<T>(
    operation: string,
    repeatability: Repeatability,
    call: CallOptions | undefined,
    work: (context: ProviderContext) => Promise<T>,
    pacing: { rateLimited: boolean; idempotencyKey?: string } = { rateLimited: false },
  ): Promise<T> {
    const signal = call?.signal;
    const idempotencyKey = pacing.idempotencyKey ?? crypto.randomUUID();
    let earlierAttemptMaybeAccepted = false;
    let attempts = 0;
    const fail = (error: unknown): unknown => {
      const settled =
        repeatability === 'send' && KabarError.isInstance(error)
          ? settleSendError(error, earlierAttemptMaybeAccepted, idempotencyKey)
          : error;
      failed(operation, attempts, settled);
      return settled;
    };
    for (let attempt = 1; ; attempt++) {
      if (pacing.rateLimited && limiter) {
        try {
          await limiter.acquire(provider.rateLimitKey, signal);
        } catch (aborted) {
          // Aborted while waiting its turn: a retry's wait still ends as the whole call knows it.
          throw fail(aborted);
        }
      }
      attempts = attempt;
      const exchange: TransportContext = {
        transport,
        timeoutMs,
        signal,
        hooks: options.hooks,
        secrets: provider.secrets,
        provider: provider.name,
        operation,
        attempt,
      };
      const context: ProviderContext = {
        request: (request) => performRequest(request, exchange),
        stream: (request) => performRequest(request, exchange, true),
        idempotencyKey,
      };
      try {
        return await work(context);
      } catch (caught) {
        const error = redactError(caught, provider.secrets);
        if (
          attempt > retry.maxRetries ||
          !shouldRetry(error, repeatability, provider.deduplicates, retry)
        ) {
          throw fail(error);
        }
        const delayMs = retryDelayMs(error, attempt, retry);
        if (delayMs === undefined) throw fail(error);
        if (error.maybeAccepted) earlierAttemptMaybeAccepted = true;
        callHook(options.hooks?.onRetry, {
          provider: provider.name,
          operation,
          attempt: attempt + 1,
          delayMs,
          error,
        });
        try {
          await sleep(delayMs, signal);
        } catch (aborted) {
          throw fail(aborted);
        }
      }
    }
  }

  const client: WhatsAppClient = {
    provider: provider.name,
    capabilities: provider.capabilities,
    supports: (feature) => provider.capabilities.has(feature),

    async send(message, call) {
      let prepared: PreparedMessage;
      try {
        const supported = prepareSupported(message);
        prepared = options.policy
          ? await applySendPolicy(supported, options.policy, {
              provider: provider.name,
              hasWindow: provider.capabilities.has('customerWindow'),
              prepare: prepareSupported,
              templateCategory,
            })
          : supported;
      } catch (refused) {
        failed('send', 0, redactError(refused, provider.secrets));
        throw refused;
      }
      return run('send', 'send', call, (context) => provider.send(prepared, context), {
        rateLimited: true,
        idempotencyKey: message.idempotencyKey,
      });
    },

    async markAsRead(messageId, call) {
      const markAsRead = requireFeature('markAsRead', 'markAsRead');
      const typing = call?.typing === true;
      if (typing && !provider.capabilities.has('typingIndicator')) {
        throw new UnsupportedFeatureError(provider.name, 'typingIndicator');
      }
      if (typeof messageId !== 'string' || messageId === '') {
        throw new ValidationError('messageId', 'is required');
      }
      return run('markAsRead', 'idempotent', call, (c) => markAsRead(messageId, c, { typing }), {
        rateLimited: true,
      });
    },

    media: {
      async upload(upload, call) {
        const uploadMedia = requireFeature('media.upload', 'uploadMedia');
        return run('media.upload', 'unsafe', call, (c) => uploadMedia(upload, c));
      },
      async download(mediaId, call) {
        const downloadMedia = requireFeature('media.download', 'downloadMedia');
        return run('media.download', 'idempotent', call, (c) => downloadMedia(mediaId, c));
      },
      async info(mediaId, call) {
        const mediaInfo = requireFeature('media.info', 'mediaInfo');
        const id = requireId('mediaId', mediaId);
        return run('media.info', 'idempotent', call, (c) => mediaInfo(id, c));
      },
      async delete(mediaId, call) {
        const deleteMedia = requireFeature('media.delete', 'deleteMedia');
        const id = requireId('mediaId', mediaId);
        return run('media.delete', 'idempotent', call, (c) => deleteMedia(id, c));
      },
    },

    templates: {
      async list(filter = {}, call) {
        const listTemplates = requireFeature('templates.list', 'listTemplates');
        return run('templates.list', 'idempotent', call, (c) => listTemplates(filter, c));
      },
      async get(idOrName, options = {}) {
        const getTemplate = requireFeature('templates.get', 'getTemplate');
        const key = requireId('idOrName', idOrName);
        const lookup = options.language === undefined ? {} : { language: options.language };
        return run('templates.get', 'idempotent', options, (c) => getTemplate(key, lookup, c));
      },
      async edit(id, edit, call) {
        const editTemplate = requireFeature('templates.edit', 'editTemplate');
        const checked = checkTemplateEdit(id, edit);
        // An approved template may be edited once a day: a blind repeat would spend that edit.
        return run('templates.edit', 'unsafe', call, (c) => editTemplate(id, checked, c));
      },
      async create(definition, call) {
        const createTemplate = requireFeature('templates.create', 'createTemplate');
        return run('templates.create', 'unsafe', call, (c) => createTemplate(definition, c));
      },
      async delete(name, call) {
        const deleteTemplate = requireFeature('templates.delete', 'deleteTemplate');
        return run('templates.delete', 'idempotent', call, (c) => deleteTemplate(name, c));
      },
    },

    profile: {
      async get(profileOptions = {}) {
        const getProfile = requireFeature('profile.get', 'getProfile');
        return run('profile.get', 'idempotent', profileOptions, (c) =>
          getProfile(profileOptions, c),
        );
      },
      async update(update, profileOptions = {}) {
        const updateProfile = requireFeature('profile.update', 'updateProfile');
        return run('profile.update', 'idempotent', profileOptions, (c) =>
          updateProfile(update, profileOptions, c),
        );
      },
      async uploadPhoto(photo, call) {
        const uploadProfilePhoto = requireFeature('profile.photo', 'uploadProfilePhoto');
        const checked = checkProfilePhoto(photo);
        return run('profile.photo', 'unsafe', call, (c) => uploadProfilePhoto(checked, c));
      },
    },

    users: {
      async block(phones, call) {
        const blockUsers = requireFeature('users.block', 'blockUsers');
        const numbers = blockPhones(phones, phoneOptions);
        return run('users.block', 'idempotent', call, (c) => blockUsers(numbers, c));
      },
      async unblock(phones, call) {
        const unblockUsers = requireFeature('users.block', 'unblockUsers');
        const numbers = blockPhones(phones, phoneOptions);
        return run('users.unblock', 'idempotent', call, (c) => unblockUsers(numbers, c));
      },
      async listBlocked(call) {
        const listBlockedUsers = requireFeature('users.block', 'listBlockedUsers');
        return run('users.listBlocked', 'idempotent', call, (c) => listBlockedUsers(c));
      },
    },

    logs: {
      async messages(filter = {}, call) {
        const messageLogs = requireFeature('logs.messages', 'messageLogs');
        return run('logs.messages', 'idempotent', call, (c) => messageLogs(filter, c));
      },
      allMessages(filter = {}, call) {
        requireFeature('logs.messages', 'messageLogs');
        return pages(
          (offset) => client.logs.messages({ ...filter, offset }, call),
          filter.offset ?? 0,
        );
      },
      async webhooks(filter = {}, call) {
        const webhookLogs = requireFeature('logs.webhooks', 'webhookLogs');
        return run('logs.webhooks', 'idempotent', call, (c) => webhookLogs(filter, c));
      },
      allWebhooks(filter = {}, call) {
        requireFeature('logs.webhooks', 'webhookLogs');
        return pages(
          (offset) => client.logs.webhooks({ ...filter, offset }, call),
          filter.offset ?? 0,
        );
      },
    },

    otp: {
      async request(request, call) {
        const requestOtp = requireFeature('otp', 'requestOtp');
        const normalized = { ...request, phone: normalizePhone(request?.phone, phoneOptions) };
        return run('otp.request', 'send', call, (c) => requestOtp(normalized, c));
      },
      async resend(request, call) {
        const resendOtp = requireFeature('otp', 'resendOtp');
        const normalized = { ...request, phone: normalizePhone(request?.phone, phoneOptions) };
        return run('otp.resend', 'send', call, (c) => resendOtp(normalized, c));
      },
      async verify(check, call) {
        const verifyOtp = requireFeature('otp', 'verifyOtp');
        const normalized = { ...check, phone: normalizePhone(check?.phone, phoneOptions) };
        // Each check spends one of the code's attempts, so a check is never repeated blindly.
        return run('otp.verify', 'unsafe', call, (c) => verifyOtp(normalized, c));
      },
    },

    batches: {
      async get(batchId, call) {
        const batchStatus = requireFeature('batch.status', 'batchStatus');
        return run('batches.get', 'idempotent', call, (c) => batchStatus(batchId, c));
      },
    },

    async health(call) {
      const health = requireFeature('health', 'health');
      return run('health', 'idempotent', call, (c) => health(c));
    },

    groups: {
      async list(call) {
        const listGroups = requireFeature('groups.list', 'listGroups');
        return run('groups.list', 'idempotent', call, (c) => listGroups(c));
      },
    },

    connection: {
      async status(call) {
        const connectionStatus = requireFeature('connection.status', 'connectionStatus');
        return run('connection.status', 'idempotent', call, (c) => connectionStatus(c));
      },
    },

    numbers: {
      async check(phone, call) {
        const checkNumber = requireFeature('numbers.check', 'checkNumber');
        const number = normalizePhone(phone, phoneOptions);
        return run('numbers.check', 'idempotent', call, (c) => checkNumber(number, c));
      },
      async list(call) {
        const listNumbers = requireFeature('numbers.list', 'listNumbers');
        return run('numbers.list', 'idempotent', call, (c) => listNumbers(c));
      },
    },

    mcp: {
      async call(method, params, call) {
        const mcp = requireFeature('mcp', 'mcp');
        return run(`mcp.${method}`, 'unsafe', call, (c) => mcp(method, params, c));
      },
      async listTools(call) {
        const mcp = requireFeature('mcp', 'mcp');
        const result = await run('mcp.tools/list', 'idempotent', call, (c) =>
          mcp('tools/list', undefined, c),
        );
        return parseTools(result);
      },
      async listConversations(filter = {}, call) {
        const mcp = requireFeature('mcp', 'mcp');
        const result = await run('mcp.list_conversations', 'idempotent', call, (c) =>
          mcp('tools/call', { name: 'list_conversations', arguments: filter }, c),
        );
        return parseConversations(result, provider.name);
      },
      async getConversation(sessionId, call) {
        const mcp = requireFeature('mcp', 'mcp');
        const result = await run('mcp.get_conversation', 'idempotent', call, (c) =>
          mcp('tools/call', { name: 'get_conversation', arguments: { session_id: sessionId } }, c),
        );
        return parseConversation(result, provider.name);
      },
      async sendMessage(sessionId, text, call) {
        const mcp = requireFeature('mcp', 'mcp');
        const result = await run('mcp.send_message', 'unsafe', call, (c) =>
          mcp(
            'tools/call',
            { name: 'send_message', arguments: { session_id: sessionId, text } },
            c,
          ),
        );
        return parseSentMessage(result, provider.name);
      },
    },
  };
  return client;
}
