/**
 * OTP the way Meta requires it, end to end through Meta and Kirem against the sandbox: an
 * AUTHENTICATION template created with `authenticationTemplate`, approved, then each code sent in
 * the body and in the copy-code button, shown in the inbox, and verified.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/authentication-templates/copy-code-button-authentication-templates
 */
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { authenticationTemplate } from '../authentication-template.js';
import { createClient, type WhatsAppClient } from '../client.js';
import { kirem } from '../providers/kirem/index.js';
import { meta } from '../providers/meta/index.js';
import { failure } from '../test-helpers.js';
import { createOtpEngine } from './engine.js';

const sandbox = useSandbox();
const phone = '0812-3456-7890';

const CLIENTS: Record<'kirem' | 'meta', () => WhatsAppClient> = {
  kirem: () =>
    createClient({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    }),
  meta: () =>
    createClient({
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        businessAccountId: sandbox.meta.wabaId,
        baseUrl: sandbox.meta.baseUrl,
      }),
    }),
};

describe.each(['kirem', 'meta'] as const)('%s', (provider) => {
  async function approvedTemplate(client: WhatsAppClient) {
    await client.templates.create(
      authenticationTemplate({ name: 'kode_masuk', language: 'id', codeExpirationMinutes: 5 }),
    );
    await sandbox.setTemplateStatus(provider, 'kode_masuk', 'APPROVED');
  }

  it('sends the code in the body and the copy-code button, and verifies it', async () => {
    const client = CLIENTS[provider]();
    await approvedTemplate(client);
    const otp = createOtpEngine({
      secret: 'otp-test-secret-0123456789',
      delivery: { client, template: { name: 'kode_masuk', language: 'id' } },
    });

    await otp.request({ phone, purpose: 'login' });
    const [sent] = await sandbox.messages({ to: '6281234567890', provider, limit: 1 });
    const code = sent?.template?.code;
    expect(code).toMatch(/^\d{6}$/);
    expect(sent?.payload).toMatchObject({
      type: 'template',
      template: {
        name: 'kode_masuk',
        components: expect.arrayContaining([
          { type: 'body', parameters: [{ type: 'text', text: code }] },
          {
            type: 'button',
            sub_type: 'url',
            index: '0',
            parameters: [{ type: 'text', text: code }],
          },
        ]),
      },
    });
    expect(await otp.verify({ phone, purpose: 'login', code: code as string })).toEqual({
      verified: true,
      phone: '6281234567890',
    });
  });

  it('is refused by the gateway when the OTP button is left out, as Meta refuses it', async () => {
    const client = CLIENTS[provider]();
    await approvedTemplate(client);
    const otp = createOtpEngine({
      secret: 'otp-test-secret-0123456789',
      delivery: { client, template: { name: 'kode_masuk', language: 'id', button: 'none' } },
    });
    const error = await failure(otp.request({ phone, purpose: 'login' }));
    expect(error).toMatchObject({ providerCode: 131008 });
  });
});
