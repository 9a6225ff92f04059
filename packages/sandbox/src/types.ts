// These unions are written out rather than derived from dialects/index.ts, because every dialect
// module depends on this file and deriving them would make an import circle. dialect.ts makes the
// table disagreeing with them a compile error.

/** The emulated gateways; each is served under `<sandbox url>/<provider>`. */
export type Provider = 'kirem' | 'meta' | 'qirim' | 'waviro' | 'kirimy' | 'fonnte' | 'wablas';

/** The providers that keep Meta-style templates (Kirem passes Meta's through). */
export type TemplateProvider = 'kirem' | 'meta';

/**
 * A template's review state. New templates start `PENDING` and stay there until
 * `setTemplateStatus` moves them; only `APPROVED` templates can be sent.
 */
export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED';

/** A template's category, as Meta assigns it. */
export type TemplateCategory = 'AUTHENTICATION' | 'MARKETING' | 'UTILITY';

/**
 * How `startSandbox`, `createSandbox` and `useSandbox` set up a sandbox. Every field is optional;
 * the defaults match the CLI's. The first entry of each credential list is the one `SandboxInfo`
 * and the control handle report. Invalid values (a port outside 0..65535, a non-positive
 * `maxMessages`, `maxMediaBytes` or `qirim.otpDailyLimit`, an empty credential list, a webhook URL
 * that is not http(s)) throw a `RangeError`.
 */
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
  /**
   * Kirem credentials the sandbox accepts. Defaults: `apiKeys` `['kirem_test_key']` (sent as
   * `Authorization: Bearer`), `phoneNumberIds` `['1234567890']`, `channelIds` `['chan-123']`.
   */
  kirem?: { apiKeys?: string[]; phoneNumberIds?: string[]; channelIds?: string[] };
  /**
   * Meta Cloud API credentials the sandbox accepts. Defaults: `accessTokens`
   * `['meta_test_token']`, `phoneNumberIds` `['1234567890']`, `wabaIds` `['9876543210']`.
   */
  meta?: { accessTokens?: string[]; phoneNumberIds?: string[]; wabaIds?: string[] };
  /** Kirimy `api-key` values the sandbox accepts. Default `['kirimy_test_key']`. */
  kirimy?: { apiKeys?: string[] };
  /** Qirim API keys and OTP limits. */
  qirim?: {
    /** Keys with every feature (otp and notif). Default ['qirim_test_key']. */
    apiKeys?: string[];
    /** Keys with only the notif feature. Default ['qirim_notif_only_key']; may be empty. */
    notifOnlyKeys?: string[];
    /** OTP codes per phone number per day. Default 10. */
    otpDailyLimit?: number;
  };
  /** Waviro `secretkey` values the sandbox accepts. Default `['waviro_test_key']`. */
  waviro?: { secretKeys?: string[] };
  /** Fonnte device tokens, sent bare as `Authorization`. Default `['fonnte_test_token']`. */
  fonnte?: { tokens?: string[] };
  /**
   * Wablas device credentials, sent as `Authorization: {token}.{secretKey}`. Defaults: `tokens`
   * `['wablas_test_token']`, `secretKeys` `['wablas_test_secret']`. An empty `secretKeys` stands
   * for a device without a secret key, which takes the token alone.
   */
  wablas?: { tokens?: string[]; secretKeys?: string[] };
  /**
   * Where inbound messages and status updates are POSTed, per provider (Kirem, Meta, Fonnte and
   * Wablas). `reset()` restores these; webhooks set at run time are cleared.
   */
  webhooks?: Partial<Record<WebhookProvider, WebhookTarget>>;
  /**
   * Enforce WhatsApp's 24-hour customer service window on Kirem and Meta, as production does: a
   * free-form (non-template) message to a customer who has not written in the last 24 hours is
   * accepted (200/201 with an id), then fails with error 131047 and a failed status webhook.
   * Templates always go through. Default false; `setEnforceWindow` changes it at run time and
   * `reset()` restores this value.
   */
  enforceWindow?: boolean;
  /**
   * The Kirem and Meta templates the sandbox starts with, and returns to on `reset()`: `'seed'`
   * (the default), the two in Kirem's documentation (`otp_verification` approved,
   * `promo_diskon_baru` pending); `'examples'`, those plus the ones Kabar's READMEs and examples
   * send, approved (`broadcast_promo`, `notif_pesanan_baru`, `order_shipped`, `pesan_baru`,
   * `kode_masuk`); `'none'`, none. The CLI starts with `'examples'`; `--no-seed` is `'none'`.
   */
  templates?: 'seed' | 'examples' | 'none';
  /**
   * An SQLite file to keep messages, templates (Kirem's, Meta's and Qirim's), media and webhook
   * deliveries in across restarts; created when missing. Loaded at start (caps such as
   * `maxMessages` apply), saved 200 ms after the last change (at most 2 s after the first unsaved
   * one) and on `close()`, each time written whole to a temporary file that then replaces it.
   * `reset()` empties it too. A file that is not a sandbox data file, or is corrupt, makes the
   * start reject with an `Error` naming it. Default: none, everything stays in memory.
   */
  dataFile?: string;
}

/** The providers that deliver webhooks to one configured URL (Waviro uses keyword webhooks). */
export type WebhookProvider = 'kirem' | 'meta' | 'fonnte' | 'wablas';

/** A webhook receiver for Kirem, Meta or Fonnte: where the sandbox POSTs, and its secret. */
export interface WebhookTarget {
  /** An http(s) URL. */
  url: string;
  /**
   * Kirem: the webhook secret (default 'kirem_webhook_secret'); Meta: the app secret (default
   * 'meta_app_secret'); Fonnte: the secret put in each webhook's `secret` field (default
   * 'fonnte_webhook_secret'); Wablas: unused, since Wablas signs nothing (put a secret of your
   * own in the URL's query).
   */
  secret?: string;
}

/** The webhook configured for a provider, with the default secret filled in when none was given. */
export interface WebhookConfig {
  provider: WebhookProvider;
  url: string;
  /**
   * The key deliveries are signed with (HMAC-SHA256 of the raw body); Fonnte's carry it as
   * `secret`; '' for Wablas, whose deliveries carry none.
   */
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
  /**
   * Recipient, digits only; the business's own number for inbound messages; '' for a Kirem or Meta
   * send addressed only by business-scoped user id (`recipient`), which is then in `userId`.
   */
  to: string;
  /** The customer who wrote, digits only; inbound messages only, absent when only `userId` is known. */
  from?: string;
  /**
   * The customer's Meta business-scoped user id (BSUID): the sender of an inbound message that gave
   * one, or the recipient of a send addressed by `recipient` without `to`.
   */
  userId?: string;
  type: string;
  /** Human summary: text body, caption, rendered template, ... */
  text: string;
  /** The request JSON as received; for inbound messages, the message as the webhook carries it. */
  payload: unknown;
  status: MessageStatus;
  /** Why a 'failed' status failed: forced, or 131047 outside the customer service window. */
  error?: StatusError;
  /** When the sandbox stored it, ISO 8601. */
  createdAt: string;
  /** The request's `Idempotency-Key` header (Kirem). */
  idempotencyKey?: string;
  /** The Kirem or Meta phone number id it was sent from. */
  phoneNumberId?: string;
  /** The Kirimy session that sent it. */
  sessionId?: string;
  /** The Waviro group it went to; `to` then holds the group id. */
  groupId?: string;
  /** For template messages: the template sent, its status at the time, and what the customer sees. */
  template?: SentTemplate;
}

/** A sent template as the customer sees it, with its parameters filled in. */
export interface SentTemplate {
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  /** The header text, when the template has a text header. */
  header?: string;
  /** The footer text, when the template has one. */
  footer?: string;
  /** The labels of the template's buttons, in order. */
  buttons?: string[];
  /** AUTHENTICATION templates: the one-time code the customer got (the first body parameter). */
  code?: string;
}

/** Narrows `messages()` and `latest()`; every field given must match. */
export interface MessageFilter {
  /** Matched on digits, so '+62 812-345' finds '62812345'. */
  to?: string;
  /** The customer of an inbound message, matched on digits. */
  from?: string;
  /** The customer of an inbound message by business-scoped user id, matched exactly. */
  userId?: string;
  direction?: 'outbound' | 'inbound';
  provider?: Provider;
  /** The message type, e.g. 'text', 'template', 'image', 'interactive', 'otp'. */
  type?: string;
  /** At most this many messages, the newest; a positive integer. Default: all. */
  limit?: number;
  /**
   * Free text, case-insensitive, found in the message's text, id, numbers (also written as
   * '+62 812-345' or '0812 345'), business-scoped user id, template name, idempotency key or group id.
   */
  q?: string;
  /** The message's current status, e.g. 'failed'. */
  status?: MessageStatus;
  /** The customer the conversation is with: a number (digits) or a business-scoped user id. */
  conversation?: string;
  /** Skip this many matches first (newest first), to page past `limit`. Default 0. */
  offset?: number;
}

/** One page of matching messages, newest first, and how many match in all. */
export interface MessagePage {
  total: number;
  messages: SandboxMessage[];
}

/**
 * The HTTP request a gateway received, as the sandbox keeps it for a message it stored. Headers and
 * query parameters that carry credentials (Authorization, api keys, tokens, secrets) are kept by
 * name with the value replaced by '[redacted]'.
 */
export interface RecordedRequest {
  method: string;
  /** The path as the client called it, with the gateway's prefix and the query, e.g. '/kirem/v1/messages'. */
  path: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The body as received, decoded as UTF-8, cut at 64 KiB (then `truncated` is true). */
  body: string;
  /** The body's size in bytes, as received. */
  bodyBytes: number;
  truncated?: boolean;
  /** When the request arrived, ISO 8601. */
  receivedAt: string;
}

/** A status a message had, from when. */
export interface StatusChange {
  status: MessageStatus;
  /** ISO 8601, on the sandbox's clock. */
  at: string;
  error?: StatusError;
}

/**
 * Everything the sandbox knows about one message: the message, the gateway request that created
 * it (none for messages written in through the control API), its statuses in order, and the webhook
 * deliveries whose body names its id.
 */
export interface MessageDetail {
  message: SandboxMessage;
  request: RecordedRequest | null;
  statuses: StatusChange[];
  deliveries: WebhookDelivery[];
}

/** A stored message with its gateway request and status history, as a session keeps it. */
export type SessionMessage = Omit<MessageDetail, 'deliveries'>;

/** A stored media file in a session document, its bytes in base64. */
export interface SessionMedia {
  /** The id the gateway's routes know it by. */
  id: string;
  /** The gateway it was uploaded to or received through. */
  provider: Provider;
  mimeType: string;
  filename: string;
  /** SHA-256 of the bytes, hex; checked on import. */
  sha256: string;
  /** The bytes, base64. */
  base64: string;
}

/**
 * A sandbox's content as one JSON document, e.g. to attach to a bug report: what `exportSession()`
 * (`GET /api/v1/export`) returns and `importSession()` (`POST /api/v1/import`) takes. The same
 * content as a `dataFile`.
 */
export interface SandboxSession {
  format: 'kabar-sandbox-session';
  /** The document's format version; this sandbox writes and reads 1. */
  version: 1;
  /** When it was exported, ISO 8601; informational. */
  exportedAt: string;
  /** Newest first, as `searchMessages()` lists them. */
  messages: SessionMessage[];
  /**
   * Each template store, by provider. On import, a store the document leaves out keeps its seeded
   * templates.
   */
  templates: { kirem?: Template[]; meta?: Template[]; qirim?: QirimTemplate[] };
  /** Oldest first. */
  media: SessionMedia[];
  /** Oldest first, as `deliveries()` lists them. */
  deliveries: WebhookDelivery[];
}

/** One conversation in the inbox: the customer, and the messages with them that match a filter. */
export interface InboxConversation {
  /** The customer's number (digits) or business-scoped user id. */
  counterpart: string;
  /** The gateways the matching messages went through, newest first. */
  providers: Provider[];
  /** How many messages with this customer match. */
  count: number;
  /** The newest matching message. */
  last: SandboxMessage;
}

/** One page of conversations, newest activity first, and how many there are in all. */
export interface ConversationPage {
  total: number;
  conversations: InboxConversation[];
}

/** The Waviro bot's login as its `getqr` call reports it: logged in as a number, or a QR to scan. */
export interface WaviroSession {
  authenticated: boolean;
  /** The bot's number, when logged in. */
  number?: string;
  /** WhatsApp Web's login QR payload, when logged out. */
  qrcode?: string;
}

/** A read receipt a client sent (Kirem's `POST /v1/messages/read`, Meta's `status: 'read'`). */
export interface Read {
  provider: Provider;
  /** The id of the message marked read. */
  messageId: string;
  /** When the receipt arrived, ISO 8601. */
  at: string;
  /** True when the receipt also showed a typing indicator (`typing_indicator: { type: 'text' }`). */
  typing?: boolean;
}

/**
 * An error, delay or dropped connection injected into the emulated gateways' answers. The first
 * matching fault, in creation order, applies to a request, after authentication. A fault needs at
 * least one of `status`, `latencyMs` or `reset: true`.
 */
export interface Fault {
  /** Only this gateway's requests. Default: every gateway. */
  provider?: Provider;
  /** Substring of the path after the provider prefix, e.g. '/messages'. */
  path?: string;
  /** Only requests with this HTTP method (any case). */
  method?: string;
  /** Answer with this HTTP status (100..599). */
  status?: number;
  /** The answer's JSON body. Default: the gateway's own error body for `status`. */
  body?: unknown;
  /** Seconds (0..86400), sent as the Retry-After header. */
  retryAfter?: number;
  /** Delay before answering, in milliseconds (0..600000). */
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

/** A fault the sandbox holds, as `fault()` returns it. */
export interface ActiveFault extends Fault {
  id: string;
  /** Requests left before the fault is removed; null when unlimited. */
  remaining: number | null;
}

/** A template component in Meta's format; fields other than `type` and `text` are kept as given. */
export interface TemplateComponent {
  /** 'HEADER', 'BODY', 'FOOTER' or 'BUTTONS'. */
  type: string;
  /** The component's text, with `{{1}}`, `{{2}}`, ... placeholders. */
  text?: string;
  [key: string]: unknown;
}

/** A Meta-style message template in the Kirem or Meta template store. */
export interface Template {
  name: string;
  status: TemplateStatus;
  category: TemplateCategory;
  /** Language code, e.g. 'id'. */
  language: string;
  components: TemplateComponent[];
  id: string;
}

/**
 * An entry of Kirem's webhook log (`GET /v1/analytics/webhooks`): the sandbox's own Kirem
 * deliveries, plus entries added with `addWebhookLog`.
 */
export interface WebhookLog {
  id: string;
  url: string;
  event: string;
  status_code: number;
  is_success: boolean;
  duration_ms: number;
  /** ISO 8601. */
  created_at: string;
}

/** A webhook log entry to add; the sandbox fills in `id` and `created_at`. */
export type WebhookLogInput = Omit<WebhookLog, 'id' | 'created_at'>;

/**
 * One Kirem webhook routing rule: an event matches when it meets every criterion the rule names
 * (at least one). A status event has no type or text; its `from` is the customer it is about.
 */
export interface KiremWebhookRule {
  /** The message type: 'text', 'image', 'video', 'audio', 'document', 'location' or 'interactive'. */
  type?: string;
  /** The sender's number or its start, e.g. '62812'; only digits count ('+62 812' is the same). */
  from?: string;
  /** A word or phrase in the text, matched as whole words and case-insensitively. */
  keyword?: string;
  /** A JavaScript regular expression (no flags, so case-sensitive) tested against the text. */
  regex?: string;
}

/**
 * A consumer endpoint of Kirem's rule-based webhook routing. It gets every event when it has no
 * rules, otherwise the events that match any of its rules. The text a rule reads is the text body,
 * a media caption, or the title of a button or list reply.
 */
export interface KiremWebhookTarget {
  id: string;
  url: string;
  /** Signs its deliveries; without one, Kirem's webhook secret (default 'kirem_webhook_secret'). */
  secret?: string;
  /** Absent or empty: every event. */
  rules?: KiremWebhookRule[];
}

/** A Kirem webhook target to add; without an `id` the sandbox assigns a UUID. */
export type KiremWebhookTargetInput = Omit<KiremWebhookTarget, 'id'> & { id?: string };

/** When Kirem retries a failed webhook delivery: the wait before each retry, in milliseconds. */
export interface KiremWebhookRetry {
  /** Default [1000, 2000, 4000, 8000, 16000]; [] turns automatic retries off. */
  delaysMs: number[];
}

/** One message of a Kirem MCP conversation. */
export interface ConversationMessage {
  id: string;
  /** Who wrote it, e.g. 'customer'. */
  sender: string;
  text: string;
  created_at: string;
}

/**
 * A conversation as Kirem's MCP tools (`list_conversations`, `get_conversation`, `send_message`)
 * see it.
 */
export interface Conversation {
  /** A UUID; the MCP tools' `session_id`. */
  id: string;
  /** E.g. 'open'; `list_conversations` filters on it. */
  status: string;
  customer_phone: string;
  updated_at: string;
  messages: ConversationMessage[];
}

/** A conversation to add to Kirem's MCP store with `addConversation`. */
export interface ConversationInput {
  customer_phone: string;
  /** Default 'open'. */
  status?: string;
  /** The conversation's messages, oldest first; `sender` defaults to 'customer'. */
  messages?: { sender?: string; text: string }[];
}

/** What a Kirem client needs to reach the sandbox: pass these to `kirem()` from `@kabar/core/kirem`. */
export interface KiremCredentials {
  /** `<sandbox url>/kirem`. */
  baseUrl: string;
  apiKey: string;
  phoneNumberId: string;
  channelId: string;
}

/** What a Meta Cloud API client needs to reach the sandbox. */
export interface MetaCredentials {
  /** `<sandbox url>/meta`, in place of `https://graph.facebook.com`. */
  baseUrl: string;
  accessToken: string;
  phoneNumberId: string;
  /** The WhatsApp Business Account id, for template calls. */
  wabaId: string;
  /** The same id under the name `meta()` from `@kabar/core/meta` takes, so `meta(sandbox.meta)` works as is. */
  businessAccountId: string;
  /** The Graph API version the sandbox reports, e.g. 'v21.0'; any `vX.Y` is accepted. */
  apiVersion: string;
}

/** What a Kirimy client needs to reach the sandbox. */
export interface KirimyCredentials {
  /** `<sandbox url>/kirimy/v1`. */
  baseUrl: string;
  apiKey: string;
  /** The seeded session, 'sessioncontoh'. */
  sessionId: string;
  /** A second seeded session, 'cadangan', for fallback tests. */
  fallbackSessionId: string;
}

/** What a Qirim client needs to reach the sandbox. */
export interface QirimCredentials {
  /** `<sandbox url>/qirim/api/v1`. */
  baseUrl: string;
  apiKey: string;
}

/** What a Waviro client needs to reach the sandbox. */
export interface WaviroCredentials {
  /** The bot URL, `<sandbox url>/waviro`. */
  botUrl: string;
  secretKey: string;
}

/**
 * What a Fonnte client needs to reach the sandbox, under the setting keys of `@kabar/core`'s
 * registry, so `createProvider('fonnte', sandbox.fonnte)` works as is.
 */
export interface FonnteCredentials {
  /** `<sandbox url>/fonnte`, in place of `https://api.fonnte.com`. */
  baseUrl: string;
  /** The device token, sent bare as `Authorization: <token>`. */
  token: string;
}

/**
 * What a Wablas client needs to reach the sandbox, under the setting keys of `@kabar/core`'s
 * registry, so `createProvider('wablas', sandbox.wablas)` works as is.
 */
export interface WablasCredentials {
  /** `<sandbox url>/wablas`, in place of `https://{server}.wablas.com`. */
  baseUrl: string;
  /** The device token. */
  token: string;
  /** The device's secret key, sent as `{token}.{secretKey}`; absent when the device has none. */
  secretKey?: string;
  /** `<sandbox url>/wablas/phone`, in place of the number check's `https://phone.wablas.com`. */
  phoneCheckUrl: string;
}

/** What `GET /api/v1/info` reports: the sandbox's version and the first credential of each kind. */
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
    fonnte: FonnteCredentials;
    wablas: WablasCredentials;
  };
}

/** A Kirimy sending session. Sends through an inactive one fail with `SESSION_INACTIVE`. */
export interface KirimySession {
  id: string;
  active: boolean;
  /** Messages the session may send per day (Jakarta time) before `QUOTA_EXCEEDED`. Default 1000. */
  dailyQuota: number;
  /** Messages sent today, Jakarta time. */
  sentToday: number;
}

/** Changes to a Kirimy session; fields left out keep their value. */
export interface KirimySessionPatch {
  active?: boolean;
  /** An integer, 0 or more. */
  dailyQuota?: number;
}

/** An OTP code Qirim issued, readable in tests with `qirimOtp(phone)`. */
export interface QirimOtp {
  request_id: string;
  /** Normalised, 62... */
  phone: string;
  /** The request's `purpose`, or null when it named none. */
  purpose: string | null;
  /** The code in clear text, as the customer would receive it. */
  code: string;
  /** ISO 8601. */
  expires_at: string;
  /** Wrong codes tried so far. */
  attempts: number;
  /** True once the code was verified; a code works once. */
  verified: boolean;
}

/** A Qirim notification template, sent with `type: 'template'` and `vars`. */
export interface QirimTemplate {
  name: string;
  /** With {{name}} placeholders filled from the request's `vars`. */
  body: string;
}

/** A WhatsApp group the Waviro bot is in (what `/api/groups` lists). */
export interface WaviroGroup {
  /** The group id, used as `groupid` in the group send calls. */
  id: string;
  name: string;
  /** Unix seconds of the last message, as Waviro's grouplastchat. */
  lastChat: number;
}

/** Whether the Waviro bot's WhatsApp session is logged in (what `/api/getqr` reports). */
export interface WaviroConnection {
  /** False: sends fail and `getqr` answers with a QR code. */
  authenticated: boolean;
  /** The bot's own number, shown by getqr when authenticated. */
  number: string;
}

/** What Waviro's `/api/checknumber` answers for a number. */
export interface WaviroNumber {
  /** 8 to 15 digits, country code first. */
  number: string;
  /** Whether the number is on WhatsApp; every valid number is, unless set otherwise. */
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
  /** ISO 8601. */
  at: string;
}

/**
 * A WhatsApp error on a failed status, e.g. `{ code: 131026, title: 'Message undeliverable' }`.
 * With `details`, the status webhook carries Meta's full error object: `code`, `title`, `message`
 * (default: the title), `error_data: { details }` and `href`; without it, `code` and `title` only.
 */
export interface StatusError {
  code: number;
  title: string;
  message?: string;
  details?: string;
}

/** Sandbox behaviour that can be switched at run time (`PUT /api/v1/settings`). */
export interface SandboxSettings {
  /** Whether Kirem and Meta enforce the 24-hour customer service window (see `SandboxOptions`). */
  enforceWindow: boolean;
}

/** The sandbox's clock (`GET /api/v1/clock`): its time and how far tests moved it from real time. */
export interface ClockState {
  /** The sandbox's time now, ISO 8601. */
  now: string;
  /** Milliseconds added to real time; 0 until `advanceClock`, and again after `reset()`. */
  offsetMs: number;
}

/** The media of an inbound message. */
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
  provider: 'kirem' | 'meta' | 'waviro' | 'fonnte' | 'wablas';
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
  /** The digits sent as `hub.challenge`. */
  challenge: string;
  /** The receiver's HTTP status, or null when the request failed. */
  status: number | null;
  /** The start of the receiver's answer, at most 256 bytes. */
  responseBody: string;
  /** Why the request failed (refused, timed out after 5 s, not http(s)), when it did. */
  error?: string;
}

/**
 * 'template' is Meta's message_template_status_update field and 'preference' its user_preferences
 * field; 'connection' is Fonnte's and Wablas' device connect/disconnect webhook; the others are
 * message webhooks, status webhooks and Waviro keyword webhooks.
 */
export type DeliveryKind =
  | 'message'
  | 'status'
  | 'keyword'
  | 'template'
  | 'preference'
  | 'connection';

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
  /** How long the POST took, until the answer or the failure, in milliseconds. */
  durationMs: number;
  /** 1 for the first POST, one more for each redelivery. */
  attempt: number;
  /** When the POST was made, ISO 8601. */
  at: string;
}

/** Narrows `deliveries()`. */
export interface DeliveryFilter {
  /** Only this gateway's deliveries. Default: all. */
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
  /** E.g. 'penawaran#'; matched case-insensitively, the longest match wins. */
  keyword: string;
  /** Where the keyword's webhook is POSTed. */
  url: string;
  /** Sent as `webhookkey` in each POST, for the receiver to check. */
  webhookKey: string;
}

/** The WhatsApp number behind the Fonnte token, as `POST /device` reports it. */
export interface FonnteDevice {
  /** The device's own number, 8 to 15 digits; default '6285100001234'. */
  number: string;
  /** The device's name on the dashboard. */
  name: string;
  /** False: sends fail with `device disconnected` and `/qr` answers with a QR code. */
  connected: boolean;
  /** Fonnte's package name, e.g. 'Reguler'. */
  package: string;
  /** When the package runs out, the way Fonnte writes it, e.g. '31 December 2099'. */
  expired: string;
  /** Messages left; each target of a send uses one. Default 1000. */
  quota: number;
  /** Messages the device sent since the sandbox started or was reset. */
  messages: number;
}

/**
 * Changes to the Fonnte device; fields left out keep their value. A change of `connected` posts
 * Fonnte's connection webhook, with `reason` as its reason.
 */
export interface FonnteDevicePatch {
  connected?: boolean;
  /** 8 to 15 digits. */
  number?: string;
  name?: string;
  package?: string;
  expired?: string;
  /** An integer, 0 or more. */
  quota?: number;
  /** Why the device disconnected or connected, for the connection webhook. */
  reason?: string;
}

/** The Fonnte device after a change, and the connection webhook the change caused. */
export interface FonnteDeviceChange extends Deliveries {
  device: FonnteDevice;
}

/** A WhatsApp group the Fonnte device is in (what `/get-whatsapp-group` lists). */
export interface FonnteGroup {
  /** The group id with its suffix, e.g. '120363000000000001@g.us'; sends take it as `target`. */
  id: string;
  name: string;
}

/** The one device the Wablas dialect emulates, as `GET /api/device/info` and its webhooks show it. */
export interface WablasDevice {
  /** The device id: `device_id` in send answers, `serial` in device info, `deviceId` in webhooks. */
  id: string;
  /** `name` in device info, `deviceName` in the device webhook. */
  name: string;
  /** The device's own WhatsApp number (`sender`); default '6285712345678'. */
  number: string;
  /** False: sends fail with `device disconnected, need to scan qr code again`. */
  connected: boolean;
  /** False: every request fails with `token invalid or device expired`, as for an expired device. */
  active: boolean;
  /** Messages left, one per recipient of each send; null for unlimited. Default 1000. */
  quota: number | null;
  /**
   * Whether the token alone is refused (`need secret key`) where the docs show `{token}.{secretKey}`.
   * True unless the options gave the device no secret key.
   */
  secretKeyRequired: boolean;
  /** `expired_date` in device info, YYYY-MM-DD: a year after the sandbox started. */
  expiredDate: string;
}

/**
 * Changes to the Wablas device; fields left out keep their value. A change of `connected` posts
 * Wablas' device webhook.
 */
export interface WablasDevicePatch {
  connected?: boolean;
  active?: boolean;
  secretKeyRequired?: boolean;
  /** An integer, 0 or more, or null for unlimited. */
  quota?: number | null;
  /** 8 to 15 digits. */
  number?: string;
  name?: string;
}

/** What Wablas' number check answers for a number. */
export interface WablasNumber {
  /** 8 to 15 digits, country code first. */
  number: string;
  /** Whether it is on WhatsApp (`online`); every number is, unless set otherwise. */
  online: boolean;
}

/**
 * Drives a sandbox over its control API (`<url>/api/v1`): read what clients sent, seed state, inject
 * faults and play the customer's side of webhooks. Every method is one HTTP call and rejects with
 * an `Error` naming the method, path, status and the control API's message, e.g.
 * `kabar-sandbox: POST /api/v1/faults failed with 400: probability must be between 0 and 1`.
 */
export interface SandboxControl
  extends SharedControl,
    KiremControl,
    MetaControl,
    KirimyControl,
    QirimControl,
    WaviroControl,
    FonnteControl,
    WablasControl {}

/**
 * Each gateway's own control methods, by provider name; `SandboxControl` has all of them. A gateway
 * without any maps to `Record<never, never>`.
 */
export interface DialectControls {
  kirem: KiremControl;
  meta: MetaControl;
  kirimy: KirimyControl;
  qirim: QirimControl;
  waviro: WaviroControl;
  fonnte: FonnteControl;
  wablas: WablasControl;
}

/**
 * The part of `SandboxControl` that is not one gateway's: where the sandbox is, every gateway's
 * credentials, and the messages, faults, webhooks, settings and clock they all share.
 */
export interface SharedControl {
  /** The sandbox's base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Kirem credentials the sandbox accepts; `kirem(sandbox.kirem)` from `@kabar/core/kirem` works as is. */
  kirem: KiremCredentials;
  /** Meta Cloud API credentials the sandbox accepts. */
  meta: MetaCredentials;
  /** Kirimy credentials the sandbox accepts. */
  kirimy: KirimyCredentials;
  /** Qirim credentials the sandbox accepts. */
  qirim: QirimCredentials;
  /** Waviro credentials the sandbox accepts. */
  waviro: WaviroCredentials;
  /** Fonnte credentials the sandbox accepts; `createProvider('fonnte', sandbox.fonnte)` works as is. */
  fonnte: FonnteCredentials;
  /** Wablas credentials the sandbox accepts; `createProvider('wablas', sandbox.wablas)` works as is. */
  wablas: WablasCredentials;
  /** Stored messages, newest first. */
  messages(filter?: MessageFilter): Promise<SandboxMessage[]>;
  /** The newest stored message matching the filter, or undefined when there is none. */
  latest(filter?: Pick<MessageFilter, 'to' | 'provider'>): Promise<SandboxMessage | undefined>;
  /** Deletes stored messages only. */
  clear(): Promise<void>;
  /**
   * Back to the initial state: messages, reads, faults, idempotency, media and logs cleared, seeds
   * restored. With a `dataFile`, the file is emptied the same way.
   */
  reset(): Promise<void>;
  /**
   * The sandbox's messages (with their requests and statuses), templates, media and webhook
   * deliveries as one JSON document, for a bug report or `importSession()` elsewhere.
   */
  exportSession(): Promise<SandboxSession>;
  /**
   * Resets the sandbox, then loads a document from `exportSession()` into it (caps such as
   * `maxMessages` apply). Rejects, changing nothing, when the document is malformed (400, naming
   * the first wrong field).
   */
  importSession(session: SandboxSession): Promise<void>;
  /**
   * Adds a fault to the emulated gateways; `reset()` and `clearFaults()` remove it. Rejects when the
   * fault is invalid (e.g. it has none of `status`, `latencyMs` or `reset: true`).
   */
  fault(fault: Fault): Promise<ActiveFault>;
  /** Removes every fault. */
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
  /** Read receipts clients sent, all or one gateway's. */
  reads(provider?: Provider): Promise<Read[]>;
  /**
   * Sets Kirem's or Meta's webhook URL and secret (default secrets: 'kirem_webhook_secret',
   * 'meta_app_secret'). From then on, sent messages get status webhooks and `inbound` delivers.
   */
  setWebhook(provider: WebhookProvider, target: WebhookTarget): Promise<WebhookConfig>;
  /** The webhooks configured now. */
  webhooks(): Promise<WebhookConfig[]>;
  /** Removes a provider's webhook; rejects (404) when none is set. */
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
  /** The run-time settings: `{ enforceWindow }`. */
  settings(): Promise<SandboxSettings>;
  /**
   * Turns enforcement of the 24-hour customer service window on or off for Kirem and Meta;
   * `reset()` restores `SandboxOptions.enforceWindow`.
   */
  setEnforceWindow(on: boolean): Promise<SandboxSettings>;
  /** The sandbox's clock. */
  clock(): Promise<ClockState>;
  /**
   * Moves the sandbox's clock forward by `ms` (a non-negative integer), e.g. `24 * 60 * 60 * 1000 + 1`
   * to close a customer service window; `reset()` returns it to real time.
   */
  advanceClock(ms: number): Promise<ClockState>;
  /**
   * One page of stored messages and how many match in all, e.g.
   * `searchMessages({ q: 'invoice', status: 'failed', offset: 50, limit: 50 })`.
   */
  searchMessages(filter?: MessageFilter): Promise<MessagePage>;
  /** The conversations whose messages match the filter, newest activity first, one page of them. */
  conversations(filter?: Omit<MessageFilter, 'conversation'>): Promise<ConversationPage>;
  /**
   * A message with the gateway request that created it (credentials redacted), its status history
   * and the webhook deliveries about it; undefined when there is no such message.
   */
  messageDetail(id: string): Promise<MessageDetail | undefined>;
}

/** Kirem's part of `SandboxControl`: seeding its webhook log and its MCP conversations. */
export interface KiremControl {
  /** Adds an entry to Kirem's webhook log (`GET /v1/analytics/webhooks`). */
  addWebhookLog(entry: WebhookLogInput): Promise<WebhookLog>;
  /** Adds a conversation for Kirem's MCP tools; the sandbox assigns its id. */
  addConversation(conversation: ConversationInput): Promise<Conversation>;
  /** Kirem's webhook routing targets, in the order they were added; `reset()` removes them. */
  kiremWebhookTargets(): Promise<KiremWebhookTarget[]>;
  /**
   * Adds a webhook routing target; Kirem's events then also go to its URL (all of them, or those
   * matching its rules). Rejects (409) when a target has that id, (400) when a rule is invalid.
   */
  addKiremWebhookTarget(target: KiremWebhookTargetInput): Promise<KiremWebhookTarget>;
  /** Creates the webhook routing target with this id, or replaces it in place. */
  setKiremWebhookTarget(
    id: string,
    target: Omit<KiremWebhookTarget, 'id'>,
  ): Promise<KiremWebhookTarget>;
  /** Removes a webhook routing target; rejects (404) when there is none with that id. */
  removeKiremWebhookTarget(id: string): Promise<void>;
  /** When failed Kirem deliveries are retried automatically. */
  kiremWebhookRetry(): Promise<KiremWebhookRetry>;
  /**
   * Sets the waits before each automatic retry of a failed Kirem delivery, e.g. `[50, 100]` in
   * tests; `[]` turns retries off. `reset()` restores the default, [1000, 2000, 4000, 8000, 16000].
   */
  setKiremWebhookRetry(delaysMs: number[]): Promise<KiremWebhookRetry>;
}

/** Meta's part of `SandboxControl`: its webhook handshake and user_preferences webhook. */
export interface MetaControl {
  /** Runs Meta's GET subscription handshake against the Meta webhook URL with this verify token. */
  verifyMetaWebhook(verifyToken: string): Promise<WebhookVerification>;
  /** The customer stops or resumes marketing messages: delivers Meta's user_preferences webhook. */
  userPreference(input: UserPreferenceInput): Promise<Deliveries>;
}

/** Kirimy's part of `SandboxControl`: its sending sessions. */
export interface KirimyControl {
  /** Kirimy's sessions with their quotas; `sessioncontoh` and `cadangan` are seeded. */
  kirimySessions(): Promise<KirimySession[]>;
  /** Creates the session or updates it; a new session starts active with a quota of 1000. */
  setKirimySession(id: string, patch: KirimySessionPatch): Promise<KirimySession>;
}

/** Qirim's part of `SandboxControl`: the OTPs it issued and its notification templates. */
export interface QirimControl {
  /** The latest OTP issued for the phone (any form Qirim accepts), or undefined. */
  qirimOtp(phone: string): Promise<QirimOtp | undefined>;
  /** Adds a Qirim notification template (`invoice` is seeded). */
  addQirimTemplate(template: QirimTemplate): Promise<QirimTemplate>;
}

/** Waviro's part of `SandboxControl`: the bot's groups, session, number checks, acks and keywords. */
export interface WaviroControl {
  /** Puts the Waviro bot in a group, so the group send calls accept its id. */
  addWaviroGroup(group: { id: string; name: string }): Promise<WaviroGroup>;
  /** The groups the Waviro bot is in; none at start. */
  waviroGroups(): Promise<WaviroGroup[]>;
  /**
   * Logs the Waviro bot in or out, and optionally sets its number (8 to 15 digits; default
   * '6283812345678'). While logged out, sends fail and `getqr` answers with a QR code.
   */
  setWaviroConnection(connection: {
    authenticated: boolean;
    number?: string;
  }): Promise<WaviroConnection>;
  /** Sets what Waviro's `checknumber` answers for a number. */
  setWaviroNumber(number: WaviroNumber): Promise<WaviroNumber>;
  /** Every delivery ack POSTed to a message's `notifyurl`, oldest first. */
  waviroAcks(): Promise<WaviroAck[]>;
  /** Registers a Waviro keyword: customer texts starting with it are POSTed to its URL. */
  addWaviroKeyword(keyword: WaviroKeyword): Promise<WaviroKeyword>;
}

/** Fonnte's part of `SandboxControl`: its device, groups and numbers not on WhatsApp. */
export interface FonnteControl {
  /** The Fonnte device: its number, connection, package and quota. */
  fonnteDevice(): Promise<FonnteDevice>;
  /**
   * Changes the Fonnte device, e.g. `{ connected: false, reason: 'logout from phone' }`; a change
   * of `connected` delivers Fonnte's connection webhook.
   */
  setFonnteDevice(patch: FonnteDevicePatch): Promise<FonnteDeviceChange>;
  /** Puts the Fonnte device in a WhatsApp group, so `/get-whatsapp-group` lists it. */
  addFonnteGroup(group: FonnteGroup): Promise<FonnteGroup>;
  /** The groups the Fonnte device is in; none at start. */
  fonnteGroups(): Promise<FonnteGroup[]>;
  /**
   * Sets which numbers are not on WhatsApp (replacing the list): `/validate` reports them as
   * not_registered and sends to them end with the status `invalid`. Resolves to the new list.
   */
  setFonnteUnregistered(numbers: string[]): Promise<string[]>;
}

/** Wablas' part of `SandboxControl`: its device and number checks. */
export interface WablasControl {
  /** The Wablas device: its connection, quota and secret-key rule. */
  wablasDevice(): Promise<WablasDevice>;
  /**
   * Changes the Wablas device, e.g. `{ connected: false }`; a change of `connected` delivers
   * Wablas' device webhook before this resolves.
   */
  setWablasDevice(patch: WablasDevicePatch): Promise<WablasDevice>;
  /** Sets what Wablas' number check answers for a number. */
  setWablasNumber(number: WablasNumber): Promise<WablasNumber>;
}

/** The statuses `setMessageStatus` can force on a sent message. */
export type ForcedStatus = 'failed' | 'delivered' | 'read' | 'played';

/** A sandbox running in this process: the control methods, where it listens, and `close()`. */
export interface RunningSandbox extends SandboxControl {
  /** The port it listens on; the one the OS chose when the options said 0. */
  port: number;
  /** The interface it is bound to. */
  host: string;
  /**
   * Stops the server, dropping open keep-alive connections; its state is gone, except what a
   * `dataFile` keeps, which is saved first.
   */
  close(): Promise<void>;
}
