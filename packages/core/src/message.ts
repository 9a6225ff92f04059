/**
 * The neutral message model: one shape for every gateway. Exactly one content key
 * (`text`, `image`, `template`, ...) per message; providers translate it to their dialect.
 */

/**
 * A phone number in any common form (`0812…`, `+62 812…`, `62812…`), normalised before sending;
 * `{ group }` with a group id from `groups.list` (gateways with the `group` feature); or
 * `{ userId }` with a business-scoped user id (`US.13491208655302741918`) from an inbound
 * message of a customer who hides their number behind a username (feature `recipient.userId`).
 */
export type Recipient = string | { group: string } | { userId: string };

/**
 * Where a media file comes from: exactly one of `link`, a public http(s) URL the gateway fetches,
 * or `id`, a file uploaded with `media.upload`. Anything else throws `validation`.
 */
export type MediaSource = { link: string; id?: never } | { id: string; link?: never };

/** An image, with an optional caption of at most 1024 characters. */
export type ImageContent = MediaSource & { caption?: string };
/** A video, with an optional caption of at most 1024 characters. */
export type VideoContent = MediaSource & { caption?: string };
/** An audio file or voice note; it cannot have a caption. */
export type AudioContent = MediaSource & { caption?: never };
/** A sticker (a WebP image); it cannot have a caption. */
export type StickerContent = MediaSource & { caption?: never };
/**
 * A file of any type. `caption` is at most 1024 characters; `filename`, the name the recipient
 * sees, at most 240.
 */
export type DocumentContent = MediaSource & { caption?: string; filename?: string };

/**
 * One value for a template placeholder. A string or number is short for `{ type: 'text', text }`;
 * text must be non-empty, without new lines, tabs or more than four spaces in a row
 * (`validation`). The object forms follow the Cloud API's parameter types: `currency` takes the
 * amount times 1000 in `amount1000` and an ISO 4217 `code`, `image`/`video`/`document` fill a media
 * header, and `payload` is what a quick-reply button returns when tapped. `name` fills a named
 * placeholder (`{{first_name}}`) of a template created with named parameters.
 */
export type TemplateParameter =
  | string
  | number
  | { type: 'text'; text: string; name?: string }
  | {
      type: 'currency';
      currency: { fallbackValue: string; code: string; amount1000: number };
      name?: string;
    }
  | { type: 'date_time'; dateTime: { fallbackValue: string }; name?: string }
  | { type: 'image'; image: MediaSource }
  | { type: 'video'; video: MediaSource }
  | { type: 'document'; document: MediaSource & { filename?: string } }
  | { type: 'payload'; payload: string };

/** A section of products (ids from your catalog) in a multi-product message or button. */
export interface ProductSection {
  /** At most 24 characters; required when there are several sections. */
  title?: string;
  /** The products' retailer ids (SKUs) in the catalog. */
  productIds: string[];
}

/**
 * The send-time value of one template button, at `index` (0-based) among the template's buttons.
 * `quick_reply` and `url` take `parameters` (a payload, the URL's variable part); `otp` fills the
 * copy-code, one-tap or zero-tap button of an authentication template with the code; `copy_code`
 * fills a marketing coupon button; `flow`, `catalog` and `mpm` carry their action's data. Phone
 * and static URL buttons take nothing at send time and are left out.
 */
export type TemplateButton =
  | {
      type: 'button';
      subType: 'quick_reply' | 'url';
      index: number;
      parameters: TemplateParameter[];
    }
  | { type: 'button'; subType: 'otp'; index: number; code: string }
  | { type: 'button'; subType: 'copy_code'; index: number; couponCode: string }
  | {
      type: 'button';
      subType: 'flow';
      index: number;
      /** Identifies this flow session in the replies; Meta's default is `unused`. */
      flowToken?: string;
      /** Data for the flow's first screen. */
      flowActionData?: Record<string, unknown>;
    }
  | { type: 'button'; subType: 'catalog'; index: number; thumbnailProductId?: string }
  | {
      type: 'button';
      subType: 'mpm';
      index: number;
      thumbnailProductId: string;
      sections: ProductSection[];
    };

/** One card of a carousel template: its own header, body and buttons. */
export interface TemplateCard {
  components: (
    | { type: 'header'; parameters: TemplateParameter[] }
    | { type: 'body'; parameters: TemplateParameter[] }
    | TemplateButton
  )[];
}

/**
 * The parameters for one part of a template: its header, its body, a button, the expiry of a
 * limited-time offer (`expiresAt`, epoch milliseconds) or the cards of a carousel template. A body
 * component and `TemplateContent.params` cannot both be given.
 */
export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | TemplateButton
  | { type: 'limited_time_offer'; expiresAt: number }
  | { type: 'carousel'; cards: TemplateCard[] };

/**
 * A message template: on Meta-compatible gateways, one Meta approved (the only way to open a
 * conversation outside the 24-hour customer-service window); on Qirim, one stored at the gateway.
 */
export interface TemplateContent {
  /** The template's name as registered, at most 512 characters. */
  name: string;
  /** Language code of the approved template, e.g. `id` or `en_US`. */
  language: string;
  /**
   * Short form of the body's parameters: positional, `['Budi', '50']` fills `{{1}}` and `{{2}}`;
   * or named, `{ first_name: 'Budi' }` fills `{{first_name}}`.
   */
  params?: TemplateParameter[] | Record<string, TemplateParameter>;
  /** Full form, for header and button parameters. */
  components?: TemplateComponent[];
  /** Named variables of a template stored at the gateway (Qirim): `{ no: 'INV-1', total: 'Rp10.000' }`. */
  vars?: Record<string, string>;
}

/** A reply button. */
export interface ReplyButton {
  /** Returned in the webhook when the button is tapped; at most 256 characters, unique. */
  id: string;
  /** The label, at most 20 characters. */
  title: string;
}

/**
 * What shows above an interactive message's body: a text of at most 60 characters, or an image,
 * video or document (no caption).
 */
export type InteractiveHeader =
  | string
  | { image: MediaSource }
  | { video: MediaSource }
  | { document: MediaSource & { filename?: string } };

/** A text with one to three reply buttons under it. */
export interface InteractiveButtons {
  type: 'buttons';
  /** At most 1024 characters. */
  body: string;
  /** Text (at most 60 characters) or media above the body; media needs `interactive.media_header`. */
  header?: InteractiveHeader;
  /** Small text below the body, at most 60 characters. */
  footer?: string;
  /** One to three buttons with distinct ids. */
  buttons: ReplyButton[];
}

/** A button that opens a web page. */
export interface UrlButton {
  /** The label, at most 20 characters. */
  text: string;
  /** An http(s) URL. */
  url: string;
}

/** A text with one button that opens a URL, so the message need not show the raw link. */
export interface InteractiveCtaUrl {
  type: 'cta_url';
  /** At most 1024 characters. */
  body: string;
  /** Text (at most 60 characters) or media above the body. */
  header?: InteractiveHeader;
  /** Small text below the body, at most 60 characters. */
  footer?: string;
  button: UrlButton;
}

/** A text with a "Send location" button; the customer's location comes back as a message. */
export interface InteractiveLocationRequest {
  type: 'location_request';
  /** At most 1024 characters. */
  body: string;
}

/**
 * One card of a carousel: an image or video, an optional text, and either one URL button or one
 * or two reply buttons. Every card of a carousel has the same kind and number of buttons.
 */
export type CarouselCard = {
  /** The card's media; WhatsApp shows nothing else above the text. */
  header: { image: MediaSource } | { video: MediaSource };
  /** At most 160 characters. */
  body?: string;
} & ({ button: UrlButton; buttons?: never } | { buttons: ReplyButton[]; button?: never });

/** A text followed by two to ten horizontally scrolling media cards. */
export interface InteractiveCarousel {
  type: 'carousel';
  /** At most 1024 characters. */
  body: string;
  cards: CarouselCard[];
}

/** One product from the business's catalog, shown as a card. */
export interface InteractiveProduct {
  type: 'product';
  /** The catalog connected to the WhatsApp Business account. */
  catalogId: string;
  /** The product's retailer id (SKU). */
  productId: string;
  /** At most 1024 characters. */
  body?: string;
  /** At most 60 characters. */
  footer?: string;
}

/** Up to 30 products from the catalog, in up to 10 titled sections. */
export interface InteractiveProductList {
  type: 'product_list';
  catalogId: string;
  /** Required by WhatsApp, at most 60 characters. */
  header: string;
  /** At most 1024 characters. */
  body: string;
  /** At most 60 characters. */
  footer?: string;
  sections: ProductSection[];
}

/** A button that opens the business's whole catalog. */
export interface InteractiveCatalog {
  type: 'catalog';
  /** At most 1024 characters. */
  body: string;
  /** At most 60 characters. */
  footer?: string;
  /** The product whose image is the message's thumbnail; default: the catalog's first. */
  thumbnailProductId?: string;
}

/**
 * A button that opens a WhatsApp Flow (a form inside WhatsApp). Exactly one of `flowId` or
 * `flowName`. The customer's answers come back as a `flow_reply` message.
 */
export interface InteractiveFlow {
  type: 'flow';
  flowId?: string;
  flowName?: string;
  /** The button's label, 1 to 30 characters, no emoji. */
  cta: string;
  /** At most 1024 characters. */
  body: string;
  /** At most 60 characters. */
  header?: string;
  /** At most 60 characters. */
  footer?: string;
  /** Identifies this flow session in the replies; Meta's default is `unused`. */
  flowToken?: string;
  /** `draft` sends an unpublished flow, for testing. Default `published`. */
  mode?: 'draft' | 'published';
  /**
   * `navigate` opens `screen` with `data`; `data_exchange` asks your flow endpoint for the first
   * screen.
   */
  action:
    | { type: 'navigate'; screen: string; data?: Record<string, unknown> }
    | { type: 'data_exchange' };
}

/** One choice in an interactive list. */
export interface ListRow {
  /** Returned in the webhook when the row is picked; at most 200 characters, unique in the list. */
  id: string;
  /** At most 24 characters. */
  title: string;
  /** At most 72 characters. */
  description?: string;
}

/** A titled group of rows in an interactive list. */
export interface ListSection {
  /** At most 24 characters; required when the list has more than one section. */
  title?: string;
  /** At least one row. */
  rows: ListRow[];
}

/**
 * A text with a button that opens a list to pick from: at most 10 sections and 10 rows in total.
 */
export interface InteractiveList {
  type: 'list';
  /** At most 1024 characters. */
  body: string;
  /** Text above the body, at most 60 characters. */
  header?: string;
  /** Small text below the body, at most 60 characters. */
  footer?: string;
  /** Label of the button that opens the list, at most 20 characters. */
  button: string;
  sections: ListSection[];
}

/** Every interactive message, told apart by `type`. */
export type InteractiveContent =
  | InteractiveButtons
  | InteractiveList
  | InteractiveCtaUrl
  | InteractiveLocationRequest
  | InteractiveCarousel
  | InteractiveProduct
  | InteractiveProductList
  | InteractiveCatalog
  | InteractiveFlow;

/** The `type` of an interactive message. */
export type InteractiveType = InteractiveContent['type'];

/** A pin on a map. */
export interface LocationContent {
  /** Degrees, from -90 to 90. */
  latitude: number;
  /** Degrees, from -180 to 180. */
  longitude: number;
  /** The place's name, at most 1000 characters. */
  name?: string;
  /** At most 1000 characters. */
  address?: string;
}

/** A vCard, with the fields WhatsApp (and the Kirem seed) document. */
export interface Contact {
  name: {
    formattedName: string;
    firstName?: string;
    lastName?: string;
    middleName?: string;
    prefix?: string;
    suffix?: string;
  };
  phones?: { phone: string; type?: string; waId?: string }[];
  emails?: { email: string; type?: string }[];
  addresses?: {
    street?: string;
    city?: string;
    state?: string;
    zip?: string;
    country?: string;
    countryCode?: string;
    type?: string;
  }[];
  org?: { company?: string; department?: string; title?: string };
  urls?: { url: string; type?: string }[];
  birthday?: string;
}

/** An emoji reaction to an earlier message. */
export interface ReactionContent {
  /** The message reacted to. */
  messageId: string;
  /** One emoji; an empty string removes the reaction. */
  emoji: string;
}

/**
 * What a message says: exactly one of these keys. None, or more than one, throws `validation`.
 * `text` is at most 4096 characters; `previewUrl` asks WhatsApp to show a preview of the first
 * link in it.
 */
export type MessageContent =
  | { text: string; previewUrl?: boolean }
  | { image: ImageContent }
  | { video: VideoContent }
  | { audio: AudioContent }
  | { document: DocumentContent }
  | { sticker: StickerContent }
  | { template: TemplateContent }
  | { interactive: InteractiveContent }
  | { location: LocationContent }
  | { contacts: Contact[] }
  | { reaction: ReactionContent };

/** Who a message goes to, and options any message may carry whatever its content. */
export interface MessageEnvelope {
  /**
   * One recipient, or several for gateways that send batches (Qirim). Numbers are normalised; an
   * invalid one throws `invalid_phone`.
   */
  to: Recipient | string[];
  /** Id of an earlier message to quote (WhatsApp "reply"). */
  replyTo?: string;
  /**
   * Deduplication key for gateways that honour one (Kirem's `Idempotency-Key`). Generated per
   * send when omitted and kept stable across retries; pass your own (an order id, say) to make a
   * re-run of your code safe too. At most 255 characters.
   */
  idempotencyKey?: string;
  /**
   * An http(s) URL where the gateway should post this message's delivery statuses (Waviro's
   * `notifyurl`).
   */
  notifyUrl?: string;
  /**
   * When the gateway should send the message, for gateways that queue sends (Fonnte, Wablas;
   * feature `schedule`). Must be in the future; absent sends now.
   */
  sendAt?: Date;
  /**
   * Your own reference for this message, at most 512 characters, returned on its status webhooks
   * (`StatusEvent.callbackData`; Meta's `biz_opaque_callback_data`, feature `callbackData`).
   */
  callbackData?: string;
  /**
   * What the message is for, for the send policy: `marketing` is refused (`opted_out`) to a
   * contact who opted out; `utility` (order updates, reminders) and `authentication` (codes) are
   * not. Unset counts as not marketing. Broadcasts set `marketing` unless told otherwise.
   */
  category?: MessageCategory;
}

/** What a message is for, as Meta prices and as consent rules treat it. */
export type MessageCategory = 'marketing' | 'utility' | 'authentication';

/**
 * A message for `send`: the envelope (`to`, ...) plus exactly one content key.
 *
 * @example
 * ```ts
 * const message: OutgoingMessage = {
 *   to: '0812-3456-7890',
 *   interactive: {
 *     type: 'buttons',
 *     body: 'Konfirmasi pesanan #1001?',
 *     buttons: [
 *       { id: 'yes', title: 'Ya' },
 *       { id: 'no', title: 'Batal' },
 *     ],
 *   },
 * };
 * ```
 */
export type OutgoingMessage = MessageEnvelope & MessageContent;

/**
 * Every content key a message may carry; `satisfies` keeps this list and `ContentByKind` in step.
 */
export const MESSAGE_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'template',
  'interactive',
  'location',
  'contacts',
  'reaction',
] as const satisfies readonly (keyof ContentByKind)[];

/** One content key, e.g. `text` or `template`. */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The kinds of media file, each with its own size limit (`LIMITS.mediaBytes`). */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** The content of each kind of message, as `PreparedMessage.content` carries it. */
export interface ContentByKind {
  text: string;
  image: ImageContent;
  video: VideoContent;
  audio: AudioContent;
  document: DocumentContent;
  sticker: StickerContent;
  template: TemplateContent;
  interactive: InteractiveContent;
  location: LocationContent;
  contacts: Contact[];
  reaction: ReactionContent;
}

/** Who a prepared message goes to: a phone number, a group id or a business-scoped user id. */
export type RecipientType = 'phone' | 'group' | 'user';

/**
 * A message after validation: the recipients normalised, and its kind and content known. A union
 * by `kind`, so a `switch` on it narrows `content`, and adding a kind makes the compiler name every
 * switch that must learn it.
 */
export type PreparedMessage = {
  [K in MessageKind]: {
    kind: K;
    /** The message's content under its kind's key, as validated. */
    content: ContentByKind[K];
    /** Digits-only international number, group id or user id (the first one of a batch). */
    to: string;
    /** Every recipient, normalised; one entry unless the message was addressed to a batch. */
    recipients: string[];
    /** What `to` is. */
    recipientType: RecipientType;
    /** The message as the caller gave it. */
    message: OutgoingMessage;
  };
}[MessageKind];

/** The gateway's answer to a send. */
export interface SendResult {
  /**
   * The gateway's message id (`wamid.…` on Meta-compatible gateways); for a queued batch (Qirim),
   * the batch id.
   */
  id: string;
  /** The recipient as the gateway saw it, digits only (`6281234567890`) or a group id. */
  to: string;
  /** The provider that sent it; behind `failover`, the gateway that took the message. */
  provider: string;
  /** The Idempotency-Key sent with the message, where the gateway honours one. */
  idempotencyKey?: string;
  /**
   * Gateways that queue messages (Qirim) answer with a batch rather than a message: its id for
   * `batches.get`, and how many recipients were accepted, queued and rejected.
   */
  batch?: { id: string; accepted: number; queued: number; rejected: number };
  /**
   * One entry per recipient when the gateway took several recipients in one request and answered
   * with a message id for each (Fonnte, Wablas); `id` and `to` are then the first one's.
   */
  messages?: { id: string; to: string }[];
  /** The gateway's response body, unmodified. */
  raw: unknown;
}
