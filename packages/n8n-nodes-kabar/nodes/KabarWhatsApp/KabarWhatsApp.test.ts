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
