import type { Contact, PreparedMessage } from '../../message.js';
import { graphInteractive } from './interactive.js';
import { graphTemplate } from './template.js';

/**
 * The neutral model in the Meta Cloud API's JSON, which Kirem speaks too.
 * Everything here is shape translation; validation happened before. Optional members are left
 * `undefined` rather than removed: JSON leaves them out, and this runs on every send.
 */

type Json = Record<string, unknown>;

function graphContact(contact: Contact): Json {
  const { name } = contact;
  return {
    name: {
      formatted_name: name.formattedName,
      first_name: name.firstName,
      last_name: name.lastName,
      middle_name: name.middleName,
      prefix: name.prefix,
      suffix: name.suffix,
    },
    phones: contact.phones?.map((p) => ({ phone: p.phone, type: p.type, wa_id: p.waId })),
    emails: contact.emails?.map((e) => ({ email: e.email, type: e.type })),
    addresses: contact.addresses?.map((a) => ({
      street: a.street,
      city: a.city,
      state: a.state,
      zip: a.zip,
      country: a.country,
      country_code: a.countryCode,
      type: a.type,
    })),
    org: contact.org,
    urls: contact.urls?.map((u) => ({ url: u.url, type: u.type })),
    birthday: contact.birthday,
  };
}

function graphContent(prepared: PreparedMessage): Json | Json[] {
  switch (prepared.kind) {
    case 'text':
      return {
        body: prepared.content,
        preview_url: (prepared.message as { previewUrl?: boolean }).previewUrl,
      };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return prepared.content as Json;
    case 'template':
      return graphTemplate(prepared.content);
    case 'interactive':
      return graphInteractive(prepared.content);
    case 'location':
      return prepared.content as unknown as Json;
    case 'reaction':
      return { message_id: prepared.content.messageId, emoji: prepared.content.emoji };
    case 'contacts':
      return prepared.content.map(graphContact);
  }
}

/** The request body of `POST …/messages` for one prepared message. */
export function graphMessageBody(prepared: PreparedMessage): Json {
  const { kind, message } = prepared;
  const toUser = prepared.recipientType === 'user';
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    // A business-scoped user id goes in `recipient`; Meta lets `to` win when both are present.
    to: toUser ? undefined : prepared.to,
    recipient: toUser ? prepared.to : undefined,
    type: kind,
    context: message.replyTo ? { message_id: message.replyTo } : undefined,
    biz_opaque_callback_data: message.callbackData,
    [kind]: graphContent(prepared),
  };
}

/** Every message kind a Meta-compatible gateway accepts. */
const GRAPH_MESSAGE_FEATURES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'template',
  'interactive.buttons',
  'interactive.list',
  'interactive.cta_url',
  'interactive.location_request',
  'interactive.carousel',
  'interactive.product',
  'interactive.product_list',
  'interactive.catalog',
  'interactive.flow',
  'interactive.media_header',
  'location',
  'contacts',
  'reaction',
  'reply',
  'callbackData',
  // Meta's platform delivers free-form messages only inside the 24-hour window.
  'customerWindow',
] as const;

/** What the Cloud API offers, and so every gateway that mirrors it. */
export const META_COMPATIBLE_FEATURES = [
  ...GRAPH_MESSAGE_FEATURES,
  'markAsRead',
  'media.upload',
  'media.download',
  'templates.list',
  'templates.create',
  'templates.delete',
  'profile.get',
  'profile.update',
] as const;
