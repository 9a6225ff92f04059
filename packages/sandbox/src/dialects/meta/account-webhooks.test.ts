import { beforeEach, describe, expect, it } from 'vitest';
import { call, expectedSignature, useReceiver } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const receiver = useReceiver();
beforeEach(async () => {
  await sandbox.setWebhook('meta', { url: `${receiver.url}/meta`, secret: 'app_secret' });
});

const BUSINESS = '6281100001234';
const control = (path: string, json: unknown) => call(`${sandbox.url}/api/v1${path}`, { json });

describe('message_template_status_update', () => {
  it('posts the review result when the control API approves a Meta template', async () => {
    const answer = await control('/templates/meta/promo_diskon_baru/status', {
      status: 'APPROVED',
    });
    expect(answer.status).toBe(200);

    const [request] = receiver.received;
    expect(request?.path).toBe('/meta');
    expect(request?.headers['x-hub-signature-256']).toBe(
      expectedSignature('app_secret', request?.raw ?? Buffer.alloc(0)),
    );
    expect(request?.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: sandbox.meta.wabaId,
          time: expect.any(Number),
          changes: [
            {
              value: {
                event: 'APPROVED',
                message_template_id: 194819481948194,
                message_template_name: 'promo_diskon_baru',
                message_template_language: 'id',
                reason: 'NONE',
                message_template_category: 'MARKETING',
              },
              field: 'message_template_status_update',
            },
          ],
        },
      ],
    });
    // The id goes out as a JSON number, as Meta sends it.
    expect(request?.raw.toString()).toContain('"message_template_id":194819481948194,');
    expect(answer.body.deliveries).toEqual([
      expect.objectContaining({ provider: 'meta', kind: 'template', status: 200 }),
    ]);
    expect(answer.body.templates).toMatchObject([
      { name: 'promo_diskon_baru', status: 'APPROVED' },
    ]);
  });

  it('carries the rejection reason, a default one, and only reports real changes', async () => {
    await sandbox.setTemplateStatus('meta', 'otp_verification', 'REJECTED', 'TAG_CONTENT_MISMATCH');
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    // Already REJECTED: Meta reports transitions, so nothing is posted.
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'PAUSED');

    const values = receiver.received.map((request) => request.json.entry[0].changes[0].value);
    expect(
      values.map(({ message_template_name, event, reason }) => [
        message_template_name,
        event,
        reason,
      ]),
    ).toEqual([
      ['otp_verification', 'REJECTED', 'TAG_CONTENT_MISMATCH'],
      ['promo_diskon_baru', 'REJECTED', 'INCORRECT_CATEGORY'],
      ['promo_diskon_baru', 'PAUSED', 'NONE'],
    ]);
    const log = await sandbox.deliveries({ provider: 'meta' });
    expect(log.map((delivery) => delivery.kind)).toEqual(['template', 'template', 'template']);
  });

  it('posts nothing for Kirem templates, and refuses an empty reason', async () => {
    await sandbox.setTemplateStatus('kirem', 'promo_diskon_baru', 'APPROVED');
    const bad = await control('/templates/meta/promo_diskon_baru/status', {
      status: 'APPROVED',
      reason: '',
    });
    expect(bad.status).toBe(400);
    expect(receiver.received).toEqual([]);
  });

  it('reports templates created through the Meta API once they are reviewed', async () => {
    const created = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.wabaId}/message_templates`,
      {
        token: sandbox.meta.accessToken,
        json: {
          name: 'tagihan',
          category: 'UTILITY',
          language: 'en_US',
          components: [{ type: 'BODY', text: 'Tagihan {{1}}' }],
        },
      },
    );
    expect(created.status).toBe(200);
    await sandbox.setTemplateStatus('meta', 'tagihan', 'APPROVED');
    expect(receiver.received[0]?.json.entry[0].changes[0].value).toMatchObject({
      event: 'APPROVED',
      message_template_id: Number(created.body.id),
      message_template_name: 'tagihan',
      message_template_language: 'en_US',
      message_template_category: 'UTILITY',
    });
  });
});

describe('user_preferences', () => {
  it('posts a stop by phone number in the Cloud API envelope', async () => {
    const answer = await sandbox.userPreference({
      provider: 'meta',
      from: '+62 812-3456-7890',
      name: 'Budi',
      value: 'stop',
    });
    const [request] = receiver.received;
    expect(request?.headers['x-hub-signature-256']).toBe(
      expectedSignature('app_secret', request?.raw ?? Buffer.alloc(0)),
    );
    expect(request?.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: sandbox.meta.wabaId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: BUSINESS,
                  phone_number_id: sandbox.meta.phoneNumberId,
                },
                contacts: [{ profile: { name: 'Budi' }, wa_id: '6281234567890' }],
                user_preferences: [
                  {
                    wa_id: '6281234567890',
                    detail: 'User requested to stop marketing messages',
                    category: 'marketing_messages',
                    value: 'stop',
                    timestamp: expect.any(Number),
                  },
                ],
              },
              field: 'user_preferences',
            },
          ],
        },
      ],
    });
    expect(answer.deliveries).toEqual([
      expect.objectContaining({ provider: 'meta', kind: 'preference', status: 200 }),
    ]);
    expect(answer.deliveries[0]?.body).toBe(request?.raw.toString());
  });

  it('posts a resume by business-scoped user id, with user_id instead of wa_id', async () => {
    await sandbox.userPreference({
      provider: 'meta',
      userId: 'ID.1502576394655843',
      value: 'resume',
    });
    const value = receiver.received[0]?.json.entry[0].changes[0].value;
    expect(value.contacts).toEqual([
      { profile: { name: 'Sandbox Customer' }, user_id: 'ID.1502576394655843' },
    ]);
    expect(value.user_preferences).toEqual([
      {
        user_id: 'ID.1502576394655843',
        detail: 'User requested to resume marketing messages',
        category: 'marketing_messages',
        value: 'resume',
        timestamp: expect.any(Number),
      },
    ]);
  });

  it('answers without a delivery when Meta has no webhook, and validates the body', async () => {
    await sandbox.removeWebhook('meta');
    expect(
      await sandbox.userPreference({ provider: 'meta', from: '6281234567890', value: 'stop' }),
    ).toEqual({ deliveries: [] });

    const post = (json: unknown) => control('/user-preferences', json);
    expect((await post({ provider: 'kirem', from: '6281234567890', value: 'stop' })).status).toBe(
      400,
    );
    expect((await post({ provider: 'meta', value: 'stop' })).body.error).toMatch(/from, userId/);
    expect((await post({ provider: 'meta', from: 'budi', value: 'stop' })).body.error).toMatch(
      /^from must be/,
    );
    expect((await post({ provider: 'meta', userId: 'budi', value: 'stop' })).body.error).toMatch(
      /^userId must be/,
    );
    expect((await post({ provider: 'meta', from: '6281234567890', value: 'pause' })).body).toEqual({
      error: "value must be 'stop' or 'resume'",
    });
    const text = await call(`${sandbox.url}/api/v1/user-preferences`, {
      body: '{"provider":"meta","from":"6281234567890","value":"stop"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(receiver.received).toEqual([]);
  });
});
