/** Types of the non-message resources: media, templates, business profile, logs, MCP. */

export interface MediaUpload {
  file: Blob | Uint8Array | ArrayBuffer;
  /** e.g. `image/png`, `application/pdf`. Decides the size limit that applies. */
  mimeType: string;
  filename?: string;
}

export interface MediaDownload {
  /** The raw bytes as a stream; read it once. */
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: number | undefined;
}

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | string;
export type TemplateCategory = 'AUTHENTICATION' | 'MARKETING' | 'UTILITY';

export interface TemplateFilter {
  status?: TemplateStatus;
}

/** A template component as the gateway defines it (upper-case types, `{{1}}` placeholders). */
export interface TemplateDefinitionComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';
  text?: string;
  example?: unknown;
  buttons?: { type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER'; text: string; url?: string }[];
}

export interface TemplateDefinition {
  name: string;
  category: TemplateCategory;
  language: string;
  components: TemplateDefinitionComponent[];
}

export interface Template extends TemplateDefinition {
  id: string;
  status: TemplateStatus;
}

export interface BusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
  websites?: string[];
  profilePictureUrl?: string;
}

export type BusinessProfileUpdate = Omit<BusinessProfile, 'profilePictureUrl'>;

export interface ProfileOptions {
  /** Kirem: the WhatsApp channel (`channel_id`); defaults to the provider's `channelId`. */
  channelId?: string;
}

export interface LogPage<T> {
  total: number;
  limit: number;
  offset: number;
  logs: T[];
}

export interface MessageLogFilter {
  status?: string;
  direction?: 'inbound' | 'outbound';
  recipient?: string;
  limit?: number;
  offset?: number;
}

export interface MessageLog {
  id: string;
  messageId: string;
  recipient: string;
  direction: string;
  type: string;
  status: string;
  errorMessage: string | null;
  createdAt: string;
}

export interface WebhookLogFilter {
  isSuccess?: boolean;
  limit?: number;
  offset?: number;
}

export interface WebhookLog {
  id: string;
  url: string;
  event?: string;
  statusCode: number;
  isSuccess: boolean;
  durationMs: number;
  createdAt: string;
}

export interface McpTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
}

export interface Conversation {
  id: string;
  status: string;
  customerPhone: string;
  updatedAt: string;
}

export interface ConversationDetail {
  session: { id: string; status: string };
  messages: { id: string; sender: string; text: string; createdAt: string }[];
}

export interface OtpRequest {
  /** Any common form; normalised before it is sent. */
  phone: string;
  /** What the code is for (`login`, `reset_password`, ...); cooldowns are per purpose. */
  purpose?: string;
  /** 4 to 8 digits. */
  codeLength?: number;
  /** Seconds the code stays valid, 30 to 1800. */
  ttl?: number;
}

export interface OtpRequested {
  requestId: string;
  phone: string;
  expiresIn: number;
  expiresAt: string;
}

export interface OtpVerification {
  verified: boolean;
  phone: string;
}

export interface BatchStatus {
  batchId: string;
  counts: Record<string, number>;
  messages: { to: string; status: string; messageId?: string }[];
}

export interface Group {
  id: string;
  name: string;
  /** When the group last had a chat, as reported by the gateway. */
  lastChatAt?: Date;
}

/** Whether the gateway's WhatsApp session is logged in, or the QR code to scan so it is. */
export interface ConnectionStatus {
  authenticated: boolean;
  number?: string;
  name?: string;
  qrCode?: string;
}
