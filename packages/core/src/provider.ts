import type { HttpRequest, HttpResponse } from './http.js';
import type { InteractiveType, PreparedMessage, SendResult } from './message.js';
import type {
  BatchStatus,
  BlockResult,
  BusinessNumber,
  BusinessProfile,
  BusinessProfileUpdate,
  ConnectionStatus,
  Group,
  LogPage,
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
  TemplateDefinition,
  TemplateDetails,
  TemplateEdit,
  TemplateFilter,
  TemplateLookup,
  UnblockResult,
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
  | `interactive.${InteractiveType}`
  | 'interactive.media_header'
  | 'location'
  | 'contacts'
  | 'reaction'
  | 'reply'
  | 'callbackData'
  | 'recipient.userId'
  | 'typingIndicator'
  | 'customerWindow'
  | 'group'
  | 'batch'
  | 'template.vars'
  | 'notifyUrl'
  | 'schedule'
  | 'markAsRead'
  | 'media.upload'
  | 'media.download'
  | 'media.info'
  | 'media.delete'
  | 'templates.list'
  | 'templates.get'
  | 'templates.create'
  | 'templates.edit'
  | 'templates.delete'
  | 'profile.get'
  | 'profile.update'
  | 'profile.photo'
  | 'users.block'
  | 'logs.messages'
  | 'logs.webhooks'
  | 'mcp'
  | 'batch.status'
  | 'otp'
  | 'health'
  | 'groups.list'
  | 'connection.status'
  | 'numbers.check'
  | 'numbers.list';

/** What the client lends a provider for one operation. */
export interface ProviderContext {
  /**
   * One HTTP request with the client's fetch, timeout and hooks. Any HTTP status is returned for
   * the provider to map; a network failure, timeout or abort rejects with a `KabarError`.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Like `request`, but hands back the unread `Response` for streaming bodies. */
  stream(request: HttpRequest): Promise<Response>;
  /** Stable across every retry of one send. */
  idempotencyKey: string;
}

/** A gateway's documented sending rate: `limit` messages every `intervalMs` milliseconds. */
export interface RateLimitDefault {
  /** Messages per interval. */
  limit: number;
  /** Length of the interval, in milliseconds. */
  intervalMs: number;
}

/**
 * A gateway dialect. Providers translate; the client validates, retries, rate-limits and times out.
 * Optional members are what the dialect may lack: `capabilities` must list exactly what is present.
 */
export interface Provider {
  /** Short name used in errors, hooks and `SendResult.provider`, e.g. `kirem`. */
  readonly name: string;
  /** Exactly the features implemented; the client refuses any other before calling the provider. */
  readonly capabilities: ReadonlySet<Feature>;
  /** True when the gateway drops duplicate sends itself (an idempotency key), so retrying is safe. */
  readonly deduplicates: boolean;
  /** How fast the client sends when `ClientOptions.rateLimit` is not set; absent means no pacing. */
  readonly defaultRateLimit?: RateLimitDefault;
  /** Which bucket sends share, e.g. the sending phone number. */
  readonly rateLimitKey: string;
  /** Values that must never appear in logs, hook payloads or errors. */
  readonly secrets: readonly string[];

  /**
   * Sends one message the client has validated, with `context.idempotencyKey` where the gateway
   * honours one. Failures are `KabarError`s; set `maybeAccepted` on those after which the gateway
   * may have the message, so the client does not retry them into a duplicate.
   */
  send(message: PreparedMessage, context: ProviderContext): Promise<SendResult>;
  /**
   * Implements `markAsRead` (feature `markAsRead`); `typing` arrives true only when the provider
   * has `typingIndicator`.
   */
  markAsRead?(
    messageId: string,
    context: ProviderContext,
    options: { typing: boolean },
  ): Promise<void>;
  /** Implements `media.upload` (feature `media.upload`). */
  uploadMedia?(upload: MediaUpload, context: ProviderContext): Promise<{ id: string }>;
  /** Implements `media.download` (feature `media.download`); use `context.stream`. */
  downloadMedia?(mediaId: string, context: ProviderContext): Promise<MediaDownload>;
  /** Implements `media.info` (feature `media.info`). */
  mediaInfo?(mediaId: string, context: ProviderContext): Promise<MediaInfo>;
  /** Implements `media.delete` (feature `media.delete`). */
  deleteMedia?(mediaId: string, context: ProviderContext): Promise<void>;
  /**
   * Implements `templates.get` (feature `templates.get`): by id when `idOrName` is all digits,
   * else by name. An unknown template rejects with `not_found`.
   */
  getTemplate?(
    idOrName: string,
    lookup: TemplateLookup,
    context: ProviderContext,
  ): Promise<TemplateDetails>;
  /** Implements `templates.edit` (feature `templates.edit`); `edit` has been validated. */
  editTemplate?(id: string, edit: TemplateEdit, context: ProviderContext): Promise<void>;
  /** Implements `users.block` (feature `users.block`); the phones arrive normalised. */
  blockUsers?(phones: string[], context: ProviderContext): Promise<BlockResult>;
  /** Implements `users.unblock` (feature `users.block`); the phones arrive normalised. */
  unblockUsers?(phones: string[], context: ProviderContext): Promise<UnblockResult>;
  /** Implements `users.listBlocked` (feature `users.block`): every blocked WhatsApp id. */
  listBlockedUsers?(context: ProviderContext): Promise<string[]>;
  /**
   * Implements `profile.uploadPhoto` (feature `profile.photo`); the photo has been validated and
   * its `file` is a Blob.
   */
  uploadProfilePhoto?(
    photo: ProfilePhoto & { file: Blob },
    context: ProviderContext,
  ): Promise<void>;
  /** Implements `templates.list` (feature `templates.list`). */
  listTemplates?(filter: TemplateFilter, context: ProviderContext): Promise<Template[]>;
  /** Implements `templates.create` (feature `templates.create`). */
  createTemplate?(
    definition: TemplateDefinition,
    context: ProviderContext,
  ): Promise<{ id: string; status: string; category: string }>;
  /** Implements `templates.delete` (feature `templates.delete`). */
  deleteTemplate?(name: string, context: ProviderContext): Promise<void>;
  /** Implements `profile.get` (feature `profile.get`). */
  getProfile?(options: ProfileOptions, context: ProviderContext): Promise<BusinessProfile>;
  /** Implements `profile.update` (feature `profile.update`). */
  updateProfile?(
    update: BusinessProfileUpdate,
    options: ProfileOptions,
    context: ProviderContext,
  ): Promise<void>;
  /** Implements `logs.messages` and `logs.allMessages` (feature `logs.messages`). */
  messageLogs?(filter: MessageLogFilter, context: ProviderContext): Promise<LogPage<MessageLog>>;
  /** Implements `logs.webhooks` and `logs.allWebhooks` (feature `logs.webhooks`). */
  webhookLogs?(filter: WebhookLogFilter, context: ProviderContext): Promise<LogPage<WebhookLog>>;
  /** Implements `otp.request` (feature `otp`); the phone arrives normalised. */
  requestOtp?(request: OtpRequest, context: ProviderContext): Promise<OtpRequested>;
  /** Implements `otp.resend` (feature `otp`); the phone arrives normalised. */
  resendOtp?(request: OtpRequest, context: ProviderContext): Promise<OtpRequested>;
  /** Implements `otp.verify` (feature `otp`); the phone arrives normalised. */
  verifyOtp?(
    check: { phone: string; code: string },
    context: ProviderContext,
  ): Promise<OtpVerification>;
  /** Implements `batches.get` (feature `batch.status`). */
  batchStatus?(batchId: string, context: ProviderContext): Promise<BatchStatus>;
  /** Implements `health` (feature `health`). */
  health?(context: ProviderContext): Promise<unknown>;
  /** Implements `groups.list` (feature `groups.list`). */
  listGroups?(context: ProviderContext): Promise<Group[]>;
  /** Implements `connection.status` (feature `connection.status`). */
  connectionStatus?(context: ProviderContext): Promise<ConnectionStatus>;
  /** Implements `numbers.check` (feature `numbers.check`); the phone arrives normalised. */
  checkNumber?(phone: string, context: ProviderContext): Promise<boolean>;
  /** Implements `numbers.list` (feature `numbers.list`): every number of the account, all pages. */
  listNumbers?(context: ProviderContext): Promise<BusinessNumber[]>;
  /**
   * One JSON-RPC 2.0 call to the gateway's MCP endpoint; resolves with `result`. Implements every
   * `mcp.*` client call (feature `mcp`).
   */
  mcp?(method: string, params: unknown, context: ProviderContext): Promise<unknown>;
}
