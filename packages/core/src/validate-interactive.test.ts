/**
 * Meta's limits for the interactive messages beyond buttons and lists, each at and past its edge.
 * Limits from Meta's Cloud API docs:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-cta-url-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/location-request-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-media-carousel-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/catalogs/sell-products-and-services/share-products
 * https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import type { CarouselCard, InteractiveContent, OutgoingMessage } from './message.js';
import { LIMITS, prepareMessage } from './validate.js';

const to = '081234567890';
const chars = (n: number) => 'x'.repeat(n);

/** The field a message is refused for, or undefined when it passes. */
function fieldOf(interactive: unknown, extra: Record<string, unknown> = {}): string | undefined {
  try {
    prepareMessage({ to, interactive, ...extra } as OutgoingMessage);
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.field;
    throw error;
  }
  return undefined;
}

const cta = (over: Partial<Extract<InteractiveContent, { type: 'cta_url' }>> = {}) => ({
  type: 'cta_url' as const,
  body: 'Lihat jadwal',
  button: { text: 'Lihat', url: 'https://toko.id/jadwal' },
  ...over,
});

const urlCard = (i: number, over: Partial<CarouselCard> = {}): CarouselCard =>
  ({
    header: { image: { link: `https://toko.id/${i}.jpg` } },
    body: `Kartu ${i}`,
    button: { text: 'Beli', url: `https://toko.id/p/${i}` },
    ...over,
  }) as CarouselCard;
const replyCard = (i: number, buttons = 2): CarouselCard => ({
  header: { video: { id: `vid${i}` } },
  buttons: Array.from({ length: buttons }, (_, j) => ({ id: `c${i}b${j}`, title: `Pilih ${j}` })),
});
const carousel = (cards: CarouselCard[]) => ({ type: 'carousel' as const, body: 'Promo', cards });

const products = (n: number, prefix = 'sku') =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('cta_url', () => {
  it('takes a button label of 20 characters and refuses 21', () => {
    expect(
      fieldOf(cta({ button: { text: chars(LIMITS.urlButtonText), url: 'https://a.id' } })),
    ).toBeUndefined();
    expect(fieldOf(cta({ button: { text: chars(21), url: 'https://a.id' } }))).toBe(
      'interactive.button.text',
    );
  });

  it('refuses a URL that is not http(s)', () => {
    expect(fieldOf(cta({ button: { text: 'Buka', url: 'javascript:alert(1)' } }))).toBe(
      'interactive.button.url',
    );
  });

  it('takes a body of 1024 characters, a header and footer of 60, and refuses one more', () => {
    expect(
      fieldOf(cta({ body: chars(1024), header: chars(60), footer: chars(60) })),
    ).toBeUndefined();
    expect(fieldOf(cta({ body: chars(1025) }))).toBe('interactive.body');
    expect(fieldOf(cta({ header: chars(61) }))).toBe('interactive.header');
    expect(fieldOf(cta({ footer: chars(61) }))).toBe('interactive.footer');
  });

  it('takes an image, video or document header and refuses two media at once', () => {
    for (const header of [
      { image: { link: 'https://toko.id/a.jpg' } },
      { video: { id: '123' } },
      { document: { link: 'https://toko.id/a.pdf', filename: 'a.pdf' } },
    ]) {
      expect(fieldOf(cta({ header: header as never }))).toBeUndefined();
    }
    expect(fieldOf(cta({ header: { image: { id: '1' }, video: { id: '2' } } as never }))).toBe(
      'interactive.header',
    );
    expect(fieldOf(cta({ header: { audio: { id: '1' } } as never }))).toBe('interactive.header');
    expect(fieldOf(cta({ header: { image: { link: 'ftp://x' } } }))).toBe(
      'interactive.header.image.link',
    );
  });
});

describe('reply buttons with a media header', () => {
  it('takes an image header and checks its source', () => {
    const message = { type: 'buttons', body: 'Pesan?', buttons: [{ id: 'y', title: 'Ya' }] };
    expect(fieldOf({ ...message, header: { image: { id: '9' } } })).toBeUndefined();
    expect(fieldOf({ ...message, header: { image: {} } })).toBe('interactive.header.image');
  });
});

describe('location_request', () => {
  it('needs a body of at most 1024 characters and has no footer', () => {
    expect(fieldOf({ type: 'location_request', body: chars(1024) })).toBeUndefined();
    expect(fieldOf({ type: 'location_request', body: chars(1025) })).toBe('interactive.body');
    expect(fieldOf({ type: 'location_request', body: '' })).toBe('interactive.body');
    expect(fieldOf({ type: 'location_request', body: 'b', footer: 'f' })).toBe(
      'interactive.footer',
    );
  });
});

describe('carousel', () => {
  it('takes 2 and 10 cards and refuses 1 and 11', () => {
    const cards = (n: number) => Array.from({ length: n }, (_, i) => urlCard(i));
    expect(fieldOf(carousel(cards(LIMITS.carouselMinCards)))).toBeUndefined();
    expect(fieldOf(carousel(cards(LIMITS.carouselMaxCards)))).toBeUndefined();
    expect(fieldOf(carousel(cards(1)))).toBe('interactive.cards');
    expect(fieldOf(carousel(cards(11)))).toBe('interactive.cards');
  });

  it('takes a card text of 160 characters and refuses 161', () => {
    expect(fieldOf(carousel([urlCard(0, { body: chars(160) }), urlCard(1)]))).toBeUndefined();
    expect(fieldOf(carousel([urlCard(0), urlCard(1, { body: chars(161) })]))).toBe(
      'interactive.cards[1].body',
    );
  });

  it('takes one or two reply buttons per card and refuses three', () => {
    expect(fieldOf(carousel([replyCard(0, 1), replyCard(1, 1)]))).toBeUndefined();
    expect(fieldOf(carousel([replyCard(0, 2), replyCard(1, 2)]))).toBeUndefined();
    expect(fieldOf(carousel([replyCard(0, 3), replyCard(1, 3)]))).toBe(
      'interactive.cards[0].buttons',
    );
  });

  it('refuses cards whose buttons differ in kind or number', () => {
    expect(fieldOf(carousel([urlCard(0), replyCard(1)]))).toBe('interactive.cards[1]');
    expect(fieldOf(carousel([replyCard(0, 2), replyCard(1, 1)]))).toBe('interactive.cards[1]');
  });

  it('refuses a card with a document header, or with both kinds of button', () => {
    expect(
      fieldOf(carousel([urlCard(0, { header: { document: { id: '1' } } as never }), urlCard(1)])),
    ).toBe('interactive.cards[0].header');
    const both = { ...urlCard(0), buttons: [{ id: 'a', title: 'A' }] } as never;
    expect(fieldOf(carousel([both, urlCard(1)]))).toBe('interactive.cards[0]');
  });

  it('refuses a reply id used on two cards', () => {
    const a = replyCard(0, 1);
    const b: CarouselCard = {
      header: { image: { id: '1' } },
      buttons: [{ id: 'c0b0', title: 'Lagi' }],
    };
    expect(fieldOf(carousel([a, b]))).toMatch(/^interactive\.cards/);
  });

  it('has no footer', () => {
    expect(fieldOf({ ...carousel([urlCard(0), urlCard(1)]), footer: 'f' })).toBe(
      'interactive.footer',
    );
  });
});

describe('product, product_list and catalog', () => {
  it('sends one product with an optional body', () => {
    expect(fieldOf({ type: 'product', catalogId: 'c1', productId: 'sku-1' })).toBeUndefined();
    expect(fieldOf({ type: 'product', catalogId: 'c1' })).toBe('interactive.productId');
    expect(fieldOf({ type: 'product', productId: 'p', catalogId: '' })).toBe(
      'interactive.catalogId',
    );
  });

  const list = (sections: { title?: string; productIds: string[] }[], over = {}) => ({
    type: 'product_list',
    catalogId: 'c1',
    header: 'Katalog',
    body: 'Pilih produk',
    sections,
    ...over,
  });

  it('takes 30 products and refuses 31', () => {
    expect(
      fieldOf(
        list([
          { title: 'A', productIds: products(15) },
          { title: 'B', productIds: products(15, 'b') },
        ]),
      ),
    ).toBeUndefined();
    expect(
      fieldOf(
        list([
          { title: 'A', productIds: products(16) },
          { title: 'B', productIds: products(15, 'b') },
        ]),
      ),
    ).toBe('interactive.sections');
  });

  it('takes 10 sections and refuses 11; titles are required with several and at most 24', () => {
    const sections = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ title: `Bagian ${i}`, productIds: [`s${i}`] }));
    expect(fieldOf(list(sections(LIMITS.productSections)))).toBeUndefined();
    expect(fieldOf(list(sections(11)))).toBe('interactive.sections');
    expect(fieldOf(list([{ productIds: ['a'] }, { title: 'B', productIds: ['b'] }]))).toBe(
      'interactive.sections[0].title',
    );
    expect(fieldOf(list([{ title: chars(24), productIds: ['a'] }]))).toBeUndefined();
    expect(fieldOf(list([{ title: chars(25), productIds: ['a'] }]))).toBe(
      'interactive.sections[0].title',
    );
  });

  it('needs a text header of at most 60 characters', () => {
    expect(fieldOf(list([{ productIds: ['a'] }], { header: undefined }))).toBe(
      'interactive.header',
    );
    expect(fieldOf(list([{ productIds: ['a'] }], { header: chars(61) }))).toBe(
      'interactive.header',
    );
  });

  it('opens the catalog with a body and an optional thumbnail', () => {
    expect(
      fieldOf({ type: 'catalog', body: 'Lihat katalog', thumbnailProductId: 'sku-1' }),
    ).toBeUndefined();
    expect(fieldOf({ type: 'catalog' })).toBe('interactive.body');
  });
});

describe('flow', () => {
  const flow = (over: Record<string, unknown> = {}) => ({
    type: 'flow',
    flowId: '1234567890',
    cta: 'Daftar',
    body: 'Isi formulir pendaftaran',
    action: { type: 'navigate', screen: 'WELCOME' },
    ...over,
  });

  it('takes a CTA of 30 characters and refuses 31 or an emoji', () => {
    expect(fieldOf(flow({ cta: chars(LIMITS.flowCta) }))).toBeUndefined();
    expect(fieldOf(flow({ cta: chars(31) }))).toBe('interactive.cta');
    expect(fieldOf(flow({ cta: 'Daftar 🚀' }))).toBe('interactive.cta');
  });

  it('needs exactly one of flowId or flowName', () => {
    expect(fieldOf(flow({ flowId: undefined, flowName: 'pendaftaran' }))).toBeUndefined();
    expect(fieldOf(flow({ flowName: 'pendaftaran' }))).toBe('interactive.flowId');
    expect(fieldOf(flow({ flowId: undefined }))).toBe('interactive.flowId');
  });

  it('navigates to a named screen, or exchanges data', () => {
    expect(fieldOf(flow({ action: { type: 'data_exchange' } }))).toBeUndefined();
    expect(fieldOf(flow({ action: { type: 'navigate' } }))).toBe('interactive.action.screen');
    expect(fieldOf(flow({ action: { type: 'navigate', screen: 'A', data: {} } }))).toBe(
      'interactive.action.data',
    );
    expect(fieldOf(flow({ action: { type: 'jump' } }))).toBe('interactive.action.type');
    expect(fieldOf(flow({ action: undefined }))).toBe('interactive.action');
    expect(fieldOf(flow({ mode: 'beta' }))).toBe('interactive.mode');
  });
});

describe('any interactive type', () => {
  it('refuses an unknown type, naming the ones there are', () => {
    expect(() => prepareMessage({ to, interactive: { type: 'poll', body: 'b' } } as never)).toThrow(
      /cta_url.*flow/,
    );
  });
});

describe('envelope options', () => {
  const text = { to, text: 'Halo' };
  it('takes callback data of 512 characters and refuses 513', () => {
    expect(() =>
      prepareMessage({ ...text, callbackData: chars(LIMITS.callbackData) }),
    ).not.toThrow();
    expect(() => prepareMessage({ ...text, callbackData: chars(513) })).toThrow(
      expect.objectContaining({ field: 'callbackData' }),
    );
  });

  it('addresses a business-scoped user id, and refuses a malformed one', () => {
    const prepared = prepareMessage({ to: { userId: 'US.13491208655302741918' }, text: 'Halo' });
    expect(prepared).toMatchObject({ to: 'US.13491208655302741918', recipientType: 'user' });
    expect(prepareMessage({ to: { userId: 'US.ENT.11815799212886844830' }, text: 'x' }).to).toBe(
      'US.ENT.11815799212886844830',
    );
    for (const userId of ['13491208655302741918', 'us.123', `ID.${chars(129)}`, 'ID.12-34']) {
      expect(() => prepareMessage({ to: { userId }, text: 'x' })).toThrow(
        expect.objectContaining({ field: 'to.userId' }),
      );
    }
    expect(
      prepareMessage({ to: { userId: `ID.${'a'.repeat(128)}` }, text: 'x' }).recipientType,
    ).toBe('user');
  });
});
