import { ValidationError } from './errors.js';
import type {
  Contact,
  InteractiveContent,
  MessageKind,
  OutgoingMessage,
  PreparedMessage,
  TemplateContent,
  TemplateParameter,
} from './message.js';
import { MESSAGE_KINDS } from './message.js';
import { type NormalizePhoneOptions, normalizePhone } from './phone.js';

/** WhatsApp's limits, checked before any network call. Lengths count characters, not bytes. */
export const LIMITS = {
  textBody: 4096,
  caption: 1024,
  filename: 240,
  interactiveBody: 1024,
  interactiveHeader: 60,
  interactiveFooter: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listSections: 10,
  listRows: 10,
  listSectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  templateName: 512,
  /** Media size limits in bytes, by kind. */
  mediaBytes: {
    image: 5 * 1024 * 1024,
    video: 16 * 1024 * 1024,
    audio: 16 * 1024 * 1024,
    document: 100 * 1024 * 1024,
    sticker: 500 * 1024,
  },
} as const;

export function charLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function requireString(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(field, 'is required and must be a non-empty string');
  }
  if (max !== undefined && charLength(value) > max) {
    throw new ValidationError(
      field,
      `must be at most ${max} characters (got ${charLength(value)})`,
    );
  }
  return value;
}

function optionalString(value: unknown, field: string, max: number): void {
  if (value === undefined) return;
  requireString(value, field, max);
}

function contentKinds(message: OutgoingMessage): MessageKind[] {
  const record = message as unknown as Record<string, unknown>;
  return MESSAGE_KINDS.filter((kind) => record[kind] !== undefined);
}

function checkMediaSource(value: unknown, field: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(field, 'must be an object with `link` or `id`');
  }
  const { link, id } = value as { link?: unknown; id?: unknown };
  if ((link === undefined) === (id === undefined)) {
    throw new ValidationError(field, 'needs exactly one of `link` or `id`');
  }
  if (link !== undefined) {
    const url = requireString(link, `${field}.link`);
    if (!/^https?:\/\//i.test(url)) {
      throw new ValidationError(`${field}.link`, 'must be an http(s) URL');
    }
  } else {
    requireString(id, `${field}.id`);
  }
}

function checkMedia(message: OutgoingMessage, kind: MessageKind): void {
  const media = (message as unknown as Record<string, Record<string, unknown>>)[kind];
  checkMediaSource(media, kind);
  optionalString(media?.caption, `${kind}.caption`, LIMITS.caption);
  optionalString(media?.filename, `${kind}.filename`, LIMITS.filename);
  if ((kind === 'audio' || kind === 'sticker') && media?.caption !== undefined) {
    throw new ValidationError(`${kind}.caption`, `${kind} messages cannot have a caption`);
  }
}

function checkTemplateParameter(param: TemplateParameter, field: string): void {
  if (typeof param === 'number') return;
  const text = typeof param === 'string' ? param : param.type === 'text' ? param.text : undefined;
  if (text === undefined) return;
  requireString(text, field);
  // WhatsApp rejects these at delivery time (error 132018); failing here saves a round trip.
  if (/[\n\t]/.test(text) || / {5,}/.test(text)) {
    throw new ValidationError(
      field,
      'must not contain new lines, tabs or more than 4 spaces in a row',
    );
  }
}

function checkTemplate(template: TemplateContent): void {
  if (typeof template !== 'object' || template === null) {
    throw new ValidationError('template', 'must be an object');
  }
  requireString(template.name, 'template.name', LIMITS.templateName);
  requireString(template.language, 'template.language');
  if (template.params !== undefined) {
    if (!Array.isArray(template.params))
      throw new ValidationError('template.params', 'must be an array');
    template.params.forEach((p, i) => {
      checkTemplateParameter(p, `template.params[${i}]`);
    });
  }
  if (template.components !== undefined) {
    if (!Array.isArray(template.components)) {
      throw new ValidationError('template.components', 'must be an array');
    }
    template.components.forEach((component, i) => {
      const field = `template.components[${i}]`;
      if (!['header', 'body', 'button'].includes(component.type)) {
        throw new ValidationError(`${field}.type`, 'must be header, body or button');
      }
      if (component.type === 'body' && template.params !== undefined) {
        throw new ValidationError(field, 'a body component and `params` cannot both be given');
      }
      if (component.type === 'button') {
        if (component.subType !== 'quick_reply' && component.subType !== 'url') {
          throw new ValidationError(`${field}.subType`, 'must be quick_reply or url');
        }
        if (!Number.isInteger(component.index) || component.index < 0) {
          throw new ValidationError(`${field}.index`, 'must be a whole number from 0');
        }
      }
      if (!Array.isArray(component.parameters)) {
        throw new ValidationError(`${field}.parameters`, 'must be an array');
      }
      component.parameters.forEach((p, j) => {
        checkTemplateParameter(p, `${field}.parameters[${j}]`);
      });
    });
  }
}

function checkUniqueIds(ids: string[], field: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new ValidationError(`${field}[${i}].id`, `duplicate id "${id}"`);
    seen.add(id);
  });
}

function checkInteractive(interactive: InteractiveContent): void {
  if (typeof interactive !== 'object' || interactive === null) {
    throw new ValidationError('interactive', 'must be an object');
  }
  requireString(interactive.body, 'interactive.body', LIMITS.interactiveBody);
  optionalString(interactive.header, 'interactive.header', LIMITS.interactiveHeader);
  optionalString(interactive.footer, 'interactive.footer', LIMITS.interactiveFooter);
  if (interactive.type === 'buttons') {
    const { buttons } = interactive;
    if (!Array.isArray(buttons) || buttons.length === 0) {
      throw new ValidationError('interactive.buttons', 'needs at least one button');
    }
    if (buttons.length > LIMITS.buttons) {
      throw new ValidationError(
        'interactive.buttons',
        `at most ${LIMITS.buttons} buttons (got ${buttons.length})`,
      );
    }
    buttons.forEach((button, i) => {
      requireString(button.id, `interactive.buttons[${i}].id`, LIMITS.buttonId);
      requireString(button.title, `interactive.buttons[${i}].title`, LIMITS.buttonTitle);
    });
    checkUniqueIds(
      buttons.map((b) => b.id),
      'interactive.buttons',
    );
    return;
  }
  if (interactive.type === 'list') {
    requireString(interactive.button, 'interactive.button', LIMITS.listButton);
    const { sections } = interactive;
    if (!Array.isArray(sections) || sections.length === 0) {
      throw new ValidationError('interactive.sections', 'needs at least one section');
    }
    if (sections.length > LIMITS.listSections) {
      throw new ValidationError('interactive.sections', `at most ${LIMITS.listSections} sections`);
    }
    const rowIds: string[] = [];
    sections.forEach((section, i) => {
      const field = `interactive.sections[${i}]`;
      optionalString(section.title, `${field}.title`, LIMITS.listSectionTitle);
      if (sections.length > 1 && section.title === undefined) {
        throw new ValidationError(`${field}.title`, 'is required when a list has several sections');
      }
      if (!Array.isArray(section.rows) || section.rows.length === 0) {
        throw new ValidationError(`${field}.rows`, 'needs at least one row');
      }
      section.rows.forEach((row, j) => {
        requireString(row.id, `${field}.rows[${j}].id`, LIMITS.rowId);
        requireString(row.title, `${field}.rows[${j}].title`, LIMITS.rowTitle);
        optionalString(row.description, `${field}.rows[${j}].description`, LIMITS.rowDescription);
        rowIds.push(row.id);
      });
    });
    if (rowIds.length > LIMITS.listRows) {
      throw new ValidationError(
        'interactive.sections',
        `at most ${LIMITS.listRows} rows in total (got ${rowIds.length})`,
      );
    }
    const seen = new Set<string>();
    for (const id of rowIds) {
      if (seen.has(id))
        throw new ValidationError('interactive.sections', `duplicate row id "${id}"`);
      seen.add(id);
    }
    return;
  }
  throw new ValidationError('interactive.type', 'must be "buttons" or "list"');
}

function checkCoordinate(value: unknown, field: string, limit: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw new ValidationError(field, `must be a number from -${limit} to ${limit}`);
  }
}

function checkContacts(contacts: Contact[]): void {
  if (!Array.isArray(contacts) || contacts.length === 0) {
    throw new ValidationError('contacts', 'needs at least one contact');
  }
  contacts.forEach((contact, i) => {
    requireString(contact?.name?.formattedName, `contacts[${i}].name.formattedName`);
    contact.phones?.forEach((p, j) => {
      requireString(p.phone, `contacts[${i}].phones[${j}].phone`);
    });
    contact.emails?.forEach((e, j) => {
      requireString(e.email, `contacts[${i}].emails[${j}].email`);
    });
    contact.urls?.forEach((u, j) => {
      requireString(u.url, `contacts[${i}].urls[${j}].url`);
    });
  });
}

function checkContent(message: OutgoingMessage, kind: MessageKind): void {
  switch (kind) {
    case 'text':
      requireString((message as { text: unknown }).text, 'text', LIMITS.textBody);
      return;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      checkMedia(message, kind);
      return;
    case 'template':
      checkTemplate((message as { template: TemplateContent }).template);
      return;
    case 'interactive':
      checkInteractive((message as { interactive: InteractiveContent }).interactive);
      return;
    case 'location': {
      const { location } = message as unknown as { location: Record<string, unknown> };
      if (typeof location !== 'object' || location === null) {
        throw new ValidationError('location', 'must be an object');
      }
      checkCoordinate(location.latitude, 'location.latitude', 90);
      checkCoordinate(location.longitude, 'location.longitude', 180);
      optionalString(location.name, 'location.name', 1000);
      optionalString(location.address, 'location.address', 1000);
      return;
    }
    case 'contacts':
      checkContacts((message as { contacts: Contact[] }).contacts);
      return;
    case 'reaction': {
      const { reaction } = message as { reaction: { messageId?: unknown; emoji?: unknown } };
      requireString(reaction?.messageId, 'reaction.messageId');
      if (typeof reaction.emoji !== 'string') {
        throw new ValidationError(
          'reaction.emoji',
          'must be a string (empty removes the reaction)',
        );
      }
      return;
    }
  }
}

/**
 * Checks a message against WhatsApp's rules and normalises the recipient.
 * Throws `ValidationError` naming the field, or `InvalidPhoneError`.
 */
export function prepareMessage(
  message: OutgoingMessage,
  phoneOptions: NormalizePhoneOptions = {},
): PreparedMessage {
  if (typeof message !== 'object' || message === null) {
    throw new ValidationError('message', 'must be an object');
  }
  const kinds = contentKinds(message);
  if (kinds.length !== 1) {
    throw new ValidationError(
      'message',
      kinds.length === 0
        ? `needs one of ${MESSAGE_KINDS.join(', ')}`
        : `has several contents (${kinds.join(', ')}); send one per message`,
    );
  }
  const kind = kinds[0] as MessageKind;
  checkContent(message, kind);
  if (message.replyTo !== undefined) requireString(message.replyTo, 'replyTo');
  if (message.notifyUrl !== undefined && !/^https?:\/\/\S+$/i.test(message.notifyUrl)) {
    throw new ValidationError('notifyUrl', 'must be an http(s) URL');
  }
  if (message.idempotencyKey !== undefined) {
    requireString(message.idempotencyKey, 'idempotencyKey', 255);
  }
  const { to } = message;
  if (Array.isArray(to)) {
    if (to.length === 0) throw new ValidationError('to', 'needs at least one recipient');
    const recipients = to.map((number) => normalizePhone(number, phoneOptions));
    return { kind, to: recipients[0] as string, recipients, toGroup: false, message };
  }
  if (typeof to === 'object' && to !== null) {
    const group = requireString(to.group, 'to.group');
    return { kind, to: group, recipients: [group], toGroup: true, message };
  }
  if (to === undefined) throw new ValidationError('to', 'is required');
  const number = normalizePhone(to, phoneOptions);
  return { kind, to: number, recipients: [number], toGroup: false, message };
}
