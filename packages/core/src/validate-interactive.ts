import { ValidationError } from './errors.js';
import { LIMITS } from './limits.js';
import type {
  CarouselCard,
  InteractiveContent,
  InteractiveHeader,
  InteractiveType,
  ProductSection,
  ReplyButton,
  UrlButton,
} from './message.js';
import {
  checkMediaSource,
  checkUniqueIds,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  unknownVariant,
} from './validate-fields.js';

/** Meta's limits for every interactive message, checked before the network. */

const INTERACTIVE_TYPES: readonly InteractiveType[] = [
  'buttons',
  'list',
  'cta_url',
  'location_request',
  'carousel',
  'product',
  'product_list',
  'catalog',
  'flow',
];

const MEDIA_HEADER_KINDS = ['image', 'video', 'document'] as const;

/** The media kind of a media header (`{ image: … }`), after checking there is exactly one. */
function mediaHeaderKind(
  header: object,
  field: string,
  kinds: readonly ('image' | 'video' | 'document')[] = MEDIA_HEADER_KINDS,
): 'image' | 'video' | 'document' {
  const present = Object.keys(header).filter(
    (key) => (header as Record<string, unknown>)[key] !== undefined,
  );
  const kind = present[0];
  if (present.length !== 1 || !(kinds as readonly string[]).includes(kind as string)) {
    throw new ValidationError(
      field,
      `must be text or exactly one of ${kinds.map((k) => `{ ${k} }`).join(', ')}`,
    );
  }
  checkMediaSource((header as Record<string, unknown>)[kind as string], `${field}.${kind}`);
  return kind as 'image' | 'video' | 'document';
}

function checkHeader(header: InteractiveHeader | undefined, field: string): void {
  if (header === undefined) return;
  if (typeof header === 'string') {
    requireString(header, field, LIMITS.interactiveHeader);
    return;
  }
  requireObject(header, field);
  mediaHeaderKind(header, field);
}

function checkReplyButtons(buttons: ReplyButton[], field: string, max: number): void {
  requireArray(buttons, field, 1, max);
  buttons.forEach((button, i) => {
    requireObject(button, `${field}[${i}]`);
    requireString(button.id, `${field}[${i}].id`, LIMITS.buttonId);
    requireString(button.title, `${field}[${i}].title`, LIMITS.buttonTitle);
  });
  checkUniqueIds(
    buttons.map((b) => b.id),
    field,
  );
}

function checkUrlButton(button: UrlButton, field: string): void {
  requireObject(button, field);
  requireString(button.text, `${field}.text`, LIMITS.urlButtonText);
  const url = requireString(button.url, `${field}.url`);
  if (!/^https?:\/\/\S+$/i.test(url)) {
    throw new ValidationError(`${field}.url`, 'must be an http(s) URL');
  }
}

function checkList(interactive: Extract<InteractiveContent, { type: 'list' }>): void {
  requireString(interactive.button, 'interactive.button', LIMITS.listButton);
  const sections = interactive.sections;
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
    if (seen.has(id)) throw new ValidationError('interactive.sections', `duplicate row id "${id}"`);
    seen.add(id);
  }
}

function checkCard(card: CarouselCard, field: string): 'url' | number {
  requireObject(card, field);
  requireObject(card.header, `${field}.header`);
  mediaHeaderKind(card.header, `${field}.header`, ['image', 'video']);
  optionalString(card.body, `${field}.body`, LIMITS.carouselCardBody);
  if ((card.button === undefined) === (card.buttons === undefined)) {
    throw new ValidationError(
      field,
      'needs exactly one of `button` (a URL) or `buttons` (replies)',
    );
  }
  if (card.button !== undefined) {
    checkUrlButton(card.button, `${field}.button`);
    return 'url';
  }
  checkReplyButtons(card.buttons as ReplyButton[], `${field}.buttons`, LIMITS.carouselCardButtons);
  return (card.buttons as ReplyButton[]).length;
}

function checkCarousel(interactive: Extract<InteractiveContent, { type: 'carousel' }>): void {
  const cards = interactive.cards;
  if (!Array.isArray(cards) || cards.length < LIMITS.carouselMinCards) {
    throw new ValidationError(
      'interactive.cards',
      `needs at least ${LIMITS.carouselMinCards} cards`,
    );
  }
  if (cards.length > LIMITS.carouselMaxCards) {
    throw new ValidationError(
      'interactive.cards',
      `at most ${LIMITS.carouselMaxCards} cards (got ${cards.length})`,
    );
  }
  const shapes = cards.map((card, i) => checkCard(card, `interactive.cards[${i}]`));
  const first = shapes[0];
  const odd = shapes.findIndex((shape) => shape !== first);
  if (odd !== -1) {
    // WhatsApp renders a carousel only when every card offers the same buttons.
    throw new ValidationError(
      `interactive.cards[${odd}]`,
      'must have the same kind and number of buttons as the first card',
    );
  }
  // Reply ids identify the card tapped, so they must be unique across the whole carousel.
  checkUniqueIds(
    cards.flatMap((card) => (card.buttons ?? []).map((b) => b.id)),
    'interactive.cards[].buttons',
  );
}

/** Sections of product ids: at most 10 sections and 30 products in all. */
export function checkProductSections(sections: ProductSection[], field: string): void {
  requireArray(sections, field, 1, LIMITS.productSections);
  let products = 0;
  sections.forEach((section, i) => {
    requireObject(section, `${field}[${i}]`);
    if (sections.length > 1 || section.title !== undefined) {
      requireString(section.title, `${field}[${i}].title`, LIMITS.productSectionTitle);
    }
    requireArray(section.productIds, `${field}[${i}].productIds`, 1, LIMITS.products);
    section.productIds.forEach((id, j) => {
      requireString(id, `${field}[${i}].productIds[${j}]`);
    });
    products += section.productIds.length;
  });
  if (products > LIMITS.products) {
    throw new ValidationError(
      field,
      `at most ${LIMITS.products} products in total (got ${products})`,
    );
  }
}

function checkFlow(interactive: Extract<InteractiveContent, { type: 'flow' }>): void {
  if ((interactive.flowId === undefined) === (interactive.flowName === undefined)) {
    throw new ValidationError('interactive.flowId', 'needs exactly one of `flowId` or `flowName`');
  }
  optionalString(interactive.flowId, 'interactive.flowId', 255);
  optionalString(interactive.flowName, 'interactive.flowName', 255);
  requireString(interactive.cta, 'interactive.cta', LIMITS.flowCta);
  if (/\p{Extended_Pictographic}/u.test(interactive.cta)) {
    throw new ValidationError('interactive.cta', 'must not contain emoji');
  }
  optionalString(interactive.header, 'interactive.header', LIMITS.interactiveHeader);
  optionalString(interactive.flowToken, 'interactive.flowToken', 255);
  if (
    interactive.mode !== undefined &&
    interactive.mode !== 'draft' &&
    interactive.mode !== 'published'
  ) {
    throw new ValidationError('interactive.mode', 'must be draft or published');
  }
  const action = interactive.action;
  requireObject(action, 'interactive.action');
  if (action.type === 'navigate') {
    requireString(action.screen, 'interactive.action.screen');
    if (action.data !== undefined) {
      const data = requireObject(action.data, 'interactive.action.data');
      if (Object.keys(data).length === 0) {
        throw new ValidationError('interactive.action.data', 'must not be empty (leave it out)');
      }
    }
  } else if (action.type !== 'data_exchange') {
    unknownVariant('interactive.action.type', action, ['navigate', 'data_exchange']);
  }
}

/** Checks an interactive message of any type against Meta's limits. */
export function checkInteractive(interactive: InteractiveContent): void {
  requireObject(interactive, 'interactive');
  const footerAllowed = interactive.type !== 'location_request' && interactive.type !== 'carousel';
  if (!footerAllowed && (interactive as { footer?: unknown }).footer !== undefined) {
    throw new ValidationError('interactive.footer', `a ${interactive.type} message has no footer`);
  }
  if (interactive.type === 'product')
    optionalString(interactive.body, 'interactive.body', LIMITS.interactiveBody);
  else requireString(interactive.body, 'interactive.body', LIMITS.interactiveBody);
  if (footerAllowed)
    optionalString(interactive.footer, 'interactive.footer', LIMITS.interactiveFooter);

  switch (interactive.type) {
    case 'buttons':
      checkHeader(interactive.header, 'interactive.header');
      checkReplyButtons(interactive.buttons, 'interactive.buttons', LIMITS.buttons);
      return;
    case 'list':
      optionalString(interactive.header, 'interactive.header', LIMITS.interactiveHeader);
      checkList(interactive);
      return;
    case 'cta_url':
      checkHeader(interactive.header, 'interactive.header');
      checkUrlButton(interactive.button, 'interactive.button');
      return;
    case 'location_request':
      return;
    case 'carousel':
      checkCarousel(interactive);
      return;
    case 'product':
      requireString(interactive.catalogId, 'interactive.catalogId');
      requireString(interactive.productId, 'interactive.productId');
      return;
    case 'product_list':
      requireString(interactive.catalogId, 'interactive.catalogId');
      requireString(interactive.header, 'interactive.header', LIMITS.interactiveHeader);
      checkProductSections(interactive.sections, 'interactive.sections');
      return;
    case 'catalog':
      optionalString(interactive.thumbnailProductId, 'interactive.thumbnailProductId', 255);
      return;
    case 'flow':
      checkFlow(interactive);
      return;
    default:
      unknownVariant('interactive.type', interactive, INTERACTIVE_TYPES);
  }
}
