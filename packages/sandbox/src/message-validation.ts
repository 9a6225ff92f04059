import { isRecord } from './http';
import { isValidRecipient } from './phone';

/** Field path (e.g. 'interactive.action.buttons[0].reply.title') -> what is wrong with it. */
export type FieldErrors = Record<string, string>;

export const MESSAGE_TYPES = [
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

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** Length in characters as a person counts them, so an emoji in a button title counts once. */
export function charLength(value: string): number {
  return [...value].length;
}

/**
 * Checks a Cloud-API-shaped message (both dialects send the same body) and returns every bad field,
 * so a client fixing one mistake is not sent back for the next.
 */
export function validateMessage(body: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!isRecord(body)) return { body: 'must be a JSON object' };

  if (body.messaging_product !== 'whatsapp') errors.messaging_product = "must be 'whatsapp'";

  if (body.to === undefined) errors.to = 'is required';
  else if (typeof body.to !== 'string' || !isValidRecipient(body.to)) {
    errors.to = "must be 8 to 15 digits with an optional leading '+'";
  }

  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    errors.type = `must be one of ${MESSAGE_TYPES.join(', ')}`;
    return errors;
  }

  const content = body[type];
  if (content === undefined) {
    errors[type] = 'is required';
    return errors;
  }
  if (type === 'contacts') {
    checkContacts(content, errors);
    return errors;
  }
  if (!isRecord(content)) {
    errors[type] = 'must be an object';
    return errors;
  }

  if (type === 'text') checkText(content, errors);
  else if (MEDIA_TYPES.has(type)) checkMedia(type, content, errors);
  else if (type === 'interactive') checkInteractive(content, errors);
  else if (type === 'location') checkLocation(content, errors);
  else if (type === 'reaction') checkReaction(content, errors);
  else if (type === 'template') checkTemplate(content, errors);
  return errors;
}

/** A read receipt: `{ messaging_product: 'whatsapp', message_id }` (Meta adds status: 'read'). */
export function readReceiptErrors(body: unknown): FieldErrors {
  if (!isRecord(body)) return { body: 'must be a JSON object' };
  const errors: FieldErrors = {};
  if (body.messaging_product !== 'whatsapp') errors.messaging_product = "must be 'whatsapp'";
  const id = body.message_id;
  if (id === undefined) errors.message_id = 'is required';
  else if (typeof id !== 'string' || !/^wamid\..+/.test(id)) {
    errors.message_id = "must be a message id starting with 'wamid.'";
  }
  return errors;
}

function checkString(
  errors: FieldErrors,
  field: string,
  value: unknown,
  limits: { min?: number; max?: number; optional?: boolean } = {},
): void {
  if (value === undefined) {
    if (!limits.optional) errors[field] = 'is required';
    return;
  }
  if (typeof value !== 'string') {
    errors[field] = 'must be a string';
    return;
  }
  const length = charLength(value);
  const { min = 0, max = Number.POSITIVE_INFINITY } = limits;
  if (length >= min && length <= max) return;
  if (max === Number.POSITIVE_INFINITY) errors[field] = 'must not be empty';
  else if (min > 0) errors[field] = `must be ${min} to ${max} characters`;
  else errors[field] = `must be at most ${max} characters`;
}

function checkText(text: Record<string, unknown>, errors: FieldErrors): void {
  checkString(errors, 'text.body', text.body, { min: 1, max: 4096 });
}

function checkMedia(type: string, media: Record<string, unknown>, errors: FieldErrors): void {
  const hasId = media.id !== undefined;
  const hasLink = media.link !== undefined;
  if (hasId === hasLink) errors[type] = 'must have exactly one of id or link';
  if (hasId && (typeof media.id !== 'string' || media.id === '')) {
    errors[`${type}.id`] = 'must be a non-empty string';
  }
  if (hasLink && !isHttpUrl(media.link)) errors[`${type}.link`] = 'must be an http(s) URL';
  checkString(errors, `${type}.caption`, media.caption, { max: 1024, optional: true });
  if (type === 'document') {
    checkString(errors, 'document.filename', media.filename, { optional: true });
  }
}

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function checkInteractive(interactive: Record<string, unknown>, errors: FieldErrors): void {
  const body = interactive.body;
  if (!isRecord(body)) errors['interactive.body.text'] = 'is required';
  else checkString(errors, 'interactive.body.text', body.text, { min: 1, max: 1024 });
  for (const part of ['header', 'footer'] as const) {
    const value = interactive[part];
    if (value === undefined) continue;
    if (!isRecord(value)) errors[`interactive.${part}`] = 'must be an object';
    else {
      const optional = part === 'header' && value.type !== undefined && value.type !== 'text';
      checkString(errors, `interactive.${part}.text`, value.text, { min: 1, max: 60, optional });
    }
  }

  const action = interactive.action;
  if (interactive.type === 'button') {
    if (!isRecord(action)) errors['interactive.action'] = 'is required';
    else checkButtons(action.buttons, errors);
  } else if (interactive.type === 'list') {
    if (!isRecord(action)) errors['interactive.action'] = 'is required';
    else checkList(action, errors);
  } else {
    errors['interactive.type'] = "must be 'button' or 'list'";
  }
}

function checkButtons(buttons: unknown, errors: FieldErrors): void {
  const field = 'interactive.action.buttons';
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
    errors[field] = 'must have 1 to 3 buttons';
    return;
  }
  const seen = new Set<string>();
  buttons.forEach((button: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(button) || !isRecord(button.reply)) {
      errors[`${at}.reply`] = 'is required';
      return;
    }
    if (button.type !== 'reply') errors[`${at}.type`] = "must be 'reply'";
    const { id, title } = button.reply;
    checkString(errors, `${at}.reply.id`, id, { min: 1, max: 256 });
    checkString(errors, `${at}.reply.title`, title, { min: 1, max: 20 });
    if (typeof id === 'string') {
      if (seen.has(id)) errors[`${at}.reply.id`] = 'must be unique';
      seen.add(id);
    }
  });
}

function checkList(action: Record<string, unknown>, errors: FieldErrors): void {
  checkString(errors, 'interactive.action.button', action.button, { min: 1, max: 20 });
  const sections = action.sections;
  const field = 'interactive.action.sections';
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
    errors[field] = 'must have 1 to 10 sections';
    return;
  }
  let rowCount = 0;
  sections.forEach((section: unknown, sectionIndex) => {
    const at = `${field}[${sectionIndex}]`;
    if (!isRecord(section) || !Array.isArray(section.rows)) {
      errors[`${at}.rows`] = 'is required';
      return;
    }
    section.rows.forEach((row: unknown, rowIndex) => {
      rowCount += 1;
      const rowAt = `${at}.rows[${rowIndex}]`;
      if (!isRecord(row)) {
        errors[rowAt] = 'must be an object';
        return;
      }
      checkString(errors, `${rowAt}.id`, row.id, { min: 1, max: 200 });
      checkString(errors, `${rowAt}.title`, row.title, { min: 1, max: 24 });
      checkString(errors, `${rowAt}.description`, row.description, { max: 72, optional: true });
    });
  });
  if (rowCount < 1 || rowCount > 10) errors[field] = 'must contain 1 to 10 rows in total';
}

function checkLocation(location: Record<string, unknown>, errors: FieldErrors): void {
  const inRange = (value: unknown, limit: number) => {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) && Math.abs(number) <= limit;
  };
  if (!inRange(location.latitude, 90))
    errors['location.latitude'] = 'must be a number from -90 to 90';
  if (!inRange(location.longitude, 180)) {
    errors['location.longitude'] = 'must be a number from -180 to 180';
  }
  checkString(errors, 'location.name', location.name, { optional: true });
  checkString(errors, 'location.address', location.address, { optional: true });
}

function checkContacts(contacts: unknown, errors: FieldErrors): void {
  if (!Array.isArray(contacts) || contacts.length === 0) {
    errors.contacts = 'must be a non-empty array';
    return;
  }
  contacts.forEach((contact: unknown, index) => {
    const name = isRecord(contact) ? contact.name : undefined;
    const formatted = isRecord(name) ? name.formatted_name : undefined;
    if (typeof formatted !== 'string' || formatted === '') {
      errors[`contacts[${index}].name.formatted_name`] = 'is required';
    }
  });
}

function checkReaction(reaction: Record<string, unknown>, errors: FieldErrors): void {
  checkString(errors, 'reaction.message_id', reaction.message_id, { min: 1 });
  // An empty emoji is valid: it removes an earlier reaction.
  checkString(errors, 'reaction.emoji', reaction.emoji);
}

function checkTemplate(template: Record<string, unknown>, errors: FieldErrors): void {
  checkString(errors, 'template.name', template.name, { min: 1, max: 512 });
  const language = template.language;
  checkString(errors, 'template.language.code', isRecord(language) ? language.code : undefined, {
    min: 1,
  });
  const components = template.components;
  if (components === undefined) return;
  if (!Array.isArray(components)) {
    errors['template.components'] = 'must be an array';
    return;
  }
  components.forEach((component: unknown, index) => {
    const at = `template.components[${index}]`;
    if (!isRecord(component) || typeof component.type !== 'string') {
      errors[`${at}.type`] = 'is required';
    } else if (component.parameters !== undefined && !Array.isArray(component.parameters)) {
      errors[`${at}.parameters`] = 'must be an array';
    }
  });
}
