/**
 * What a webhook tells you: one typed union for every gateway's dialect. Every item a webhook
 * carries becomes one event; an item Kabar cannot type becomes an `unknown` event, never an error.
 */

/** The gateways whose webhooks Kabar reads. */
export type WebhookProvider = 'meta' | 'kirem' | 'waviro' | 'fonnte' | 'wablas';

/**
 * A WhatsApp user as a webhook names them. Since Meta's 2026 usernames a user may be known only by
 * a business-scoped user id (`userId`, e.g. `ID.1502576394655843`): no field is guaranteed.
 */
export interface WhatsAppUser {
  /** The phone number, digits only (Meta's `wa_id` / `from`), when the user shares it. */
  phone?: string;
  /** The business-scoped user id (BSUID). */
  userId?: string;
  /** The parent BSUID shared across a managed business's portfolios. */
  parentUserId?: string;
  /** The user's WhatsApp username, when they adopted one. */
  username?: string;
  /** The WhatsApp profile name. */
  name?: string;
}

/** The business number a Meta webhook was sent for: useful when one endpoint serves several. */
export interface BusinessNumber {
  /** The WhatsApp Business Account id (`entry[].id`). */
  accountId?: string;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
}

/** One error Meta or a gateway reports on a message, a status or a whole change. */
export interface WebhookError {
  code?: number | string;
  title?: string;
  message?: string;
  /** Meta's `error_data.details`: the most specific explanation. */
  details?: string;
  href?: string;
}

/** A product a customer ordered from a catalog. */
export interface OrderItem {
  productRetailerId: string;
  quantity: number;
  itemPrice?: number;
  currency?: string;
}

/** A contact card a customer shared. */
export interface SharedContact {
  /** The formatted name. */
  name?: string;
  phones: { phone: string; waId?: string; type?: string }[];
  emails: { email: string; type?: string }[];
  organization?: string;
  /**
   * The card as a vCard (RFC 6350), when the customer shared a contact from the chat (Meta's
   * `vcard`, with `origin: 'other'`).
   */
  vcard?: string;
  /**
   * How the card was shared (Meta's `origin`): `contact_request` when the customer tapped your
   * request-contact-info button (the card is then their own), `other` when they shared a contact.
   */
  origin?: string;
  /** The card as the gateway sent it, with every field (addresses, urls, birthday). */
  raw: unknown;
}

/** What a customer's message holds. `type` tells which. */
export type InboundContent =
  | { type: 'text'; text: string }
  /** A quick-reply button: interactive `button_reply`, or a template's button (`payload` as id). */
  | { type: 'button'; id: string; title: string }
  | { type: 'list'; id: string; title: string; description?: string }
  | {
      type: 'image' | 'video' | 'audio' | 'document' | 'sticker';
      mediaId?: string;
      /** A download URL (Meta includes one; it needs the access token and expires). */
      url?: string;
      link?: string;
      mimeType?: string;
      sha256?: string;
      caption?: string;
      filename?: string;
      /** Audio recorded as a voice note. */
      voice?: boolean;
      /** An animated sticker. */
      animated?: boolean;
    }
  | {
      type: 'location';
      latitude: number;
      longitude: number;
      name?: string;
      address?: string;
      url?: string;
    }
  | { type: 'contacts'; contacts: SharedContact[] }
  /** A reaction to one of your messages; `removed` when the customer took it back (empty emoji). */
  | { type: 'reaction'; messageId: string; emoji: string; removed: boolean }
  /** A WhatsApp Flow completed: `response` is the flow's response JSON, parsed. */
  | {
      type: 'flow';
      response: Record<string, unknown>;
      /** The flow token you sent, when the response carries it. */
      flowToken?: string;
      name?: string;
      body?: string;
    }
  /** A cart sent from a catalog, single- or multi-product message. */
  | { type: 'order'; catalogId: string; text?: string; items: OrderItem[] }
  /**
   * WhatsApp's own notice: `user_changed_number` (with `newPhone`) or `user_changed_user_id` (with
   * `newUserId`).
   */
  | {
      type: 'system';
      event: string;
      body?: string;
      newPhone?: string;
      newUserId?: string;
      /** The customer's new parent BSUID (`system.parent_user_id`), when parent BSUIDs are on. */
      newParentUserId?: string;
    }
  /** The customer deleted an earlier message (coexistence numbers only). */
  | { type: 'revoke'; messageId: string }
  /** The customer edited an earlier message; `content` is the new version. */
  | { type: 'edit'; messageId: string; content: InboundContent }
  /** Waviro's keyword commands: `penawaran#Budi#budi@toko.id` gives keyword `penawaran#`. */
  | { type: 'keyword'; keyword: string; data: string[] }
  /**
   * A message Meta could not deliver to the API (a type the Cloud API does not support, an
   * interactive message it could not decode) or one this version does not model: `errors` says why.
   */
  | { type: 'unsupported'; originalType: string; errors: WebhookError[] };

/** The click-to-WhatsApp ad or post a conversation started from. */
export interface Referral {
  sourceUrl?: string;
  sourceId?: string;
  sourceType?: string;
  headline?: string;
  body?: string;
  mediaType?: string;
  imageUrl?: string;
  videoUrl?: string;
  thumbnailUrl?: string;
  /** The click id, for ad attribution. */
  ctwaClid?: string;
  /** The ad's greeting (`welcome_message.text`), which the customer saw before writing. */
  welcomeMessage?: string;
}

/** A customer's message. */
export interface MessageEvent {
  kind: 'message';
  provider: WebhookProvider;
  /**
   * Who to answer: the sender's phone digits, or their business-scoped user id when the webhook
   * carries no phone number. Chat state is kept under this.
   */
  from: string;
  /** Everything the webhook says about the sender. */
  sender: WhatsAppUser;
  /** The gateway's message id, where it gives one (Waviro keyword calls have none). */
  id?: string;
  /** The sender's WhatsApp profile name, where the gateway passes it on. */
  name?: string;
  timestamp?: Date;
  /** The message this one quotes. */
  replyTo?: string;
  forwarded?: boolean;
  /** Forwarded many times (WhatsApp's double arrow). */
  frequentlyForwarded?: boolean;
  /** The catalog product the customer asked about ("Message business" on a product). */
  referredProduct?: { catalogId: string; productRetailerId: string };
  /** The ad the customer tapped to start this conversation. */
  referral?: Referral;
  /** The group the message was sent in. */
  groupId?: string;
  business?: BusinessNumber;
  content: InboundContent;
  /** The gateway's own object for this message, unmodified. */
  raw: unknown;
}

/** Where a message you sent has got to. `played`: a voice message was played. */
export type DeliveryStatus =
  | 'failed'
  | 'pending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'played'
  | 'deleted';

/** What Meta charges (or does not) for a message. */
export interface Pricing {
  billable?: boolean;
  /** `CBP`, `PMP` (per-message pricing). */
  model?: string;
  /** `marketing`, `utility`, `authentication`, `service`… */
  category?: string;
  /** `regular`, `free_customer_service`, `free_entry_point`. */
  type?: string;
}

/** The conversation a message was billed in (Meta's older pricing model). */
export interface Conversation {
  id: string;
  /** `marketing`, `utility`, `authentication`, `service`, `referral_conversion`… */
  origin?: string;
  expiresAt?: Date;
}

/** A change in the delivery of a message you sent. */
export interface StatusEvent {
  kind: 'status';
  provider: WebhookProvider;
  /** The id of the message you sent. */
  messageId: string;
  status: DeliveryStatus;
  /** Who the message went to: phone digits, or the business-scoped user id without a phone. */
  recipient?: string;
  /** Everything the status says about the recipient. */
  recipientUser?: WhatsAppUser;
  /** Set for messages sent to a group. */
  groupId?: string;
  timestamp?: Date;
  /** The first of `errors`. */
  error?: WebhookError;
  errors: WebhookError[];
  pricing?: Pricing;
  conversation?: Conversation;
  /** The `biz_opaque_callback_data` you sent the message with. */
  callbackData?: string;
  business?: BusinessNumber;
  raw: unknown;
}

/** A template was approved, rejected, paused, disabled… (`message_template_status_update`). */
export interface TemplateStatusEvent {
  kind: 'template_status';
  provider: WebhookProvider;
  templateId: string;
  name?: string;
  language?: string;
  /** `APPROVED`, `REJECTED`, `PENDING`, `PAUSED`, `DISABLED`, `FLAGGED`, `IN_APPEAL`… */
  event: string;
  /** Why, for rejections and pauses (`NONE` when there is none). */
  reason?: string;
  /** Meta's extra explanation (`other_info`: title and description). */
  detail?: string;
  /** The template's category (`message_template_category`): `MARKETING`, `UTILITY`… */
  category?: string;
  /** For `INVALID_FORMAT` rejections (`rejection_info`): what is wrong and how to fix it. */
  rejection?: { reason?: string; recommendation?: string };
  /** For disabled templates (`disable_info.disable_date`). */
  disabledAt?: Date;
  business?: BusinessNumber;
  raw: unknown;
}

/** A template's quality rating changed (`message_template_quality_update`). */
export interface TemplateQualityEvent {
  kind: 'template_quality';
  provider: WebhookProvider;
  templateId: string;
  name?: string;
  language?: string;
  /** `GREEN`, `YELLOW`, `RED`, `UNKNOWN`. */
  previousScore?: string;
  newScore: string;
  business?: BusinessNumber;
  raw: unknown;
}

/** Meta moved a template to another category (`template_category_update`). */
export interface TemplateCategoryEvent {
  kind: 'template_category';
  provider: WebhookProvider;
  templateId: string;
  name?: string;
  language?: string;
  previousCategory?: string;
  newCategory: string;
  /** Set when Meta says which category it should be. */
  correctCategory?: string;
  /** When Meta will move the template to `correctCategory` (`category_update_timestamp`). */
  scheduledAt?: Date;
  business?: BusinessNumber;
  raw: unknown;
}

/** The business account changed: verified, restricted, banned, a violation… (`account_update`). */
export interface AccountUpdateEvent {
  kind: 'account_update';
  provider: WebhookProvider;
  /** `VERIFIED_ACCOUNT`, `DISABLED_UPDATE`, `ACCOUNT_VIOLATION`, `ACCOUNT_RESTRICTION`… */
  event: string;
  phoneNumber?: string;
  /** The violation or restriction Meta names, where it names one. */
  detail?: string;
  /** The business's primary country (`BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE`), ISO 3166. */
  country?: string;
  business?: BusinessNumber;
  raw: unknown;
}

/** A business number's quality or messaging limit changed (`phone_number_quality_update`). */
export interface PhoneNumberQualityEvent {
  kind: 'phone_number_quality';
  provider: WebhookProvider;
  displayPhoneNumber?: string;
  /** `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`, `ONBOARDING`. */
  event: string;
  /**
   * The messaging limit now, e.g. `TIER_1K`: Meta's `current_limit`, or, once Meta drops that
   * field, `max_daily_conversations_per_business`.
   */
  currentLimit?: string;
  /** The limit before the change (`old_limit`), for messaging limit changes. */
  previousLimit?: string;
  /** The business portfolio's messaging limit (`max_daily_conversations_per_business`). */
  maxDailyConversations?: string;
  business?: BusinessNumber;
  raw: unknown;
}

/** Meta decided on a requested display name (`phone_number_name_update`). */
export interface PhoneNumberNameEvent {
  kind: 'phone_number_name';
  provider: WebhookProvider;
  displayPhoneNumber?: string;
  /** `APPROVED`, `DECLINED`, `NONE`. */
  decision: string;
  requestedName?: string;
  rejectionReason?: string;
  business?: BusinessNumber;
  raw: unknown;
}

/** A customer stopped or resumed marketing messages (`user_preferences`). */
export interface UserPreferenceEvent {
  kind: 'user_preference';
  provider: WebhookProvider;
  /** Phone digits, or the business-scoped user id without a phone. */
  from: string;
  user: WhatsAppUser;
  /** `marketing_messages`. */
  category: string;
  /** `stop` or `resume`. */
  value: string;
  detail?: string;
  timestamp?: Date;
  business?: BusinessNumber;
  raw: unknown;
}

/**
 * A message the business sent from the WhatsApp Business app or a linked device, echoed to the
 * API (coexistence numbers, `smb_message_echoes`). Not a customer's message: never answer it.
 */
export interface EchoEvent {
  kind: 'echo';
  provider: WebhookProvider;
  id?: string;
  /** The customer it went to: phone digits, or the business-scoped user id. */
  to: string;
  /** Everything the webhook says about that customer (`to`, `to_user_id`, the change's contact). */
  toUser?: WhatsAppUser;
  timestamp?: Date;
  content: InboundContent;
  business?: BusinessNumber;
  raw: unknown;
}

/**
 * Past chats shared when a WhatsApp Business app number joins the API (`history`, coexistence):
 * one event per thread.
 */
export interface HistoryEvent {
  kind: 'history';
  provider: WebhookProvider;
  /** The customer the thread is with: phone digits, or their business-scoped user id. */
  threadId: string;
  /** Everything the thread says about that customer (`threads[].context`), where it says it. */
  user?: WhatsAppUser;
  /** Sync phase (0, 1, 2) and progress in percent, as Meta reports them. */
  phase?: number;
  progress?: number;
  /** The chunk's place in its phase (`chunk_order`): chunks may arrive out of order. */
  chunkOrder?: number;
  /**
   * The thread's messages, customer's and business's, oldest first as Meta lists them. `status`
   * is the message's last delivery state (`history_context.status`: `READ`, `PLAYED`…); `to` is
   * set on the business's messages.
   */
  messages: {
    id?: string;
    from?: string;
    to?: string;
    timestamp?: Date;
    status?: string;
    content: InboundContent;
  }[];
  business?: BusinessNumber;
  raw: unknown;
}

/**
 * A WhatsApp call to or from the business (`calls`): connect, terminate, or a ringing/accepted/
 * rejected status. Its own kind, so a call's status is never read as a message's.
 */
export interface CallEvent {
  kind: 'call';
  provider: WebhookProvider;
  callId: string;
  /** `connect`, `terminate`, or `status` for a call status. */
  event: string;
  /** For statuses: `RINGING`, `ACCEPTED`, `REJECTED`; for terminations: `COMPLETED`, `FAILED`. */
  status?: string;
  /** `USER_INITIATED` or `BUSINESS_INITIATED`. */
  direction?: string;
  from?: string;
  to?: string;
  /** Seconds, on termination. */
  duration?: number;
  /** When the call started and ended (`start_time`, `end_time`), on termination. */
  startedAt?: Date;
  endedAt?: Date;
  /** The WebRTC session Meta offers (`connect` of a user's call) or answers (`sdp_type`, `sdp`). */
  session?: { sdpType?: string; sdp?: string };
  /** The `biz_opaque_callback_data` you passed when connecting or accepting the call. */
  callbackData?: string;
  /** Why a call failed, where Meta says. */
  errors?: WebhookError[];
  timestamp?: Date;
  business?: BusinessNumber;
  raw: unknown;
}

/** Meta reports a problem with the whole change rather than one message (`value.errors`). */
export interface ErrorEvent {
  kind: 'error';
  provider: WebhookProvider;
  errors: WebhookError[];
  business?: BusinessNumber;
  raw: unknown;
}

/**
 * An item Kabar could not type: a field or message it does not model, or one malformed. The rest
 * of the webhook is still read; `reason` says what was wrong, `raw` holds the item.
 */
export interface UnknownEvent {
  kind: 'unknown';
  provider: WebhookProvider;
  /** Meta's `changes[].field`, where there is one. */
  field?: string;
  reason: string;
  business?: BusinessNumber;
  raw: unknown;
}

/**
 * A WhatsApp-Web-style gateway (Fonnte, Wablas) reports that its device (your number's session)
 * connected or disconnected. While disconnected nothing is sent: scan the QR code again.
 */
export interface ConnectionEvent {
  kind: 'connection';
  provider: WebhookProvider;
  /** `connected`, or `disconnected` when the session needs a new QR scan. */
  status: 'connected' | 'disconnected';
  /** The device: its number or the gateway's device id. */
  device?: string;
  /** The gateway's explanation, e.g. why the device disconnected. */
  reason?: string;
  timestamp?: Date;
  raw: unknown;
}

/** Every event a webhook can carry; switch on `kind`. */
export type WebhookEvent =
  | MessageEvent
  | StatusEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | TemplateCategoryEvent
  | AccountUpdateEvent
  | PhoneNumberQualityEvent
  | PhoneNumberNameEvent
  | UserPreferenceEvent
  | EchoEvent
  | HistoryEvent
  | CallEvent
  | ErrorEvent
  | ConnectionEvent
  | UnknownEvent;

/** The `kind`s of `WebhookEvent`. */
export type WebhookEventKind = WebhookEvent['kind'];
