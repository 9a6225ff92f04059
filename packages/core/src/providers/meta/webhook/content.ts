import type { InboundContent, OrderItem, SharedContact } from '../../../webhooks/events.js';
import {
  errorsOf,
  ItemError,
  isRecord,
  type Json,
  number,
  optionalNumber,
  optionalString,
  record,
  records,
  string,
} from '../../../webhooks/parse/json.js';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function sharedContact(card: Json): SharedContact {
  const name = isRecord(card.name) ? card.name : {};
  return {
    name:
      optionalString(name.formatted_name) ??
      ([name.first_name, name.last_name].filter((part) => typeof part === 'string').join(' ') ||
        undefined),
    phones: records(card.phones).flatMap((phone) => {
      const value = optionalString(phone.phone) ?? optionalString(phone.wa_id);
      return value
        ? [{ phone: value, waId: optionalString(phone.wa_id), type: optionalString(phone.type) }]
        : [];
    }),
    emails: records(card.emails).flatMap((email) => {
      const value = optionalString(email.email);
      return value ? [{ email: value, type: optionalString(email.type) }] : [];
    }),
    organization: isRecord(card.org) ? optionalString(card.org.company) : undefined,
    vcard: optionalString(card.vcard),
    origin: optionalString(card.origin),
    raw: card,
  };
}

function interactiveContent(message: Json, path: string): InboundContent {
  const interactive = record(message.interactive, `${path}.interactive`);
  const kind = string(interactive.type, `${path}.interactive.type`);
  if (kind === 'button_reply') {
    const reply = record(interactive.button_reply, `${path}.interactive.button_reply`);
    return {
      type: 'button',
      id: string(reply.id, `${path}.interactive.button_reply.id`),
      title: optionalString(reply.title) ?? '',
    };
  }
  if (kind === 'list_reply') {
    const reply = record(interactive.list_reply, `${path}.interactive.list_reply`);
    return {
      type: 'list',
      id: string(reply.id, `${path}.interactive.list_reply.id`),
      title: optionalString(reply.title) ?? '',
      description: optionalString(reply.description),
    };
  }
  if (kind === 'nfm_reply') {
    const reply = record(interactive.nfm_reply, `${path}.interactive.nfm_reply`);
    let response: unknown = reply.response_json;
    if (typeof response === 'string') {
      try {
        response = JSON.parse(response);
      } catch {
        throw new ItemError(`${path}.interactive.nfm_reply.response_json is not JSON`);
      }
    }
    const parsed = record(response, `${path}.interactive.nfm_reply.response_json`);
    return {
      type: 'flow',
      response: parsed,
      flowToken: optionalString(parsed.flow_token),
      name: optionalString(reply.name),
      body: optionalString(reply.body),
    };
  }
  return { type: 'unsupported', originalType: `interactive.${kind}`, errors: [] };
}

/**
 * The content of one message in Meta's shape (which Kirem's `data` follows too). `inEdit`: the
 * message is an edit's new version, which cannot itself be an edit (and must not recurse).
 */
export function graphContent(message: Json, path: string, inEdit = false): InboundContent {
  const type = string(message.type ?? 'text', `${path}.type`);
  if (type === 'text') {
    const text = message.text;
    // Kirem's examples sometimes give the body as a plain string.
    const body = isRecord(text) ? text.body : text;
    return {
      type: 'text',
      text: typeof body === 'string' ? body : string(body, `${path}.text.body`),
    };
  }
  if (type === 'interactive') return interactiveContent(message, path);
  if (type === 'button') {
    // A tap on a template's quick-reply button.
    const button = record(message.button, `${path}.button`);
    const title = optionalString(button.text) ?? '';
    return { type: 'button', id: optionalString(button.payload) ?? title, title };
  }
  if (MEDIA_TYPES.has(type)) {
    const media = record(message[type], `${path}.${type}`);
    return {
      type: type as 'image',
      mediaId: optionalString(media.id),
      url: optionalString(media.url),
      link: optionalString(media.link),
      mimeType: optionalString(media.mime_type),
      sha256: optionalString(media.sha256),
      caption: optionalString(media.caption),
      filename: optionalString(media.filename),
      voice: typeof media.voice === 'boolean' ? media.voice : undefined,
      animated: typeof media.animated === 'boolean' ? media.animated : undefined,
    };
  }
  if (type === 'location') {
    const location = record(message.location, `${path}.location`);
    return {
      type: 'location',
      latitude: number(location.latitude, `${path}.location.latitude`),
      longitude: number(location.longitude, `${path}.location.longitude`),
      name: optionalString(location.name),
      address: optionalString(location.address),
      url: optionalString(location.url),
    };
  }
  if (type === 'contacts') {
    if (!Array.isArray(message.contacts)) throw new ItemError(`${path}.contacts must be an array`);
    return { type: 'contacts', contacts: records(message.contacts).map(sharedContact) };
  }
  if (type === 'reaction') {
    const reaction = record(message.reaction, `${path}.reaction`);
    const emoji = typeof reaction.emoji === 'string' ? reaction.emoji : '';
    return {
      type: 'reaction',
      messageId: string(reaction.message_id, `${path}.reaction.message_id`),
      emoji,
      removed: emoji === '',
    };
  }
  if (type === 'order') {
    const order = record(message.order, `${path}.order`);
    return {
      type: 'order',
      catalogId: string(order.catalog_id, `${path}.order.catalog_id`),
      text: optionalString(order.text),
      items: records(order.product_items).map(
        (item, i): OrderItem => ({
          productRetailerId: string(
            item.product_retailer_id,
            `${path}.order.product_items[${i}].product_retailer_id`,
          ),
          quantity: number(item.quantity, `${path}.order.product_items[${i}].quantity`),
          itemPrice: optionalNumber(item.item_price),
          currency: optionalString(item.currency),
        }),
      ),
    };
  }
  if (type === 'system') {
    const system = record(message.system, `${path}.system`);
    return {
      type: 'system',
      event: optionalString(system.type) ?? 'unknown',
      body: optionalString(system.body),
      // On a user id change, `wa_id` is the customer's unchanged number, not a new one.
      newPhone:
        system.type === 'user_changed_user_id'
          ? undefined
          : (optionalString(system.wa_id) ?? optionalString(system.new_wa_id)),
      newUserId: optionalString(system.user_id) ?? optionalString(system.new_user_id),
      newParentUserId: optionalString(system.parent_user_id),
    };
  }
  if (type === 'revoke') {
    const revoke = record(message.revoke, `${path}.revoke`);
    return {
      type: 'revoke',
      messageId: string(revoke.original_message_id, `${path}.revoke.original_message_id`),
    };
  }
  if (type === 'edit') {
    if (inEdit) throw new ItemError(`${path} is an edit inside an edit`);
    const edit = record(message.edit, `${path}.edit`);
    return {
      type: 'edit',
      messageId: string(edit.original_message_id, `${path}.edit.original_message_id`),
      content: graphContent(
        record(edit.message, `${path}.edit.message`),
        `${path}.edit.message`,
        true,
      ),
    };
  }
  // Meta's `unsupported` (with errors saying why), or a type this version does not know.
  const unsupported = isRecord(message.unsupported) ? message.unsupported : undefined;
  return {
    type: 'unsupported',
    originalType: (type === 'unsupported' && optionalString(unsupported?.type)) || type,
    errors: errorsOf(message.errors),
  };
}
