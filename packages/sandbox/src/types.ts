export type Provider = 'kirem' | 'meta';

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED';

export type TemplateCategory = 'AUTHENTICATION' | 'MARKETING' | 'UTILITY';

export interface SandboxOptions {
  /** Port to listen on. Default 0 (a free port chosen by the OS). */
  port?: number;
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /** Stored messages are capped at this many, oldest dropped first. Default 5000. */
  maxMessages?: number;
  kirem?: { apiKeys?: string[]; phoneNumberIds?: string[]; channelIds?: string[] };
  meta?: { accessTokens?: string[]; phoneNumberIds?: string[]; wabaIds?: string[] };
}

/** A message a client sent to one of the emulated gateways. */
export interface SandboxMessage {
  id: string;
  provider: Provider;
  direction: 'outbound';
  /** Recipient, digits only. */
  to: string;
  type: string;
  /** Human summary: text body, caption, rendered template, ... */
  text: string;
  /** The request JSON as received. */
  payload: unknown;
  status: 'accepted';
  createdAt: string;
  idempotencyKey?: string;
  phoneNumberId?: string;
  template?: { name: string; language: string; status: TemplateStatus };
}

export interface MessageFilter {
  /** Matched on digits, so '+62 812-345' finds '62812345'. */
  to?: string;
  provider?: Provider;
  type?: string;
  limit?: number;
}

export interface Read {
  provider: Provider;
  messageId: string;
  at: string;
}

export interface Fault {
  provider?: Provider;
  /** Substring of the path after the provider prefix, e.g. '/messages'. */
  path?: string;
  method?: string;
  status?: number;
  body?: unknown;
  /** Seconds, sent as the Retry-After header. */
  retryAfter?: number;
  latencyMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** 'before' (default): the request is not processed. 'after': it is, then the response is replaced. */
  when?: 'before' | 'after';
  /** How many requests it applies to. Default: unlimited. */
  times?: number;
  /** Chance (0..1) that a matching request is hit. Default 1. */
  probability?: number;
}

export interface ActiveFault extends Fault {
  id: string;
  /** Requests left before the fault is removed; null when unlimited. */
  remaining: number | null;
}

export interface TemplateComponent {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface Template {
  name: string;
  status: TemplateStatus;
  category: TemplateCategory;
  language: string;
  components: TemplateComponent[];
  id: string;
}

export interface WebhookLog {
  id: string;
  url: string;
  event: string;
  status_code: number;
  is_success: boolean;
  duration_ms: number;
  created_at: string;
}

export type WebhookLogInput = Omit<WebhookLog, 'id' | 'created_at'>;

export interface ConversationMessage {
  id: string;
  sender: string;
  text: string;
  created_at: string;
}

export interface Conversation {
  id: string;
  status: string;
  customer_phone: string;
  updated_at: string;
  messages: ConversationMessage[];
}

export interface ConversationInput {
  customer_phone: string;
  status?: string;
  messages?: { sender?: string; text: string }[];
}

export interface KiremCredentials {
  baseUrl: string;
  apiKey: string;
  phoneNumberId: string;
  channelId: string;
}

export interface MetaCredentials {
  baseUrl: string;
  accessToken: string;
  phoneNumberId: string;
  wabaId: string;
  apiVersion: string;
}

export interface SandboxInfo {
  name: 'kabar-sandbox';
  version: string;
  providers: Provider[];
  credentials: { kirem: KiremCredentials; meta: MetaCredentials };
}

/** Drives a sandbox over its control API. */
export interface SandboxControl {
  url: string;
  kirem: KiremCredentials;
  meta: MetaCredentials;
  /** Stored messages, newest first. */
  messages(filter?: MessageFilter): Promise<SandboxMessage[]>;
  latest(filter?: Pick<MessageFilter, 'to' | 'provider'>): Promise<SandboxMessage | undefined>;
  /** Deletes stored messages only. */
  clear(): Promise<void>;
  /** Back to the initial state: messages, reads, faults, idempotency, media and logs cleared, seeds restored. */
  reset(): Promise<void>;
  fault(fault: Fault): Promise<ActiveFault>;
  clearFaults(): Promise<void>;
  setTemplateStatus(provider: Provider, name: string, status: TemplateStatus): Promise<void>;
  reads(provider?: Provider): Promise<Read[]>;
  addWebhookLog(entry: WebhookLogInput): Promise<WebhookLog>;
  addConversation(conversation: ConversationInput): Promise<Conversation>;
}

export interface RunningSandbox extends SandboxControl {
  port: number;
  host: string;
  close(): Promise<void>;
}
