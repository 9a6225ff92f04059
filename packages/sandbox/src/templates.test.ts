import { describe, expect, it } from 'vitest';
import * as seed from './seed-examples';
import { prepareTemplateSend, TemplateStore, validateTemplateInput } from './templates';

describe('validateTemplateInput', () => {
  it('accepts the seed create-template examples', () => {
    for (const body of [
      seed.createKonfirmasiPesanan,
      seed.createPromoDiskonBaru,
      seed.createNotifPesananBaru,
    ]) {
      expect(validateTemplateInput(body)).toMatchObject({ ok: true });
    }
  });

  it('needs exactly one BODY', () => {
    const body = { ...seed.createNotifPesananBaru, components: [{ type: 'FOOTER', text: 'x' }] };
    expect(validateTemplateInput(body)).toEqual({
      ok: false,
      errors: { components: 'must contain exactly one BODY component' },
    });
  });
});

describe('prepareTemplateSend', () => {
  it('renders currency and date_time parameters with their fallback_value', () => {
    const store = new TemplateStore();
    const validated = validateTemplateInput({
      name: 'tagihan',
      category: 'UTILITY',
      language: 'id',
      components: [{ type: 'BODY', text: 'Tagihan {{1}} jatuh tempo {{2}}, ya {{1}}.' }],
    });
    if (!validated.ok) throw new Error('the fixture template is invalid');
    store.create(validated.input);
    store.setStatus('tagihan', 'APPROVED');

    const prepared = prepareTemplateSend(store, {
      name: 'tagihan',
      language: { code: 'id' },
      components: [
        {
          type: 'body',
          parameters: [
            {
              type: 'currency',
              currency: { fallback_value: 'Rp 150.000', code: 'IDR', amount_1000: 150000000 },
            },
            { type: 'date_time', date_time: { fallback_value: '1 Juli 2026' } },
          ],
        },
      ],
    });
    expect(prepared).toMatchObject({
      ok: true,
      text: 'Tagihan Rp 150.000 jatuh tempo 1 Juli 2026, ya Rp 150.000.',
    });
  });
});
