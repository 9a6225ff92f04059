/**
 * The neutral message model: one shape for every gateway. Exactly one content key
 * (`text`, `image`, `template`, ...) per message; providers translate it to their dialect.
 */

/**
 * A phone number in any common form (`0812…`, `+62 812…`, `62812…`), normalised before sending,
 * or `{ group }` with a group id from `groups.list` (gateways with the `group` feature).
 */
export type Recipient = string | { group: string };

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
export type AudioContent = MediaSource;
/** A sticker (a WebP image); it cannot have a caption. */
export type StickerContent = MediaSource;
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
 * header, and `payload` is what a quick-reply button returns when tapped.
 */
export type TemplateParameter =
  | string
  | number
  | { type: 'text'; text: string }
  | { type: 'currency'; currency: { fallbackValue: string; code: string; amount1000: number } }
  | { type: 'date_time'; dateTime: { fallbackValue: string } }
  | { type: 'image'; image: MediaSource }
  | { type: 'video'; video: MediaSource }
  | { type: 'document'; document: MediaSource & { filename?: string } }
  | { type: 'payload'; payload: string };

/**
 * The parameters for one part of a template: its header, its body, or the button at `index`
 * (0-based) of type `subType`. A body component and `TemplateContent.params` cannot both be given.
 */
export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | {
      type: 'button';
      subType: 'quick_reply' | 'url';
      index: number;
      parameters: TemplateParameter[];
    };

/**
 * A message template: on Meta-compatible gateways, one Meta approved (the only way to open a
 * conversation outside the 24-hour customer-service window); on Qirim, one stored at the gateway.
 */
export interface TemplateContent {
  /** The template's name as registered, at most 512 characters. */
  name: string;
  /** Language code of the approved template, e.g. `id` or `en_US`. */
  language: string;
  /** Short form: positional body parameters, `['Budi', '50']` fills `{{1}}` and `{{2}}`. */
  params?: TemplateParameter[];
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

/** A text with one to three reply buttons under it. */
export interface InteractiveButtons {
  type: 'buttons';
  /** At most 1024 characters. */
  body: string;
  /** Text above the body, at most 60 characters. */
  header?: string;
  /** Small text below the body, at most 60 characters. */
  footer?: string;
  /** One to three buttons with distinct ids. */
  buttons: ReplyButton[];
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

/** Reply buttons or a list, told apart by `type`. */
export type InteractiveContent = InteractiveButtons | InteractiveList;

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
}

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

/** Every content key a message may carry. */
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
] as const;

/** One content key, e.g. `text` or `template`. */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The kinds of media file, each with its own size limit (`LIMITS.mediaBytes`). */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** A message after validation: the recipients normalised and its kind known. */
export interface PreparedMessage {
  kind: MessageKind;
  /** Digits-only international number, or the group id (the first one of a batch). */
  to: string;
  /** Every recipient, normalised; one entry unless the message was addressed to a batch. */
  recipients: string[];
  /** True when `to` is a group id rather than a phone number. */
  toGroup: boolean;
  /** The message as the caller gave it. */
  message: OutgoingMessage;
}

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
  /** The gateway's response body, unmodified. */
  raw: unknown;
}
