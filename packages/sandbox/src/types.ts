export type Provider = 'kirem' | 'meta' | 'qirim' | 'waviro' | 'kirimy';

/** The providers that keep Meta-style templates (Kirem passes Meta's through). */
export type TemplateProvider = 'kirem' | 'meta';

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED';

export type TemplateCategory = 'AUTHENTICATION' | 'MARKETING' | 'UTILITY';

export interface SandboxOptions {
  /** Port to listen on. Default 0 (a free port chosen by the OS). */
  port?: number;
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /**
   * Further names clients may reach the sandbox by, as 'name' (any port) or 'name:port', e.g. a
   * Docker service name or a mapped port. Requests naming any other host in `Host` or `Origin` get
   * 403; 127.0.0.1, localhost, [::1] and `host` on the sandbox's own port are always allowed.
   */
  allowedHosts?: string[];
  /** Stored messages are capped at this many, oldest dropped first. Default 5000. */
  maxMessages?: number;
  /**
   * Bytes of uploaded and inbound media kept in memory, oldest files dropped first (so are files
   * past `maxMessages`). Also caps a single file, with WhatsApp's 100 MiB. Default 256 MiB.
   */
  maxMediaBytes?: number;
  kirem?: { apiKeys?: string[]; phoneNumberIds?: string[]; channelIds?: string[] };
  meta?: { accessTokens?: string[]; phoneNumberIds?: string[]; wabaIds?: string[] };
  kirimy?: { apiKeys?: string[] };
  qirim?: {
    /** Keys with every feature (otp and notif). Default ['qirim_test_key']. */
    apiKeys?: string[];
    /** Keys with only the notif feature. Default ['qirim_notif_only_key']; may be empty. */
    notifOnlyKeys?: string[];
    /** OTP codes per phone number per day. Default 10. */
    otpDailyLimit?: number;
  };
  waviro?: { secretKeys?: string[] };
  /** Where inbound messages and status updates are POSTed, per provider. */
  webhooks?: Partial<Record<WebhookProvider, WebhookTarget>>;
}

/** The providers that deliver webhooks to one configured URL (Waviro uses keyword webhooks). */
export type WebhookProvider = 'kirem' | 'meta';

export interface WebhookTarget {
  url: string;
  /** Kirem: the webhook secret (default 'kirem_webhook_secret'); Meta: the app secret (default 'meta_app_secret'). */
  secret?: string;
}

export interface WebhookConfig {
  provider: WebhookProvider;
  url: string;
  secret: string;
}

/**
 * 'accepted', then (with a webhook configured) 'sent', 'delivered', 'read', a forced 'failed', or
 * a forced 'played' (a Kirem or Meta audio message the customer played); Qirim's queue goes
 * 'queued' to 'sent'; inbound messages are 'received'.
 */
export type MessageStatus =
  | 'accepted'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'played'
  | 'failed'
  | 'received';

/** A message a client sent to one of the emulated gateways, or one a customer sent in. */
export interface SandboxMessage {
  id: string;
  provider: Provider;
  direction: 'outbound' | 'inbound';
  /** Recipient, digits only; the business's own number for inbound messages. */
  to: string;
  /** The customer who wrote, digits only; inbound messages only, absent when only `userId` is known. */
  from?: string;
  /** The customer's Meta business-scoped user id (BSUID), when the inbound message gave one. */
  userId?: string;
  type: string;
  /** Human summary: text body, caption, rendered template, ... */
  text: string;
  /** The request JSON as received; for inbound messages, the message as the webhook carries it. */
  payload: unknown;
  status: MessageStatus;
  /** Why a forced 'failed' status failed. */
  error?: StatusError;
  createdAt: string;
  idempotencyKey?: string;
  phoneNumberId?: string;
  /** The Kirimy session that sent it. */
  sessionId?: string;
  /** The Waviro group it went to; `to` then holds the group id. */
  groupId?: string;
  template?: { name: string; language: string; status: TemplateStatus };
}

export interface MessageFilter {
  /** Matched on digits, so '+62 812-345' finds '62812345'. */
  to?: string;
  /** The customer of an inbound message, matched on digits. */
  from?: string;
  /** The customer of an inbound message by business-scoped user id, matched exactly. */
  userId?: string;
  direction?: 'outbound' | 'inbound';
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

export interface KirimyCredentials {
  baseUrl: string;
  apiKey: string;
  sessionId: string;
  fallbackSessionId: string;
}

export interface QirimCredentials {
  baseUrl: string;
  apiKey: string;
}

export interface WaviroCredentials {
  botUrl: string;
  secretKey: string;
}

export interface SandboxInfo {
  name: 'kabar-sandbox';
  version: string;
  providers: Provider[];
  credentials: {
    kirem: KiremCredentials;
    meta: MetaCredentials;
    kirimy: KirimyCredentials;
    qirim: QirimCredentials;
    waviro: WaviroCredentials;
  };
}

export interface KirimySession {
  id: string;
  active: boolean;
  dailyQuota: number;
  sentToday: number;
}

export interface KirimySessionPatch {
  active?: boolean;
  dailyQuota?: number;
}

export interface QirimOtp {
  request_id: string;
  /** Normalised, 62... */
  phone: string;
  purpose: string | null;
  code: string;
  expires_at: string;
  /** Wrong codes tried so far. */
  attempts: number;
  verified: boolean;
}

export interface QirimTemplate {
  name: string;
  /** With {{name}} placeholders filled from the request's `vars`. */
  body: string;
}

export interface WaviroGroup {
  id: string;
  name: string;
  /** Unix seconds of the last message, as Waviro's grouplastchat. */
  lastChat: number;
}

export interface WaviroConnection {
  authenticated: boolean;
  /** The bot's own number, shown by getqr when authenticated. */
  number: string;
}

export interface WaviroNumber {
  number: string;
  registered: boolean;
}

/** One POST of a delivery ack to a message's notifyurl. */
export interface WaviroAck {
  url: string;
  payload: { msgid: string; ack: number };
  /** The receiver's HTTP status, or null when the request failed. */
  status: number | null;
  /** Why the request failed, when it did. */
  error?: string;
  at: string;
}

export interface StatusError {
  code: number;
  title: string;
}

export interface InboundMedia {
  /** Downloaded into the provider's media store; without it the sandbox stores placeholder bytes. */
  link?: string;
  caption?: string;
  mimeType?: string;
  filename?: string;
}

/**
 * A message a customer sends to the business. Exactly one content field. The customer is `from`,
 * `userId` (Meta only), or both.
 */
export interface InboundInput {
  provider: 'kirem' | 'meta' | 'waviro';
  /** The customer's number; may be left out on Meta when `userId` is given. */
  from?: string;
  /** Meta's business-scoped user id (BSUID), e.g. 'ID.1502576394655843'. */
  userId?: string;
  /** The customer's WhatsApp username (Meta, with `userId`): sent as `contacts[].profile.username`. */
  username?: string;
  /** The customer's WhatsApp profile name. Default 'Sandbox Customer'. */
  name?: string;
  text?: string;
  button?: { id: string; title: string };
  list?: { id: string; title: string; description?: string };
  image?: InboundMedia;
  video?: InboundMedia;
  audio?: InboundMedia;
  document?: InboundMedia;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** The id of the business's message this one answers (a reply, a button click). */
  replyTo?: string;
}

/** A stored message and the webhooks it caused. */
export interface DeliveredMessage {
  message: SandboxMessage;
  deliveries: WebhookDelivery[];
}

/** The outcome of Meta's GET subscription handshake against the configured URL. */
export interface WebhookVerification {
  /** True when the receiver answered 200 with exactly the challenge. */
  verified: boolean;
  /** The URL that was requested, with hub.mode, hub.verify_token and hub.challenge. */
  url: string;
  challenge: string;
  status: number | null;
  /** The start of the receiver's answer, at most 256 bytes. */
  responseBody: string;
  error?: string;
}

/**
 * 'template' is Meta's message_template_status_update field and 'preference' its user_preferences
 * field; the others are message webhooks, status webhooks and Waviro keyword webhooks.
 */
export type DeliveryKind = 'message' | 'status' | 'keyword' | 'template' | 'preference';

/** One webhook POST the sandbox made. */
export interface WebhookDelivery {
  id: string;
  provider: Provider;
  kind: DeliveryKind;
  url: string;
  /** The request headers, signature included. */
  headers: Record<string, string>;
  /** The raw body, exactly the bytes that were signed and sent. */
  body: string;
  /** The receiver's HTTP status, or null when the request failed. */
  status: number | null;
  /** The start of the receiver's answer, at most 10,000 bytes. */
  responseBody: string;
  /** Why the request failed, or what in a Waviro keyword reply was ignored. */
  error?: string;
  durationMs: number;
  /** 1 for the first POST, one more for each redelivery. */
  attempt: number;
  at: string;
}

export interface DeliveryFilter {
  provider?: Provider;
}

/** A customer stops or resumes marketing messages (Meta's user_preferences webhook). */
export interface UserPreferenceInput {
  provider: 'meta';
  /** The customer's number; may be left out when `userId` is given. */
  from?: string;
  /** The customer's business-scoped user id (BSUID). */
  userId?: string;
  /** The customer's WhatsApp profile name. Default 'Sandbox Customer'. */
  name?: string;
  value: 'stop' | 'resume';
}

/** The webhooks a control call caused (none without a webhook configured). */
export interface Deliveries {
  deliveries: WebhookDelivery[];
}

/** A Waviro bot command: texts starting with `keyword` are POSTed to `url`. */
export interface WaviroKeyword {
  keyword: string;
  url: string;
  webhookKey: string;
}

/** Drives a sandbox over its control API. */
export interface SandboxControl {
  url: string;
  kirem: KiremCredentials;
  meta: MetaCredentials;
  kirimy: KirimyCredentials;
  qirim: QirimCredentials;
  waviro: WaviroCredentials;
  /** Stored messages, newest first. */
  messages(filter?: MessageFilter): Promise<SandboxMessage[]>;
  latest(filter?: Pick<MessageFilter, 'to' | 'provider'>): Promise<SandboxMessage | undefined>;
  /** Deletes stored messages only. */
  clear(): Promise<void>;
  /** Back to the initial state: messages, reads, faults, idempotency, media and logs cleared, seeds restored. */
  reset(): Promise<void>;
  fault(fault: Fault): Promise<ActiveFault>;
  clearFaults(): Promise<void>;
  /**
   * Sets the status of every language of the template. For Meta, each template whose status
   * changed is reported to the Meta webhook (message_template_status_update) with `reason`
   * (default 'NONE', or 'INCORRECT_CATEGORY' for REJECTED).
   */
  setTemplateStatus(
    provider: TemplateProvider,
    name: string,
    status: TemplateStatus,
    reason?: string,
  ): Promise<void>;
  reads(provider?: Provider): Promise<Read[]>;
  addWebhookLog(entry: WebhookLogInput): Promise<WebhookLog>;
  addConversation(conversation: ConversationInput): Promise<Conversation>;
  kirimySessions(): Promise<KirimySession[]>;
  /** Creates the session or updates it; a new session starts active with a quota of 1000. */
  setKirimySession(id: string, patch: KirimySessionPatch): Promise<KirimySession>;
  /** The latest OTP issued for the phone (any form Qirim accepts), or undefined. */
  qirimOtp(phone: string): Promise<QirimOtp | undefined>;
  addQirimTemplate(template: QirimTemplate): Promise<QirimTemplate>;
  addWaviroGroup(group: { id: string; name: string }): Promise<WaviroGroup>;
  waviroGroups(): Promise<WaviroGroup[]>;
  setWaviroConnection(connection: {
    authenticated: boolean;
    number?: string;
  }): Promise<WaviroConnection>;
  setWaviroNumber(number: WaviroNumber): Promise<WaviroNumber>;
  waviroAcks(): Promise<WaviroAck[]>;
  setWebhook(provider: WebhookProvider, target: WebhookTarget): Promise<WebhookConfig>;
  webhooks(): Promise<WebhookConfig[]>;
  removeWebhook(provider: WebhookProvider): Promise<void>;
  /** A customer writes in: stores the message and delivers the provider's webhook. */
  inbound(input: InboundInput): Promise<DeliveredMessage>;
  /** Every webhook POST, oldest first. */
  deliveries(filter?: DeliveryFilter): Promise<WebhookDelivery[]>;
  /** POSTs a delivery's raw body again; the new entry has attempt + 1. */
  redeliver(id: string): Promise<WebhookDelivery>;
  /**
   * Forces a sent message's status and delivers the status webhook; automatic progress stops.
   * 'played' is for Kirem and Meta audio messages only.
   */
  setMessageStatus(
    id: string,
    status: ForcedStatus,
    error?: StatusError,
  ): Promise<DeliveredMessage>;
  /** The customer stops or resumes marketing messages: delivers Meta's user_preferences webhook. */
  userPreference(input: UserPreferenceInput): Promise<Deliveries>;
  addWaviroKeyword(keyword: WaviroKeyword): Promise<WaviroKeyword>;
  /** Runs Meta's GET subscription handshake against the Meta webhook URL with this verify token. */
  verifyMetaWebhook(verifyToken: string): Promise<WebhookVerification>;
}

export type ForcedStatus = 'failed' | 'delivered' | 'read' | 'played';

export interface RunningSandbox extends SandboxControl {
  port: number;
  host: string;
  close(): Promise<void>;
}
