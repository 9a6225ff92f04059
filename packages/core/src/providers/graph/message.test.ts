/**
 * The request bodies of the new message kinds, against the shapes in Meta's Cloud API docs (not
 * against our sandbox, which the same hands wrote):
 * - CTA URL: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-cta-url-messages
 * - Location request: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/location-request-messages
 * - Media carousel: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-media-carousel-messages
 * - Products and catalog: https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/sell-products-and-services/share-products
 * - Flows: https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow
 * - Authentication templates: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
 * - Coupon, limited-time offer and carousel templates: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/
 * - Named parameters: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/overview (parameter_name)
 * - biz_opaque_callback_data and recipient (BSUID): https://developers.facebook.com/documentation/business-messaging/whatsapp/reference/whatsapp-business-phone-number/message-api
 */
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../message.js';
import { prepareMessage } from '../../validate.js';
import { graphMessageBody } from './message.js';

const to = '081234567890';

/** The body as it goes on the wire: JSON drops the members left `undefined`. */
function wire(message: OutgoingMessage): Record<string, unknown> {
  return JSON.parse(JSON.stringify(graphMessageBody(prepareMessage(message))));
}

describe('interactive messages', () => {
  it('CTA URL with an image header and footer', () => {
    expect(
      wire({
        to,
        interactive: {
          type: 'cta_url',
          header: { image: { link: 'https://toko.id/banner.jpg' } },
          body: 'Lihat jadwal yang tersedia.',
          footer: 'Jadwal bisa berubah',
          button: { text: 'Lihat jadwal', url: 'https://toko.id/jadwal?ref=wa' },
        },
      }),
    ).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        header: { type: 'image', image: { link: 'https://toko.id/banner.jpg' } },
        body: { text: 'Lihat jadwal yang tersedia.' },
        footer: { text: 'Jadwal bisa berubah' },
        action: {
          name: 'cta_url',
          parameters: { display_text: 'Lihat jadwal', url: 'https://toko.id/jadwal?ref=wa' },
        },
      },
    });
  });

  it('location request', () => {
    expect(
      wire({ to, interactive: { type: 'location_request', body: 'Kirim lokasi Anda' } })
        .interactive,
    ).toEqual({
      type: 'location_request_message',
      body: { text: 'Kirim lokasi Anda' },
      action: { name: 'send_location' },
    });
  });

  it('reply buttons under a video header', () => {
    expect(
      wire({
        to,
        interactive: {
          type: 'buttons',
          header: { video: { id: '1166846181421424' } },
          body: 'Tonton dulu?',
          buttons: [{ id: 'ya', title: 'Ya' }],
        },
      }).interactive,
    ).toEqual({
      type: 'button',
      header: { type: 'video', video: { id: '1166846181421424' } },
      body: { text: 'Tonton dulu?' },
      action: { buttons: [{ type: 'reply', reply: { id: 'ya', title: 'Ya' } }] },
    });
  });

  it('carousel of URL cards and of quick-reply cards', () => {
    const urlCards = wire({
      to,
      interactive: {
        type: 'carousel',
        body: 'Promo minggu ini',
        cards: [
          {
            header: { image: { link: 'https://toko.id/1.jpg' } },
            body: 'Kemeja batik',
            button: { text: 'Beli', url: 'https://toko.id/p/1' },
          },
          { header: { video: { id: '99' } }, button: { text: 'Beli', url: 'https://toko.id/p/2' } },
        ],
      },
    }).interactive;
    expect(urlCards).toEqual({
      type: 'carousel',
      body: { text: 'Promo minggu ini' },
      action: {
        cards: [
          {
            card_index: 0,
            type: 'cta_url',
            header: { type: 'image', image: { link: 'https://toko.id/1.jpg' } },
            body: { text: 'Kemeja batik' },
            action: {
              name: 'cta_url',
              parameters: { display_text: 'Beli', url: 'https://toko.id/p/1' },
            },
          },
          {
            card_index: 1,
            type: 'cta_url',
            header: { type: 'video', video: { id: '99' } },
            action: {
              name: 'cta_url',
              parameters: { display_text: 'Beli', url: 'https://toko.id/p/2' },
            },
          },
        ],
      },
    });
    const replyCards = wire({
      to,
      interactive: {
        type: 'carousel',
        body: 'Pilih ukuran',
        cards: [0, 1].map((i) => ({
          header: { image: { id: `img${i}` } },
          buttons: [{ id: `s${i}`, title: 'Ukuran S' }],
        })),
      },
    }).interactive as { action: { cards: unknown[] } };
    expect(replyCards.action.cards[1]).toEqual({
      card_index: 1,
      type: 'button',
      header: { type: 'image', image: { id: 'img1' } },
      action: { buttons: [{ type: 'quick_reply', quick_reply: { id: 's1', title: 'Ukuran S' } }] },
    });
  });

  it('single product, product list and catalog', () => {
    expect(
      wire({
        to,
        interactive: {
          type: 'product',
          catalogId: '367025965434465',
          productId: 'sku-1',
          body: 'Cek ini',
        },
      }).interactive,
    ).toEqual({
      type: 'product',
      body: { text: 'Cek ini' },
      action: { catalog_id: '367025965434465', product_retailer_id: 'sku-1' },
    });
    expect(
      wire({
        to,
        interactive: {
          type: 'product_list',
          catalogId: '367025965434465',
          header: 'Koleksi baru',
          body: 'Pilih favorit Anda',
          footer: 'Stok terbatas',
          sections: [
            { title: 'Kemeja', productIds: ['sku-1', 'sku-2'] },
            { title: 'Celana', productIds: ['sku-9'] },
          ],
        },
      }).interactive,
    ).toEqual({
      type: 'product_list',
      header: { type: 'text', text: 'Koleksi baru' },
      body: { text: 'Pilih favorit Anda' },
      footer: { text: 'Stok terbatas' },
      action: {
        catalog_id: '367025965434465',
        sections: [
          {
            title: 'Kemeja',
            product_items: [{ product_retailer_id: 'sku-1' }, { product_retailer_id: 'sku-2' }],
          },
          { title: 'Celana', product_items: [{ product_retailer_id: 'sku-9' }] },
        ],
      },
    });
    expect(
      wire({
        to,
        interactive: { type: 'catalog', body: 'Katalog kami', thumbnailProductId: 'sku-1' },
      }).interactive,
    ).toEqual({
      type: 'catalog_message',
      body: { text: 'Katalog kami' },
      action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'sku-1' } },
    });
  });

  it('flow that navigates to a screen with data, and one that exchanges data', () => {
    expect(
      wire({
        to,
        interactive: {
          type: 'flow',
          flowId: '1234567890',
          cta: 'Daftar',
          body: 'Isi formulir',
          flowToken: 'sesi-42',
          mode: 'draft',
          action: { type: 'navigate', screen: 'WELCOME', data: { kota: 'Bandung' } },
        },
      }).interactive,
    ).toEqual({
      type: 'flow',
      body: { text: 'Isi formulir' },
      action: {
        name: 'flow',
        parameters: {
          flow_message_version: '3',
          flow_id: '1234567890',
          flow_cta: 'Daftar',
          flow_token: 'sesi-42',
          mode: 'draft',
          flow_action: 'navigate',
          flow_action_payload: { screen: 'WELCOME', data: { kota: 'Bandung' } },
        },
      },
    });
    const exchange = wire({
      to,
      interactive: {
        type: 'flow',
        flowName: 'pendaftaran',
        cta: 'Mulai',
        body: 'b',
        action: { type: 'data_exchange' },
      },
    }).interactive as { action: { parameters: Record<string, unknown> } };
    expect(exchange.action.parameters).toEqual({
      flow_message_version: '3',
      flow_name: 'pendaftaran',
      flow_cta: 'Mulai',
      flow_action: 'data_exchange',
    });
  });
});

describe('templates', () => {
  it('authentication: the code in the body and in the copy-code button', () => {
    expect(
      wire({
        to,
        template: {
          name: 'kode_masuk',
          language: 'id',
          params: ['482913'],
          components: [{ type: 'button', subType: 'otp', index: 0, code: '482913' }],
        },
      }).template,
    ).toEqual({
      name: 'kode_masuk',
      language: { code: 'id' },
      components: [
        {
          type: 'button',
          sub_type: 'url',
          index: '0',
          parameters: [{ type: 'text', text: '482913' }],
        },
        { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
      ],
    });
  });

  it('named body parameters', () => {
    expect(
      wire({
        to,
        template: {
          name: 'pesanan',
          language: 'id',
          params: { first_name: 'Budi', order_id: 'INV-7' },
        },
      }).template,
    ).toEqual({
      name: 'pesanan',
      language: { code: 'id' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Budi', parameter_name: 'first_name' },
            { type: 'text', text: 'INV-7', parameter_name: 'order_id' },
          ],
        },
      ],
    });
  });

  it('coupon, limited-time offer, flow, catalog and multi-product buttons', () => {
    const template = wire({
      to,
      template: {
        name: 'promo',
        language: 'id',
        components: [
          { type: 'limited_time_offer', expiresAt: 1_767_225_600_000 },
          { type: 'button', subType: 'copy_code', index: 0, couponCode: 'HEMAT25' },
          {
            type: 'button',
            subType: 'flow',
            index: 1,
            flowToken: 'sesi-1',
            flowActionData: { kota: 'Medan' },
          },
          { type: 'button', subType: 'catalog', index: 2, thumbnailProductId: 'sku-1' },
          {
            type: 'button',
            subType: 'mpm',
            index: 3,
            thumbnailProductId: 'sku-1',
            sections: [{ title: 'Baju', productIds: ['sku-1'] }],
          },
        ],
      },
    }).template as { components: unknown[] };
    expect(template.components).toEqual([
      {
        type: 'limited_time_offer',
        parameters: [
          {
            type: 'limited_time_offer',
            limited_time_offer: { expiration_time_ms: 1_767_225_600_000 },
          },
        ],
      },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: '0',
        parameters: [{ type: 'coupon_code', coupon_code: 'HEMAT25' }],
      },
      {
        type: 'button',
        sub_type: 'flow',
        index: '1',
        parameters: [
          { type: 'action', action: { flow_token: 'sesi-1', flow_action_data: { kota: 'Medan' } } },
        ],
      },
      {
        type: 'button',
        sub_type: 'catalog',
        index: '2',
        parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: 'sku-1' } }],
      },
      {
        type: 'button',
        sub_type: 'mpm',
        index: '3',
        parameters: [
          {
            type: 'action',
            action: {
              thumbnail_product_retailer_id: 'sku-1',
              sections: [{ title: 'Baju', product_items: [{ product_retailer_id: 'sku-1' }] }],
            },
          },
        ],
      },
    ]);
  });

  it('carousel template: each card with its own components', () => {
    const template = wire({
      to,
      template: {
        name: 'katalog_kartu',
        language: 'id',
        params: ['Budi'],
        components: [
          {
            type: 'carousel',
            cards: [
              {
                components: [
                  {
                    type: 'header',
                    parameters: [{ type: 'image', image: { id: '24230790383178626' } }],
                  },
                  { type: 'body', parameters: ['10%'] },
                  {
                    type: 'button',
                    subType: 'quick_reply',
                    index: 0,
                    parameters: [{ type: 'payload', payload: 'beli-1' }],
                  },
                ],
              },
            ],
          },
        ],
      },
    }).template as { components: unknown[] };
    expect(template.components).toEqual([
      {
        type: 'carousel',
        cards: [
          {
            card_index: 0,
            components: [
              {
                type: 'header',
                parameters: [{ type: 'image', image: { id: '24230790383178626' } }],
              },
              { type: 'body', parameters: [{ type: 'text', text: '10%' }] },
              {
                type: 'button',
                sub_type: 'quick_reply',
                index: '0',
                parameters: [{ type: 'payload', payload: 'beli-1' }],
              },
            ],
          },
        ],
      },
      { type: 'body', parameters: [{ type: 'text', text: 'Budi' }] },
    ]);
  });
});

describe('envelope', () => {
  it('sends biz_opaque_callback_data with any message', () => {
    expect(
      wire({ to, text: 'Halo', callbackData: 'invoice:INV-2026-0042' }).biz_opaque_callback_data,
    ).toBe('invoice:INV-2026-0042');
  });

  it('addresses a business-scoped user id through `recipient`, without `to`', () => {
    const body = wire({ to: { userId: 'US.13491208655302741918' }, text: 'Halo' });
    expect(body.recipient).toBe('US.13491208655302741918');
    expect(body).not.toHaveProperty('to');
  });
});
