import {
  invalidConfig,
  KabarError,
  settleSendError,
  UnsupportedFeatureError,
  ValidationError,
} from './errors.js';
import { firstMissing, requiredFeatures } from './features.js';
import { callHook, type Hooks } from './hooks.js';
import { type FetchFunction, performRequest, type TransportContext } from './http.js';
import { parseConversation, parseConversations, parseSentMessage, parseTools } from './mcp.js';
import type { OutgoingMessage, SendResult } from './message.js';
import { type CountryCode, normalizePhone } from './phone.js';
import type { Feature, Provider, ProviderContext } from './provider.js';
import { type RateLimiter, type RateLimitOptions, rateLimiterFrom } from './rate-limit.js';
import { redactError } from './redact.js';
import type {
  BatchStatus,
  BusinessProfile,
  BusinessProfileUpdate,
  ConnectionStatus,
  Conversation,
  ConversationDetail,
  Group,
  LogPage,
  McpTool,
  MediaDownload,
  MediaUpload,
  MessageLog,
  MessageLogFilter,
  OtpRequest,
  OtpRequested,
  OtpVerification,
  ProfileOptions,
  Template,
  TemplateDefinition,
  TemplateFilter,
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
import { prepareMessage } from './validate.js';

export interface ClientOptions {
  /** The gateway: `kirem({...})`, `meta({...})`, ... */
  provider: Provider;
  /** Retry policy, or `false` for none. Sends are never retried in a way that could double-send. */
  retry?: RetryOptions | false;
  /**
   * Pace sends: `{ perSecond }`, `{ perMinute }`, a shared `RateLimiter` (e.g. from `@kabar/redis`),
   * or `false`. Default: the provider's documented limit.
   */
  rateLimit?: RateLimitOptions | RateLimiter | false;
  /** A fetch implementation (a proxy agent, a test double). Default: the global `fetch`. */
  fetch?: FetchFunction;
  /** Per HTTP attempt. Default 15 000 ms. */
  timeoutMs?: number;
  hooks?: Hooks;
  /** Region for numbers written without a country code. Default `ID`. */
  defaultRegion?: CountryCode;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WhatsAppClient {
  readonly provider: string;
  readonly capabilities: ReadonlySet<Feature>;
  supports(feature: Feature): boolean;
  /** Validates, then sends one message. Resolves with the gateway's message id. */
  send(message: OutgoingMessage, options?: CallOptions): Promise<SendResult>;
  /** Blue ticks for an incoming message. */
  markAsRead(messageId: string, options?: CallOptions): Promise<void>;
  media: {
    upload(upload: MediaUpload, options?: CallOptions): Promise<{ id: string }>;
    download(mediaId: string, options?: CallOptions): Promise<MediaDownload>;
  };
  templates: {
    list(filter?: TemplateFilter, options?: CallOptions): Promise<Template[]>;
    create(
      definition: TemplateDefinition,
      options?: CallOptions,
    ): Promise<{ id: string; status: string; category: string }>;
    delete(name: string, options?: CallOptions): Promise<void>;
  };
  profile: {
    get(options?: ProfileOptions & CallOptions): Promise<BusinessProfile>;
    update(update: BusinessProfileUpdate, options?: ProfileOptions & CallOptions): Promise<void>;
  };
  logs: {
    messages(filter?: MessageLogFilter, options?: CallOptions): Promise<LogPage<MessageLog>>;
    /** Every matching log, page after page (`limit` sets the page size). */
    allMessages(filter?: MessageLogFilter, options?: CallOptions): AsyncIterable<MessageLog>;
    webhooks(filter?: WebhookLogFilter, options?: CallOptions): Promise<LogPage<WebhookLog>>;
    allWebhooks(filter?: WebhookLogFilter, options?: CallOptions): AsyncIterable<WebhookLog>;
  };
  /** Codes generated, sent and checked by the gateway itself (Qirim). */
  otp: {
    request(request: OtpRequest, options?: CallOptions): Promise<OtpRequested>;
    resend(request: OtpRequest, options?: CallOptions): Promise<OtpRequested>;
    verify(check: { phone: string; code: string }, options?: CallOptions): Promise<OtpVerification>;
  };
  /** Delivery state of a queued batch (`SendResult.batch.id`). */
  batches: {
    get(batchId: string, options?: CallOptions): Promise<BatchStatus>;
  };
  /** The gateway's own health endpoint. */
  health(options?: CallOptions): Promise<unknown>;
  /** WhatsApp groups the sending number belongs to. */
  groups: {
    list(options?: CallOptions): Promise<Group[]>;
  };
  /** Whether the gateway's WhatsApp session is logged in (or the QR code to log it in). */
  connection: {
    status(options?: CallOptions): Promise<ConnectionStatus>;
  };
  numbers: {
    /** Whether a number is registered on WhatsApp. */
    check(phone: string, options?: CallOptions): Promise<boolean>;
  };
  mcp: {
    /** A raw JSON-RPC call; resolves with `result`. */
    call(method: string, params?: unknown, options?: CallOptions): Promise<unknown>;
    listTools(options?: CallOptions): Promise<McpTool[]>;
    listConversations(filter?: { status?: string }, options?: CallOptions): Promise<Conversation[]>;
    getConversation(sessionId: string, options?: CallOptions): Promise<ConversationDetail>;
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

/**
 * One client for every gateway. The provider translates; the client validates before the network,
 * paces sends, times out, retries only where a retry cannot deliver a message twice, and reports
 * to hooks with credentials redacted.
 */
export function createClient(options: ClientOptions): WhatsAppClient {
  const { provider } = options;
  if (!provider || typeof provider.send !== 'function') {
    throw invalidConfig('client', 'provider', 'must be a provider such as kirem({ apiKey })');
  }
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') {
    throw invalidConfig('client', 'fetch', 'is required on runtimes without a global fetch');
  }
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
    const fail = (error: unknown): unknown =>
      repeatability === 'send' && KabarError.isInstance(error)
        ? settleSendError(error, earlierAttemptMaybeAccepted, idempotencyKey)
        : error;
    for (let attempt = 1; ; attempt++) {
      if (pacing.rateLimited && limiter) await limiter.acquire(provider.rateLimitKey, signal);
      const transport: TransportContext = {
        fetch: fetchFn,
        timeoutMs,
        signal,
        hooks: options.hooks,
        secrets: provider.secrets,
        provider: provider.name,
        operation,
        attempt,
      };
      const context: ProviderContext = {
        request: (request) => performRequest(request, transport),
        stream: (request) => performRequest(request, transport, true),
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
      const prepared = prepareMessage(message, phoneOptions);
      const missing = firstMissing(provider.capabilities, requiredFeatures(prepared));
      if (missing) throw new UnsupportedFeatureError(provider.name, missing);
      return run('send', 'send', call, (context) => provider.send(prepared, context), {
        rateLimited: true,
        idempotencyKey: message.idempotencyKey,
      });
    },

    async markAsRead(messageId, call) {
      const markAsRead = requireFeature('markAsRead', 'markAsRead');
      if (typeof messageId !== 'string' || messageId === '') {
        throw new ValidationError('messageId', 'is required');
      }
      return run('markAsRead', 'idempotent', call, (c) => markAsRead(messageId, c), {
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
    },

    templates: {
      async list(filter = {}, call) {
        const listTemplates = requireFeature('templates.list', 'listTemplates');
        return run('templates.list', 'idempotent', call, (c) => listTemplates(filter, c));
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
