import { LIMITS, type OutgoingMessage, prepareMessage } from '@kabar/core';
import { describe, expect, it } from 'vitest';
import { decodeSecret, signWoo, verifyWooSignature } from './app.js';
import { defaultConfig } from './config.js';
import {
  checkoutConsent,
  customerPhone,
  fill,
  formatAmount,
  formatIdr,
  planOrder,
  productList,
  type WooOrder,
} from './order.js';
import { readOrder } from './order-input.js';
import { wooOrder } from './test-support.js';
import { cleanText } from './text.js';

function read(body: unknown): WooOrder {
  const input = readOrder(body);
  if (!input.ok) throw new Error(input.problem);
  return input.order;
}

/** The customer's message for an order. */
function messageFor(order: unknown, config = defaultConfig()): OutgoingMessage {
  const plan = planOrder(read(order), config);
  if (plan.kind !== 'jobs') throw new Error(`ignored: ${plan.reason}`);
  const message = plan.jobs[0]?.message;
  if (!message) throw new Error('no customer message');
  return message;
}

describe('IDR formatting, by hand (no Intl no-break space)', () => {
  it.each([
    ['150000', 'Rp 150.000'],
    ['150000.00', 'Rp 150.000'],
    ['0', 'Rp 0'],
    ['999', 'Rp 999'],
    ['1000', 'Rp 1.000'],
    ['1234567', 'Rp 1.234.567'],
    ['1500.5', 'Rp 1.500,50'],
    ['-25000', '-Rp 25.000'],
  ])('%s → %s', (total, expected) => {
    expect(formatIdr(total)).toBe(expected);
    expect(formatIdr(total)).not.toContain('\u00a0');
  });

  it('formats the bare amount for templates that already say "Rp"', () => {
    expect(formatAmount('150000')).toBe('150.000');
  });
});

describe('orders', () => {
  it('lists products as "- Name xQty"', () => {
    expect(productList(wooOrder())).toBe('- Kopi Gayo 250g x2\n- Gula Aren 500g x1');
  });

  it('normalises the billing phone with the billing country', () => {
    expect(customerPhone(wooOrder(), 'ID')).toEqual({ ok: true, phone: '6281234567890' });
    const sg = wooOrder({ billing: { ...wooOrder().billing, phone: '9123 4567', country: 'SG' } });
    expect(customerPhone(sg, 'ID')).toEqual({ ok: true, phone: '6591234567' });
  });

  it('plans the customer template, keyed by (order, status, recipient), and the admin text', () => {
    const plan = planOrder(read(wooOrder()), defaultConfig());
    expect(plan.kind).toBe('jobs');
    if (plan.kind !== 'jobs') return;
    expect(plan.jobs.map((j) => j.dedupeKey)).toEqual([
      'woo:727:processing:6281234567890',
      'woo:727:processing:6281299990000',
    ]);
    expect(plan.jobs[0]?.message).toMatchObject({
      template: {
        name: 'notif_pesanan_baru',
        params: ['Budi Santoso', 'Toko Kabar', '727', '150.000'],
      },
      idempotencyKey: 'woo:727:processing:6281234567890',
    });
  });

  it('ignores checkout drafts and unmapped statuses', () => {
    expect(planOrder(read(wooOrder({ status: 'checkout-draft' })), defaultConfig())).toEqual({
      kind: 'ignored',
      reason: 'checkout-draft',
    });
    expect(planOrder(read(wooOrder({ status: 'pending' })), defaultConfig()).kind).toBe('ignored');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'matches no rule for the status %s (own keys only)',
    (status) => {
      const order = JSON.parse(JSON.stringify(wooOrder()).replace('"processing"', `"${status}"`));
      expect(planOrder(read(order), defaultConfig())).toEqual({
        kind: 'ignored',
        reason: 'unmapped_status',
      });
    },
  );

  it('leaves {constructor} and other unknown placeholders as written', () => {
    expect(fill('{constructor} {toString} {name}', { name: 'Budi' })).toBe(
      '{constructor} {toString} Budi',
    );
  });
});

describe('reading a delivery as an order', () => {
  const billing = wooOrder().billing;
  it.each([
    [
      'a number where a string is expected',
      { total: 150000 },
      'total: expected a string, got a number',
    ],
    ['an order number that is a number', { number: 727 }, 'number: expected a string'],
    [
      'line_items that is not an array',
      { line_items: 'Kopi' },
      'line_items: expected an array, got a string',
    ],
    ['a null line item', { line_items: [null] }, 'line_items[0]: expected an object, got null'],
    [
      'a quantity in words',
      { line_items: [{ name: 'Kopi', quantity: 'dua' }] },
      'line_items[0].quantity: expected a number',
    ],
    [
      'a product name that is an object',
      { line_items: [{ name: { id: 1 } }] },
      'line_items[0].name: expected a string, got an object',
    ],
    [
      'billing that is not an object',
      { billing: 'Budi' },
      'billing: expected an object, got a string',
    ],
    ['billing that is an array', { billing: [] }, 'billing: expected an object, got an array'],
    [
      'a first name that is a number',
      { billing: { ...billing, first_name: 5 } },
      'billing.first_name: expected a string',
    ],
    [
      'a phone that is a number',
      { billing: { ...billing, phone: 81234567890 } },
      'billing.phone: expected a string',
    ],
    ['shipping that is a string', { shipping: 'x' }, 'shipping: expected an object'],
    ['meta_data that is an object', { meta_data: {} }, 'meta_data: expected an array'],
    ['a meta entry that is null', { meta_data: [null] }, 'meta_data[0]: expected an object'],
    [
      'a meta key that is a number',
      { meta_data: [{ key: 7, value: 'yes' }] },
      'meta_data[0].key: expected a string',
    ],
    ['an id that is a string', { id: '727' }, 'id: expected a positive integer, got a string'],
    ['an id past 2^53', { id: 2 ** 60 }, 'id: expected a positive integer'],
    [
      'a status that is a number',
      { status: 3 },
      'status: expected a non-empty string, got a number',
    ],
  ])('refuses %s, naming the field', (_, overrides, problem) => {
    const input = readOrder(wooOrder(overrides));
    expect(input.ok).toBe(false);
    if (!input.ok) expect(input.problem).toContain(problem);
  });

  it('reads the checkout opt-in box: yes, 1, true opt in; other values out; no field, nothing', () => {
    const consent = (value: unknown, extra: Record<string, unknown> = {}) => {
      const input = readOrder(wooOrder({ meta_data: [{ key: '_wa_optin', value }], ...extra }));
      if (!input.ok) throw new Error(input.problem);
      return checkoutConsent(input.order, '_wa_optin');
    };
    const placed = Date.parse('2026-11-21T03:15:30Z');
    for (const value of ['yes', 'YES', '1', 'true', true, 1]) {
      expect(consent(value)).toEqual({ status: 'opted_in', at: placed });
    }
    for (const value of ['no', '0', '', false, null]) {
      expect(consent(value)).toMatchObject({ status: 'opted_out' });
    }
    expect(consent('yes', { date_created_gmt: null })).toEqual({
      status: 'opted_in',
      at: undefined,
    });
    expect(consent('yes', { date_created_gmt: '2026-11-21T03:15:30+07:00' })?.at).toBe(
      Date.parse('2026-11-20T20:15:30Z'),
    );
    const none = readOrder(wooOrder());
    if (none.ok) expect(checkoutConsent(none.order, '_wa_optin')).toBeUndefined();
    const off = readOrder(wooOrder({ meta_data: [{ key: '_wa_optin', value: 'yes' }] }));
    if (off.ok) expect(checkoutConsent(off.order, '')).toBeUndefined();
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'order', 7]) expect(readOrder(body).ok).toBe(false);
  });

  it('accepts an odd but well-formed order: absent or null optional fields', () => {
    const order = read({
      id: 9,
      status: 'completed',
      billing: null,
      shipping: null,
      line_items: [],
    });
    const message = messageFor({
      ...wooOrder({ id: 9, status: 'completed' }),
      number: null,
      currency: null,
      total: null,
      billing: { phone: '081234567890', first_name: null },
      shipping: null,
      line_items: [{ quantity: null }],
    });
    expect(order).toMatchObject({ id: 9, status: 'completed' });
    expect(message).toMatchObject({
      text: 'Halo Pelanggan, pesanan #9 dari Toko Kabar sudah selesai dan dikirim:\n- Produk x1\nTotal: Rp 0. Terima kasih telah berbelanja!',
    });
  });
});

describe('order text in messages', () => {
  const hostile = {
    first_name: 'Budi\r\nTotal: Rp 0\tLUNAS',
    last_name: 'San\u202etoso\u2028\u2029\u0000\u0085\u001b[31m',
  };

  it('strips control characters, new lines and direction overrides', () => {
    expect(cleanText(`${hostile.first_name} ${hostile.last_name}`, 100)).toBe(
      'Budi Total: Rp 0 LUNAS Santoso [31m',
    );
  });

  it('cuts an over-long field with an ellipsis, counting characters as WhatsApp does', () => {
    expect(cleanText('Kopi Gayo 250g', 8)).toBe('Kopi Ga…');
    expect(cleanText('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
  });

  it('keeps a text message within 4096 characters and one line per product', () => {
    const message = messageFor(
      wooOrder({
        status: 'completed',
        billing: { ...wooOrder().billing, ...hostile },
        line_items: Array.from({ length: 300 }, (_, i) => ({
          name: `Produk ${i}\n- Bonus x99 ${'A'.repeat(10_000)}`,
          quantity: 1,
        })),
      }),
    );
    const text = (message as { text: string }).text;
    expect(Array.from(text).length).toBeLessThanOrEqual(LIMITS.textBody);
    expect(text).toMatch(/^Halo Budi Total: Rp 0 LUNAS Santoso \[31m, pesanan #727/);
    // The template's own line breaks stay; the order's do not add any.
    expect(text.split('\n')).toHaveLength(1 + 20 + 1 + 1);
    expect(text).toContain('- … dan 280 produk lainnya');
    expect(text).toContain('…');
    expect(text.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u);
    expect(() => prepareMessage(message)).not.toThrow();
  });

  it('fills template parameters WhatsApp accepts: one line, no tabs, no long space runs, never empty', () => {
    const config = defaultConfig();
    config.statuses.processing = {
      template: 'notif_pesanan_baru',
      language: 'id',
      params: ['{name}', '{products}', '{store}     {number}', '{first_name}'],
    };
    const message = messageFor(
      wooOrder({
        billing: { ...wooOrder().billing, ...hostile, first_name: '\t\n' },
        line_items: [
          { name: 'Kopi\tGayo', quantity: 2 },
          { name: 'Gula', quantity: 1 },
        ],
      }),
      config,
    );
    expect((message as { template: { params: string[] } }).template.params).toEqual([
      'Santoso [31m',
      '- Kopi Gayo x2; - Gula x1',
      'Toko Kabar 727',
      'Santoso [31m',
    ]);
    expect(() => prepareMessage(message)).not.toThrow();
  });
});

describe('WooCommerce signatures', () => {
  it('decodes the secret as wp_specialchars_decode(ENT_QUOTES) does', () => {
    expect(decodeSecret('a&amp;b&quot;c&#039;d&lt;e&gt;')).toBe('a&b"c\'d<e>');
  });

  it('verifies base64 HMAC-SHA256 over the raw bytes, refusing wrong lengths and values', () => {
    const body = Buffer.from('{"id":1}');
    const signature = signWoo(body, 's&amp;t');
    expect(verifyWooSignature(body, signature, 's&amp;t')).toBe(true);
    expect(verifyWooSignature(body, signWoo(body, 's&t'), 's&amp;t')).toBe(true);
    expect(verifyWooSignature(body, signature.slice(1), 's&amp;t')).toBe(false);
    expect(verifyWooSignature(body, undefined, 's&amp;t')).toBe(false);
    expect(verifyWooSignature(Buffer.from('{"id":2}'), signature, 's&amp;t')).toBe(false);
  });
});

describe('real store text: HTML entities and currencies', () => {
  it('decodes the entities WooCommerce sends in names and products, in one pass', () => {
    expect(cleanText('Kopi &amp; Teh &#8211; 250g', 100)).toBe('Kopi & Teh – 250g');
    expect(cleanText('Kaos &quot;Batik&quot; &#x2014; L&rsquo;s', 100)).toBe('Kaos "Batik" — L’s');
    // Decoded once, as a browser shows it: an escaped entity stays an entity.
    expect(cleanText('&amp;lt;b&amp;gt;', 100)).toBe('&lt;b&gt;');
    // A decoded line break or direction override is cleaned like a literal one.
    expect(cleanText('Budi&#10;Santoso&#8238;', 100)).toBe('Budi Santoso');
    expect(cleanText('&bogus; &#0; &#x110000;', 100)).toBe('&bogus; &#0; &#x110000;');
  });

  it('writes a completed USD order with entities as a customer should read it', () => {
    const order = wooOrder({
      status: 'completed',
      currency: 'USD',
      total: '25.50',
      billing: { ...wooOrder().billing, first_name: 'Siti &amp; Budi', last_name: '' },
      line_items: [{ name: 'Kopi Gayo &#8211; 250g', quantity: 2 }],
    });
    const message = messageFor(order) as { text: string };
    expect(message.text).toContain('Halo Siti & Budi,');
    expect(message.text).toContain('- Kopi Gayo – 250g x2');
    expect(message.text).toContain('Total: US$25,50.');
    expect(message.text).not.toContain('Rp');
    expect(message.text).not.toMatch(/&(amp|#\d+);/);
  });

  it('formats each currency as its own, Rupiah by hand, and leaves unknown codes as sent', () => {
    const totalOf = (currency: string, total: string) =>
      (
        messageFor(wooOrder({ status: 'completed', currency, total })) as { text: string }
      ).text.match(/Total: (.*)\. Terima/)?.[1];
    expect(totalOf('IDR', '150000')).toBe('Rp 150.000');
    expect(totalOf('', '150000')).toBe('Rp 150.000');
    expect(totalOf('JPY', '1200')).toBe('JP¥1.200');
    expect(totalOf('EUR', '25.5')).toBe('€25,50');
    expect(totalOf('usd', '25.5')).toBe('US$25,50');
    expect(totalOf('US', '25.5')).toBe('US 25.5');
    expect(totalOf('USD', 'abc')).toBe('USD abc');
  });

  it('gives templates the currency code and the bare amount to choose from', () => {
    const config = defaultConfig();
    config.statuses.completed = {
      template: 'pesanan_selesai',
      params: ['{currency}', '{amount}', '{total}'],
    };
    const message = messageFor(
      wooOrder({ status: 'completed', currency: 'SGD', total: '12.00' }),
      config,
    );
    expect((message as { template: { params: string[] } }).template.params).toEqual([
      'SGD',
      '12',
      'SGD 12,00',
    ]);
  });
});
