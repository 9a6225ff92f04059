import { describe, expect, it } from 'vitest';
import { decodeSecret, signWoo, verifyWooSignature } from './app.js';
import { defaultConfig } from './config.js';
import { customerPhone, formatAmount, formatIdr, planOrder, productList } from './order.js';
import { wooOrder } from './test-support.js';

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
    const plan = planOrder(wooOrder(), defaultConfig());
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
    expect(planOrder(wooOrder({ status: 'checkout-draft' }), defaultConfig())).toEqual({
      kind: 'ignored',
      reason: 'checkout-draft',
    });
    expect(planOrder(wooOrder({ status: 'pending' }), defaultConfig()).kind).toBe('ignored');
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
