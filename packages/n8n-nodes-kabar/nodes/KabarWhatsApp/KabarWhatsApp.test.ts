import { useSandbox } from '@kabar/sandbox/vitest';
import {
  type ICredentialDataDecryptedObject,
  type ICredentialTestFunctions,
  type IDataObject,
  NodeApiError,
  NodeOperationError,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { binaryOf, executeContext } from '../../shared/test-context';
import { KabarWhatsApp } from './KabarWhatsApp.node';

const sandbox = useSandbox();
const customer = '6281234567890';

const kiremCredentials = (): ICredentialDataDecryptedObject => ({
  gateway: 'kirem',
  apiKey: sandbox.kirem.apiKey,
  baseUrl: sandbox.kirem.baseUrl,
  channelId: sandbox.kirem.channelId,
});

async function run(
  items: IDataObject[],
  options: {
    credentials?: ICredentialDataDecryptedObject;
    binary?: Parameters<typeof executeContext>[0]['binary'];
    continueOnFail?: boolean;
  } = {},
) {
  const context = executeContext({ credentials: kiremCredentials(), ...options, items });
  const [output] = await new KabarWhatsApp().execute.call(context);
  return output ?? [];
}

const send = (operation: string, parameters: IDataObject): IDataObject => ({
  resource: 'message',
  operation,
  to: '0812-3456-7890',
  options: {},
  ...parameters,
});

describe('Kabar WhatsApp: messages', () => {
  it('sends one text per item, each paired with its input item', async () => {
    const output = await run([
      send('sendText', { text: 'Pesanan 1 dikirim' }),
      send('sendText', { to: '081298765432', text: 'Pesanan 2 dikirim' }),
    ]);
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    const stored = await sandbox.messages({ direction: 'outbound' });
    expect(stored.map((m) => [m.to, m.text]).reverse()).toEqual([
      [customer, 'Pesanan 1 dikirim'],
      ['6281298765432', 'Pesanan 2 dikirim'],
    ]);
    expect(output[0]?.json).toMatchObject({ id: stored[1]?.id, to: customer, provider: 'kirem' });
  });

  it('sends a template with body parameters, or with components as JSON', async () => {
    await run([
      send('sendTemplate', {
        templateName: 'otp_verification',
        language: 'id',
        bodyParameters: { parameter: [{ text: '482913' }] },
        componentsJson: '',
      }),
      send('sendTemplate', {
        templateName: 'otp_verification',
        language: 'id',
        componentsJson: '[{"type":"body","parameters":["771100"]}]',
      }),
    ]);
    const texts = (await sandbox.messages({ to: customer })).map((m) => m.text).reverse();
    expect(texts).toEqual([
      'Kode keamanan OTP Kirem Anda adalah: 482913.',
      'Kode keamanan OTP Kirem Anda adalah: 771100.',
    ]);
  });

  it('uploads binary data from an earlier node and sends it as an image', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const output = await run(
      [
        send('sendMedia', {
          mediaType: 'image',
          mediaSource: 'binary',
          binaryPropertyName: 'data',
          caption: 'Struk',
        }),
      ],
      { binary: [{ data: binaryOf(png, 'image/png', 'struk.png') }] },
    );
    expect(output).toHaveLength(1);
    const message = await sandbox.latest({ to: customer });
    const payload = message?.payload as { type: string; image: { id: string; caption: string } };
    expect(payload.type).toBe('image');
    expect(payload.image.caption).toBe('Struk');
    const [downloaded] = await run([
      {
        resource: 'media',
        operation: 'download',
        mediaId: payload.image.id,
        binaryPropertyName: 'data',
      },
    ]);
    expect(new Uint8Array(Buffer.from(downloaded?.binary?.data?.data ?? '', 'base64'))).toEqual(
      png,
    );
  });

  it('sends buttons, a list, a location and contacts, and marks a message read', async () => {
    await run([
      send('sendButtons', {
        body: 'Lanjutkan pesanan?',
        buttons: {
          button: [
            { id: 'ya', title: 'Ya' },
            { id: 'tidak', title: 'Tidak' },
          ],
        },
        options: { footer: 'Toko Kabar' },
      }),
      send('sendList', {
        body: 'Pilih kurir',
        buttonText: 'Kurir',
        rows: { row: [{ id: 'jne', title: 'JNE', description: '2-3 hari' }] },
      }),
      send('sendLocation', {
        latitude: -6.2,
        longitude: 106.816666,
        options: { locationName: 'Toko Kabar' },
      }),
      send('sendContacts', {
        contactsJson:
          '[{"name":{"formattedName":"CS Kabar"},"phones":[{"phone":"+62 811 000 111"}]}]',
      }),
      { resource: 'message', operation: 'markAsRead', messageId: 'wamid.incoming-1' },
    ]);
    const payloads = (await sandbox.messages({ to: customer })).map((m) => m.payload).reverse();
    expect(payloads).toMatchObject([
      {
        type: 'interactive',
        interactive: { type: 'button', footer: { text: 'Toko Kabar' } },
      },
      { type: 'interactive', interactive: { type: 'list', action: { button: 'Kurir' } } },
      { type: 'location', location: { latitude: -6.2, name: 'Toko Kabar' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'CS Kabar' } }] },
    ]);
    expect((await sandbox.reads('kirem')).map((r) => r.messageId)).toEqual(['wamid.incoming-1']);
  });
});

describe('Kabar WhatsApp: structured fields', () => {
  it('sends contact cards filled in as fields: name, phones, emails, company', async () => {
    await run([
      send('sendContacts', {
        contacts: {
          contact: [
            {
              name: 'CS Toko Kabar',
              phones: '+62 811 000 111, 021 555 0100',
              emails: 'cs@toko.example',
              company: 'Toko Kabar',
            },
            { name: 'Budi Kurir', phones: '0812 9999 0000' },
          ],
        },
      }),
    ]);
    const payload = (await sandbox.latest({ to: customer }))?.payload as { contacts: unknown };
    expect(payload.contacts).toEqual([
      {
        name: { formatted_name: 'CS Toko Kabar' },
        phones: [{ phone: '+62 811 000 111' }, { phone: '021 555 0100' }],
        emails: [{ email: 'cs@toko.example' }],
        org: { company: 'Toko Kabar' },
      },
      { name: { formatted_name: 'Budi Kurir' }, phones: [{ phone: '0812 9999 0000' }] },
    ]);
  });

  it('uses Contacts (JSON) instead of the fields when set, and refuses a card without a name', async () => {
    await run([
      send('sendContacts', {
        contacts: { contact: [{ name: 'diabaikan' }] },
        contactsJson:
          '[{"name":{"formattedName":"Dari JSON"},"urls":[{"url":"https://toko.example"}]}]',
      }),
    ]);
    expect((await sandbox.latest({ to: customer }))?.payload).toMatchObject({
      contacts: [
        { name: { formatted_name: 'Dari JSON' }, urls: [{ url: 'https://toko.example' }] },
      ],
    });
    const [refused] = await run(
      [send('sendContacts', { contacts: { contact: [{ phones: '0812' }] } })],
      {
        continueOnFail: true,
      },
    );
    expect(refused?.json).toMatchObject({ code: 'validation', error: /formattedName/ });
  });

  it('groups list rows into titled sections by their Section field', async () => {
    await run([
      send('sendList', {
        body: 'Pilih pengiriman',
        buttonText: 'Pilih',
        rows: {
          row: [
            { id: 'jne', title: 'JNE', section: 'Reguler' },
            { id: 'gosend', title: 'GoSend', description: 'Hari ini', section: 'Instan' },
            { id: 'jnt', title: 'J&T', section: 'Reguler' },
          ],
        },
      }),
    ]);
    const payload = (await sandbox.latest({ to: customer }))?.payload as {
      interactive: { action: { sections: unknown } };
    };
    expect(payload.interactive.action.sections).toEqual([
      {
        title: 'Reguler',
        rows: [
          { id: 'jne', title: 'JNE' },
          { id: 'jnt', title: 'J&T' },
        ],
      },
      { title: 'Instan', rows: [{ id: 'gosend', title: 'GoSend', description: 'Hari ini' }] },
    ]);
  });
});

describe('Kabar WhatsApp: CTA URL, location request, carousel, flow', () => {
  const payloads = async () =>
    (await sandbox.messages({ to: customer })).map((m) => m.payload).reverse();

  it('sends a CTA URL button with a media or text header, and refuses a long label', async () => {
    await run([
      send('sendCtaUrl', {
        body: 'Pesanan #1001 sudah dikirim.',
        ctaButtonText: 'Lacak Paket',
        ctaUrl: 'https://toko.example/lacak/1001',
        headerType: 'image',
        headerMediaUrl: 'https://toko.example/paket.jpg',
        options: { footer: 'Toko Kabar' },
      }),
      send('sendCtaUrl', {
        body: 'Faktur Anda siap.',
        ctaButtonText: 'Lihat Faktur',
        ctaUrl: 'https://toko.example/faktur/1001',
        headerType: 'text',
        headerText: 'Faktur #1001',
      }),
    ]);
    expect(await payloads()).toMatchObject([
      {
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          header: { type: 'image', image: { link: 'https://toko.example/paket.jpg' } },
          body: { text: 'Pesanan #1001 sudah dikirim.' },
          footer: { text: 'Toko Kabar' },
          action: {
            name: 'cta_url',
            parameters: { display_text: 'Lacak Paket', url: 'https://toko.example/lacak/1001' },
          },
        },
      },
      {
        interactive: {
          type: 'cta_url',
          header: { type: 'text', text: 'Faktur #1001' },
          action: { parameters: { display_text: 'Lihat Faktur' } },
        },
      },
    ]);

    const refused = run([
      send('sendCtaUrl', {
        body: 'x',
        ctaButtonText: 'Lihat status pesanan Anda',
        ctaUrl: 'https://toko.example',
        headerType: 'none',
      }),
    ]);
    await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
    await expect(refused).rejects.toThrow(/interactive\.button\.text/);
  });

  it('sends a location request', async () => {
    await run([send('sendLocationRequest', { body: 'Kirim lokasi Anda untuk ongkir' })]);
    expect(await payloads()).toMatchObject([
      {
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: 'Kirim lokasi Anda untuk ongkir' },
          action: { name: 'send_location' },
        },
      },
    ]);
  });

  it('sends carousels with URL or reply buttons, and refuses one card', async () => {
    await run([
      send('sendCarousel', {
        body: 'Produk baru minggu ini',
        cardButtons: 'url',
        cards: {
          card: [
            {
              mediaType: 'image',
              mediaUrl: 'https://toko.example/kemeja.jpg',
              text: 'Kemeja batik',
              buttonText: 'Beli',
              buttonUrl: 'https://toko.example/kemeja',
            },
            {
              mediaType: 'video',
              mediaUrl: 'https://toko.example/sepatu.mp4',
              buttonText: 'Beli',
              buttonUrl: 'https://toko.example/sepatu',
            },
          ],
        },
      }),
      send('sendCarousel', {
        body: 'Pilih paket',
        cardButtons: 'reply',
        cards: {
          card: [
            {
              mediaType: 'image',
              mediaUrl: 'https://toko.example/hemat.jpg',
              text: 'Paket hemat',
              reply1Id: 'hemat-ya',
              reply1Title: 'Pilih',
              reply2Id: 'hemat-info',
              reply2Title: 'Info',
            },
            {
              mediaType: 'image',
              mediaUrl: 'https://toko.example/super.jpg',
              reply1Id: 'super-ya',
              reply1Title: 'Pilih',
              reply2Id: 'super-info',
              reply2Title: 'Info',
            },
          ],
        },
      }),
    ]);
    const [withUrls, withReplies] = (await payloads()) as {
      interactive: { action: { cards: unknown[] } };
    }[];
    expect(withUrls).toMatchObject({
      type: 'interactive',
      interactive: { type: 'carousel', body: { text: 'Produk baru minggu ini' } },
    });
    expect(withUrls?.interactive.action.cards).toEqual([
      {
        card_index: 0,
        type: 'cta_url',
        header: { type: 'image', image: { link: 'https://toko.example/kemeja.jpg' } },
        body: { text: 'Kemeja batik' },
        action: {
          name: 'cta_url',
          parameters: { display_text: 'Beli', url: 'https://toko.example/kemeja' },
        },
      },
      {
        card_index: 1,
        type: 'cta_url',
        header: { type: 'video', video: { link: 'https://toko.example/sepatu.mp4' } },
        action: {
          name: 'cta_url',
          parameters: { display_text: 'Beli', url: 'https://toko.example/sepatu' },
        },
      },
    ]);
    expect(withReplies?.interactive.action.cards).toMatchObject([
      {
        type: 'button',
        body: { text: 'Paket hemat' },
        action: {
          buttons: [
            { type: 'quick_reply', quick_reply: { id: 'hemat-ya', title: 'Pilih' } },
            { type: 'quick_reply', quick_reply: { id: 'hemat-info', title: 'Info' } },
          ],
        },
      },
      { type: 'button', action: { buttons: [{}, { quick_reply: { id: 'super-info' } }] } },
    ]);

    await sandbox.clear();
    const oneCard = run([
      send('sendCarousel', {
        body: 'x',
        cardButtons: 'url',
        cards: {
          card: [
            { mediaType: 'image', mediaUrl: 'https://toko.example/a.jpg', buttonText: 'Beli' },
          ],
        },
      }),
    ]);
    await expect(oneCard).rejects.toBeInstanceOf(NodeOperationError);
    await expect(oneCard).rejects.toThrow(/interactive\.cards: needs at least 2 cards/);
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('sends a flow by ID (navigate, with data) or by name (data exchange)', async () => {
    await run([
      send('sendFlow', {
        flowBy: 'id',
        flowId: '1234567890',
        flowCta: 'Isi Formulir',
        body: 'Lengkapi data pengiriman',
        flowSession: 'order-1001',
        flowMode: 'draft',
        flowAction: 'navigate',
        flowScreen: 'ALAMAT',
        flowData: '{"order_id":"1001"}',
        options: { header: 'Pengiriman', footer: 'Toko Kabar' },
      }),
      send('sendFlow', {
        flowBy: 'name',
        flowName: 'survei_kepuasan',
        flowCta: 'Mulai',
        body: 'Bagaimana pesanan Anda?',
        flowSession: '',
        flowMode: 'published',
        flowAction: 'data_exchange',
      }),
    ]);
    const [byId, byName] = (await payloads()) as {
      interactive: { action: { parameters: Record<string, unknown> } };
    }[];
    expect(byId).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'flow',
        header: { type: 'text', text: 'Pengiriman' },
        body: { text: 'Lengkapi data pengiriman' },
        footer: { text: 'Toko Kabar' },
        action: { name: 'flow' },
      },
    });
    expect(byId?.interactive.action.parameters).toEqual({
      flow_message_version: '3',
      flow_id: '1234567890',
      flow_cta: 'Isi Formulir',
      flow_token: 'order-1001',
      mode: 'draft',
      flow_action: 'navigate',
      flow_action_payload: { screen: 'ALAMAT', data: { order_id: '1001' } },
    });
    expect(byName?.interactive.action.parameters).toEqual({
      flow_message_version: '3',
      flow_name: 'survei_kepuasan',
      flow_cta: 'Mulai',
      flow_action: 'data_exchange',
    });

    const badJson = run([
      send('sendFlow', {
        flowBy: 'id',
        flowId: '1',
        flowCta: 'Buka',
        body: 'x',
        flowAction: 'navigate',
        flowScreen: 'A',
        flowData: '{order_id: 1001}',
      }),
    ]);
    await expect(badJson).rejects.toThrow(/"flowData" is not valid JSON/);
  });
});

describe('Kabar WhatsApp: template parameters', () => {
  it('sends named body parameters and button parameters of each kind', async () => {
    await run([
      {
        resource: 'template',
        operation: 'create',
        templateName: 'pesanan_dikirim_lacak',
        language: 'id',
        category: 'UTILITY',
        componentsJson: JSON.stringify([
          { type: 'BODY', text: 'Halo {{nama}}, pesanan {{nomor}} sudah dikirim.' },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Terima kasih' },
              { type: 'URL', text: 'Lacak', url: 'https://toko.example/lacak/{{1}}' },
            ],
          },
        ]),
      },
      {
        resource: 'template',
        operation: 'create',
        templateName: 'kode_masuk',
        language: 'id',
        category: 'AUTHENTICATION',
        componentsJson: JSON.stringify([
          { type: 'BODY', add_security_recommendation: true },
          { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] },
        ]),
      },
      {
        resource: 'template',
        operation: 'create',
        templateName: 'kupon_promo',
        language: 'id',
        category: 'MARKETING',
        componentsJson: JSON.stringify([
          { type: 'BODY', text: 'Halo {{1}}, nikmati diskon {{2}}% untuk semua produk.' },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Ya, saya tertarik' },
              { type: 'COPY_CODE', example: 'HEMAT20' },
            ],
          },
        ]),
      },
    ]);
    for (const name of ['pesanan_dikirim_lacak', 'kode_masuk', 'kupon_promo']) {
      await sandbox.setTemplateStatus('kirem', name, 'APPROVED');
    }

    await run([
      send('sendTemplate', {
        templateName: 'pesanan_dikirim_lacak',
        language: 'id',
        parameterFormat: 'named',
        // Built from entries: n8n's lint reads a literal { name: 'nama', value } as an option.
        namedBodyParameters: {
          parameter: Object.entries({ nama: 'Budi', '{{nomor}}': 'INV-7' }).map(
            ([name, value]) => ({ name, value }),
          ),
        },
        buttonParameters: {
          button: [
            { subType: 'quick_reply', index: 0, value: 'terima-INV-7' },
            { subType: 'url', index: 1, value: 'INV-7' },
          ],
        },
        componentsJson: '',
      }),
      send('sendTemplate', {
        templateName: 'kode_masuk',
        language: 'id',
        bodyParameters: { parameter: [{ text: '482913' }] },
        buttonParameters: { button: [{ subType: 'otp', index: 0, value: '482913' }] },
        componentsJson: '',
      }),
      send('sendTemplate', {
        templateName: 'kupon_promo',
        language: 'id',
        parameterFormat: 'positional',
        bodyParameters: { parameter: [{ text: 'Budi' }, { text: '20' }] },
        buttonParameters: {
          button: [
            { subType: 'quick_reply', index: 0, value: 'promo-ya' },
            { subType: 'copy_code', index: 1, value: 'HEMAT20' },
          ],
        },
        componentsJson: '',
      }),
    ]);
    const sent = (await sandbox.messages({ to: customer })).reverse();
    expect(sent.map((m) => m.text)).toEqual([
      'Halo Budi, pesanan INV-7 sudah dikirim.',
      '482913 is your verification code. For your security, do not share this code.',
      'Halo Budi, nikmati diskon 20% untuk semua produk.',
    ]);
    const components = sent.map(
      (m) => (m.payload as { template: { components: unknown[] } }).template.components,
    );
    expect(components[0]).toEqual([
      {
        type: 'button',
        index: '0',
        sub_type: 'quick_reply',
        parameters: [{ type: 'payload', payload: 'terima-INV-7' }],
      },
      {
        type: 'button',
        index: '1',
        sub_type: 'url',
        parameters: [{ type: 'text', text: 'INV-7' }],
      },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Budi', parameter_name: 'nama' },
          { type: 'text', text: 'INV-7', parameter_name: 'nomor' },
        ],
      },
    ]);
    expect(components[1]).toContainEqual({
      type: 'button',
      index: '0',
      sub_type: 'url',
      parameters: [{ type: 'text', text: '482913' }],
    });
    expect(components[2]).toContainEqual({
      type: 'button',
      index: '1',
      sub_type: 'copy_code',
      parameters: [{ type: 'coupon_code', coupon_code: 'HEMAT20' }],
    });

    const tooLong = run([
      send('sendTemplate', {
        templateName: 'promo_diskon_baru',
        language: 'id',
        bodyParameters: { parameter: [{ text: 'Budi' }, { text: '20' }] },
        buttonParameters: {
          button: [{ subType: 'copy_code', index: 1, value: 'KODEPROMOSUPERHEMAT' }],
        },
        componentsJson: '',
      }),
    ]);
    await expect(tooLong).rejects.toBeInstanceOf(NodeOperationError);
    await expect(tooLong).rejects.toThrow(/template\.components\[0\]\.couponCode/);
  });
});

describe('Kabar WhatsApp: templates, media, profile, logs', () => {
  it('creates, lists and deletes a template', async () => {
    await run([
      {
        resource: 'template',
        operation: 'create',
        templateName: 'pesanan_dikirim',
        language: 'id',
        category: 'UTILITY',
        componentsJson: '[{"type":"BODY","text":"Halo {{1}}, pesanan Anda dikirim."}]',
      },
    ]);
    const pending = await run([
      { resource: 'template', operation: 'list', filters: { status: 'PENDING' } },
    ]);
    expect(pending.map((item) => item.json.name)).toContain('pesanan_dikirim');
    await run([{ resource: 'template', operation: 'delete', templateName: 'pesanan_dikirim' }]);
    const all = await run([{ resource: 'template', operation: 'list', filters: {} }]);
    expect(all.map((item) => item.json.name)).not.toContain('pesanan_dikirim');
  });

  it('uploads a file and downloads it back as binary data', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 faktur');
    const [uploaded] = await run(
      [{ resource: 'media', operation: 'upload', binaryPropertyName: 'file' }],
      { binary: [{ file: binaryOf(pdf, 'application/pdf', 'faktur.pdf') }] },
    );
    const mediaId = String(uploaded?.json.id);
    const [downloaded] = await run([
      { resource: 'media', operation: 'download', mediaId, binaryPropertyName: 'faktur' },
    ]);
    expect(downloaded?.json).toMatchObject({ mediaId, contentType: 'application/pdf' });
    expect(Buffer.from(downloaded?.binary?.faktur?.data ?? '', 'base64').toString()).toBe(
      '%PDF-1.4 faktur',
    );
  });

  it('reads and updates the business profile', async () => {
    await run([
      { resource: 'profile', operation: 'update', updateFields: { about: 'Buka 08.00-21.00' } },
    ]);
    const [profile] = await run([{ resource: 'profile', operation: 'get' }]);
    expect(profile?.json.about).toBe('Buka 08.00-21.00');
  });

  it('pages through message logs: a limit, or all of them', async () => {
    for (let i = 0; i < 3; i++) {
      await run([send('sendText', { text: `log ${i}` })]);
    }
    const limited = await run([
      { resource: 'log', operation: 'messages', returnAll: false, limit: 2 },
    ]);
    expect(limited).toHaveLength(2);
    const all = await run([{ resource: 'log', operation: 'messages', returnAll: true }]);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(
      all.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0),
    ).toBe(true);
  });
});

describe('Kabar WhatsApp: other gateways', () => {
  it('requests and verifies an OTP through Qirim', async () => {
    const credentials = {
      gateway: 'qirim',
      apiKey: sandbox.qirim.apiKey,
      baseUrl: sandbox.qirim.baseUrl,
    };
    await run([{ resource: 'otp', operation: 'request', phone: '0812-3456-7890' }], {
      credentials,
    });
    const code = (await sandbox.qirimOtp(customer))?.code;
    const [verified] = await run(
      [{ resource: 'otp', operation: 'verify', phone: '0812-3456-7890', code }],
      { credentials },
    );
    expect(verified?.json).toMatchObject({ verified: true });
  });

  it('lists Waviro groups and sends to one', async () => {
    const credentials = { gateway: 'waviro', ...sandbox.waviro };
    await sandbox.addWaviroGroup({ id: '120363000000000001@g.us', name: 'Reseller Kabar' });
    const groups = await run([{ resource: 'group', operation: 'list' }], { credentials });
    expect(groups.map((item) => item.json.name)).toContain('Reseller Kabar');
    await run(
      [
        {
          resource: 'group',
          operation: 'sendText',
          groupId: '120363000000000001@g.us',
          text: 'Stok baru',
        },
      ],
      { credentials },
    );
    expect((await sandbox.latest({ provider: 'waviro' }))?.text).toBe('Stok baru');
  });

  // The registry's settings keys are the credential's fields, so the sandbox's credentials fit.
  it.each(['fonnte', 'wablas'] as const)(
    'sends a text and an image through %s, the credential built from the registry',
    async (gateway) => {
      const credentials = { gateway, ...sandbox[gateway] };
      const [text, image] = await run(
        [
          send('sendText', { text: `Pesanan lewat ${gateway}` }),
          send('sendMedia', {
            mediaType: 'image',
            mediaSource: 'link',
            mediaLink: 'https://toko.id/promo.jpg',
            caption: 'Promo',
          }),
        ],
        { credentials },
      );
      expect(text?.json).toMatchObject({ provider: gateway, to: customer });
      const stored = await sandbox.messages({ provider: gateway });
      expect(stored.map((m) => m.id)).toEqual([image?.json.id, text?.json.id]);
      expect(stored[1]?.text).toBe(`Pesanan lewat ${gateway}`);
    },
  );

  it('says clearly what a gateway cannot do, and goes on with continueOnFail', async () => {
    const credentials = {
      gateway: 'kirimy',
      apiKey: sandbox.kirimy.apiKey,
      sessionId: sandbox.kirimy.sessionId,
      baseUrl: sandbox.kirimy.baseUrl,
    };
    const refused = run([{ resource: 'template', operation: 'list', filters: {} }], {
      credentials,
    });
    await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
    await expect(refused).rejects.toThrow(/kirimy/);

    const output = await run(
      [
        { resource: 'template', operation: 'list', filters: {} },
        send('sendText', { text: 'tetap terkirim' }),
      ],
      { credentials, continueOnFail: true },
    );
    expect(output[0]).toMatchObject({
      json: { code: 'unsupported_feature' },
      pairedItem: { item: 0 },
    });
    expect(output[1]?.json).toMatchObject({ provider: 'kirimy' });
  });
});

describe('Kabar WhatsApp: errors and the credential test', () => {
  it('turns a gateway refusal into a NodeApiError with its message, and never shows the key', async () => {
    const refused = 'kirem_live_wrong_key_42';
    const credentials = { ...kiremCredentials(), apiKey: refused };
    const error = await run([send('sendText', { text: 'x' })], { credentials }).catch((e) => e);
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.httpCode).toBe('401');
    expect(`${error.message} ${error.description}`).toMatch(/unauthenticated/);
    expect(JSON.stringify(error)).not.toContain(refused);
  });

  it('passes Message Category on with the message, and refuses a category core does not know', async () => {
    const output = await run([
      send('sendText', { text: 'Diskon 50%', options: { category: 'marketing' } }),
      send('sendText', { text: 'Pesanan dikirim', options: { category: 'utility' } }),
    ]);
    expect(output.map((item) => item.json.provider)).toEqual(['kirem', 'kirem']);
    // An expression may produce anything; core names the field before any request.
    const [refused] = await run(
      [send('sendText', { text: 'x', options: { category: 'promotional' } })],
      { continueOnFail: true },
    );
    expect(refused?.json).toMatchObject({ code: 'validation', error: /category/ });
    expect(await sandbox.messages()).toHaveLength(2);
  });

  it('says what to do when a send is outside the 24-hour window, and goes on with continueOnFail', async () => {
    const credentials = {
      gateway: 'meta',
      accessToken: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      baseUrl: sandbox.meta.baseUrl,
    };
    // Meta's answer to a free-form message when the customer has not written in 24 hours.
    const reengagement = {
      provider: 'meta' as const,
      path: '/messages',
      status: 400,
      body: {
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: {
            details:
              'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
          },
          fbtrace_id: 'AbCdEf123',
        },
      },
      times: 1,
    };
    await sandbox.fault(reengagement);
    const error = await run([send('sendText', { text: 'Pesanan dikirim' })], { credentials }).catch(
      (caught) => caught,
    );
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toMatch(/24 hours.*Send Template/);
    expect(error.description).toMatch(/Re-engagement message/);
    expect(error.description).toMatch(/gateway code: 131047, kabar code: outside_window/);
    expect(error.httpCode).toBe('400');

    await sandbox.fault(reengagement);
    const output = await run(
      [
        send('sendText', { text: 'Pesanan dikirim' }),
        send('sendTemplate', {
          templateName: 'otp_verification',
          language: 'id',
          bodyParameters: { parameter: [{ text: '482913' }] },
          componentsJson: '',
        }),
      ],
      { credentials, continueOnFail: true },
    );
    expect(output[0]).toMatchObject({
      json: { code: 'outside_window', error: expect.stringMatching(/use Send Template/) },
      pairedItem: { item: 0 },
    });
    expect(output[1]?.json).toMatchObject({ provider: 'meta', to: customer });
  });

  it('rejects a bad number before the network, naming it', async () => {
    const output = await run([send('sendText', { to: '12', text: 'x' })], { continueOnFail: true });
    expect(output[0]?.json).toMatchObject({ code: 'invalid_phone' });
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it.each([
    ['kirem', () => kiremCredentials(), 'apiKey'],
    [
      'meta',
      () => ({
        gateway: 'meta',
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        baseUrl: sandbox.meta.baseUrl,
      }),
      'accessToken',
    ],
    [
      'qirim',
      () => ({ gateway: 'qirim', apiKey: sandbox.qirim.apiKey, baseUrl: sandbox.qirim.baseUrl }),
      'apiKey',
    ],
    ['waviro', () => ({ gateway: 'waviro', ...sandbox.waviro }), 'secretKey'],
    ['fonnte', () => ({ gateway: 'fonnte', ...sandbox.fonnte }), 'token'],
    ['wablas', () => ({ gateway: 'wablas', ...sandbox.wablas }), 'token'],
    [
      'kirimy',
      () => ({
        gateway: 'kirimy',
        apiKey: sandbox.kirimy.apiKey,
        sessionId: sandbox.kirimy.sessionId,
        baseUrl: sandbox.kirimy.baseUrl,
      }),
      'apiKey',
    ],
  ])(
    'tests a %s credential against the gateway: OK, and Error with a wrong key',
    async (_gateway, credentials, keyField) => {
      const test = new KabarWhatsApp().methods.credentialTest.kabarGatewayTest;
      const context = {} as ICredentialTestFunctions;
      const good = await test.call(context, {
        id: '1',
        name: 'c',
        type: 'kabarWhatsAppApi',
        data: credentials(),
      });
      expect(good.status).toBe('OK');
      const bad = await test.call(context, {
        id: '1',
        name: 'c',
        type: 'kabarWhatsAppApi',
        data: { ...credentials(), [keyField]: 'wrong-key-123' },
      });
      expect(bad.status).toBe('Error');
      expect(bad.message).not.toContain('wrong-key-123');
      expect(await sandbox.messages()).toHaveLength(0);
    },
  );
});
