/**
 * Meta's resource calls beyond sending, against the sandbox over HTTP. Endpoints and fields as
 * Meta documents them:
 * - templates.get: GET /{template-id}?fields=… and GET /{waba-id}/message_templates?name=…
 *   https://developers.facebook.com/docs/graph-api/reference/whats-app-business-hsm
 *   (fields quality_score, rejected_reason, parameter_format)
 * - templates.edit: POST /{template-id} with components and/or category
 *   https://developers.facebook.com/docs/graph-api/reference/whats-app-business-hsm and Meta's
 *   "Template management" guide (APPROVED/REJECTED/PAUSED only; an approved template's category
 *   never changes)
 * - media.info / media.delete: GET and DELETE /{media-id}
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/reference/media/media-api
 * - users.block / unblock / listBlocked: POST, DELETE and GET /{phone-number-id}/block_users
 *   https://developers.facebook.com/documentation/business-messaging/whatsapp/block-users
 *   (mixed success is HTTP 400 with error 139100 beside added_users/failed_users)
 * - profile.uploadPhoto: POST /{app-id}/uploads?file_length&file_type, POST /{upload-session-id}
 *   with `file_offset: 0` → { h }, then POST /{phone-number-id}/whatsapp_business_profile with
 *   profile_picture_handle
 *   https://developers.facebook.com/docs/graph-api/guides/upload
 *   https://docs.360dialog.com/partner/waba-management/waba-profile-info (profile_picture_handle)
 */
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { failure } from '../../test-helpers.js';
import { kirem } from '../kirem/index.js';
import { type MetaOptions, meta } from './index.js';

const sandbox = useSandbox();

function metaClient(extra: Partial<MetaOptions> = {}) {
  return createClient({
    provider: meta({
      accessToken: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      businessAccountId: sandbox.meta.wabaId,
      appId: '1234567890123',
      baseUrl: sandbox.meta.baseUrl,
      apiVersion: sandbox.meta.apiVersion,
      ...extra,
    }),
    retry: { initialDelayMs: 5 },
  });
}

const OTP_TEMPLATE_ID = '18491849184919';
const customer = '6281234567890';

describe('meta: templates.get', () => {
  it('reads a template by id with quality, rejection reason and parameter format', async () => {
    expect(await metaClient().templates.get(OTP_TEMPLATE_ID)).toEqual({
      id: OTP_TEMPLATE_ID,
      name: 'otp_verification',
      status: 'APPROVED',
      category: 'AUTHENTICATION',
      language: 'id',
      components: [{ type: 'BODY', text: 'Kode keamanan OTP Kirem Anda adalah: {{1}}.' }],
      quality: 'GREEN',
      rejectedReason: 'NONE',
      parameterFormat: 'POSITIONAL',
    });
  });

  it('finds a template by name, and by name and language', async () => {
    const client = metaClient();
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    expect(await client.templates.get('promo_diskon_baru')).toMatchObject({
      id: '194819481948194',
      status: 'REJECTED',
      quality: 'UNKNOWN',
      rejectedReason: 'INVALID_FORMAT',
    });
    await client.templates.create({
      name: 'promo_diskon_baru',
      category: 'MARKETING',
      language: 'en_US',
      components: [{ type: 'BODY', text: 'Hi {{name}}, {{percent}}% off everything.' }],
    });
    const ambiguous = await failure(client.templates.get('promo_diskon_baru'));
    expect(ambiguous).toMatchObject({ code: 'validation', field: 'language' });
    expect(ambiguous.message).toContain('id, en_US');
    expect(await client.templates.get('promo_diskon_baru', { language: 'en_US' })).toMatchObject({
      language: 'en_US',
      status: 'PENDING',
      parameterFormat: 'NAMED',
    });
  });

  it('rejects unknown templates with not_found and an empty key before any request', async () => {
    const client = metaClient();
    expect((await failure(client.templates.get('999999999'))).code).toBe('not_found');
    expect((await failure(client.templates.get('tidak_ada'))).code).toBe('not_found');
    expect(await failure(client.templates.get(''))).toMatchObject({
      code: 'validation',
      field: 'idOrName',
    });
    const noWaba = await failure(metaClient({ businessAccountId: undefined }).templates.get('x'));
    expect(noWaba.code).toBe('invalid_config');
  });
});

describe('meta: templates.edit', () => {
  it('replaces the components of an approved template', async () => {
    const client = metaClient();
    const { id } = await client.templates.create({
      name: 'info_pengiriman',
      category: 'UTILITY',
      language: 'id',
      components: [{ type: 'BODY', text: 'Paket {{1}} dikirim.' }],
    });
    await sandbox.setTemplateStatus('meta', 'info_pengiriman', 'APPROVED');
    const components = [{ type: 'BODY' as const, text: 'Paket {{1}} sudah dikirim lewat {{2}}.' }];
    await client.templates.edit(id, { components });
    expect(await client.templates.get(id)).toMatchObject({ status: 'APPROVED', components });
  });

  it('changes the category of a rejected template, which goes back to review', async () => {
    const client = metaClient();
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    await client.templates.edit('194819481948194', { category: 'UTILITY' });
    expect(await client.templates.get('194819481948194')).toMatchObject({
      category: 'UTILITY',
      status: 'PENDING',
    });
  });

  it("maps Meta's refusals and unknown ids", async () => {
    const client = metaClient();
    const category = await failure(client.templates.edit(OTP_TEMPLATE_ID, { category: 'UTILITY' }));
    expect(category).toMatchObject({ code: 'validation', status: 400, providerCode: 100 });
    expect(category.message).toContain('cannot be changed on an APPROVED template');
    const unknown = await failure(
      client.templates.edit('999999999', { components: [{ type: 'BODY', text: 'x' }] }),
    );
    expect(unknown.code).toBe('not_found');
  });

  it('validates the edit before any request', async () => {
    const client = metaClient();
    const cases: [Promise<unknown>, string][] = [
      [client.templates.edit('otp_verification', { category: 'UTILITY' }), 'id'],
      [client.templates.edit(OTP_TEMPLATE_ID, {}), 'edit'],
      // @ts-expect-error: a category WhatsApp does not have
      [client.templates.edit(OTP_TEMPLATE_ID, { category: 'PROMO' }), 'category'],
      [client.templates.edit(OTP_TEMPLATE_ID, { components: [] }), 'components'],
    ];
    for (const [call, field] of cases) {
      expect(await failure(call)).toMatchObject({ code: 'validation', field });
    }
  });
});

describe('meta: media.info and media.delete', () => {
  it('describes an uploaded file, deletes it, and then knows it no more', async () => {
    const client = metaClient();
    const bytes = new TextEncoder().encode('%PDF-1.4 faktur');
    const { id } = await client.media.upload({ file: bytes, mimeType: 'application/pdf' });
    const info = await client.media.info(id);
    expect(info).toEqual({
      id,
      url: `${sandbox.meta.baseUrl}/media-download/${id}`,
      mimeType: 'application/pdf',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      fileSize: bytes.length,
    });
    await client.media.delete(id);
    expect((await failure(client.media.info(id))).code).toBe('not_found');
    expect((await failure(client.media.delete(id))).code).toBe('not_found');
    expect(await failure(client.media.info(''))).toMatchObject({ field: 'mediaId' });
  });
});

describe('meta: users.block, unblock and listBlocked', () => {
  it('blocks a customer who wrote today, lists and unblocks them', async () => {
    const client = metaClient();
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'spam' });
    expect(await client.users.block(['0812-3456-7890'])).toEqual({
      blocked: [customer],
      failed: [],
    });
    expect(await client.users.listBlocked()).toEqual([customer]);
    expect(await client.users.unblock(['+62 812 3456 7890'])).toEqual({
      unblocked: [customer],
      failed: [],
    });
    expect(await client.users.listBlocked()).toEqual([]);
  });

  it('reports the numbers Meta would not block instead of rejecting the call', async () => {
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'spam' });
    const result = await metaClient().users.block([customer, '081299998888']);
    expect(result).toEqual({
      blocked: [customer],
      failed: [
        {
          user: '6281299998888',
          code: 131047,
          error:
            'Re-engagement required: The business has not received a message from this number in the last 24 hours',
        },
      ],
    });
  });

  it('follows the pages of a long block list', async () => {
    const users = Array.from({ length: 150 }, (_, i) => `62812${String(i).padStart(8, '0')}`);
    for (const from of users) await sandbox.inbound({ provider: 'meta', from, text: 'x' });
    const client = metaClient();
    expect((await client.users.block(users)).blocked).toHaveLength(150);
    // The sandbox pages 100 at a time, so this needs its paging.next link.
    expect(await client.users.listBlocked()).toEqual(users);
  });

  it('checks the numbers before any request', async () => {
    const client = metaClient();
    expect(await failure(client.users.block([]))).toMatchObject({ field: 'phones' });
    const many = Array.from({ length: 1001 }, () => customer);
    expect(await failure(client.users.block(many))).toMatchObject({ field: 'phones' });
    expect((await failure(client.users.unblock(['12345']))).code).toBe('invalid_phone');
  });
});

describe('meta: profile.uploadPhoto', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);

  it('uploads through the Resumable Upload API and sets the handle as the picture', async () => {
    const client = metaClient();
    const before = (await client.profile.get()).profilePictureUrl;
    await client.profile.uploadPhoto({ file: png, mimeType: 'image/png', filename: 'logo.png' });
    const after = (await client.profile.get()).profilePictureUrl;
    expect(after).not.toBe(before);
    expect(after).toMatch(/^https:\/\/pps\.whatsapp\.net\/.+_n\.png$/);
  });

  it('needs appId, and a JPEG or PNG of at most 5 MB', async () => {
    const noApp = await failure(
      metaClient({ appId: undefined }).profile.uploadPhoto({ file: png, mimeType: 'image/png' }),
    );
    expect(noApp.code).toBe('invalid_config');
    expect(noApp.message).toContain('appId');
    const client = metaClient();
    expect(
      await failure(client.profile.uploadPhoto({ file: png, mimeType: 'image/gif' })),
    ).toMatchObject({ code: 'validation', field: 'mimeType' });
    expect(
      await failure(client.profile.uploadPhoto({ file: new Uint8Array(), mimeType: 'image/png' })),
    ).toMatchObject({ code: 'validation', field: 'file' });
    const huge = new Uint8Array(5 * 1024 * 1024 + 1);
    expect(
      await failure(client.profile.uploadPhoto({ file: huge, mimeType: 'image/jpeg' })),
    ).toMatchObject({ code: 'validation', field: 'file' });
  });
});

describe('kirem: none of these, since its seed documents none of the endpoints', () => {
  it('refuses each with unsupported_feature before any request', async () => {
    const client = createClient({ provider: kirem(sandbox.kirem) });
    const calls: [string, () => Promise<unknown>][] = [
      ['templates.get', () => client.templates.get('otp_verification')],
      ['templates.edit', () => client.templates.edit('1', { category: 'UTILITY' })],
      ['media.info', () => client.media.info('1')],
      ['media.delete', () => client.media.delete('1')],
      ['users.block', () => client.users.block([customer])],
      ['users.block', () => client.users.unblock([customer])],
      ['users.block', () => client.users.listBlocked()],
      [
        'profile.photo',
        () => client.profile.uploadPhoto({ file: new Uint8Array([1]), mimeType: 'image/png' }),
      ],
    ];
    for (const [feature, call] of calls) {
      expect(client.supports(feature as never)).toBe(false);
      expect(await failure(call())).toMatchObject({
        code: 'unsupported_feature',
        feature,
        provider: 'kirem',
      });
    }
    expect(await sandbox.messages()).toEqual([]);
  });
});
