/** What a webhook tells you: one typed union for every gateway's dialect. */

export type WebhookProvider = 'meta' | 'kirem' | 'waviro';

export type InboundContent =
  | { type: 'text'; text: string }
  /** A quick-reply button: interactive `button_reply`, or a template's button. */
  | { type: 'button'; id: string; title: string }
  | { type: 'list'; id: string; title: string; description?: string }
  | {
      type: 'image' | 'video' | 'audio' | 'document' | 'sticker';
      mediaId?: string;
      link?: string;
      mimeType?: string;
      caption?: string;
      filename?: string;
    }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contacts'; contacts: unknown[] }
  | { type: 'reaction'; messageId: string; emoji: string }
  /** Waviro's keyword commands: `penawaran#Budi#budi@toko.id` gives keyword `penawaran#`. */
  | { type: 'keyword'; keyword: string; data: string[] }
  /** A message type this version does not model; the payload is in `raw`. */
  | { type: 'unsupported'; originalType: string };

export interface MessageEvent {
  kind: 'message';
  provider: WebhookProvider;
  /** The sender, digits only. */
  from: string;
  /** The gateway's message id, where it gives one (Waviro keyword calls have none). */
  id?: string;
  /** The sender's WhatsApp profile name, where the gateway passes it on. */
  name?: string;
  timestamp?: Date;
  /** The message this one quotes. */
  replyTo?: string;
  content: InboundContent;
  /** The gateway's own object for this message, unmodified. */
  raw: unknown;
}

export type DeliveryStatus = 'failed' | 'pending' | 'sent' | 'delivered' | 'read';

export interface StatusEvent {
  kind: 'status';
  provider: WebhookProvider;
  /** The id of the message you sent. */
  messageId: string;
  status: DeliveryStatus;
  recipient?: string;
  timestamp?: Date;
  error?: { code?: number | string; title?: string; message?: string };
  raw: unknown;
}

export type WebhookEvent = MessageEvent | StatusEvent;
