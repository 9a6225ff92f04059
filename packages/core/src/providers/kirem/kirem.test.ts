import * as seed from '@kabar/sandbox/seed-examples';
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { UnsupportedFeatureError } from '../../errors.js';
import type { RequestEvent, ResponseEvent } from '../../hooks.js';
import type { OutgoingMessage } from '../../message.js';
import type { TemplateDefinition } from '../../resources.js';
import { failure } from '../../test-helpers.js';
import { kirem } from './index.js';
import { SEED_SEND_FIXTURES } from './test-data/seed-requests.js';

const sandbox = useSandbox();

function kiremClient(extra: { phoneNumberId?: string; apiKey?: string } = {}) {
  return createClient({
    provider: kirem({
      apiKey: extra.apiKey ?? sandbox.kirem.apiKey,
      baseUrl: sandbox.kirem.baseUrl,
      phoneNumberId: extra.phoneNumberId,
      channelId: sandbox.kirem.channelId,
    }),
    retry: { initialDelayMs: 5 },
  });
}

describe('kirem: sending every message type of the seed', () => {
  it.each(SEED_SEND_FIXTURES.map((f) => [f.source, f] as const))(
    '%s reaches the gateway as the seed shows it',
    async (_source, fixture) => {
      if (fixture.approve) await sandbox.setTemplateStatus('kirem', fixture.approve, 'APPROVED');
      const result = await kiremClient().send(fixture.message);

      expect(result.id).toMatch(/^wamid\./);
      expect(result.provider).toBe('kirem');
      const stored = await sandbox.latest({ provider: 'kirem' });
      expect(stored?.id).toBe(result.id);
      expect(stored?.payload).toEqual(fixture.request);
      expect(stored?.idempotencyKey).toBe(result.idempotencyKey);
      if (fixture.message.idempotencyKey) {
        expect(result.idempotencyKey).toBe(fixture.message.idempotencyKey);
      }
    },
  );

  it('renders a template with its parameters in the stored message', async () => {
    await kiremClient().send({
      to: '0812-3456-7890',
      template: { name: 'otp_verification', language: 'id', params: ['482913'] },
    });
    const stored = await sandbox.latest({ to: '6281234567890' });
    expect(stored?.text).toBe('Kode keamanan OTP Kirem Anda adalah: 482913.');
  });

  it('routes through a chosen number with /v1/:phone_number_id/messages', async () => {
    const client = kiremClient({ phoneNumberId: sandbox.kirem.phoneNumberId });
    const result = await client.send({ to: '081234567890', text: 'lewat nomor tertentu' });
    const stored = await sandbox.latest();
    expect(stored?.id).toBe(result.id);
    expect(stored?.phoneNumberId).toBe(sandbox.kirem.phoneNumberId);

    const unknown = await failure(
      kiremClient({ phoneNumberId: '999' }).send({ to: '081234567890', text: 'x' }),
    );
    expect(unknown.code).toBe('not_found');
  });

  it('quotes an earlier message with replyTo', async () => {
    await kiremClient().send({ to: '081234567890', text: 'Balasan', replyTo: 'wamid.ABC' });
    const stored = await sandbox.latest();
    expect(stored?.payload).toMatchObject({ context: { message_id: 'wamid.ABC' } });
  });
});

describe('kirem: errors', () => {
  it('maps the seed’s "Template status is not APPROVED" to template_not_approved', async () => {
    const error = await failure(
      kiremClient().send({
        to: '62812345678',
        template: { name: 'promo_diskon_baru', language: 'id', params: ['Budi', '50'] },
      }),
    );
    expect(error.code).toBe('template_not_approved');
    expect(error.status).toBe(400);
    expect(error.providerCode).toBe(132000);
    expect(error.isRetryable).toBe(false);
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('maps unknown templates and wrong parameter counts', async () => {
    const missing = await failure(
      kiremClient().send({ to: '62812345678', template: { name: 'tidak_ada', language: 'id' } }),
    );
    expect(missing.code).toBe('template_not_found');
    const mismatch = await failure(
      kiremClient().send({
        to: '62812345678',
        template: { name: 'otp_verification', language: 'id', params: ['1', '2'] },
      }),
    );
    expect(mismatch.code).toBe('template_params_mismatch');
  });

  it('reports a wrong key as unauthenticated without retrying or leaking the key', async () => {
    const events: unknown[] = [];
    const client = createClient({
      provider: kirem({ apiKey: 'kirem_live_wrong_secret_123', baseUrl: sandbox.kirem.baseUrl }),
      hooks: {
        onRequest: (e) => events.push(e),
        onResponse: (e) => events.push(e),
        onRetry: (e) => events.push(e),
      },
    });
    const error = await failure(client.send({ to: '081234567890', text: 'Halo' }));
    expect(error.code).toBe('unauthenticated');
    expect(error.status).toBe(401);
    expect(events).toHaveLength(2); // one request, one response: no retry
    const everything = JSON.stringify([error, error.message, error.details, events]);
    expect(everything).not.toContain('kirem_live_wrong_secret_123');
  });

  it('checks limits and phone numbers before any network call', async () => {
    let requests = 0;
    const client = createClient({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    const bad: OutgoingMessage[] = [
      { to: '0812', text: 'Halo' },
      { to: '081234567890', text: 'x'.repeat(4097) },
      {
        to: '081234567890',
        interactive: {
          type: 'buttons',
          body: 'Pilih',
          buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })),
        },
      },
      { to: { group: '120363@g.us' }, text: 'grup' },
    ];
    const codes = [];
    for (const message of bad) codes.push((await failure(client.send(message))).code);
    expect(codes).toEqual(['invalid_phone', 'validation', 'validation', 'unsupported_feature']);
    expect(requests).toBe(0);
  });

  it('names the provider and the feature when Kirem cannot do something', async () => {
    const error = await failure(kiremClient().send({ to: { group: 'g1' }, text: 'x' }));
    expect(UnsupportedFeatureError.isInstance(error)).toBe(true);
    expect(error.message).toBe('The kirem provider does not support group');
  });
});

describe('kirem: read receipts and media', () => {
  it('marks a message as read', async () => {
    await kiremClient().markAsRead('wamid.HBgNNjI4MTIzNDU2Nzg5MBcGAgQRFRMyFAA=');
    expect(await sandbox.reads('kirem')).toMatchObject([
      { provider: 'kirem', messageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBcGAgQRFRMyFAA=' },
    ]);
  });

  it('uploads media and downloads the same bytes as a stream with its content type', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const client = kiremClient();
    const { id } = await client.media.upload({
      file: bytes,
      mimeType: 'image/png',
      filename: 'brosur.png',
    });
    expect(id).toMatch(/^\d+$/);

    const download = await client.media.download(id);
    expect(download.contentType).toBe('image/png');
    expect(download.contentLength).toBe(bytes.byteLength);
    const received = new Uint8Array(await new Response(download.body).arrayBuffer());
    expect(received).toEqual(bytes);

    // the uploaded id is usable in a message
    await client.send({ to: '081234567890', image: { id, caption: 'Brosur' } });
    expect((await sandbox.latest())?.payload).toMatchObject({ image: { id, caption: 'Brosur' } });
  });

  it('refuses oversized media before uploading and reports unknown media as not_found', async () => {
    const client = kiremClient();
    const tooBig = await failure(
      client.media.upload({ file: new Uint8Array(5 * 1024 * 1024 + 1), mimeType: 'image/jpeg' }),
    );
    expect(tooBig.code).toBe('validation');
    expect((await failure(client.media.download('404404'))).code).toBe('not_found');
  });
});

describe('kirem: templates', () => {
  it('lists, filters by status, creates (PENDING) and deletes templates', async () => {
    const client = kiremClient();
    const all = await client.templates.list();
    expect(all.map((t) => t.name).sort()).toEqual(['otp_verification', 'promo_diskon_baru']);
    const approved = await client.templates.list({ status: 'APPROVED' });
    expect(approved.map((t) => t.name)).toEqual(['otp_verification']);

    const created = await client.templates.create(
      seed.createKonfirmasiPesanan as TemplateDefinition,
    );
    expect(created).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
    const pending = await client.templates.list({ status: 'PENDING' });
    expect(pending.map((t) => t.name).sort()).toEqual(['konfirmasi_pesanan', 'promo_diskon_baru']);

    await client.templates.delete('konfirmasi_pesanan');
    expect((await client.templates.list()).map((t) => t.name)).not.toContain('konfirmasi_pesanan');
    // the name travels URL-encoded, so a name with a space reaches the gateway intact
    expect((await failure(client.templates.delete('nama template'))).code).toBe('not_found');
  });

  it('reports an invalid template definition as a validation error with the fields', async () => {
    const error = await failure(
      kiremClient().templates.create({
        name: 'Bad Name!',
        category: 'UTILITY',
        language: 'id',
        components: [],
      }),
    );
    expect(error.code).toBe('validation');
    expect(error.status).toBe(400);
    expect(error.details).toBeTruthy();
  });
});

describe('kirem: business profile', () => {
  it('reads and updates the profile of a channel', async () => {
    const client = kiremClient();
    const before = await client.profile.get();
    expect(before.vertical).toBe('RETAIL');
    expect(before.profilePictureUrl).toMatch(/^https:\/\//);

    await client.profile.update(seed.updateProfile);
    const after = await client.profile.get({ channelId: sandbox.kirem.channelId });
    expect(after).toMatchObject(seed.updateProfile);

    const unknown = await failure(client.profile.get({ channelId: 'chan-404' }));
    expect(unknown.code).toBe('not_found');
  });
});

describe('kirem: analytics logs', () => {
  it('pages message logs with limit/offset and as an async iterator', async () => {
    const client = kiremClient();
    for (const n of ['081234567890', '081234567891', '081234567890']) {
      await client.send({ to: n, text: `log ${n}` });
    }
    const page = await client.logs.messages({ limit: 2 });
    expect(page.total).toBe(3);
    expect(page.logs).toHaveLength(2);
    expect(page.logs[0]).toMatchObject({ direction: 'outbound', type: 'text' });

    const filtered = await client.logs.messages({ recipient: '6281234567890' });
    expect(filtered.total).toBe(2);

    const ids: string[] = [];
    for await (const log of client.logs.allMessages({ limit: 2 })) ids.push(log.messageId);
    expect(new Set(ids).size).toBe(3);
  });

  it('filters webhook logs by success', async () => {
    await sandbox.addWebhookLog({
      url: 'https://toko.id/hook',
      event: 'messages.received',
      status_code: 500,
      is_success: false,
      duration_ms: 120,
    });
    await sandbox.addWebhookLog({
      url: 'https://toko.id/hook',
      event: 'messages.received',
      status_code: 200,
      is_success: true,
      duration_ms: 30,
    });
    const client = kiremClient();
    const failed = await client.logs.webhooks({ isSuccess: false, limit: 10 });
    expect(failed.total).toBe(1);
    expect(failed.logs[0]).toMatchObject({ statusCode: 500, isSuccess: false, durationMs: 120 });
    const all: number[] = [];
    for await (const log of client.logs.allWebhooks({ limit: 1 })) all.push(log.statusCode);
    expect(all.sort()).toEqual([200, 500]);
  });
});

describe('kirem: MCP', () => {
  const session = '8a3d12d4-1a9b-4bfa-a7b3-c123456789ab';

  it('lists the tools and reads conversations', async () => {
    const client = kiremClient();
    const tools = await client.mcp.listTools();
    // The seed's three with their schemas, then the two its docs only name.
    expect(tools.map((t) => t.name)).toEqual([
      'send_message',
      'list_conversations',
      'get_conversation',
      'list_templates',
      'view_analytics',
    ]);
    const open = await client.mcp.listConversations({ status: 'open' });
    expect(open).toMatchObject([{ id: session, status: 'open', customerPhone: '62812345678' }]);
    expect(await client.mcp.listConversations({ status: 'resolved' })).toEqual([]);
    const detail = await client.mcp.getConversation(session);
    expect(detail.messages[0]).toMatchObject({
      sender: 'customer',
      text: 'Halo, apakah produk X ready?',
    });
  });

  it('sends a reply into a conversation, which reaches the customer', async () => {
    const client = kiremClient();
    const sent = await client.mcp.sendMessage(session, 'Ready stock, kak!');
    expect(sent.messageId).toBeTruthy();
    const stored = await sandbox.latest({ to: '62812345678' });
    expect(stored?.text).toBe('Ready stock, kak!');
    const detail = await client.mcp.getConversation(session);
    expect(detail.messages.at(-1)?.text).toBe('Ready stock, kak!');
  });

  it('turns JSON-RPC errors into validation and not_found errors', async () => {
    const client = kiremClient();
    expect((await failure(client.mcp.sendMessage('bukan-uuid', 'x'))).code).toBe('validation');
    expect(
      (await failure(client.mcp.getConversation('00000000-0000-4000-8000-000000000000'))).code,
    ).toBe('not_found');
  });
});

describe('kirem: hooks', () => {
  it('reports requests and responses with the key redacted', async () => {
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const client = createClient({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
      hooks: {
        onRequest: (e) => requests.push(e),
        onResponse: (e) => responses.push(e),
      },
    });
    await client.send({ to: '081234567890', text: 'Halo' });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.authorization).toBe('[redacted]');
    expect(requests[0]).toMatchObject({ provider: 'kirem', operation: 'send', attempt: 1 });
    expect(responses[0]).toMatchObject({ status: 201, attempt: 1 });
    expect(JSON.stringify([requests, responses])).not.toContain(sandbox.kirem.apiKey);
  });

  it('a hook that throws does not turn a delivered message into a failure', async () => {
    const client = createClient({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
      hooks: {
        onResponse: () => {
          throw new Error('logger down');
        },
      },
    });
    const result = await client.send({ to: '081234567890', text: 'tetap terkirim' });
    expect((await sandbox.latest())?.id).toBe(result.id);
  });
});

describe('kirem: configuration', () => {
  it('refuses a missing key or a malformed base URL before any request', () => {
    expect(() => kirem({ apiKey: '' })).toThrow('kirem: option "apiKey" is required');
    expect(() => kirem({ apiKey: 'k', baseUrl: 'api.kirem.co' })).toThrow(/baseUrl/);
  });
});
