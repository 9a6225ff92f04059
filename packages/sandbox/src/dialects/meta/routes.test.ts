import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

/** `path` is relative to the phone number (or WABA) object under the API version. */
const graph = (path: string, options: CallOptions = {}) =>
  call(`${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}${path}`, {
    token: sandbox.meta.accessToken,
    ...options,
  });

const messagesPath = () => `/${sandbox.meta.phoneNumberId}/messages`;
const templatesPath = () => `/${sandbox.meta.wabaId}/message_templates`;
const profilePath = () => `/${sandbox.meta.phoneNumberId}/whatsapp_business_profile`;

describe('Meta auth', () => {
  it('accepts the configured access token', async () => {
    expect((await graph(messagesPath(), { json: seed.sendText })).status).toBe(200);
  });

  it.each([
    ['a wrong token', 'EAAG-not-valid'],
    ['no token', undefined],
  ])('rejects %s with Graph error 190', async (_name, token) => {
    const answer = await call(`${sandbox.meta.baseUrl}/v21.0${messagesPath()}`, {
      json: seed.sendText,
      ...(token === undefined ? {} : { token }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
        fbtrace_id: expect.any(String),
      },
    });
    expect(await sandbox.messages()).toEqual([]);
  });
});

describe('POST /:version/:phone_number_id/messages', () => {
  it('sends a message and stores it as meta', async () => {
    const answer = await graph(messagesPath(), { json: seed.sendList });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '62812345678', wa_id: '62812345678' }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
    expect(await sandbox.latest()).toMatchObject({
      id: answer.body.messages[0].id,
      provider: 'meta',
      phoneNumberId: sandbox.meta.phoneNumberId,
      type: 'interactive',
      payload: seed.sendList,
    });
  });

  it('accepts any v<major>.<minor> API version', async () => {
    const answer = await call(`${sandbox.meta.baseUrl}/v19.0${messagesPath()}`, {
      token: sandbox.meta.accessToken,
      json: seed.sendText,
    });
    expect(answer.status).toBe(200);
  });

  it('answers an unknown phone number id with subcode 33', async () => {
    const answer = await graph('/555/messages', { json: seed.sendText });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      message:
        "Unsupported post request. Object with ID '555' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
      type: 'OAuthException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: expect.any(String),
    });
  });

  it('answers validation failures with (#100) and the bad fields in error_data', async () => {
    const answer = await graph(messagesPath(), {
      json: { messaging_product: 'whatsapp', to: '62812345678', type: 'image', image: {} },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      message: '(#100) Invalid parameter',
      type: 'OAuthException',
      code: 100,
      error_data: {
        messaging_product: 'whatsapp',
        details: 'image: must have exactly one of id or link',
      },
    });
  });

  it('refuses a template that is not APPROVED', async () => {
    const answer = await graph(messagesPath(), { json: seed.sendPromoTemplate });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      message: '( #132000) Template status is not APPROVED.',
      type: 'OAuthException',
      code: 132000,
      error_subcode: 2490001,
      fbtrace_id: expect.any(String),
    });
  });

  it('marks a message read through the messages endpoint', async () => {
    const answer = await graph(messagesPath(), { json: { ...seed.readReceipt, status: 'read' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ success: true });
    expect(await sandbox.reads('meta')).toEqual([
      { provider: 'meta', messageId: seed.readReceipt.message_id, at: expect.any(String) },
    ]);
    expect(await sandbox.messages()).toEqual([]);
  });

  it('answers unknown paths with 404 in the Graph shape', async () => {
    const answer = await call(`${sandbox.meta.baseUrl}/latest${messagesPath()}`, {
      token: sandbox.meta.accessToken,
      json: seed.sendText,
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ type: 'OAuthException', code: 2500 });
  });
});

describe('Meta media', () => {
  const pdf = new TextEncoder().encode('%PDF-1.4 invoice');

  it('uploads, describes and downloads a file', async () => {
    const form = new FormData();
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'invoice.pdf');
    form.append('type', 'application/pdf');
    form.append('messaging_product', 'whatsapp');
    const uploaded = await graph(`/${sandbox.meta.phoneNumberId}/media`, { body: form });
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toEqual({ id: expect.stringMatching(/^\d{16}$/) });

    const described = await graph(`/${uploaded.body.id}`);
    expect(described.body).toEqual({
      messaging_product: 'whatsapp',
      url: `${sandbox.meta.baseUrl}/media-download/${uploaded.body.id}`,
      mime_type: 'application/pdf',
      sha256: createHash('sha256').update(pdf).digest('hex'),
      file_size: pdf.length,
      id: uploaded.body.id,
    });

    const download = await fetch(described.body.url, {
      headers: { authorization: `Bearer ${sandbox.meta.accessToken}` },
    });
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
    expect((await fetch(described.body.url)).status).toBe(401);
  });

  it('needs a file', async () => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    const answer = await graph(`/${sandbox.meta.phoneNumberId}/media`, { body: form });
    expect(answer.status).toBe(400);
    expect(answer.body.error.error_data.details).toBe('file: is required');
  });

  it('does not know media ids it never stored', async () => {
    const answer = await graph('/1049284050215893');
    expect(answer.status).toBe(400);
    expect(answer.body.error.error_subcode).toBe(33);
  });
});

describe('Meta message templates', () => {
  it('lists with paging and filters by status', async () => {
    const answer = await graph(templatesPath());
    expect(answer.status).toBe(200);
    expect(answer.body.paging).toEqual({ cursors: { before: '', after: '' } });
    expect(answer.body.data.map((t: { name: string }) => t.name)).toEqual([
      'otp_verification',
      'promo_diskon_baru',
    ]);
    const approved = await graph(`${templatesPath()}?status=APPROVED`);
    expect(approved.body.data.map((t: { name: string }) => t.name)).toEqual(['otp_verification']);
  });

  it('creates, refuses duplicates and deletes by name', async () => {
    const created = await graph(templatesPath(), { json: seed.createKonfirmasiPesanan });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: 'PENDING',
      category: 'UTILITY',
    });
    const duplicate = await graph(templatesPath(), { json: seed.createKonfirmasiPesanan });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error).toMatchObject({ code: 100, error_subcode: 2388024 });

    const deleted = await graph(`${templatesPath()}?name=konfirmasi_pesanan`, { method: 'DELETE' });
    expect(deleted.body).toEqual({ success: true });
    const missing = await graph(`${templatesPath()}?name=konfirmasi_pesanan`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe(100);
  });

  it('answers an unknown WABA id with subcode 33', async () => {
    const answer = await graph('/1111/message_templates');
    expect(answer.status).toBe(400);
    expect(answer.body.error.error_subcode).toBe(33);
  });
});

describe('Meta business profile', () => {
  it('returns only the requested fields', async () => {
    const answer = await graph(`${profilePath()}?fields=about,email`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: [
        {
          about: seed.seededProfile.about,
          email: seed.seededProfile.email,
          messaging_product: 'whatsapp',
        },
      ],
    });
  });

  it('updates the profile', async () => {
    const answer = await graph(profilePath(), {
      json: { messaging_product: 'whatsapp', ...seed.updateProfile },
    });
    expect(answer.body).toEqual({ success: true });
    const after = await graph(profilePath());
    expect(after.body.data[0]).toEqual({
      ...seed.updateProfile,
      profile_picture_url: seed.seededProfile.profile_picture_url,
      messaging_product: 'whatsapp',
    });
  });

  it('applies the same field rules as Kirem and needs messaging_product', async () => {
    const answer = await graph(profilePath(), { json: { about: 'a'.repeat(140) } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.error_data.details).toBe(
      "about: must be at most 139 characters; messaging_product: must be 'whatsapp'",
    );
  });
});
