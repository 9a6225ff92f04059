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

/** What the gateway knows of a stored media file, from `media.info`. */
export interface MediaInfo {
  /** The media id asked about. */
  id: string;
  /** A short-lived URL to download the file from; it needs the access token (Meta: 5 minutes). */
  url: string;
  /** e.g. `image/jpeg`. */
  mimeType: string;
  /** SHA-256 of the file's bytes, in hex. */
  sha256: string;
  /** Size in bytes. */
  fileSize: number;
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
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | 'LIMITED_TIME_OFFER' | 'CAROUSEL';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';
  /** The text, with `{{1}}`, `{{2}}`, ... where parameters go. */
  text?: string;
  /** Sample values for the placeholders, in the gateway's own shape; sent as given. */
  example?: unknown;
  buttons?: TemplateDefinitionButton[];
  /** Authentication templates' body: add "For your security, do not share this code." */
  add_security_recommendation?: boolean;
  /** Authentication templates' footer: "This code expires in N minutes", 1 to 90. */
  code_expiration_minutes?: number;
  /** A `LIMITED_TIME_OFFER` component's headline (at most 16 characters) and whether it expires. */
  limited_time_offer?: { text: string; has_expiration?: boolean };
  /** A `CAROUSEL` component's cards, each with its own components; sent as given. */
  cards?: { components: TemplateDefinitionComponent[] }[];
}

/** A button of a template definition, in Meta's shape; sent as given. */
export type TemplateDefinitionButton =
  | { type: 'QUICK_REPLY'; text: string }
  | { type: 'URL'; text: string; url: string; example?: string[] }
  | { type: 'PHONE_NUMBER'; text: string; phone_number?: string }
  | { type: 'COPY_CODE'; example: string }
  | {
      type: 'OTP';
      otp_type: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
      /** The copy-code button's label; WhatsApp's own when left out. */
      text?: string;
      /** The one-tap autofill button's label. */
      autofill_text?: string;
      /** Android apps allowed to receive one-tap and zero-tap codes. */
      supported_apps?: { package_name: string; signature_hash: string }[];
      /** Zero-tap: the customer accepted WhatsApp's terms for it. */
      zero_tap_terms_accepted?: boolean;
    }
  | { type: 'FLOW'; text: string; flow_id?: string; flow_name?: string; navigate_screen?: string }
  | { type: 'CATALOG'; text: string }
  | { type: 'MPM'; text: string };

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

/**
 * Meta's rating of a template from how customers react to it; `UNKNOWN` until it has enough
 * data. Other strings pass through as Meta reports them.
 */
export type TemplateQuality = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | string;

/** How a template's placeholders are written: `{{1}}` (`POSITIONAL`) or `{{first_name}}` (`NAMED`). */
export type TemplateParameterFormat = 'POSITIONAL' | 'NAMED';

/** One template from `templates.get`, with the review facts Meta reports for it. */
export interface TemplateDetails extends Template {
  /** Meta's `quality_score.score`, when it reports one. */
  quality?: TemplateQuality;
  /**
   * Why review rejected the template (Meta's `rejected_reason`, e.g. `INVALID_FORMAT`); `NONE` when
   * it was not rejected.
   */
  rejectedReason?: string;
  /** How the template's placeholders are written, when Meta says. */
  parameterFormat?: TemplateParameterFormat;
}

/** Options of `templates.get`. */
export interface TemplateLookup {
  /**
   * The language to pick when a template is looked up by name and exists in several (`id`,
   * `en_US`). Without it such a lookup throws `validation` naming `language`.
   */
  language?: string;
}

/** A change to an existing template for `templates.edit`; give at least one field. */
export interface TemplateEdit {
  /** The template's new components; they replace all the old ones. */
  components?: TemplateDefinitionComponent[];
  /** A new category; Meta refuses to change an APPROVED template's category. */
  category?: TemplateCategory;
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

/**
 * A new profile picture for `profile.uploadPhoto`: a JPEG or PNG of at most 5 MB, checked before
 * the upload (else `validation`). WhatsApp shows it square; 640×640 pixels is a good size.
 */
export interface ProfilePhoto {
  /** The image's bytes. */
  file: Blob | Uint8Array | ArrayBuffer;
  /** `image/jpeg` or `image/png`. */
  mimeType: string;
  /** The name given to the gateway. Default `profile`. */
  filename?: string;
}

/** A number the gateway would not block or unblock, and why. */
export interface BlockFailure {
  /** The number as it was sent, normalised to digits. */
  user: string;
  /** Why it failed, e.g. `Re-engagement required: …` (the user has not written in 24 hours). */
  error: string;
  /** The gateway's code for the failure, e.g. Meta's `131047`. */
  code: number | undefined;
}

/** The answer to `users.block`: some numbers may be blocked while others fail. */
export interface BlockResult {
  /** The WhatsApp ids now blocked. */
  blocked: string[];
  /** The numbers that could not be blocked; empty when all were. */
  failed: BlockFailure[];
}

/** The answer to `users.unblock`: some numbers may be unblocked while others fail. */
export interface UnblockResult {
  /** The WhatsApp ids no longer blocked. */
  unblocked: string[];
  /** The numbers that could not be unblocked; empty when all were. */
  failed: BlockFailure[];
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

/**
 * Meta's rating of a number from how customers received its recent messages; `NA` or `UNKNOWN`
 * until it has enough data. Other strings pass through as Meta reports them.
 */
export type NumberQuality = 'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN' | (string & {});

/** One phone number of the business account, from `numbers.list`. */
export interface BusinessNumber {
  /** The number's id (Meta's phone number id): what a provider's `phoneNumberId` takes. */
  id: string;
  /** The number as WhatsApp shows it, e.g. `+62 812-3456-7890`. */
  displayNumber: string;
  /** The business name WhatsApp shows for the number, when it has one. */
  verifiedName?: string;
  /** The number's quality rating, when the gateway reports one. */
  qualityRating?: NumberQuality;
}
