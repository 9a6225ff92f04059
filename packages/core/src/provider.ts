import type { HttpRequest, HttpResponse } from './http.js';
import type { PreparedMessage, SendResult } from './message.js';
import type {
  BatchStatus,
  BusinessProfile,
  BusinessProfileUpdate,
  ConnectionStatus,
  Group,
  LogPage,
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

/** Everything a provider may be able to do. Anything else it is asked throws `unsupported_feature`. */
export type Feature =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'template'
  | 'interactive.buttons'
  | 'interactive.list'
  | 'location'
  | 'contacts'
  | 'reaction'
  | 'reply'
  | 'group'
  | 'batch'
  | 'template.vars'
  | 'notifyUrl'
  | 'markAsRead'
  | 'media.upload'
  | 'media.download'
  | 'templates.list'
  | 'templates.create'
  | 'templates.delete'
  | 'profile.get'
  | 'profile.update'
  | 'logs.messages'
  | 'logs.webhooks'
  | 'mcp'
  | 'batch.status'
  | 'otp'
  | 'health'
  | 'groups.list'
  | 'connection.status'
  | 'numbers.check';

/** What the client lends a provider for one operation. */
export interface ProviderContext {
  /** One HTTP request with the client's fetch, timeout and hooks; any status is returned. */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Like `request`, but hands back the unread `Response` for streaming bodies. */
  stream(request: HttpRequest): Promise<Response>;
  /** Stable across every retry of one send. */
  idempotencyKey: string;
}

export interface RateLimitDefault {
  /** Messages per interval. */
  limit: number;
  intervalMs: number;
}

/**
 * A gateway dialect. Providers translate; the client validates, retries, rate-limits and times out.
 * Optional members are what the dialect may lack: `capabilities` must list exactly what is present.
 */
export interface Provider {
  readonly name: string;
  readonly capabilities: ReadonlySet<Feature>;
  /** True when the gateway drops duplicate sends itself (an idempotency key), so retrying is safe. */
  readonly deduplicates: boolean;
  readonly defaultRateLimit?: RateLimitDefault;
  /** Which bucket sends share, e.g. the sending phone number. */
  readonly rateLimitKey: string;
  /** Values that must never appear in logs, hook payloads or errors. */
  readonly secrets: readonly string[];

  send(message: PreparedMessage, context: ProviderContext): Promise<SendResult>;
  markAsRead?(messageId: string, context: ProviderContext): Promise<void>;
  uploadMedia?(upload: MediaUpload, context: ProviderContext): Promise<{ id: string }>;
  downloadMedia?(mediaId: string, context: ProviderContext): Promise<MediaDownload>;
  listTemplates?(filter: TemplateFilter, context: ProviderContext): Promise<Template[]>;
  createTemplate?(
    definition: TemplateDefinition,
    context: ProviderContext,
  ): Promise<{ id: string; status: string; category: string }>;
  deleteTemplate?(name: string, context: ProviderContext): Promise<void>;
  getProfile?(options: ProfileOptions, context: ProviderContext): Promise<BusinessProfile>;
  updateProfile?(
    update: BusinessProfileUpdate,
    options: ProfileOptions,
    context: ProviderContext,
  ): Promise<void>;
  messageLogs?(filter: MessageLogFilter, context: ProviderContext): Promise<LogPage<MessageLog>>;
  webhookLogs?(filter: WebhookLogFilter, context: ProviderContext): Promise<LogPage<WebhookLog>>;
  requestOtp?(request: OtpRequest, context: ProviderContext): Promise<OtpRequested>;
  resendOtp?(request: OtpRequest, context: ProviderContext): Promise<OtpRequested>;
  verifyOtp?(
    check: { phone: string; code: string },
    context: ProviderContext,
  ): Promise<OtpVerification>;
  batchStatus?(batchId: string, context: ProviderContext): Promise<BatchStatus>;
  health?(context: ProviderContext): Promise<unknown>;
  listGroups?(context: ProviderContext): Promise<Group[]>;
  connectionStatus?(context: ProviderContext): Promise<ConnectionStatus>;
  checkNumber?(phone: string, context: ProviderContext): Promise<boolean>;
  /** One JSON-RPC 2.0 call to the gateway's MCP endpoint; resolves with `result`. */
  mcp?(method: string, params: unknown, context: ProviderContext): Promise<unknown>;
}
