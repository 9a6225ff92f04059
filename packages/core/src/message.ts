/**
 * The neutral message model: one shape for every gateway. Exactly one content key
 * (`text`, `image`, `template`, ...) per message; providers translate it to their dialect.
 */

/** A phone number in any common form (`0812…`, `+62 812…`, `62812…`) or a group id. */
export type Recipient = string | { group: string };

export type MediaSource = { link: string; id?: never } | { id: string; link?: never };

export type ImageContent = MediaSource & { caption?: string };
export type VideoContent = MediaSource & { caption?: string };
export type AudioContent = MediaSource;
export type StickerContent = MediaSource;
export type DocumentContent = MediaSource & { caption?: string; filename?: string };

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

export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | {
      type: 'button';
      subType: 'quick_reply' | 'url';
      index: number;
      parameters: TemplateParameter[];
    };

export interface TemplateContent {
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

export interface ReplyButton {
  id: string;
  title: string;
}

export interface InteractiveButtons {
  type: 'buttons';
  body: string;
  header?: string;
  footer?: string;
  buttons: ReplyButton[];
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export interface InteractiveList {
  type: 'list';
  body: string;
  header?: string;
  footer?: string;
  /** Label of the button that opens the list. */
  button: string;
  sections: ListSection[];
}

export type InteractiveContent = InteractiveButtons | InteractiveList;

export interface LocationContent {
  latitude: number;
  longitude: number;
  name?: string;
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

export interface ReactionContent {
  /** The message reacted to. */
  messageId: string;
  /** One emoji; an empty string removes the reaction. */
  emoji: string;
}

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

export interface MessageEnvelope {
  /** One recipient, or several for gateways that send batches (Qirim). */
  to: Recipient | string[];
  /** Quote this earlier message (WhatsApp "reply"). */
  replyTo?: string;
  /**
   * Deduplication key for gateways that honour one (Kirem's `Idempotency-Key`). Generated per
   * send when omitted and kept stable across retries; pass your own (an order id, say) to make a
   * re-run of your code safe too.
   */
  idempotencyKey?: string;
  /** Where the gateway should post this message's delivery statuses (Waviro's `notifyurl`). */
  notifyUrl?: string;
}

export type OutgoingMessage = MessageEnvelope & MessageContent;

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

export type MessageKind = (typeof MESSAGE_KINDS)[number];

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** A message after validation: the recipients normalised and its kind known. */
export interface PreparedMessage {
  kind: MessageKind;
  /** Digits-only international number, or the group id (the first one of a batch). */
  to: string;
  /** Every recipient, normalised; one entry unless the message was addressed to a batch. */
  recipients: string[];
  toGroup: boolean;
  message: OutgoingMessage;
}

export interface SendResult {
  /** The gateway's message id (`wamid.…` on Meta-compatible gateways). */
  id: string;
  /** The recipient as the gateway saw it. */
  to: string;
  provider: string;
  /** The Idempotency-Key sent with the message, where the gateway honours one. */
  idempotencyKey?: string;
  /** Gateways that queue messages (Qirim) answer with a batch rather than a message. */
  batch?: { id: string; accepted: number; queued: number; rejected: number };
  /** The gateway's response body, unmodified. */
  raw: unknown;
}
