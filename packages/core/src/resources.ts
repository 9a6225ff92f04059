/** Types of the non-message resources: media, templates, business profile, logs, MCP. */

/**
 * A file for `media.upload`. It is checked before the upload against WhatsApp's size limit for its
 * kind (`LIMITS.mediaBytes`); an empty or oversized file throws `validation`.
 */
export interface MediaUpload {
  /** The file's bytes. */
  file: Blob | Uint8Array | ArrayBuffer;
  /**
   * e.g. `image/png`, `application/pdf`. Decides the size limit that applies; `image/webp` counts
   * as a sticker (500 KB).
   */
  mimeType: string;
  /** The name given to the gateway. Default `file`. */
  filename?: string;
}

/** A media file from `media.download`, streamed rather than buffered. */
export interface MediaDownload {
  /** The raw bytes as a stream; read it once. */
  body: ReadableStream<Uint8Array>;
  /** The MIME type the gateway reports; `application/octet-stream` when it names none. */
  contentType: string;
  /** Size in bytes, when the gateway declares it. */
  contentLength: number | undefined;
}

/** A template's review status; other strings pass through as the gateway reports them. */
export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | string;
/** The category a template is submitted under. */
export type TemplateCategory = 'AUTHENTICATION' | 'MARKETING' | 'UTILITY';

/** Narrows `templates.list`. */
export interface TemplateFilter {
  /** Only templates with this review status. */
  status?: TemplateStatus;
}

/** A template component as the gateway defines it (upper-case types, `{{1}}` placeholders). */
export interface TemplateDefinitionComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';
  /** The text, with `{{1}}`, `{{2}}`, ... where parameters go. */
  text?: string;
  /** Sample values for the placeholders, in the gateway's own shape; sent as given. */
  example?: unknown;
  buttons?: { type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER'; text: string; url?: string }[];
}

/** A new template for `templates.create`, sent to the gateway as given for review. */
export interface TemplateDefinition {
  name: string;
  category: TemplateCategory;
  /** Language code, e.g. `id` or `en_US`. */
  language: string;
  components: TemplateDefinitionComponent[];
}

/** A template as the gateway lists it (passed through, not re-mapped). */
export interface Template extends TemplateDefinition {
  id: string;
  status: TemplateStatus;
}

/** The WhatsApp Business profile customers see for the sending number. */
export interface BusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
  websites?: string[];
  /** Read-only: `profile.update` cannot change it. */
  profilePictureUrl?: string;
}

/** The profile fields `profile.update` can change; only those given are sent. */
export type BusinessProfileUpdate = Omit<BusinessProfile, 'profilePictureUrl'>;

/** Which business profile `profile.get` and `profile.update` address. */
export interface ProfileOptions {
  /**
   * Kirem: the WhatsApp channel (`channel_id`); defaults to the provider's `channelId`. Meta
   * ignores it and uses the provider's `phoneNumberId`.
   */
  channelId?: string;
}

/** One page of a gateway log. */
export interface LogPage<T> {
  /** Matching entries across all pages. */
  total: number;
  /** The page size the gateway applied. */
  limit: number;
  /** Position of this page's first entry among all matches, from 0. */
  offset: number;
  logs: T[];
}

/** Narrows `logs.messages`; every field is optional. */
export interface MessageLogFilter {
  /** Only messages with this status, e.g. `sent` or `failed`. */
  status?: string;
  direction?: 'inbound' | 'outbound';
  /**
   * Only messages to or from this number, digits only (`6281234567890`); the client passes it on
   * without normalising it.
   */
  recipient?: string;
  /** Page size; the gateway's default when omitted. */
  limit?: number;
  /** Entries to skip, from 0. Default 0. */
  offset?: number;
}

/** One message in the gateway's message log. */
export interface MessageLog {
  /** The log entry's id. */
  id: string;
  /** The WhatsApp message id (`wamid.…`). */
  messageId: string;
  /** The other party's number. */
  recipient: string;
  /** `inbound` or `outbound`. */
  direction: string;
  /** The message kind, e.g. `text` or `template`. */
  type: string;
  status: string;
  /** Why the message failed; `null` when it did not. */
  errorMessage: string | null;
  /** When the entry was made, as the gateway writes it (an ISO 8601 timestamp). */
  createdAt: string;
}

/** Narrows `logs.webhooks`; every field is optional. */
export interface WebhookLogFilter {
  /** `true` for deliveries your endpoint accepted, `false` for the ones that failed. */
  isSuccess?: boolean;
  /** Page size; the gateway's default when omitted. */
  limit?: number;
  /** Entries to skip, from 0. Default 0. */
  offset?: number;
}

/** One delivery of a webhook from the gateway to your endpoint. */
export interface WebhookLog {
  id: string;
  /** Where the webhook was posted. */
  url: string;
  /** The event it carried, when the gateway names it. */
  event?: string;
  /** The HTTP status your endpoint answered with. */
  statusCode: number;
  isSuccess: boolean;
  /** How long the delivery took, in milliseconds. */
  durationMs: number;
  /** When it was delivered, as the gateway writes it (an ISO 8601 timestamp). */
  createdAt: string;
}

/** A tool the gateway's MCP endpoint offers. */
export interface McpTool {
  name: string;
  description?: string;
  /** JSON Schema of the tool's arguments. */
  inputSchema?: unknown;
}

/** A chat session in the gateway's inbox (Kirem), from `mcp.listConversations`. */
export interface Conversation {
  /** The session id, for `mcp.getConversation` and `mcp.sendMessage`. */
  id: string;
  /** e.g. `open`, `pending`, `resolved` or `on_hold`. */
  status: string;
  /** Digits only; empty when the gateway does not say. */
  customerPhone: string;
  /** As the gateway writes it; empty when it does not say. */
  updatedAt: string;
}

/** A conversation with its messages, from `mcp.getConversation`. */
export interface ConversationDetail {
  session: { id: string; status: string };
  /** `sender` is who wrote the message, e.g. `customer`. */
  messages: { id: string; sender: string; text: string; createdAt: string }[];
}

/** Asks the gateway to make a one-time code and send it (`otp.request`, `otp.resend`). */
export interface OtpRequest {
  /** Any common form; normalised before it is sent. */
  phone: string;
  /** What the code is for (`login`, `reset_password`, ...); cooldowns are per purpose. */
  purpose?: string;
  /**
   * Digits in the code, a whole number from 4 to 8 (else `validation`); the gateway's default when
   * omitted.
   */
  codeLength?: number;
  /**
   * Seconds the code stays valid, a whole number from 30 to 1800 (else `validation`); the gateway's
   * default when omitted.
   */
  ttl?: number;
}

/** The gateway's answer to `otp.request` and `otp.resend`; the code itself is never returned. */
export interface OtpRequested {
  requestId: string;
  /** The number the code went to, normalised. */
  phone: string;
  /** Seconds until the code expires. */
  expiresIn: number;
  /** When the code expires, as the gateway writes it (an ISO 8601 timestamp). */
  expiresAt: string;
}

/** The answer to `otp.verify`. A wrong or expired code rejects instead of answering. */
export interface OtpVerification {
  verified: boolean;
  /** The number checked, normalised. */
  phone: string;
}

/** Where each message of a queued batch stands, from `batches.get`. */
export interface BatchStatus {
  batchId: string;
  /** How many of the batch's messages have each status. */
  counts: Record<string, number>;
  /** One entry per recipient; `messageId` once the message has gone out. */
  messages: { to: string; status: string; messageId?: string }[];
}

/** A WhatsApp group the sending number belongs to. */
export interface Group {
  /** Send to the group with `to: { group: id }`. */
  id: string;
  name: string;
  /** When the group last had a chat, as reported by the gateway. */
  lastChatAt?: Date;
}

/** Whether the gateway's WhatsApp session is logged in, or the QR code to scan so it is. */
export interface ConnectionStatus {
  /** True when the session is logged in. */
  authenticated: boolean;
  /** The logged-in WhatsApp number, when the gateway reports it. */
  number?: string;
  /** The logged-in account's display name, when the gateway reports it. */
  name?: string;
  /** The QR code to scan in WhatsApp to log in, as the gateway encodes it, when it offers one. */
  qrCode?: string;
}
