import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const kirem = (path: string, options: CallOptions = {}) =>
  call(`${sandbox.kirem.baseUrl}${path}`, { token: sandbox.kirem.apiKey, ...options });

const WAMID = /^wamid\.[A-Za-z0-9_-]{32}$/;

describe('Kirem auth', () => {
  const unauthorized = {
    status: 401,
    message: 'Unauthorized: invalid or missing API key',
    errors: { authorization: 'invalid or missing API key' },
  };

  it('accepts the configured API key', async () => {
    const answer = await kirem('/v1/messages', { json: seed.sendText });
    expect(answer.status).toBe(201);
  });

  it('rejects a wrong key and stores nothing', async () => {
    const answer = await kirem('/v1/messages', { token: 'kirem_live_xxx', json: seed.sendText });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(unauthorized);
    expect(await sandbox.messages()).toEqual([]);
  });

  it('rejects a request without Authorization', async () => {
    const answer = await call(`${sandbox.kirem.baseUrl}/v1/templates`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(unauthorized);
  });
});

describe('POST /v1/messages with the seed examples', () => {
  const examples: [string, Record<string, unknown>, string][] = [
    ['text', seed.sendText, 'Halo dari Kirem!'],
    ['quickstart text', seed.sendFirstMessage, seed.sendFirstMessage.text.body],
    ['template', seed.sendOtpTemplate, 'Kode keamanan OTP Kirem Anda adalah: 123456.'],
    ['image by id', seed.sendImageById, 'Silakan lihat gambar brosur promo kami'],
    ['image by link', seed.sendImageByLink, 'Brosur Promo Akhir Tahun Kirem'],
    ['video by id', seed.sendVideoById, 'Silakan tonton video demo produk kami'],
    ['video by link', seed.sendVideoByLink, 'Video Tutorial Penggunaan Kirem API'],
    ['location', seed.sendLocation, 'Monumen Nasional, Gambir, Kota Jakarta Pusat, DKI Jakarta'],
    ['contacts', seed.sendContacts, 'Kirem Support'],
    ['interactive buttons', seed.sendButtons, 'Apakah Anda bersedia melanjutkan pendaftaran?'],
    [
      'interactive list',
      seed.sendList,
      'Silakan pilih menu bantuan di bawah ini untuk memulai interaksi.',
    ],
    [
      'interactive buttons with emoji titles',
      { messaging_product: 'whatsapp', to: '62812345678', ...seed.n8nButtons },
      'Halo! Apa yang bisa saya bantu?',
    ],
  ];

  it.each(examples)('sends %s and stores it', async (_name, body, text) => {
    const answer = await kirem('/v1/messages', { json: body });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      status: 201,
      message: 'Message sent successfully',
      data: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: expect.stringMatching(WAMID) }],
      },
    });
    const stored = await sandbox.latest();
    expect(stored).toMatchObject({
      id: answer.body.data.messages[0].id,
      provider: 'kirem',
      direction: 'outbound',
      to: body.to,
      type: body.type,
      text,
      payload: body,
      status: 'accepted',
    });
    expect(stored?.phoneNumberId).toBeUndefined();
  });

  it('records the template it rendered', async () => {
    await kirem('/v1/messages', { json: seed.sendOtpTemplate });
    expect((await sandbox.latest())?.template).toEqual({
      name: 'otp_verification',
      language: 'id',
      status: 'APPROVED',
      category: 'AUTHENTICATION',
      code: '123456',
    });
  });

  it('echoes the input and answers wa_id as digits', async () => {
    const answer = await kirem('/v1/messages', {
      json: { ...seed.sendText, to: '+6282360419136' },
    });
    expect(answer.body.data.contacts).toEqual([
      { input: '+6282360419136', wa_id: '6282360419136' },
    ]);
  });

  it('routes through a known phone number id', async () => {
    const answer = await kirem(`/v1/${sandbox.kirem.phoneNumberId}/messages`, {
      json: seed.sendLocation,
    });
    expect(answer.status).toBe(201);
    expect((await sandbox.latest())?.phoneNumberId).toBe(sandbox.kirem.phoneNumberId);
  });

  it('answers 404 for an unknown phone number id', async () => {
    const answer = await kirem('/v1/999/messages', { json: seed.sendText });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      status: 404,
      message: 'Phone number not found',
      errors: { phone_number_id: expect.stringContaining('999') },
    });
    expect(await sandbox.messages()).toEqual([]);
  });
});

describe('Kirem validation', () => {
  it('lists every bad field and stores nothing', async () => {
    const answer = await kirem('/v1/messages', {
      json: { messaging_product: 'sms', to: '0812', type: 'text', text: {} },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: 400,
      message: 'Validation failed',
      errors: {
        messaging_product: "must be 'whatsapp'",
        to: "must be 8 to 15 digits with an optional leading '+'",
        'text.body': 'is required',
      },
    });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('names the broken buttons by path', async () => {
    const buttons = [
      { type: 'reply', reply: { id: 'a', title: 'one' } },
      { type: 'reply', reply: { id: 'a', title: 'a title longer than twenty' } },
    ];
    const answer = await kirem('/v1/messages', {
      json: {
        ...seed.sendButtons,
        interactive: { ...seed.sendButtons.interactive, action: { buttons } },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({
      'interactive.action.buttons[1].reply.id': 'must be unique',
      'interactive.action.buttons[1].reply.title': 'must be 1 to 20 characters',
    });
  });

  it('answers invalid JSON with 400 in the Kirem shape', async () => {
    const answer = await kirem('/v1/messages', {
      body: '{"to": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: 400,
      message: 'Invalid JSON body',
      errors: { body: 'must be valid JSON' },
    });
  });

  it('refuses JSON bodies over 1 MiB with 413', async () => {
    const body = { ...seed.sendText, text: { body: 'x'.repeat(1024 * 1024) } };
    const answer = await kirem('/v1/messages', { json: body });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ status: 413, message: 'Payload Too Large', errors: {} });
  });

  it('answers unknown routes with 404 in the Kirem shape', async () => {
    const answer = await kirem('/v1/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ status: 404, message: 'Not Found' });
  });
});

describe('sending templates', () => {
  it('refuses a template that is not APPROVED exactly as the seed shows', async () => {
    const answer = await kirem('/v1/messages', { json: seed.sendPromoTemplate });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: 400,
      message: '( #132000) Template status is not APPROVED.',
      errors: {
        message: '( #132000) Template status is not APPROVED.',
        type: 'OAuthException',
        code: 132000,
        error_subcode: 2490001,
      },
    });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('refuses an unknown template or language with 132001', async () => {
    const template = { ...seed.sendOtpTemplate.template, language: { code: 'en' } };
    const answer = await kirem('/v1/messages', { json: { ...seed.sendOtpTemplate, template } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({
      message: '(#132001) Template name does not exist in the translation',
      type: 'OAuthException',
      code: 132001,
    });
  });

  it('refuses a body parameter count that does not match', async () => {
    const template = {
      ...seed.sendOtpTemplate.template,
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: '1' },
            { type: 'text', text: '2' },
          ],
        },
      ],
    };
    const answer = await kirem('/v1/messages', { json: { ...seed.sendOtpTemplate, template } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({
      message: '(#132000) Number of parameters does not match the expected number of params',
      type: 'OAuthException',
      code: 132000,
      error_data: { messaging_product: 'whatsapp', details: 'body: expected 1 parameters, got 2' },
    });
  });
});

describe('POST /v1/messages/read', () => {
  it('marks the seed message read and records it', async () => {
    const answer = await kirem('/v1/messages/read', { json: seed.readReceipt });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 200,
      message: 'Message marked as read',
      data: { success: true },
    });
    expect(await sandbox.reads('kirem')).toEqual([
      { provider: 'kirem', messageId: seed.readReceipt.message_id, at: expect.any(String) },
    ]);
    expect(await sandbox.messages()).toEqual([]);
  });

  it('needs a message_id', async () => {
    const answer = await kirem('/v1/messages/read', { json: { messaging_product: 'whatsapp' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({ message_id: 'is required' });
    expect(await sandbox.reads()).toEqual([]);
  });
});

describe('media', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  function upload(file?: Blob) {
    const form = new FormData();
    if (file) form.append('file', file, 'poster.png');
    form.append('messaging_product', 'whatsapp');
    return kirem('/v1/media', { body: form });
  }

  it('round-trips bytes and content type through upload and download', async () => {
    const uploaded = await upload(new Blob([png], { type: 'image/png' }));
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toEqual({
      status: 200,
      message: 'Media uploaded successfully',
      data: { id: expect.stringMatching(/^\d{16}$/) },
    });

    const response = await fetch(
      `${sandbox.kirem.baseUrl}/v1/media/${uploaded.body.data.id}/download`,
      {
        headers: { authorization: `Bearer ${sandbox.kirem.apiKey}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(png.length));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
  });

  it('needs a file part', async () => {
    const answer = await upload();
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({ file: 'is required' });
  });

  it('answers 404 for unknown media', async () => {
    const answer = await kirem('/v1/media/1049284050215893/download');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ status: 404, message: 'Media not found' });
  });
});

describe('/v1/templates', () => {
  it('lists the seeded templates', async () => {
    const answer = await kirem('/v1/templates');
    expect(answer.status).toBe(200);
    expect(answer.body.message).toBe('Templates retrieved successfully');
    expect(answer.body.data).toEqual([
      {
        name: 'otp_verification',
        status: 'APPROVED',
        category: 'AUTHENTICATION',
        language: 'id',
        components: [{ type: 'BODY', text: 'Kode keamanan OTP Kirem Anda adalah: {{1}}.' }],
        id: '18491849184919',
      },
      {
        name: 'promo_diskon_baru',
        status: 'PENDING',
        category: 'MARKETING',
        language: 'id',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Promo Spesial!' },
          { type: 'BODY', text: 'Halo {{1}}, nikmati diskon {{2}}% untuk semua produk.' },
          { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Ya, saya tertarik' }] },
        ],
        id: '194819481948194',
      },
    ]);
  });

  it('filters by status', async () => {
    const approved = await kirem('/v1/templates?status=APPROVED');
    const pending = await kirem('/v1/templates?status=PENDING');
    expect(approved.body.data.map((t: { name: string }) => t.name)).toEqual(['otp_verification']);
    expect(pending.body.data.map((t: { name: string }) => t.name)).toEqual(['promo_diskon_baru']);
  });

  it('creates the seed templates as PENDING', async () => {
    for (const body of [seed.createKonfirmasiPesanan, seed.createNotifPesananBaru]) {
      const answer = await kirem('/v1/templates', { json: body });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        status: 200,
        message: 'Template created successfully',
        data: { id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'UTILITY' },
      });
    }
    const pending = await kirem('/v1/templates?status=PENDING');
    expect(pending.body.data.map((t: { name: string }) => t.name)).toEqual([
      'promo_diskon_baru',
      'konfirmasi_pesanan',
      'notif_pesanan_baru',
    ]);
  });

  it('refuses a name that already exists in that language with 409', async () => {
    const answer = await kirem('/v1/templates', { json: seed.createPromoDiskonBaru });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ status: 409, errors: { name: expect.any(String) } });
  });

  it('names every invalid field of a new template', async () => {
    const answer = await kirem('/v1/templates', {
      json: {
        name: 'Promo Baru',
        category: 'PROMO',
        language: 'id',
        components: [
          { type: 'BODY', text: 'x'.repeat(1025) },
          { type: 'FOOTER', text: 'f'.repeat(61) },
          {
            type: 'BUTTONS',
            // Meta allows ten buttons on a template.
            buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `b${i}` })),
          },
        ],
      },
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors).sort()).toEqual([
      'category',
      'components[0].text',
      'components[1].text',
      'components[2].buttons',
      'name',
    ]);
  });

  it('deletes by URL-encoded name, all languages', async () => {
    const encoded = encodeURIComponent('promo_diskon_baru').replaceAll('_', '%5F');
    const answer = await kirem(`/v1/templates/${encoded}`, { method: 'DELETE' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 200,
      message: 'Template deleted successfully',
      data: { success: true },
    });
    const left = await kirem('/v1/templates');
    expect(left.body.data.map((t: { name: string }) => t.name)).toEqual(['otp_verification']);
  });

  it('answers 404 when deleting an unknown template', async () => {
    const answer = await kirem('/v1/templates/tidak_ada', { method: 'DELETE' });
    expect(answer.status).toBe(404);
    expect(answer.body.status).toBe(404);
  });
});

describe('/v1/profile', () => {
  it('returns the seeded profile with or without channel_id', async () => {
    for (const path of ['/v1/profile', '/v1/profile?channel_id=chan-123']) {
      const answer = await kirem(path);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        status: 200,
        message: 'Business profile retrieved successfully',
        data: seed.seededProfile,
      });
    }
  });

  it('answers 404 for an unknown channel', async () => {
    const answer = await kirem('/v1/profile?channel_id=chan-999');
    expect(answer.status).toBe(404);
    expect(answer.body.errors).toHaveProperty('channel_id');
  });

  it('updates the profile of a channel', async () => {
    const answer = await kirem('/v1/profile?channel_id=chan-123', { json: seed.updateProfile });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 200,
      message: 'Business profile updated successfully',
      data: { success: true },
    });
    const after = await kirem('/v1/profile?channel_id=chan-123');
    expect(after.body.data).toEqual({
      ...seed.updateProfile,
      profile_picture_url: seed.seededProfile.profile_picture_url,
    });
  });

  it('needs channel_id to update', async () => {
    const answer = await kirem('/v1/profile', { json: seed.updateProfile });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual({ channel_id: 'is required' });
  });

  it('names every invalid profile field and changes nothing', async () => {
    const answer = await kirem('/v1/profile?channel_id=chan-123', {
      json: {
        about: 'a'.repeat(140),
        email: 'not-an-email',
        vertical: 'SPACE',
        websites: ['https://a.id', 'https://b.id', 'https://c.id'],
      },
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors).sort()).toEqual([
      'about',
      'email',
      'vertical',
      'websites',
    ]);
    expect((await kirem('/v1/profile')).body.data).toEqual(seed.seededProfile);
  });
});

describe('/v1/analytics', () => {
  it('lists message logs newest first, with filters, limit and offset', async () => {
    const ids: string[] = [];
    for (const body of [seed.sendText, seed.sendFirstMessage, seed.sendLocation]) {
      ids.push((await kirem('/v1/messages', { json: body })).body.data.messages[0].id);
    }

    const all = await kirem('/v1/analytics/messages');
    expect(all.status).toBe(200);
    expect(all.body.message).toBe('Message logs retrieved successfully');
    expect(all.body.data).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(all.body.data.logs.map((log: { message_id: string }) => log.message_id)).toEqual(
      [...ids].reverse(),
    );
    expect(all.body.data.logs[0]).toEqual({
      id: expect.any(String),
      message_id: ids[2],
      recipient: '62812345678',
      direction: 'outbound',
      type: 'location',
      status: 'sent',
      error_message: null,
      created_at: expect.any(String),
    });

    const toOne = await kirem(
      '/v1/analytics/messages?direction=outbound&recipient=62812345678&limit=20',
    );
    expect(toOne.body.data.total).toBe(2);
    expect((await kirem('/v1/analytics/messages?status=failed&limit=10')).body.data.total).toBe(0);
    expect((await kirem('/v1/analytics/messages?direction=inbound')).body.data.total).toBe(0);

    const page = await kirem('/v1/analytics/messages?limit=1&offset=1');
    expect(page.body.data).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.body.data.logs.map((log: { message_id: string }) => log.message_id)).toEqual([
      ids[1],
    ]);
  });

  it('caps limit at 100 and refuses bad numbers', async () => {
    expect((await kirem('/v1/analytics/messages?limit=500')).body.data.limit).toBe(100);
    const bad = await kirem('/v1/analytics/messages?limit=ten&offset=-1');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['limit', 'offset']);
  });

  it('lists webhook logs with is_success, limit and offset', async () => {
    const base = { url: 'https://shop.test/hook', event: 'messages.received', duration_ms: 120 };
    await sandbox.addWebhookLog({ ...base, status_code: 200, is_success: true });
    await sandbox.addWebhookLog({ ...base, status_code: 500, is_success: false });
    await sandbox.addWebhookLog({ ...base, status_code: 502, is_success: false });

    const failed = await kirem('/v1/analytics/webhooks?is_success=false&limit=10');
    expect(failed.status).toBe(200);
    expect(failed.body.message).toBe('Webhook logs retrieved successfully');
    expect(failed.body.data).toMatchObject({ total: 2, limit: 10, offset: 0 });
    expect(failed.body.data.logs.map((log: { status_code: number }) => log.status_code)).toEqual([
      502, 500,
    ]);
    expect(failed.body.data.logs[0]).toEqual({
      id: expect.any(String),
      ...base,
      status_code: 502,
      is_success: false,
      created_at: expect.any(String),
    });

    const second = await kirem('/v1/analytics/webhooks?limit=1&offset=1');
    expect(second.body.data.total).toBe(3);
    expect(second.body.data.logs.map((log: { status_code: number }) => log.status_code)).toEqual([
      500,
    ]);

    expect((await kirem('/v1/analytics/webhooks?is_success=maybe')).status).toBe(400);
  });
});
