/**
 * Template sends: named parameters, every button sub-type, offers and carousel cards, each limit at
 * and past its edge. Rules from Meta's template docs:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/coupon-templates
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/limited-time-offer-templates
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/media-card-carousel-templates
 */
import { describe, expect, it } from 'vitest';
import { authenticationTemplate } from './authentication-template.js';
import { ValidationError } from './errors.js';
import type { OutgoingMessage, TemplateComponent, TemplateContent } from './message.js';
import { LIMITS, prepareMessage } from './validate.js';

const to = '081234567890';

function fieldOf(template: Partial<TemplateContent>, recipient: unknown = to): string | undefined {
  try {
    prepareMessage({
      to: recipient,
      template: { name: 'promo', language: 'id', ...template },
    } as OutgoingMessage);
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.field;
    throw error;
  }
  return undefined;
}
const withComponents = (...components: unknown[]) =>
  fieldOf({ components: components as TemplateComponent[] });

describe('named parameters', () => {
  it('takes a record of names, and refuses names Meta would not accept', () => {
    expect(fieldOf({ params: { first_name: 'Budi', total_2: 'Rp10.000' } })).toBeUndefined();
    expect(fieldOf({ params: { 'First Name': 'Budi' } })).toBe('template.params.First Name');
    expect(fieldOf({ params: { nama: 'baris\nbaru' } })).toBe('template.params.nama');
  });

  it('takes a name on a text, currency or date parameter', () => {
    expect(
      withComponents({
        type: 'body',
        parameters: [
          { type: 'text', text: 'Budi', name: 'first_name' },
          {
            type: 'currency',
            name: 'total',
            currency: { fallbackValue: 'Rp10.000', code: 'IDR', amount1000: 10_000_000 },
          },
          { type: 'date_time', name: 'due', dateTime: { fallbackValue: '1 Januari 2027' } },
        ],
      }),
    ).toBeUndefined();
    expect(
      withComponents({ type: 'body', parameters: [{ type: 'text', text: 'x', name: 'A-b' }] }),
    ).toBe('template.components[0].parameters[0].name');
    expect(
      withComponents({
        type: 'body',
        parameters: [
          { type: 'currency', currency: { fallbackValue: 'x', code: 'rupiah', amount1000: 1 } },
        ],
      }),
    ).toBe('template.components[0].parameters[0].currency.code');
  });
});

describe('buttons', () => {
  it(`fills an OTP button with a code of at most ${LIMITS.otpCode} characters`, () => {
    expect(
      withComponents({ type: 'button', subType: 'otp', index: 0, code: '1'.repeat(15) }),
    ).toBeUndefined();
    expect(withComponents({ type: 'button', subType: 'otp', index: 0, code: '1'.repeat(16) })).toBe(
      'template.components[0].code',
    );
    expect(withComponents({ type: 'button', subType: 'otp', index: 0, code: '' })).toBe(
      'template.components[0].code',
    );
  });

  it(`fills a coupon button with a code of at most ${LIMITS.couponCode} characters`, () => {
    expect(
      withComponents({
        type: 'button',
        subType: 'copy_code',
        index: 1,
        couponCode: 'LEBARAN2027HEMA',
      }),
    ).toBeUndefined();
    expect(
      withComponents({
        type: 'button',
        subType: 'copy_code',
        index: 1,
        couponCode: 'LEBARAN2027HEMAT',
      }),
    ).toBe('template.components[0].couponCode');
  });

  it('takes flow, catalog and multi-product buttons', () => {
    expect(
      withComponents(
        {
          type: 'button',
          subType: 'flow',
          index: 0,
          flowToken: 'sesi-1',
          flowActionData: { kota: 'Bandung' },
        },
        { type: 'button', subType: 'catalog', index: 1, thumbnailProductId: 'sku-1' },
      ),
    ).toBeUndefined();
    expect(
      withComponents({
        type: 'button',
        subType: 'mpm',
        index: 0,
        thumbnailProductId: 'sku-1',
        sections: [{ title: 'Baju', productIds: ['sku-1', 'sku-2'] }],
      }),
    ).toBeUndefined();
    expect(
      withComponents({
        type: 'button',
        subType: 'mpm',
        index: 0,
        thumbnailProductId: 'sku-1',
        sections: [],
      }),
    ).toBe('template.components[0].sections');
    expect(withComponents({ type: 'button', subType: 'flow', index: 0, flowActionData: 'x' })).toBe(
      'template.components[0].flowActionData',
    );
  });

  it('takes indexes 0 to 9 and refuses 10, and names an unknown sub-type', () => {
    expect(
      withComponents({ type: 'button', subType: 'url', index: 9, parameters: ['a'] }),
    ).toBeUndefined();
    expect(withComponents({ type: 'button', subType: 'url', index: 10, parameters: ['a'] })).toBe(
      'template.components[0].index',
    );
    expect(withComponents({ type: 'button', subType: 'voice', index: 0 })).toBe(
      'template.components[0].subType',
    );
  });
});

describe('limited-time offers and carousels', () => {
  it('takes an expiry in epoch milliseconds', () => {
    expect(
      withComponents({ type: 'limited_time_offer', expiresAt: 1_767_225_600_000 }),
    ).toBeUndefined();
    expect(withComponents({ type: 'limited_time_offer', expiresAt: '2027-01-01' })).toBe(
      'template.components[0].expiresAt',
    );
  });

  it('takes 10 cards and refuses 11, and checks each card’s components', () => {
    const card = {
      components: [
        {
          type: 'header',
          parameters: [{ type: 'image', image: { link: 'https://toko.id/1.jpg' } }],
        },
        {
          type: 'button',
          subType: 'quick_reply',
          index: 0,
          parameters: [{ type: 'payload', payload: 'beli-1' }],
        },
      ],
    };
    expect(withComponents({ type: 'carousel', cards: Array(10).fill(card) })).toBeUndefined();
    expect(withComponents({ type: 'carousel', cards: Array(11).fill(card) })).toBe(
      'template.components[0].cards',
    );
    expect(
      withComponents({
        type: 'carousel',
        cards: [{ components: [{ type: 'footer', parameters: [] }] }],
      }),
    ).toBe('template.components[0].cards[0].components[0].type');
  });

  it('names an unknown component type', () => {
    expect(withComponents({ type: 'footer', parameters: [] })).toBe('template.components[0].type');
  });
});

describe('business-scoped user ids', () => {
  it('refuses a one-time password for a user id before the network (Meta error 131062)', () => {
    const otp = {
      components: [{ type: 'button', subType: 'otp', index: 0, code: '123456' }],
    } as const;
    expect(fieldOf(otp as never, { userId: 'ID.1502576394655843' })).toBe('to.userId');
    expect(fieldOf(otp as never)).toBeUndefined();
    expect(fieldOf({ params: ['Budi'] }, { userId: 'ID.1502576394655843' })).toBeUndefined();
  });
});

describe('authenticationTemplate', () => {
  it('builds the definition Meta takes for a copy-code template', () => {
    expect(
      authenticationTemplate({ name: 'kode_masuk', language: 'id', codeExpirationMinutes: 5 }),
    ).toEqual({
      name: 'kode_masuk',
      language: 'id',
      category: 'AUTHENTICATION',
      components: [
        { type: 'BODY', add_security_recommendation: true },
        { type: 'FOOTER', code_expiration_minutes: 5 },
        {
          type: 'BUTTONS',
          buttons: [expect.objectContaining({ type: 'OTP', otp_type: 'COPY_CODE' })],
        },
      ],
    });
  });

  it('builds a one-tap button with its Android app', () => {
    const definition = authenticationTemplate({
      name: 'kode_app',
      language: 'en_US',
      button: 'one_tap',
      autofillText: 'Isi otomatis',
      apps: [{ packageName: 'id.toko.app', signatureHash: 'K8a/AINcGX7' }],
    });
    expect(definition.components.at(-1)?.buttons?.[0]).toMatchObject({
      otp_type: 'ONE_TAP',
      autofill_text: 'Isi otomatis',
      supported_apps: [{ package_name: 'id.toko.app', signature_hash: 'K8a/AINcGX7' }],
    });
  });

  it.each([
    [{ name: 'Kode Masuk' }, 'name'],
    [{ codeExpirationMinutes: 91 }, 'codeExpirationMinutes'],
    [{ codeExpirationMinutes: 0 }, 'codeExpirationMinutes'],
    [{ button: 'one_tap' }, 'apps'],
    [
      { button: 'zero_tap', apps: [{ packageName: 'a.b', signatureHash: 'K8a/AINcGX7' }] },
      'zeroTapTermsAccepted',
    ],
    [
      { button: 'one_tap', apps: [{ packageName: 'a.b', signatureHash: 'short' }] },
      'apps[0].signatureHash',
    ],
    [{ buttonText: 'x'.repeat(26) }, 'buttonText'],
  ])('refuses %j naming %s', (options, field) => {
    expect(() =>
      authenticationTemplate({ name: 'kode', language: 'id', ...options } as never),
    ).toThrow(expect.objectContaining({ field }));
  });
});
