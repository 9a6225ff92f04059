import type {
  CarouselCard,
  InteractiveContent,
  InteractiveHeader,
  MediaSource,
  ReplyButton,
  UrlButton,
} from '../../message.js';
import { graphProductSections } from './template.js';

/**
 * Interactive messages in the Cloud API's JSON (Meta, and Kirem which mirrors it). Shape
 * translation only; `validate-interactive.ts` checked everything first. Optional members stay
 * `undefined` rather than being removed: JSON leaves them out.
 */

type Json = Record<string, unknown>;

function graphHeader(header: InteractiveHeader | undefined): Json | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string') return { type: 'text', text: header };
  if ('image' in header) return { type: 'image', image: { ...header.image } };
  if ('video' in header) return { type: 'video', video: { ...header.video } };
  return { type: 'document', document: { ...header.document } };
}

function graphText(text: string | undefined): Json | undefined {
  return text === undefined ? undefined : { text };
}

/** The header, body and footer every interactive message has some of. */
function graphFrame(parts: { header?: InteractiveHeader; body?: string; footer?: string }): Json {
  return {
    header: graphHeader(parts.header),
    body: graphText(parts.body),
    footer: graphText(parts.footer),
  };
}

function graphReplyButtons(buttons: ReplyButton[], type: 'reply' | 'quick_reply'): Json[] {
  return buttons.map((b) => ({ type, [type]: { id: b.id, title: b.title } }));
}

function graphUrlAction(button: UrlButton): Json {
  return { name: 'cta_url', parameters: { display_text: button.text, url: button.url } };
}

function graphCard(card: CarouselCard, index: number): Json {
  const header = card.header as { image?: MediaSource; video?: MediaSource };
  return {
    card_index: index,
    type: card.button !== undefined ? 'cta_url' : 'button',
    header: header.image
      ? { type: 'image', image: { ...header.image } }
      : { type: 'video', video: { ...header.video } },
    body: graphText(card.body),
    action:
      card.button !== undefined
        ? graphUrlAction(card.button)
        : { buttons: graphReplyButtons(card.buttons, 'quick_reply') },
  };
}

/** An interactive message's `interactive` object in the Cloud API's shape. */
export function graphInteractive(interactive: InteractiveContent): Json {
  switch (interactive.type) {
    case 'buttons':
      return {
        type: 'button',
        ...graphFrame(interactive),
        action: { buttons: graphReplyButtons(interactive.buttons, 'reply') },
      };
    case 'list':
      return {
        type: 'list',
        ...graphFrame(interactive),
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
    case 'cta_url':
      return {
        type: 'cta_url',
        ...graphFrame(interactive),
        action: graphUrlAction(interactive.button),
      };
    case 'location_request':
      return {
        type: 'location_request_message',
        ...graphFrame(interactive),
        action: { name: 'send_location' },
      };
    case 'carousel':
      return {
        type: 'carousel',
        ...graphFrame(interactive),
        action: { cards: interactive.cards.map(graphCard) },
      };
    case 'product':
      return {
        type: 'product',
        ...graphFrame(interactive),
        action: { catalog_id: interactive.catalogId, product_retailer_id: interactive.productId },
      };
    case 'product_list':
      return {
        type: 'product_list',
        ...graphFrame(interactive),
        action: {
          catalog_id: interactive.catalogId,
          sections: graphProductSections(interactive.sections),
        },
      };
    case 'catalog':
      return {
        type: 'catalog_message',
        ...graphFrame(interactive),
        action: {
          name: 'catalog_message',
          parameters:
            interactive.thumbnailProductId === undefined
              ? undefined
              : { thumbnail_product_retailer_id: interactive.thumbnailProductId },
        },
      };
    case 'flow': {
      const { action } = interactive;
      return {
        type: 'flow',
        ...graphFrame(interactive),
        action: {
          name: 'flow',
          parameters: {
            flow_message_version: '3',
            flow_id: interactive.flowId,
            flow_name: interactive.flowName,
            flow_cta: interactive.cta,
            flow_token: interactive.flowToken,
            mode: interactive.mode,
            flow_action: action.type,
            flow_action_payload:
              action.type === 'navigate' ? { screen: action.screen, data: action.data } : undefined,
          },
        },
      };
    }
  }
}
