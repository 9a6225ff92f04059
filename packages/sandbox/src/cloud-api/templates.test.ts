// Authentication templates as Meta creates and sends them:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates/
// https://developers.secure.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates/auth-otp-template-messages
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../index.js';
import * as seed from '../seed-examples.js';
import { call } from '../test-helpers.js';
import { authSend, authTemplate } from './fixtures.js';
import { prepareTemplateSend, TemplateStore, validateTemplateInput } from './templates.js';

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

  it('fills named parameters by parameter_name and wants each name once', () => {
    const store = approved({
      name: 'sapaan',
      category: 'MARKETING',
      language: 'id',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Hai {{first_name}}' },
        { type: 'BODY', text: 'Halo {{first_name}}, pesanan {{order_id}} siap.' },
        { type: 'FOOTER', text: 'Toko Kabar' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Terima kasih' }] },
      ],
    });
    const send = (parameters: unknown[]) =>
      prepareTemplateSend(store, {
        name: 'sapaan',
        language: { code: 'id' },
        components: [
          {
            type: 'header',
            parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Budi' }],
          },
          { type: 'body', parameters },
        ],
      });
    expect(
      send([
        { type: 'text', parameter_name: 'order_id', text: 'A-1' },
        { type: 'text', parameter_name: 'first_name', text: 'Budi' },
      ]),
    ).toMatchObject({
      ok: true,
      text: 'Halo Budi, pesanan A-1 siap.',
      sent: {
        category: 'MARKETING',
        header: 'Hai Budi',
        footer: 'Toko Kabar',
        buttons: ['Terima kasih'],
      },
    });
    expect(send([{ type: 'text', parameter_name: 'first_name', text: 'Budi' }])).toMatchObject({
      ok: false,
      error: {
        code: 132000,
        details: 'body: expected the named parameters first_name, order_id; missing order_id',
      },
    });
  });

  it('takes a limited-time offer only for a template that has one', () => {
    const offer = approved({
      name: 'promo_kilat',
      category: 'MARKETING',
      language: 'id',
      components: [
        {
          type: 'LIMITED_TIME_OFFER',
          limited_time_offer: { text: 'Promo kilat!', has_expiration: true },
        },
        { type: 'BODY', text: 'Diskon 50% hari ini.' },
      ],
    });
    const expiry = {
      type: 'limited_time_offer',
      parameters: [
        {
          type: 'limited_time_offer',
          limited_time_offer: { expiration_time_ms: 1_806_000_000_000 },
        },
      ],
    };
    const send = (store: TemplateStore, name: string) =>
      prepareTemplateSend(store, { name, language: { code: 'id' }, components: [expiry] });
    expect(send(offer, 'promo_kilat')).toMatchObject({ ok: true });
    const plain = approved({
      name: 'promo_biasa',
      category: 'MARKETING',
      language: 'id',
      components: [{ type: 'BODY', text: 'Diskon 10%.' }],
    });
    expect(send(plain, 'promo_biasa')).toMatchObject({ ok: false, error: { code: 132000 } });
    expect(
      validateTemplateInput({
        name: 'promo_salah',
        category: 'MARKETING',
        language: 'id',
        components: [
          { type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'x'.repeat(17) } },
          { type: 'BODY', text: 'b' },
        ],
      }),
    ).toMatchObject({
      ok: false,
      errors: { 'components[0].limited_time_offer.text': expect.any(String) },
    });
  });

  it('refuses button parameters for a button the template lacks, or of another kind', () => {
    const store = approved({
      name: 'kupon',
      category: 'MARKETING',
      language: 'id',
      components: [
        { type: 'BODY', text: 'Pakai kupon ini.' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'COPY_CODE', example: 'HEMAT25' },
            { type: 'QUICK_REPLY', text: 'Berhenti' },
          ],
        },
      ],
    });
    const send = (...buttons: unknown[]) =>
      prepareTemplateSend(store, { name: 'kupon', language: { code: 'id' }, components: buttons });
    const coupon = {
      type: 'button',
      sub_type: 'COPY_CODE',
      index: '0',
      parameters: [{ type: 'coupon_code', coupon_code: 'HEMAT25' }],
    };
    const stop = {
      type: 'button',
      sub_type: 'quick_reply',
      index: '1',
      parameters: [{ type: 'payload', payload: 'stop' }],
    };
    expect(send(coupon, stop)).toMatchObject({ ok: true });
    expect(send({ ...coupon, index: '2' })).toMatchObject({
      ok: false,
      error: { code: 132000, details: 'button 2: the template has no button at index 2' },
    });
    expect(send({ ...stop, index: '0' })).toMatchObject({
      ok: false,
      error: { code: 132000, details: expect.stringContaining('COPY_CODE') },
    });
    // The seed's otp_verification has no button at all.
    const seed = new TemplateStore();
    const otp = {
      type: 'button',
      sub_type: 'url',
      index: '0',
      parameters: [{ type: 'text', text: '1' }],
    };
    expect(
      prepareTemplateSend(seed, {
        name: 'otp_verification',
        language: { code: 'id' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: '1' }] }, otp],
      }),
    ).toMatchObject({ ok: false, error: { code: 132000 } });
  });
});

function approved(input: unknown): TemplateStore {
  const store = new TemplateStore();
  const validated = validateTemplateInput(input);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  store.create(validated.input);
  store.setStatus(validated.input.name, 'APPROVED');
  return store;
}

describe('authentication templates', () => {
  it("are created the way Meta's API takes them, with the preset text filled in", () => {
    const validated = validateTemplateInput(authTemplate('kode_masuk'));
    expect(validated).toMatchObject({ ok: true, input: { category: 'AUTHENTICATION' } });
    if (!validated.ok) return;
    const created = new TemplateStore().create(validated.input);
    expect(created.components).toEqual([
      {
        type: 'body',
        add_security_recommendation: true,
        text: '{{1}} is your verification code. For your security, do not share this code.',
      },
      { type: 'footer', code_expiration_minutes: 10, text: 'This code expires in 10 minutes.' },
      { type: 'buttons', buttons: [{ type: 'otp', otp_type: 'copy_code', text: 'Copy code' }] },
    ]);
  });

  it('take one-tap and zero-tap buttons naming the app', () => {
    const oneTap = {
      type: 'OTP',
      otp_type: 'ONE_TAP',
      text: 'Copy code',
      autofill_text: 'Autofill',
      package_name: 'id.kabar.app',
      signature_hash: 'K8a/AINcGX7',
    };
    const template = (button: Record<string, unknown>) => ({
      ...authTemplate('kode_app'),
      category: 'AUTHENTICATION',
      components: [{ type: 'BODY' }, { type: 'BUTTONS', buttons: [button] }],
    });
    expect(validateTemplateInput(template(oneTap))).toMatchObject({ ok: true });
    expect(validateTemplateInput(template({ ...oneTap, otp_type: 'ZERO_TAP' }))).toMatchObject({
      ok: true,
    });
    expect(
      validateTemplateInput(
        template({ type: 'OTP', otp_type: 'ONE_TAP', autofill_text: 'a'.repeat(26) }),
      ),
    ).toEqual({
      ok: false,
      errors: {
        'components[1].buttons[0].autofill_text': 'must be 1 to 25 characters',
        'components[1].buttons[0].package_name': 'is required for ONE_TAP buttons',
        'components[1].buttons[0].signature_hash': 'is required for ONE_TAP buttons',
      },
    });
  });

  it('refuse a header, an expiry past 90 minutes and a missing OTP button', () => {
    expect(
      validateTemplateInput({
        ...authTemplate('kode_salah'),
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Kode' },
          { type: 'BODY', add_security_recommendation: 'yes' },
          { type: 'FOOTER', code_expiration_minutes: 91 },
          { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', otp_type: 'SMS', text: 'OK' }] },
        ],
      }),
    ).toEqual({
      ok: false,
      errors: {
        'components[0].type': 'must be BODY, FOOTER or BUTTONS in an AUTHENTICATION template',
        'components[1].add_security_recommendation': 'must be a boolean',
        'components[2].code_expiration_minutes': 'must be an integer from 1 to 90',
        'components[3].buttons[0].type': 'must be OTP',
        'components[3].buttons[0].otp_type': 'must be one of COPY_CODE, ONE_TAP, ZERO_TAP',
      },
    });
    expect(
      validateTemplateInput({
        ...authTemplate('kode_tanpa_tombol'),
        components: [{ type: 'BODY' }],
      }),
    ).toEqual({
      ok: false,
      errors: {
        components: 'must contain exactly one BODY and one BUTTONS component with an OTP button',
      },
    });
  });

  it('deliver a code of at most 15 characters, repeated as the OTP button parameter', () => {
    const store = approved(authTemplate('kode_masuk'));
    const send = (code: string, buttonCode?: string) =>
      prepareTemplateSend(store, authSend('kode_masuk', code, buttonCode).template);
    expect(send('J$FpnYnP'.padEnd(15, '0'))).toMatchObject({
      ok: true,
      text: 'J$FpnYnP0000000 is your verification code. For your security, do not share this code.',
      sent: {
        category: 'AUTHENTICATION',
        code: 'J$FpnYnP0000000',
        footer: 'This code expires in 10 minutes.',
        buttons: ['Copy code'],
      },
    });
    expect(send('1'.repeat(16))).toMatchObject({ ok: false, error: { code: 131009 } });
    expect(send('123456', '654321')).toMatchObject({ ok: false, error: { code: 131009 } });
    expect(
      prepareTemplateSend(store, {
        ...authSend('kode_masuk', '123456').template,
        components: [{ type: 'body', parameters: [{ type: 'text', text: '123456' }] }],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 131008, message: '(#131008) Required parameter is missing' },
    });
  });

  it('need no button parameter when the stored template has no OTP button, as the seed', () => {
    const store = new TemplateStore();
    const template = {
      name: 'otp_verification',
      language: { code: 'id' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: '123456' }] }],
    };
    expect(prepareTemplateSend(store, template)).toMatchObject({
      ok: true,
      sent: { code: '123456' },
    });
    expect(prepareTemplateSend(store, template, { toUserId: true })).toEqual({
      ok: false,
      error: {
        code: 131062,
        message: '(#131062) Business-scoped User ID recipients are not supported for this message',
      },
    });
  });
});

describe('the templates a sandbox starts with', () => {
  it('are the documented two by default, the READMEs’ too with examples, none with none', async () => {
    const names = async (templates?: 'seed' | 'examples' | 'none') => {
      const sandbox = await createSandbox({ templates });
      try {
        const answer = await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
          token: sandbox.kirem.apiKey,
        });
        const meta = await call(
          `${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}/${sandbox.meta.wabaId}/message_templates`,
          { token: sandbox.meta.accessToken },
        );
        return {
          kirem: (answer.body.data as { name: string }[]).map((t) => t.name),
          meta: (meta.body.data as { name: string }[]).map((t) => t.name),
        };
      } finally {
        await sandbox.close();
      }
    };
    expect((await names()).kirem).toEqual(['otp_verification', 'promo_diskon_baru']);
    const examples = await names('examples');
    for (const gateway of [examples.kirem, examples.meta]) {
      expect(gateway).toEqual([
        'otp_verification',
        'promo_diskon_baru',
        'broadcast_promo',
        'notif_pesanan_baru',
        'order_shipped',
        'pesan_baru',
        'kode_masuk',
      ]);
    }
    expect(await names('none')).toEqual({ kirem: [], meta: [] });
  });

  it('come back on reset, the READMEs’ approved, so their sends go through', async () => {
    const sandbox = await createSandbox({ templates: 'examples' });
    try {
      await sandbox.reset();
      const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
        token: sandbox.kirem.apiKey,
        json: {
          messaging_product: 'whatsapp',
          to: '6281234567890',
          type: 'template',
          template: {
            name: 'order_shipped',
            language: { code: 'id' },
            components: [
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: 'Budi' },
                  { type: 'text', text: 'INV-1001' },
                ],
              },
            ],
          },
        },
      });
      expect(sent.status).toBe(201);
      expect((await sandbox.latest({ to: '6281234567890' }))?.text).toBe(
        'Halo Budi, pesanan INV-1001 sudah dikirim.',
      );
    } finally {
      await sandbox.close();
    }
  });
});
