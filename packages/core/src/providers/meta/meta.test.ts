import * as seed from '@kabar/sandbox/seed-examples';
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { failure, sandboxMetaOptions } from '../../test-helpers.js';
import { SEED_SEND_FIXTURES } from '../kirem/test-data/seed-requests.js';
import { type MetaOptions, meta } from './index.js';

const sandbox = useSandbox();

function metaClient(extra: Partial<MetaOptions> = {}) {
  return createClient({
    provider: meta({
      ...sandboxMetaOptions(sandbox),
      ...extra,
    }),
    retry: { initialDelayMs: 5 },
  });
}

describe('meta: the Graph API messages endpoint', () => {
  it.each(SEED_SEND_FIXTURES.map((f) => [f.source, f] as const))(
    '%s goes out in the Cloud API format',
    async (_source, fixture) => {
      if (fixture.approve) await sandbox.setTemplateStatus('meta', fixture.approve, 'APPROVED');
      const result = await metaClient().send(fixture.message);
      const stored = await sandbox.latest({ provider: 'meta' });
      expect(stored?.id).toBe(result.id);
      expect(stored?.payload).toEqual(fixture.request);
      expect(stored?.phoneNumberId).toBe(sandbox.meta.phoneNumberId);
      expect(result.idempotencyKey).toBeUndefined();
    },
  );

  it('marks messages as read through the messages endpoint', async () => {
    await metaClient().markAsRead('wamid.META1');
    expect(await sandbox.reads('meta')).toMatchObject([{ messageId: 'wamid.META1' }]);
  });

  it('maps Graph errors: bad token, unknown number, unapproved template', async () => {
    const badToken = await failure(
      metaClient({ accessToken: 'EAAG-not-a-real-token' }).send({ to: '081234567890', text: 'x' }),
    );
    expect(badToken).toMatchObject({ code: 'unauthenticated', status: 401, providerCode: 190 });
    expect(JSON.stringify([badToken, badToken.details])).not.toContain('EAAG-not-a-real-token');

    const unknownNumber = await failure(
      metaClient({ phoneNumberId: '404' }).send({ to: '081234567890', text: 'x' }),
    );
    expect(unknownNumber.code).toBe('not_found');

    const pending = await failure(
      metaClient().send({
        to: '081234567890',
        template: { name: 'promo_diskon_baru', language: 'id', params: ['Budi', '50'] },
      }),
    );
    expect(pending.code).toBe('template_not_approved');
  });

  it('has no logs or MCP, and says so before any request', async () => {
    const client = metaClient();
    expect(client.supports('logs.messages')).toBe(false);
    await expect(client.logs.messages()).rejects.toThrow(
      'The meta provider does not support logs.messages',
    );
    await expect(client.mcp.listTools()).rejects.toThrow('The meta provider does not support mcp');
  });
});

describe('meta: media, templates and profile', () => {
  it('uploads media and downloads it through the media URL', async () => {
    const client = metaClient();
    const bytes = new TextEncoder().encode('%PDF-1.4 faktur');
    const { id } = await client.media.upload({
      file: new Blob([bytes], { type: 'application/pdf' }),
      mimeType: 'application/pdf',
      filename: 'faktur.pdf',
    });
    const download = await client.media.download(id);
    expect(download.contentType).toBe('application/pdf');
    expect(new Uint8Array(await new Response(download.body).arrayBuffer())).toEqual(bytes);
  });

  it('manages templates on the business account', async () => {
    const client = metaClient();
    expect((await client.templates.list({ status: 'APPROVED' })).map((t) => t.name)).toEqual([
      'otp_verification',
    ]);
    const created = await client.templates.create({
      name: 'notif_pesanan_baru',
      category: 'UTILITY',
      language: 'id',
      components: [{ type: 'BODY', text: 'Halo {{1}}, pesanan #{{2}} kami terima.' }],
    });
    expect(created.status).toBe('PENDING');
    await client.templates.delete('notif_pesanan_baru');
    expect((await client.templates.list()).map((t) => t.name)).not.toContain('notif_pesanan_baru');

    const noWaba = await failure(metaClient({ businessAccountId: undefined }).templates.list());
    expect(noWaba.code).toBe('invalid_config');
  });

  it('reads and updates the business profile', async () => {
    const client = metaClient();
    await client.profile.update(seed.updateProfile);
    expect(await client.profile.get()).toMatchObject(seed.updateProfile);
  });
});

describe('meta: configuration', () => {
  it('refuses a missing token or a malformed API version at construction', () => {
    expect(() => meta({ accessToken: '', phoneNumberId: '1' })).toThrow(/accessToken/);
    expect(() => meta({ accessToken: 't', phoneNumberId: '1', apiVersion: '21' })).toThrow(
      /apiVersion/,
    );
  });
});
