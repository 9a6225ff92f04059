import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { useSandbox } from '@kabar/sandbox/vitest';
import {
  type ICredentialDataDecryptedObject,
  type IDataObject,
  type ILoadOptionsFunctions,
  NodeOperationError,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { executeContext, loadOptionsContext } from '../../shared/test-context';
import { httpRequestHarness } from '../../shared/test-http';
import { KabarWhatsApp } from './KabarWhatsApp.node';

const SECOND_NUMBER = '1234500002';
const sandbox = useSandbox({
  kirem: { phoneNumberIds: ['1234567890', SECOND_NUMBER] },
  meta: { phoneNumberIds: ['1234567890', SECOND_NUMBER] },
});
const customer = '6281234567890';
const node = new KabarWhatsApp();
const { getTemplates, getSenders, getGroups } = node.methods.loadOptions;
const { getTemplateParameters } = node.methods.resourceMapping;

const kiremCredentials = (): ICredentialDataDecryptedObject => ({
  gateway: 'kirem',
  ...sandbox.kirem,
});
const meta = (): ICredentialDataDecryptedObject => ({ gateway: 'meta', ...sandbox.meta });
const kirimy = (): ICredentialDataDecryptedObject => ({
  gateway: 'kirimy',
  apiKey: sandbox.kirimy.apiKey,
  baseUrl: sandbox.kirimy.baseUrl,
  sessionId: `${sandbox.kirimy.sessionId}, ${sandbox.kirimy.fallbackSessionId}`,
});
const waviro = (): ICredentialDataDecryptedObject => ({ gateway: 'waviro', ...sandbox.waviro });

function ask<T>(
  method: (this: ILoadOptionsFunctions) => Promise<T>,
  credentials: ICredentialDataDecryptedObject,
  parameters: IDataObject = {},
) {
  return method.call(loadOptionsContext({ credentials, parameters }));
}

async function run(credentials: ICredentialDataDecryptedObject, parameters: IDataObject) {
  const context = executeContext({
    credentials,
    items: [{ resource: 'message', to: '0812-3456-7890', options: {}, ...parameters }],
  });
  const [output] = await node.execute.call(context);
  return output ?? [];
}

describe('Template dropdown (loadOptions.getTemplates)', () => {
  it.each([
    ['kirem', kiremCredentials],
    ['meta', meta],
  ])(
    'lists the approved %s templates with their language, valued name|language',
    async (_, credentials) => {
      const { httpRequest, requests } = httpRequestHarness();
      const options = await getTemplates.call(
        loadOptionsContext({ credentials: credentials(), httpRequest }),
      );
      const otp = options.find((option) => option.value === 'otp_verification|id');
      expect(otp?.name).toBe('otp_verification (id)');
      expect(otp?.description).toBe('AUTHENTICATION: Kode keamanan OTP Kirem Anda adalah: {{1}}.');
      // The seed's promo_diskon_baru is still PENDING: not sendable, so not offered.
      expect(options.map((option) => option.value)).not.toContain('promo_diskon_baru|id');
      // Asked through n8n's HTTP helpers, like every request of the node.
      expect(requests.map((request) => request.url)).toEqual([
        expect.stringMatching(/templates\?status=APPROVED$/),
      ]);
    },
  );

  it('says why a gateway has no template list, instead of an empty dropdown', async () => {
    const kirimyTemplates = ask(getTemplates, kirimy());
    await expect(kirimyTemplates).rejects.toBeInstanceOf(NodeOperationError);
    await expect(kirimyTemplates).rejects.toThrow('Kirimy does not send WhatsApp templates');
    const qirim = {
      gateway: 'qirim',
      apiKey: sandbox.qirim.apiKey,
      baseUrl: sandbox.qirim.baseUrl,
    };
    await expect(ask(getTemplates, qirim)).rejects.toThrow(
      'Qirim has no call to list its templates: give the template name with an expression',
    );
  });

  it('passes the gateway refusal on in its own words', async () => {
    const wrong = 'kirem_live_wrong_key_99';
    const refused = ask(getTemplates, { ...kiremCredentials(), apiKey: wrong });
    await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
    await expect(refused).rejects.toThrow(/kirem/i);
    await expect(refused).rejects.not.toThrow(/kirem_live_wrong_key_99/);
  });
});

describe('Template parameters (resourceMapping.getTemplateParameters)', () => {
  it("turns the chosen template's placeholders into fields, and sends what is filled in", async () => {
    const fields = await ask(getTemplateParameters, kiremCredentials(), {
      templateName: 'otp_verification|id',
    });
    expect(fields).toEqual({
      fields: [expect.objectContaining({ id: '1', displayName: '{{1}}', required: true })],
    });

    await run(kiremCredentials(), {
      operation: 'sendTemplate',
      templateName: 'otp_verification|id',
      templateParameters: { mappingMode: 'defineBelow', value: { '1': '551234' } },
    });
    const sent = await sandbox.latest({ to: customer });
    expect(sent?.text).toBe('Kode keamanan OTP Kirem Anda adalah: 551234.');
  });

  it('offers a media header and named placeholders with their samples, and sends them', async () => {
    const client = createClient({ provider: kirem(sandbox.kirem) });
    await client.templates.create({
      name: 'pesanan_dikirim',
      language: 'id',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://x/y.jpg'] } },
        {
          type: 'BODY',
          text: 'Halo {{nama}}, pesanan {{nomor}} sudah dikirim.',
          example: {
            body_text_named_params: [
              { param_name: 'nama', example: 'Budi' },
              { param_name: 'nomor', example: 'INV-7' },
            ],
          },
        },
      ],
    });
    await sandbox.setTemplateStatus('kirem', 'pesanan_dikirim', 'APPROVED');

    const { fields } = await ask(getTemplateParameters, kiremCredentials(), {
      templateName: 'pesanan_dikirim|id',
    });
    expect(fields.map((field) => [field.id, field.displayName])).toEqual([
      ['header:image', 'Header image URL'],
      ['nama', '{{nama}} (e.g. Budi)'],
      ['nomor', '{{nomor}} (e.g. INV-7)'],
    ]);

    await run(kiremCredentials(), {
      operation: 'sendTemplate',
      templateName: 'pesanan_dikirim|id',
      templateParameters: {
        mappingMode: 'defineBelow',
        value: { 'header:image': 'https://toko.example/paket.jpg', nama: 'Sari', nomor: 'INV-9' },
      },
    });
    const payload = (await sandbox.latest({ to: customer }))?.payload as {
      template: { name: string; language: { code: string }; components: unknown[] };
    };
    expect(payload.template).toMatchObject({ name: 'pesanan_dikirim', language: { code: 'id' } });
    expect(payload.template.components).toEqual([
      {
        type: 'header',
        parameters: [{ type: 'image', image: { link: 'https://toko.example/paket.jpg' } }],
      },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Sari', parameter_name: 'nama' },
          { type: 'text', text: 'INV-9', parameter_name: 'nomor' },
        ],
      },
    ]);
  });

  it('shows a notice, not fields, before a template is chosen or when it is unknown', async () => {
    expect(await ask(getTemplateParameters, kiremCredentials(), { templateName: '' })).toEqual({
      fields: [],
      emptyFieldsNotice: 'Choose a template from the list first',
    });
    expect(
      await ask(getTemplateParameters, kiremCredentials(), { templateName: 'hilang|en_US' }),
    ).toEqual({
      fields: [],
      emptyFieldsNotice: 'Kirem has no template "hilang" in language "en_US"',
    });
  });
});

describe('Sender dropdown (loadOptions.getSenders) and Options > Sender', () => {
  it("lists a Kirimy credential's sessions, and sends through the one chosen only", async () => {
    const options = await ask(getSenders, kirimy());
    expect(options.map((option) => option.value)).toEqual(['sessioncontoh', 'cadangan']);

    await run(kirimy(), {
      operation: 'sendText',
      text: 'lewat cadangan',
      options: { sender: 'cadangan' },
    });
    expect((await sandbox.latest({ provider: 'kirimy' }))?.sessionId).toBe('cadangan');
  });

  it("offers a Kirem credential's number, and sends from another number given by expression", async () => {
    expect(await ask(getSenders, kiremCredentials())).toEqual([
      expect.objectContaining({ value: sandbox.kirem.phoneNumberId }),
    ]);
    await run(kiremCredentials(), {
      operation: 'sendText',
      text: 'dari nomor kedua',
      options: { sender: SECOND_NUMBER },
    });
    expect((await sandbox.latest({ to: customer }))?.phoneNumberId).toBe(SECOND_NUMBER);
  });

  it("lists every number of a Meta credential's business account, and sends from the one chosen", async () => {
    expect(await ask(getSenders, meta())).toEqual([
      {
        name: 'Kabar Sandbox · +62 811-0000-1234',
        value: sandbox.meta.phoneNumberId,
        description: `Phone Number ID ${sandbox.meta.phoneNumberId}, quality GREEN`,
      },
      {
        name: 'Kabar Sandbox · +62 811-0000-1235',
        value: SECOND_NUMBER,
        description: `Phone Number ID ${SECOND_NUMBER}, quality GREEN`,
      },
    ]);
    await run(meta(), {
      operation: 'sendText',
      text: 'dari nomor kedua Meta',
      options: { sender: SECOND_NUMBER },
    });
    const sent = await sandbox.latest({ provider: 'meta' });
    expect(sent?.phoneNumberId).toBe(SECOND_NUMBER);
  });

  it("offers a Meta credential's own number when it names no Business Account ID", async () => {
    expect(await ask(getSenders, { ...meta(), businessAccountId: '' })).toEqual([
      {
        name: sandbox.meta.phoneNumberId,
        value: sandbox.meta.phoneNumberId,
        description:
          "The credential's Phone Number ID; set its Business Account ID to list the account's other numbers, or give one with an expression",
      },
    ]);
  });

  it('passes a Meta refusal of the number list on in its own words', async () => {
    const wrong = 'EAAG-wrong-token-for-senders';
    const refused = ask(getSenders, { ...meta(), accessToken: wrong });
    await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
    await expect(refused).rejects.toThrow(/Invalid OAuth access token/);
    await expect(refused).rejects.not.toThrow(new RegExp(wrong));
  });

  it('says a one-device gateway has no sender to choose, and refuses one given anyway', async () => {
    await expect(ask(getSenders, waviro())).rejects.toThrow(
      'Waviro sends from the one WhatsApp number its key belongs to: there is no sender to choose',
    );
    const refused = run(waviro(), {
      operation: 'sendText',
      text: 'x',
      options: { sender: '62811' },
    });
    await expect(refused).rejects.toThrow(/Waviro sends from the one number its key belongs to/);
    expect(await sandbox.messages()).toHaveLength(0);
  });
});

describe('Group dropdown (loadOptions.getGroups)', () => {
  it('lists the Waviro and Fonnte groups by name, valued by the ID sends use', async () => {
    await sandbox.addWaviroGroup({ id: '120363000000000009@g.us', name: 'Reseller Bandung' });
    expect(await ask(getGroups, waviro())).toContainEqual({
      name: 'Reseller Bandung',
      value: '120363000000000009@g.us',
      description: '120363000000000009@g.us',
    });
    await sandbox.addFonnteGroup({ id: '120363000000000010@g.us', name: 'Agen Surabaya' });
    const fonnte = await ask(getGroups, { gateway: 'fonnte', ...sandbox.fonnte });
    expect(fonnte.map((group) => group.value)).toEqual(['120363000000000010@g.us']);
  });

  it('says why other gateways show no groups', async () => {
    await expect(ask(getGroups, { gateway: 'wablas', ...sandbox.wablas })).rejects.toThrow(
      'Wablas sends to groups but has no call to list them: give the group ID with an expression',
    );
    await expect(ask(getGroups, kiremCredentials())).rejects.toThrow(
      'Kirem does not send to WhatsApp groups',
    );
  });
});
