/**
 * Test support: one valid send of each Cloud API message kind the sandbox learned after the seed,
 * shaped as Meta documents them (see message-kinds.test.ts for the pages), plus builders the
 * limit tests vary. Kirem takes the same bodies.
 */

/** The number every example is sent to. */
export const customer = '6281234567890';

/** The fields every Cloud API send starts with. */
export const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: customer };

/** A whole send of one interactive message. */
export function interactive(content: Record<string, unknown>): Record<string, unknown> {
  return { ...base, type: 'interactive', interactive: content };
}

/** A call-to-action URL button with an image header and a footer. */
export const ctaUrl = {
  type: 'cta_url',
  header: { type: 'image', image: { link: 'https://kabar.test/banner.png' } },
  body: { text: 'Jadwal kelas baru sudah keluar.' },
  footer: { text: 'Jadwal bisa berubah.' },
  action: {
    name: 'cta_url',
    parameters: { display_text: 'Lihat jadwal', url: 'https://kabar.test/jadwal?ref=wa' },
  },
};

/** A request for the customer's location. */
export const locationRequest = {
  type: 'location_request_message',
  body: { text: 'Kirim lokasi Anda untuk ongkos kirim.' },
  action: { name: 'send_location' },
};

/** Reply buttons under a video header sent by media id. */
export const mediaButtons = {
  type: 'button',
  header: { type: 'video', video: { id: '1234567890' } },
  body: { text: 'Sudah lihat video cara pakainya?' },
  action: {
    buttons: [
      { type: 'reply', reply: { id: 'yes', title: 'Sudah' } },
      { type: 'reply', reply: { id: 'no', title: 'Belum' } },
    ],
  },
};

/** Carousel card `index` with a URL button; `overrides` breaks it for the limit tests. */
export function urlCard(index: number, overrides: Record<string, unknown> = {}) {
  return {
    card_index: index,
    type: 'cta_url',
    header: { type: 'image', image: { link: `https://kabar.test/plant-${index}.jpg` } },
    body: { text: `Tanaman ${index}` },
    action: {
      name: 'cta_url',
      parameters: { display_text: 'Beli', url: `https://kabar.test/plant/${index}` },
    },
    ...overrides,
  };
}

/** Carousel card `index` with quick-reply buttons titled `titles`. */
export function replyCard(index: number, titles: string[] = ['Info', 'Simpan']) {
  return {
    card_index: index,
    type: 'button',
    header: { type: 'video', video: { link: `https://kabar.test/plant-${index}.mp4` } },
    body: { text: `Tanaman ${index}` },
    action: {
      buttons: titles.map((title, b) => ({
        type: 'quick_reply',
        quick_reply: { id: `card-${index}-${b}`, title },
      })),
    },
  };
}

/** A media-card carousel of `cards`. */
export function carousel(cards: unknown[]) {
  return {
    type: 'carousel',
    body: { text: 'Tiga tanaman terbaru kami:' },
    action: { cards },
  };
}

/** Three quick-reply cards, as the inbox renders and answers them. */
export const replyCarousel = carousel([0, 1, 2].map((i) => replyCard(i)));

/** A single-product message. */
export const product = {
  type: 'product',
  body: { text: 'Ini yang Anda cari.' },
  footer: { text: 'Stok terbatas' },
  action: { catalog_id: '146265584024623', product_retailer_id: 'SKU-1' },
};

/** A multi-product message with `perSection[i]` products in section i. */
export function productList(perSection: number[]) {
  return {
    type: 'product_list',
    header: { type: 'text', text: 'Menu hari ini' },
    body: { text: 'Pilih yang Anda suka.' },
    footer: { text: 'Harga sudah termasuk pajak' },
    action: {
      catalog_id: '146265584024623',
      sections: perSection.map((count, s) => ({
        title: `Bagian ${s + 1}`,
        product_items: Array.from({ length: count }, (_, p) => ({
          product_retailer_id: `SKU-${s}-${p}`,
        })),
      })),
    },
  };
}

/** A catalog message with a thumbnail product. */
export const catalogMessage = {
  type: 'catalog_message',
  body: { text: 'Lihat katalog kami.' },
  action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-1' } },
};

/** A WhatsApp Flow opened on a named screen. */
export const flow = {
  type: 'flow',
  header: { type: 'text', text: 'Daftar kelas' },
  body: { text: 'Isi formulir singkat ini.' },
  action: {
    name: 'flow',
    parameters: {
      flow_message_version: '3',
      flow_id: '1197715005513101',
      flow_token: 'token-123',
      flow_cta: 'Daftar',
      mode: 'published',
      flow_action: 'navigate',
      flow_action_payload: { screen: 'WELCOME', data: { nama: 'Budi' } },
    },
  },
};

/** Every new interactive kind, by a name for test titles. */
export const INTERACTIVE_EXAMPLES: Record<string, Record<string, unknown>> = {
  cta_url: ctaUrl,
  location_request_message: locationRequest,
  'button with a media header': mediaButtons,
  'carousel of URL cards': carousel([urlCard(0), urlCard(1)]),
  'carousel of quick-reply cards': replyCarousel,
  product,
  product_list: productList([2, 1]),
  catalog_message: catalogMessage,
  flow,
};

/** Meta's create-template body for a copy-code authentication template. */
export function authTemplate(name: string) {
  return {
    name,
    language: 'en_US',
    category: 'authentication',
    components: [
      { type: 'body', add_security_recommendation: true },
      { type: 'footer', code_expiration_minutes: 10 },
      { type: 'buttons', buttons: [{ type: 'otp', otp_type: 'copy_code', text: 'Copy code' }] },
    ],
  };
}

/**
 * Meta's send of an authentication template: the code in the body and in the button (`null`
 * leaves the button component out).
 */
export function authSend(name: string, code: string, buttonCode: string | null = code) {
  return {
    ...base,
    type: 'template',
    template: {
      name,
      language: { code: 'en_US' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: code }] },
        ...(buttonCode === null
          ? []
          : [
              {
                type: 'button',
                sub_type: 'url',
                index: '0',
                parameters: [{ type: 'text', text: buttonCode }],
              },
            ]),
      ],
    },
  };
}
