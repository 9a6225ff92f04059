import type {
  Contact,
  InteractiveContent,
  MediaKind,
  PreparedMessage,
  TemplateComponent,
  TemplateContent,
  TemplateParameter,
} from '../message.js';

/**
 * The neutral model in the Meta Cloud API's JSON, which Kirem speaks too.
 * Everything here is shape translation; validation happened before. Optional members are left
 * `undefined` rather than removed: JSON leaves them out, and this runs on every send.
 */

type Json = Record<string, unknown>;

function graphParameter(param: TemplateParameter): Json {
  if (typeof param === 'string' || typeof param === 'number') {
    return { type: 'text', text: String(param) };
  }
  switch (param.type) {
    case 'text':
      return { type: 'text', text: param.text };
    case 'currency':
      return {
        type: 'currency',
        currency: {
          fallback_value: param.currency.fallbackValue,
          code: param.currency.code,
          amount_1000: param.currency.amount1000,
        },
      };
    case 'date_time':
      return { type: 'date_time', date_time: { fallback_value: param.dateTime.fallbackValue } };
    case 'image':
      return { type: 'image', image: { ...param.image } };
    case 'video':
      return { type: 'video', video: { ...param.video } };
    case 'document':
      return { type: 'document', document: { ...param.document } };
    case 'payload':
      return { type: 'payload', payload: param.payload };
  }
}

function graphComponent(component: TemplateComponent): Json {
  const parameters = component.parameters.map(graphParameter);
  if (component.type === 'button') {
    return {
      type: 'button',
      sub_type: component.subType,
      index: String(component.index),
      parameters,
    };
  }
  return { type: component.type, parameters };
}

/** A template message's `template` object in the Cloud API's shape. */
export function graphTemplate(template: TemplateContent): Json {
  const components = (template.components ?? []).map(graphComponent);
  if (template.params !== undefined && template.params.length > 0) {
    components.push({ type: 'body', parameters: template.params.map(graphParameter) });
  }
  return {
    name: template.name,
    language: { code: template.language },
    components: components.length > 0 ? components : undefined,
  };
}

function graphInteractive(interactive: InteractiveContent): Json {
  const common = {
    header:
      interactive.header === undefined ? undefined : { type: 'text', text: interactive.header },
    body: { text: interactive.body },
    footer: interactive.footer === undefined ? undefined : { text: interactive.footer },
  };
  if (interactive.type === 'buttons') {
    return {
      type: 'button',
      ...common,
      action: {
        buttons: interactive.buttons.map((b) => ({
          type: 'reply',
          reply: { id: b.id, title: b.title },
        })),
      },
    };
  }
  return {
    type: 'list',
    ...common,
    action: {
      button: interactive.button,
      sections: interactive.sections.map((section) => ({
        title: section.title,
        rows: section.rows.map((row) => ({
          id: row.id,
          title: row.title,
          description: row.description,
        })),
      })),
    },
  };
}

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
  const message = prepared.message as unknown as Record<string, unknown>;
  switch (prepared.kind) {
    case 'text':
      return { body: message.text, preview_url: message.previewUrl };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return message[prepared.kind as MediaKind] as Json;
    case 'template':
      return graphTemplate(message.template as TemplateContent);
    case 'interactive':
      return graphInteractive(message.interactive as InteractiveContent);
    case 'location':
      return message.location as Json;
    case 'reaction': {
      const reaction = message.reaction as { messageId: string; emoji: string };
      return { message_id: reaction.messageId, emoji: reaction.emoji };
    }
    case 'contacts':
      return (message.contacts as Contact[]).map(graphContact);
  }
}

/** The request body of `POST …/messages` for one prepared message. */
export function graphMessageBody(prepared: PreparedMessage): Json {
  const { kind } = prepared;
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: prepared.to,
    type: kind,
    context: prepared.message.replyTo ? { message_id: prepared.message.replyTo } : undefined,
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
  'location',
  'contacts',
  'reaction',
  'reply',
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
