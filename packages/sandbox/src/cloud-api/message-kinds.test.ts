/*
 * The Cloud API message kinds added after the seed, validated as Meta documents them:
 * - CTA URL: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-cta-url-messages
 * - location request: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/location-request-messages
 * - media carousel: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-media-carousel-messages
 * - reply buttons (media headers): https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 * - product, product list: https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/sell-products-and-services/share-products
 * - catalog message: https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/catalog-template-messages
 * - flows: https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-flow-messages
 * - template components: https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 * - authentication sends: https://developers.secure.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates/auth-otp-template-messages
 * - biz_opaque_callback_data: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * - BSUID recipients: https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 * - typing indicators: https://developers.facebook.com/docs/whatsapp/cloud-api/typing-indicators
 */
import { describe, expect, it } from 'vitest';
import * as seed from '../seed-examples.js';
import {
  base,
  carousel,
  catalogMessage,
  ctaUrl,
  flow,
  INTERACTIVE_EXAMPLES,
  interactive,
  locationRequest,
  mediaButtons,
  product,
  productList,
  replyCard,
  urlCard,
} from './fixtures.js';
import { readReceiptErrors, validateMessage } from './message-validation.js';

const check = (content: Record<string, unknown>) => validateMessage(interactive(content));
const keys = (content: Record<string, unknown>) => Object.keys(check(content)).sort();

describe('every new interactive kind', () => {
  it.each(Object.entries(INTERACTIVE_EXAMPLES))('accepts %s', (_name, content) => {
    expect(check(content)).toEqual({});
  });

  it('still refuses an unknown interactive type, naming the ones it knows', () => {
    expect(check({ ...ctaUrl, type: 'poll' })).toEqual({
      'interactive.type':
        'must be one of button, list, cta_url, location_request_message, carousel, product, product_list, catalog_message, flow',
    });
  });
});

describe('interactive cta_url', () => {
  const withParameters = (parameters: Record<string, unknown>) => ({
    ...ctaUrl,
    action: { name: 'cta_url', parameters: { ...ctaUrl.action.parameters, ...parameters } },
  });

  it('bounds display_text to 1..20 characters', () => {
    expect(check(withParameters({ display_text: 'x'.repeat(20) }))).toEqual({});
    expect(check(withParameters({ display_text: 'x'.repeat(21) }))).toEqual({
      'interactive.action.parameters.display_text': 'must be 1 to 20 characters',
    });
    expect(keys(withParameters({ display_text: '' }))).toEqual([
      'interactive.action.parameters.display_text',
    ]);
  });

  it('needs an http(s) url and the action name cta_url', () => {
    expect(check(withParameters({ url: 'ftp://kabar.test/x' }))).toEqual({
      'interactive.action.parameters.url': 'must be an http(s) URL',
    });
    expect(check({ ...ctaUrl, action: { name: 'url', parameters: {} } })).toEqual({
      'interactive.action.name': "must be 'cta_url'",
      'interactive.action.parameters.display_text': 'is required',
      'interactive.action.parameters.url': 'is required',
    });
  });

  it('takes text, image, video and document headers, by link or id, and no others', () => {
    for (const header of [
      { type: 'text', text: 'h'.repeat(60) },
      { type: 'image', image: { id: '123' } },
      { type: 'video', video: { link: 'https://kabar.test/v.mp4' } },
      { type: 'document', document: { link: 'https://kabar.test/d.pdf' } },
    ]) {
      expect(check({ ...ctaUrl, header })).toEqual({});
    }
    expect(check({ ...ctaUrl, header: { type: 'text', text: 'h'.repeat(61) } })).toEqual({
      'interactive.header.text': 'must be 1 to 60 characters',
    });
    expect(check({ ...ctaUrl, header: { type: 'audio', audio: { id: '1' } } })).toEqual({
      'interactive.header.type': "must be 'text', 'image', 'video' or 'document'",
    });
    expect(
      check({ ...ctaUrl, header: { type: 'image', image: { id: '1', link: 'https://a.id/x' } } }),
    ).toEqual({ 'interactive.header.image': 'must have exactly one of id or link' });
    expect(check({ ...ctaUrl, header: { type: 'image' } })).toEqual({
      'interactive.header.image': 'is required',
    });
  });

  it('bounds body to 1024 and footer to 60 characters', () => {
    expect(check({ ...ctaUrl, body: { text: 'b'.repeat(1024) } })).toEqual({});
    expect(
      keys({ ...ctaUrl, body: { text: 'b'.repeat(1025) }, footer: { text: 'f'.repeat(61) } }),
    ).toEqual(['interactive.body.text', 'interactive.footer.text']);
  });
});

describe('interactive location_request_message', () => {
  it('needs body text and the send_location action, and takes no header or footer', () => {
    expect(check({ ...locationRequest, body: { text: 'b'.repeat(1024) } })).toEqual({});
    expect(
      check({
        ...locationRequest,
        header: { type: 'text', text: 'Lokasi' },
        footer: { text: 'x' },
        body: { text: 'b'.repeat(1025) },
        action: { name: 'location' },
      }),
    ).toEqual({
      'interactive.header': 'is not supported on this interactive type',
      'interactive.footer': 'is not supported on location_request_message messages',
      'interactive.body.text': 'must be 1 to 1024 characters',
      'interactive.action.name': "must be 'send_location'",
    });
  });
});

describe('reply buttons with a media header', () => {
  it('take an image, video or document header by exactly one of link or id', () => {
    for (const type of ['image', 'video', 'document']) {
      const header = { type, [type]: { link: `https://kabar.test/file.${type}` } };
      expect(check({ ...mediaButtons, header })).toEqual({});
    }
    expect(check({ ...mediaButtons, header: { type: 'video', video: {} } })).toEqual({
      'interactive.header.video': 'must have exactly one of id or link',
    });
    expect(
      check({ ...mediaButtons, header: { type: 'image', image: { link: 'file:///etc/passwd' } } }),
    ).toEqual({ 'interactive.header.image.link': 'must be an http(s) URL' });
    // The media sits under the key the header's type names.
    expect(
      check({ ...mediaButtons, header: { type: 'image', video: { link: 'https://a.id/x' } } }),
    ).toEqual({ 'interactive.header.image': 'is required' });
  });

  it('but a list keeps its text-only header', () => {
    const header = { type: 'image', image: { link: 'https://kabar.test/x.png' } };
    expect(
      validateMessage({ ...seed.sendList, interactive: { ...seed.sendList.interactive, header } }),
    ).toEqual({
      'interactive.header.type': "must be 'text'",
    });
  });
});

describe('interactive carousel', () => {
  const urlCards = (count: number) => Array.from({ length: count }, (_, i) => urlCard(i));

  it('has 2 to 10 cards', () => {
    expect(check(carousel(urlCards(2)))).toEqual({});
    expect(check(carousel(urlCards(10)))).toEqual({});
    for (const count of [1, 11]) {
      expect(check(carousel(urlCards(count)))).toEqual({
        'interactive.action.cards': 'must have 2 to 10 cards',
      });
    }
  });

  it('numbers the cards from 0 in order', () => {
    expect(check(carousel([urlCard(0), urlCard(2)]))).toEqual({
      'interactive.action.cards[1].card_index': 'must be 1',
    });
  });

  it('gives every card an image or video header and at most 160 characters of text', () => {
    const cards = urlCards(3);
    cards[0] = urlCard(0, { body: { text: 'x'.repeat(160) } });
    cards[1] = urlCard(1, { body: { text: 'x'.repeat(161) } });
    cards[2] = urlCard(2, { header: { type: 'document', document: { link: 'https://a.id/x' } } });
    expect(check(carousel(cards))).toEqual({
      'interactive.action.cards[1].body.text': 'must be 1 to 160 characters',
      'interactive.action.cards[2].header.type': "must be 'image' or 'video'",
    });
    expect(check(carousel([urlCard(0), urlCard(1, { header: undefined })]))).toEqual({
      'interactive.action.cards[1].header': 'is required',
    });
    expect(check(carousel([urlCard(0), urlCard(1, { body: undefined })]))).toEqual({});
  });

  it('takes one or two quick-reply buttons per card, with ids of 256 and titles of 20', () => {
    expect(check(carousel([replyCard(0, ['a']), replyCard(1, ['b'])]))).toEqual({});
    expect(check(carousel([replyCard(0, ['a', 'b', 'c']), replyCard(1, ['a', 'b', 'c'])]))).toEqual(
      {
        'interactive.action.cards[0].action.buttons': 'must have 1 to 2 quick-reply buttons',
        'interactive.action.cards[1].action.buttons': 'must have 1 to 2 quick-reply buttons',
      },
    );
    const longTitle = replyCard(1, ['t'.repeat(21)]);
    const longId = replyCard(0, ['ok']);
    longId.action.buttons[0] = {
      type: 'quick_reply',
      quick_reply: { id: 'i'.repeat(257), title: 'ok' },
    };
    expect(check(carousel([longId, longTitle]))).toEqual({
      'interactive.action.cards[0].action.buttons[0].quick_reply.id': 'must be 1 to 256 characters',
      'interactive.action.cards[1].action.buttons[0].quick_reply.title':
        'must be 1 to 20 characters',
    });
  });

  it('needs every card to have the same kind and number of buttons', () => {
    expect(check(carousel([urlCard(0), replyCard(1, ['a'])]))).toEqual({
      'interactive.action.cards': 'must all have the same kind and number of buttons',
    });
    expect(check(carousel([replyCard(0, ['a']), replyCard(1, ['a', 'b'])]))).toEqual({
      'interactive.action.cards': 'must all have the same kind and number of buttons',
    });
  });

  it('refuses a header or footer on the message and an unknown card type', () => {
    expect(
      check({
        ...carousel([urlCard(0), urlCard(1, { type: 'list' })]),
        header: { type: 'text', text: 'x' },
        footer: { text: 'x' },
      }),
    ).toEqual({
      'interactive.header': 'is not supported on this interactive type',
      'interactive.footer': 'is not supported on carousel messages',
      'interactive.action.cards[1].type': "must be 'cta_url' or 'button'",
    });
  });
});

describe('interactive product and product_list', () => {
  it('sends one product with or without body text, but needs its catalog and id', () => {
    expect(check({ ...product, body: undefined })).toEqual({});
    expect(check({ ...product, body: { text: 'b'.repeat(1025) } })).toEqual({
      'interactive.body.text': 'must be 1 to 1024 characters',
    });
    expect(
      check({ ...product, header: { type: 'text', text: 'x' }, action: { catalog_id: '' } }),
    ).toEqual({
      'interactive.header': 'is not supported on this interactive type',
      'interactive.action.catalog_id': 'must not be empty',
      'interactive.action.product_retailer_id': 'is required',
    });
  });

  it('lists at most 30 products in 1 to 10 sections', () => {
    expect(check(productList([10, 10, 10]))).toEqual({});
    expect(check(productList([10, 10, 11]))).toEqual({
      'interactive.action.sections': 'must contain at most 30 products in total',
    });
    expect(check(productList(Array.from({ length: 10 }, () => 1)))).toEqual({});
    expect(check(productList(Array.from({ length: 11 }, () => 1)))).toEqual({
      'interactive.action.sections': 'must have 1 to 10 sections',
    });
    expect(check(productList([1, 0]))).toEqual({
      'interactive.action.sections[1].product_items': 'must have at least one product',
    });
  });

  it('needs a text header, and section titles of 24 characters once there are two sections', () => {
    const list = productList([1, 1]);
    expect(check({ ...list, header: undefined })).toEqual({ 'interactive.header': 'is required' });
    expect(check({ ...list, header: { type: 'image', image: { id: '1' } } })).toEqual({
      'interactive.header.type': "must be 'text'",
    });
    list.action.sections[0] = { ...list.action.sections[0], title: 't'.repeat(24) } as never;
    list.action.sections[1] = { ...list.action.sections[1], title: 't'.repeat(25) } as never;
    expect(check(list)).toEqual({
      'interactive.action.sections[1].title': 'must be 1 to 24 characters',
    });
    const untitled = productList([1, 1]);
    const [first, second] = untitled.action.sections;
    untitled.action.sections = [{ ...first, title: undefined } as never, second as never];
    expect(check(untitled)).toEqual({ 'interactive.action.sections[0].title': 'is required' });
    const single = productList([3]);
    single.action.sections = [{ ...single.action.sections[0], title: undefined } as never];
    expect(check(single)).toEqual({});
  });
});

describe('interactive catalog_message', () => {
  it('takes an optional thumbnail and needs the catalog_message action', () => {
    expect(check({ ...catalogMessage, action: { name: 'catalog_message' } })).toEqual({});
    expect(
      check({
        ...catalogMessage,
        header: { type: 'text', text: 'x' },
        action: { name: 'catalog', parameters: { thumbnail_product_retailer_id: '' } },
      }),
    ).toEqual({
      'interactive.header': 'is not supported on this interactive type',
      'interactive.action.name': "must be 'catalog_message'",
      'interactive.action.parameters.thumbnail_product_retailer_id': 'must not be empty',
    });
  });
});

describe('interactive flow', () => {
  const withParameters = (parameters: Record<string, unknown>) => ({
    ...flow,
    action: { name: 'flow', parameters: { ...flow.action.parameters, ...parameters } },
  });

  it('needs version 3 and exactly one of flow_id or flow_name', () => {
    expect(check(withParameters({ flow_id: undefined, flow_name: 'daftar_kelas' }))).toEqual({});
    expect(check(withParameters({ flow_name: 'daftar_kelas', flow_message_version: '2' }))).toEqual(
      {
        'interactive.action.parameters': 'must have exactly one of flow_id or flow_name',
        'interactive.action.parameters.flow_message_version': "must be '3'",
      },
    );
    expect(keys(withParameters({ flow_id: undefined }))).toEqual(['interactive.action.parameters']);
  });

  it('bounds flow_cta to 30 characters, as Meta advises', () => {
    expect(check(withParameters({ flow_cta: 'c'.repeat(30) }))).toEqual({});
    expect(check(withParameters({ flow_cta: 'c'.repeat(31) }))).toEqual({
      'interactive.action.parameters.flow_cta': 'must be 1 to 30 characters',
    });
  });

  it('takes a navigate payload with a screen, and none for data_exchange', () => {
    expect(check(withParameters({ flow_action_payload: undefined }))).toEqual({});
    expect(check(withParameters({ flow_action: undefined }))).toEqual({});
    expect(check(withParameters({ flow_action_payload: { data: {} } }))).toEqual({
      'interactive.action.parameters.flow_action_payload.screen': 'is required',
      'interactive.action.parameters.flow_action_payload.data': 'must be a non-empty object',
    });
    expect(check(withParameters({ flow_action: 'data_exchange' }))).toEqual({
      'interactive.action.parameters.flow_action_payload':
        "must be left out when flow_action is 'data_exchange'",
    });
    expect(
      check(
        withParameters({
          flow_action: 'data_exchange',
          flow_action_payload: undefined,
          mode: 'test',
        }),
      ),
    ).toEqual({ 'interactive.action.parameters.mode': "must be 'draft' or 'published'" });
    expect(check(withParameters({ flow_action: 'open' }))).toHaveProperty(
      'interactive.action.parameters.flow_action',
    );
  });

  it('takes a text header only', () => {
    expect(check({ ...flow, header: { type: 'image', image: { id: '1' } } })).toEqual({
      'interactive.header.type': "must be 'text'",
    });
  });
});

describe('template components', () => {
  const template = (components: unknown[]) => ({
    ...base,
    type: 'template',
    template: { name: 'x', language: { code: 'id' }, components },
  });
  const button = (sub_type: string, parameter: unknown, index: unknown = '0') => ({
    type: 'button',
    sub_type,
    index,
    parameters: [parameter],
  });

  it('takes named parameters', () => {
    expect(
      validateMessage(
        template([
          {
            type: 'body',
            parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Budi' }],
          },
        ]),
      ),
    ).toEqual({});
    expect(
      validateMessage(
        template([
          { type: 'body', parameters: [{ type: 'text', parameter_name: 'First Name', text: 'B' }] },
        ]),
      ),
    ).toEqual({
      'template.components[0].parameters[0].parameter_name':
        'must be lowercase letters, digits and underscores',
    });
  });

  it('fills every kind of button, sub_type in any case', () => {
    const mpm = {
      type: 'action',
      action: {
        thumbnail_product_retailer_id: 'SKU-1',
        sections: [{ title: 'Menu', product_items: [{ product_retailer_id: 'SKU-1' }] }],
      },
    };
    expect(
      validateMessage(
        template([
          button('quick_reply', { type: 'payload', payload: 'ya' }),
          button('url', { type: 'text', text: 'order/123' }, 1),
          button('COPY_CODE', { type: 'coupon_code', coupon_code: 'C'.repeat(15) }, '2'),
          button('flow', { type: 'action', action: { flow_token: 't', flow_action_data: {} } }),
          button('catalog', { type: 'action', action: { thumbnail_product_retailer_id: 'SKU' } }),
          button('MPM', mpm),
        ]),
      ),
    ).toEqual({});
  });

  it('bounds coupon codes to 15 characters and refuses unknown sub_types and indexes', () => {
    expect(
      validateMessage(
        template([
          button('copy_code', { type: 'coupon_code', coupon_code: 'C'.repeat(16) }),
          button('call', { type: 'text', text: 'x' }, 10),
          button('url', { type: 'payload', payload: 'x' }),
        ]),
      ),
    ).toEqual({
      'template.components[0].parameters[0].coupon_code': 'must be 1 to 15 characters',
      'template.components[1].index': 'must be 0 to 9',
      'template.components[1].sub_type':
        'must be one of quick_reply, url, copy_code, flow, catalog, mpm',
      'template.components[2].parameters[0].type': "must be 'text'",
      'template.components[2].parameters[0].text': 'is required',
    });
  });

  it('limits multi-product buttons to 30 products and needs a thumbnail', () => {
    const sections = (counts: number[]) =>
      counts.map((count, s) => ({
        title: `S${s}`,
        product_items: Array.from({ length: count }, (_, p) => ({
          product_retailer_id: `${s}-${p}`,
        })),
      }));
    const mpm = (counts: number[], thumbnail?: string) =>
      template([
        button('mpm', {
          type: 'action',
          action: { thumbnail_product_retailer_id: thumbnail, sections: sections(counts) },
        }),
      ]);
    expect(validateMessage(mpm([15, 15], 'SKU'))).toEqual({});
    expect(validateMessage(mpm([15, 16]))).toEqual({
      'template.components[0].parameters[0].action.thumbnail_product_retailer_id': 'is required',
      'template.components[0].parameters[0].action.sections':
        'must contain at most 30 products in total',
    });
  });

  it('takes a limited-time offer and a carousel of cards', () => {
    const offer = {
      type: 'limited_time_offer',
      parameters: [
        { type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1767225600000 } },
      ],
    };
    const card = (index: number) => ({
      card_index: index,
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://a.id/x.png' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Rp 10.000' }] },
        button('quick_reply', { type: 'payload', payload: `card-${index}` }),
      ],
    });
    expect(
      validateMessage(template([offer, { type: 'CAROUSEL', cards: [card(0), card(1)] }])),
    ).toEqual({});
    expect(
      validateMessage(
        template([
          { ...offer, parameters: [{ type: 'limited_time_offer', limited_time_offer: {} }] },
          { type: 'carousel', cards: [card(1), { card_index: 1, components: [offer] }] },
          { type: 'footer' },
        ]),
      ),
    ).toEqual({
      'template.components[0].parameters[0].limited_time_offer.expiration_time_ms':
        'must be a positive integer (Unix epoch milliseconds)',
      'template.components[1].cards[0].card_index': 'must be 0',
      'template.components[1].cards[1].components[0].type': 'must be one of header, body, button',
      'template.components[2].type':
        'must be one of header, body, button, limited_time_offer, carousel',
    });
  });
});

describe('recipients, callback data and typing indicators', () => {
  const text = { type: 'text', text: { body: 'halo' } };

  it('takes a business-scoped user id as recipient, with or without to', () => {
    const { to: _to, ...noPhone } = base;
    for (const recipient of ['US.13491208655302741918', 'US.ENT.118157992128868']) {
      expect(validateMessage({ ...noPhone, recipient, ...text })).toEqual({});
      expect(validateMessage({ ...base, recipient, ...text })).toEqual({});
    }
    expect(validateMessage({ ...noPhone, ...text })).toEqual({
      to: 'is required (or recipient, a BSUID)',
    });
    expect(validateMessage({ ...noPhone, recipient: '6281234567890', ...text })).toHaveProperty(
      'recipient',
    );
  });

  it('bounds biz_opaque_callback_data to a string of 512 characters', () => {
    expect(
      validateMessage({ ...base, ...text, biz_opaque_callback_data: 'x'.repeat(512) }),
    ).toEqual({});
    expect(
      validateMessage({ ...base, ...text, biz_opaque_callback_data: 'x'.repeat(513) }),
    ).toEqual({ biz_opaque_callback_data: 'must be at most 512 characters' });
    expect(validateMessage({ ...base, ...text, biz_opaque_callback_data: { a: 1 } })).toEqual({
      biz_opaque_callback_data: 'must be a string',
    });
  });

  it("takes a read receipt's typing indicator of type text only", () => {
    const receipt = { ...seed.readReceipt, status: 'read' };
    expect(readReceiptErrors({ ...receipt, typing_indicator: { type: 'text' } })).toEqual({});
    expect(readReceiptErrors({ ...receipt, typing_indicator: { type: 'audio' } })).toEqual({
      'typing_indicator.type': "must be 'text'",
    });
  });

  it('still refuses unknown message types', () => {
    expect(validateMessage({ ...base, type: 'order', order: {} })).toHaveProperty('type');
  });
});
