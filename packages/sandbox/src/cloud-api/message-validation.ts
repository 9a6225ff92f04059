import { isRecord } from '../http.js';
import { isBusinessScopedUserId, isValidRecipient } from '../phone.js';
import { isHttpUrl } from '../webhook-config.js';

/** Field path (e.g. 'interactive.action.buttons[0].reply.title') -> what is wrong with it. */
export type FieldErrors = Record<string, string>;

/** The message types a Cloud API send may have; any other `type` is refused. */
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

  // Meta takes a phone number (`to`), a business-scoped user id (`recipient`) or both; `to` wins.
  if (body.to === undefined) {
    if (body.recipient === undefined) errors.to = 'is required (or recipient, a BSUID)';
  } else if (typeof body.to !== 'string' || !isValidRecipient(body.to)) {
    errors.to = "must be 8 to 15 digits with an optional leading '+'";
  }
  if (body.recipient !== undefined && !isBusinessScopedUserId(body.recipient)) {
    errors.recipient =
      "must be a business-scoped user id: a country code, '.', an optional 'ENT.' and up to 128 letters and digits";
  }
  checkString(errors, 'biz_opaque_callback_data', body.biz_opaque_callback_data, {
    max: 512,
    optional: true,
  });

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

/**
 * A read receipt: `{ messaging_product: 'whatsapp', message_id }` (Meta adds status: 'read'), with
 * an optional `typing_indicator: { type: 'text' }` that shows the customer the business is typing.
 */
export function readReceiptErrors(body: unknown): FieldErrors {
  if (!isRecord(body)) return { body: 'must be a JSON object' };
  const errors: FieldErrors = {};
  if (body.messaging_product !== 'whatsapp') errors.messaging_product = "must be 'whatsapp'";
  const id = body.message_id;
  if (id === undefined) errors.message_id = 'is required';
  else if (typeof id !== 'string' || !/^wamid\..+/.test(id)) {
    errors.message_id = "must be a message id starting with 'wamid.'";
  }
  const typing = body.typing_indicator;
  if (typing !== undefined && (!isRecord(typing) || typing.type !== 'text')) {
    errors['typing_indicator.type'] = "must be 'text'";
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

/** A media object by reference, at `field`: exactly one of an uploaded `id` or an http(s) `link`. */
function checkMediaRef(field: string, media: unknown, errors: FieldErrors): void {
  if (!isRecord(media)) {
    errors[field] = 'is required';
    return;
  }
  const hasId = media.id !== undefined;
  const hasLink = media.link !== undefined;
  if (hasId === hasLink) errors[field] = 'must have exactly one of id or link';
  if (hasId && (typeof media.id !== 'string' || media.id === '')) {
    errors[`${field}.id`] = 'must be a non-empty string';
  }
  if (hasLink && !isHttpUrl(media.link)) errors[`${field}.link`] = 'must be an http(s) URL';
}

function checkMedia(type: string, media: Record<string, unknown>, errors: FieldErrors): void {
  checkMediaRef(type, media, errors);
  checkString(errors, `${type}.caption`, media.caption, { max: 1024, optional: true });
  if (type === 'document') {
    checkString(errors, 'document.filename', media.filename, { optional: true });
  }
}

/** The interactive kinds the Cloud API sends; any other `interactive.type` is refused. */
export const INTERACTIVE_TYPES = [
  'button',
  'list',
  'cta_url',
  'location_request_message',
  'carousel',
  'product',
  'product_list',
  'catalog_message',
  'flow',
] as const;
/** One of the interactive kinds the Cloud API sends. */
export type InteractiveType = (typeof INTERACTIVE_TYPES)[number];

/**
 * Which header, body and footer each kind takes. 'media' headers may also be text; 'none' refuses
 * a header (or footer) outright, as Meta does for carousels and location requests.
 */
interface InteractiveFrame {
  header: 'none' | 'text' | 'media' | 'required-text';
  body: 'required' | 'optional';
  footer: boolean;
}

const FRAMES = {
  button: { header: 'media', body: 'required', footer: true },
  list: { header: 'text', body: 'required', footer: true },
  cta_url: { header: 'media', body: 'required', footer: true },
  location_request_message: { header: 'none', body: 'required', footer: false },
  carousel: { header: 'none', body: 'required', footer: false },
  product: { header: 'none', body: 'optional', footer: true },
  product_list: { header: 'required-text', body: 'required', footer: true },
  catalog_message: { header: 'none', body: 'required', footer: true },
  flow: { header: 'text', body: 'required', footer: true },
} as const satisfies Record<InteractiveType, InteractiveFrame>;

function isInteractiveType(value: unknown): value is InteractiveType {
  return (INTERACTIVE_TYPES as readonly unknown[]).includes(value);
}

function checkInteractive(interactive: Record<string, unknown>, errors: FieldErrors): void {
  const type = interactive.type;
  if (!isInteractiveType(type)) {
    errors['interactive.type'] = `must be one of ${INTERACTIVE_TYPES.join(', ')}`;
    return;
  }
  const frame: InteractiveFrame = FRAMES[type];
  checkInteractiveHeader(frame.header, interactive.header, errors);

  const body = interactive.body;
  if (body === undefined && frame.body === 'optional') {
    // A single-product message may go without text.
  } else if (!isRecord(body)) errors['interactive.body.text'] = 'is required';
  else checkString(errors, 'interactive.body.text', body.text, { min: 1, max: 1024 });

  const footer = interactive.footer;
  if (footer !== undefined) {
    if (!frame.footer) errors['interactive.footer'] = `is not supported on ${type} messages`;
    else if (!isRecord(footer)) errors['interactive.footer'] = 'must be an object';
    else checkString(errors, 'interactive.footer.text', footer.text, { min: 1, max: 60 });
  }

  const action = interactive.action;
  if (!isRecord(action)) {
    errors['interactive.action'] = 'is required';
    return;
  }
  const at = 'interactive.action';
  switch (type) {
    case 'button':
      checkReplyButtons(action.buttons, 'interactive.action.buttons', 'reply', 3, errors);
      break;
    case 'list':
      checkList(action, errors);
      break;
    case 'cta_url':
      checkCtaUrl(action, at, errors);
      break;
    case 'location_request_message':
      checkActionName(action, 'send_location', at, errors);
      break;
    case 'carousel':
      checkCarousel(action.cards, errors);
      break;
    case 'product':
      checkString(errors, `${at}.catalog_id`, action.catalog_id, { min: 1 });
      checkString(errors, `${at}.product_retailer_id`, action.product_retailer_id, { min: 1 });
      break;
    case 'product_list':
      checkString(errors, `${at}.catalog_id`, action.catalog_id, { min: 1 });
      checkProductSections(action.sections, `${at}.sections`, errors);
      break;
    case 'catalog_message':
      checkCatalogAction(action, at, errors);
      break;
    case 'flow':
      checkFlowAction(action, errors);
      break;
    default: {
      const unknownType: never = type;
      throw new Error(`unhandled interactive type ${String(unknownType)}`);
    }
  }
}

const HEADER_MEDIA = ['image', 'video', 'document'];

function checkInteractiveHeader(
  rule: InteractiveFrame['header'],
  header: unknown,
  errors: FieldErrors,
): void {
  const field = 'interactive.header';
  if (header === undefined) {
    if (rule === 'required-text') errors[field] = 'is required';
    return;
  }
  if (rule === 'none') {
    errors[field] = 'is not supported on this interactive type';
    return;
  }
  if (!isRecord(header)) {
    errors[field] = 'must be an object';
    return;
  }
  const type = header.type ?? 'text';
  if (type === 'text') {
    checkString(errors, `${field}.text`, header.text, { min: 1, max: 60 });
  } else if (rule === 'media' && typeof type === 'string' && HEADER_MEDIA.includes(type)) {
    checkMediaRef(`${field}.${type}`, header[type], errors);
  } else {
    errors[`${field}.type`] =
      rule === 'media' ? "must be 'text', 'image', 'video' or 'document'" : "must be 'text'";
  }
}

function checkActionName(
  action: Record<string, unknown>,
  name: string,
  field: string,
  errors: FieldErrors,
): void {
  if (action.name !== name) errors[`${field}.name`] = `must be '${name}'`;
}

/** A URL button: `{ name: 'cta_url', parameters: { display_text, url } }`. */
function checkCtaUrl(action: Record<string, unknown>, field: string, errors: FieldErrors): void {
  checkActionName(action, 'cta_url', field, errors);
  const parameters = action.parameters;
  if (!isRecord(parameters)) {
    errors[`${field}.parameters`] = 'is required';
    return;
  }
  checkString(errors, `${field}.parameters.display_text`, parameters.display_text, {
    min: 1,
    max: 20,
  });
  if (parameters.url === undefined) errors[`${field}.parameters.url`] = 'is required';
  else if (!isHttpUrl(parameters.url)) errors[`${field}.parameters.url`] = 'must be an http(s) URL';
}

/**
 * 2 to 10 cards, each with an image or video header, an optional short text and either one URL
 * button or one or two quick-reply buttons; every card has the same kind and number of buttons.
 */
function checkCarousel(cards: unknown, errors: FieldErrors): void {
  const field = 'interactive.action.cards';
  if (!Array.isArray(cards) || cards.length < 2 || cards.length > 10) {
    errors[field] = 'must have 2 to 10 cards';
    return;
  }
  const shapes = new Set<string>();
  cards.forEach((card: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(card)) {
      errors[at] = 'must be an object';
      return;
    }
    if (card.card_index !== index) errors[`${at}.card_index`] = `must be ${index}`;
    const header = card.header;
    if (!isRecord(header)) errors[`${at}.header`] = 'is required';
    else if (header.type !== 'image' && header.type !== 'video') {
      errors[`${at}.header.type`] = "must be 'image' or 'video'";
    } else checkMediaRef(`${at}.header.${header.type}`, header[header.type], errors);
    if (card.body !== undefined) {
      if (!isRecord(card.body)) errors[`${at}.body`] = 'must be an object';
      else checkString(errors, `${at}.body.text`, card.body.text, { min: 1, max: 160 });
    }
    const action = card.action;
    if (!isRecord(action)) {
      errors[`${at}.action`] = 'is required';
      return;
    }
    if (card.type === 'cta_url') {
      checkCtaUrl(action, `${at}.action`, errors);
      shapes.add('one URL button');
    } else if (card.type === 'button') {
      const count = checkReplyButtons(
        action.buttons,
        `${at}.action.buttons`,
        'quick_reply',
        2,
        errors,
      );
      shapes.add(`${count} quick-reply buttons`);
    } else {
      errors[`${at}.type`] = "must be 'cta_url' or 'button'";
    }
  });
  if (shapes.size > 1) errors[field] = 'must all have the same kind and number of buttons';
}

/**
 * Multi-product sections (interactive product_list, template mpm buttons): 1 to 10 sections of
 * `{ title, product_items: [{ product_retailer_id }] }`, at most 30 products in all. A title (24
 * characters at most) is needed once there is more than one section, or always when `titleRequired`.
 */
function checkProductSections(
  sections: unknown,
  field: string,
  errors: FieldErrors,
  titleRequired = false,
): void {
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
    errors[field] = 'must have 1 to 10 sections';
    return;
  }
  let products = 0;
  sections.forEach((section: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(section)) {
      errors[at] = 'must be an object';
      return;
    }
    checkString(errors, `${at}.title`, section.title, {
      min: 1,
      max: 24,
      optional: !titleRequired && sections.length === 1,
    });
    const items = section.product_items;
    if (!Array.isArray(items) || items.length === 0) {
      errors[`${at}.product_items`] = 'must have at least one product';
      return;
    }
    items.forEach((item: unknown, itemIndex) => {
      products += 1;
      checkString(
        errors,
        `${at}.product_items[${itemIndex}].product_retailer_id`,
        isRecord(item) ? item.product_retailer_id : undefined,
        { min: 1 },
      );
    });
  });
  if (products > 30) errors[field] = 'must contain at most 30 products in total';
}

/** `{ name: 'catalog_message', parameters?: { thumbnail_product_retailer_id? } }`. */
function checkCatalogAction(
  action: Record<string, unknown>,
  field: string,
  errors: FieldErrors,
): void {
  checkActionName(action, 'catalog_message', field, errors);
  const parameters = action.parameters;
  if (parameters === undefined) return;
  if (!isRecord(parameters)) errors[`${field}.parameters`] = 'must be an object';
  else {
    checkString(
      errors,
      `${field}.parameters.thumbnail_product_retailer_id`,
      parameters.thumbnail_product_retailer_id,
      { min: 1, optional: true },
    );
  }
}

/**
 * A Flow button. Meta: flow_message_version '3'; exactly one of flow_id or flow_name; flow_cta
 * (Meta advises at most 30 characters); flow_action 'navigate' (the default) or 'data_exchange';
 * flow_action_payload optional for navigate and left out for data_exchange.
 */
function checkFlowAction(action: Record<string, unknown>, errors: FieldErrors): void {
  const field = 'interactive.action';
  checkActionName(action, 'flow', field, errors);
  const p = action.parameters;
  if (!isRecord(p)) {
    errors[`${field}.parameters`] = 'is required';
    return;
  }
  const at = `${field}.parameters`;
  if (p.flow_message_version !== '3') errors[`${at}.flow_message_version`] = "must be '3'";
  if ((p.flow_id === undefined) === (p.flow_name === undefined)) {
    errors[at] = 'must have exactly one of flow_id or flow_name';
  }
  checkString(errors, `${at}.flow_id`, p.flow_id, { min: 1, optional: true });
  checkString(errors, `${at}.flow_name`, p.flow_name, { min: 1, optional: true });
  checkString(errors, `${at}.flow_cta`, p.flow_cta, { min: 1, max: 30 });
  checkString(errors, `${at}.flow_token`, p.flow_token, { min: 1, optional: true });
  if (p.mode !== undefined && p.mode !== 'draft' && p.mode !== 'published') {
    errors[`${at}.mode`] = "must be 'draft' or 'published'";
  }
  const flowAction = p.flow_action ?? 'navigate';
  if (flowAction !== 'navigate' && flowAction !== 'data_exchange') {
    errors[`${at}.flow_action`] = "must be 'navigate' or 'data_exchange'";
  }
  const payload = p.flow_action_payload;
  if (payload === undefined) return;
  if (flowAction === 'data_exchange') {
    errors[`${at}.flow_action_payload`] = "must be left out when flow_action is 'data_exchange'";
  } else if (!isRecord(payload)) {
    errors[`${at}.flow_action_payload`] = 'must be an object';
  } else {
    checkString(errors, `${at}.flow_action_payload.screen`, payload.screen, { min: 1 });
    const data = payload.data;
    if (data !== undefined && (!isRecord(data) || Object.keys(data).length === 0)) {
      errors[`${at}.flow_action_payload.data`] = 'must be a non-empty object';
    }
  }
}

/**
 * Reply buttons, `{ type, [type]: { id, title } }`: `reply` under a button message (1 to 3),
 * `quick_reply` on a carousel card (1 or 2). Returns how many there are.
 */
function checkReplyButtons(
  buttons: unknown,
  field: string,
  type: 'reply' | 'quick_reply',
  max: number,
  errors: FieldErrors,
): number {
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > max) {
    errors[field] = `must have 1 to ${max} ${type === 'reply' ? '' : 'quick-reply '}buttons`;
    return Array.isArray(buttons) ? buttons.length : 0;
  }
  const seen = new Set<unknown>();
  buttons.forEach((button: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(button) || !isRecord(button[type])) {
      errors[`${at}.${type}`] = 'is required';
      return;
    }
    if (button.type !== type) errors[`${at}.type`] = `must be '${type}'`;
    const { id, title } = button[type] as Record<string, unknown>;
    checkString(errors, `${at}.${type}.id`, id, { min: 1, max: 256 });
    checkString(errors, `${at}.${type}.title`, title, { min: 1, max: 20 });
    if (typeof id === 'string' && seen.has(id)) errors[`${at}.${type}.id`] = 'must be unique';
    seen.add(id);
  });
  return buttons.length;
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
  checkTemplateComponents(components, 'template.components', errors, false);
}

const TEMPLATE_COMPONENTS = ['header', 'body', 'button', 'limited_time_offer', 'carousel'];
const CARD_COMPONENTS = ['header', 'body', 'button'];

/** Template button sub_types Meta fills at send time; matched case-insensitively. */
export const TEMPLATE_BUTTON_SUB_TYPES = [
  'quick_reply',
  'url',
  'copy_code',
  'flow',
  'catalog',
  'mpm',
] as const;
type TemplateButtonSubType = (typeof TEMPLATE_BUTTON_SUB_TYPES)[number];

/** A component's type, as Meta matches it: case-insensitively ('BODY' and 'body'). */
export function componentType(component: unknown): string {
  return isRecord(component) && typeof component.type === 'string'
    ? component.type.toLowerCase()
    : '';
}

/** The template's components, or one carousel card's (header, body and buttons only). */
function checkTemplateComponents(
  components: unknown[],
  field: string,
  errors: FieldErrors,
  inCard: boolean,
): void {
  components.forEach((component: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(component) || typeof component.type !== 'string') {
      errors[`${at}.type`] = 'is required';
      return;
    }
    const type = componentType(component);
    const allowed = inCard ? CARD_COMPONENTS : TEMPLATE_COMPONENTS;
    if (!allowed.includes(type)) {
      errors[`${at}.type`] = `must be one of ${allowed.join(', ')}`;
      return;
    }
    if (type === 'carousel') {
      checkTemplateCards(component.cards, `${at}.cards`, errors);
      return;
    }
    const parameters = component.parameters;
    if (parameters !== undefined && !Array.isArray(parameters)) {
      errors[`${at}.parameters`] = 'must be an array';
      return;
    }
    if (type === 'button') checkTemplateButton(component, at, errors);
    else if (type === 'limited_time_offer') checkLimitedTimeOffer(parameters, at, errors);
    else if (parameters) checkTextParameters(parameters, `${at}.parameters`, errors);
  });
}

const TEXT_PARAMETER_TYPES = ['text', 'currency', 'date_time', 'image', 'video', 'document'];

/** Header and body parameters: text (named or positional), currency, date_time or a media header. */
function checkTextParameters(parameters: unknown[], field: string, errors: FieldErrors): void {
  parameters.forEach((parameter: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(parameter)) {
      errors[at] = 'must be an object';
      return;
    }
    const type = parameter.type;
    if (typeof type !== 'string' || !TEXT_PARAMETER_TYPES.includes(type)) {
      // Header locations and products are real but rare; only their type is checked.
      if (type !== 'location' && type !== 'product') {
        errors[`${at}.type`] = `must be one of ${[...TEXT_PARAMETER_TYPES, 'location'].join(', ')}`;
      }
      return;
    }
    if (parameter.parameter_name !== undefined) {
      const name = parameter.parameter_name;
      if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
        errors[`${at}.parameter_name`] = 'must be lowercase letters, digits and underscores';
      }
    }
    if (type === 'text') checkString(errors, `${at}.text`, parameter.text, { min: 1 });
    else if (type === 'currency' || type === 'date_time') {
      const value = parameter[type];
      checkString(
        errors,
        `${at}.${type}.fallback_value`,
        isRecord(value) ? value.fallback_value : undefined,
        { min: 1 },
      );
    } else checkMediaRef(`${at}.${type}`, parameter[type], errors);
  });
}

/** The one parameter a button component carries, by sub_type. */
function checkTemplateButton(
  component: Record<string, unknown>,
  at: string,
  errors: FieldErrors,
): void {
  const raw = component.sub_type;
  const subType = typeof raw === 'string' ? raw.toLowerCase() : '';
  const index = component.index;
  const validIndex =
    (typeof index === 'string' && /^\d$/.test(index)) ||
    (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index <= 9);
  if (!validIndex) errors[`${at}.index`] = 'must be 0 to 9';
  if (!(TEMPLATE_BUTTON_SUB_TYPES as readonly string[]).includes(subType)) {
    errors[`${at}.sub_type`] = `must be one of ${TEMPLATE_BUTTON_SUB_TYPES.join(', ')}`;
    return;
  }
  const parameters = component.parameters;
  const field = `${at}.parameters`;
  if (!Array.isArray(parameters) || parameters.length !== 1) {
    errors[field] = 'must have exactly one parameter';
    return;
  }
  const parameter: unknown = parameters[0];
  const p = `${field}[0]`;
  if (!isRecord(parameter)) {
    errors[p] = 'must be an object';
    return;
  }
  const expectType = (type: string) => {
    if (parameter.type !== type) errors[`${p}.type`] = `must be '${type}'`;
  };
  const action = () => {
    expectType('action');
    if (isRecord(parameter.action)) return parameter.action;
    errors[`${p}.action`] = 'is required';
    return undefined;
  };
  const kind = subType as TemplateButtonSubType;
  switch (kind) {
    case 'quick_reply':
      expectType('payload');
      checkString(errors, `${p}.payload`, parameter.payload, { min: 1 });
      break;
    case 'url':
      expectType('text');
      checkString(errors, `${p}.text`, parameter.text, { min: 1 });
      break;
    case 'copy_code':
      expectType('coupon_code');
      checkString(errors, `${p}.coupon_code`, parameter.coupon_code, { min: 1, max: 15 });
      break;
    case 'flow': {
      const flow = action();
      if (!flow) break;
      checkString(errors, `${p}.action.flow_token`, flow.flow_token, { min: 1, optional: true });
      if (flow.flow_action_data !== undefined && !isRecord(flow.flow_action_data)) {
        errors[`${p}.action.flow_action_data`] = 'must be an object';
      }
      break;
    }
    case 'catalog': {
      const catalog = action();
      if (!catalog) break;
      checkString(
        errors,
        `${p}.action.thumbnail_product_retailer_id`,
        catalog.thumbnail_product_retailer_id,
        { min: 1, optional: true },
      );
      break;
    }
    case 'mpm': {
      const mpm = action();
      if (!mpm) break;
      checkString(
        errors,
        `${p}.action.thumbnail_product_retailer_id`,
        mpm.thumbnail_product_retailer_id,
        { min: 1 },
      );
      checkProductSections(mpm.sections, `${p}.action.sections`, errors, true);
      break;
    }
    default: {
      const unknownSubType: never = kind;
      throw new Error(`unhandled button sub_type ${String(unknownSubType)}`);
    }
  }
}

/** `[{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms } }]`. */
function checkLimitedTimeOffer(parameters: unknown, at: string, errors: FieldErrors): void {
  const field = `${at}.parameters`;
  if (!Array.isArray(parameters) || parameters.length !== 1) {
    errors[field] = 'must have exactly one parameter';
    return;
  }
  const parameter: unknown = parameters[0];
  if (!isRecord(parameter) || parameter.type !== 'limited_time_offer') {
    errors[`${field}[0].type`] = "must be 'limited_time_offer'";
    return;
  }
  const offer = parameter.limited_time_offer;
  const ms = isRecord(offer) ? offer.expiration_time_ms : undefined;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms <= 0) {
    errors[`${field}[0].limited_time_offer.expiration_time_ms`] =
      'must be a positive integer (Unix epoch milliseconds)';
  }
}

/** A carousel template's cards: `{ card_index, components: [header, body, button...] }`. */
function checkTemplateCards(cards: unknown, field: string, errors: FieldErrors): void {
  if (!Array.isArray(cards) || cards.length < 1 || cards.length > 10) {
    errors[field] = 'must have 1 to 10 cards';
    return;
  }
  cards.forEach((card: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(card)) {
      errors[at] = 'must be an object';
      return;
    }
    if (card.card_index !== index) errors[`${at}.card_index`] = `must be ${index}`;
    if (!Array.isArray(card.components)) errors[`${at}.components`] = 'must be an array';
    else checkTemplateComponents(card.components, `${at}.components`, errors, true);
  });
}
