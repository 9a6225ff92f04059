/**
 * Meta's object endpoints beyond sending: a template by id and its edit, media delete, the Block
 * Users API and the Resumable Upload API with the profile picture handle. Shapes follow Meta's
 * pages:
 * - https://developers.facebook.com/docs/graph-api/reference/whats-app-business-hsm (template fields)
 * - https://developers.facebook.com/documentation/business-messaging/whatsapp/block-users
 * - https://developers.facebook.com/docs/graph-api/guides/upload (Resumable Upload API)
 * - https://developers.facebook.com/documentation/business-messaging/whatsapp/reference/media/media-api
 *   (mirrored at whatsapp-docs.kap.so; GET and DELETE /{media-id})
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const graph = (path: string, options: CallOptions = {}) =>
  call(`${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}${path}`, {
    token: sandbox.meta.accessToken,
    ...options,
  });

const templatesPath = () => `/${sandbox.meta.wabaId}/message_templates`;
const blockPath = () => `/${sandbox.meta.phoneNumberId}/block_users`;
const profilePath = () => `/${sandbox.meta.phoneNumberId}/whatsapp_business_profile`;
const OTP_TEMPLATE_ID = '18491849184919';
const PROMO_TEMPLATE_ID = '194819481948194';
const customer = '6281234567890';

const blockBody = (...users: string[]) => ({
  messaging_product: 'whatsapp',
  block_users: users.map((user) => ({ user })),
});

describe('GET /{template-id}', () => {
  it("answers Graph's default fields", async () => {
    const answer = await graph(`/${OTP_TEMPLATE_ID}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      name: 'otp_verification',
      status: 'APPROVED',
      category: 'AUTHENTICATION',
      language: 'id',
      components: [{ type: 'BODY', text: 'Kode keamanan OTP Kirem Anda adalah: {{1}}.' }],
      id: OTP_TEMPLATE_ID,
    });
  });

  it('answers the fields asked for, with quality, rejection reason and parameter format', async () => {
    const fields = 'name,quality_score,rejected_reason,parameter_format';
    const approved = await graph(`/${OTP_TEMPLATE_ID}?fields=${fields}`);
    expect(approved.body).toEqual({
      name: 'otp_verification',
      id: OTP_TEMPLATE_ID,
      quality_score: { score: 'GREEN' },
      rejected_reason: 'NONE',
      parameter_format: 'POSITIONAL',
    });
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    const rejected = await graph(
      `/${PROMO_TEMPLATE_ID}?fields=status,quality_score,rejected_reason`,
    );
    expect(rejected.body).toEqual({
      status: 'REJECTED',
      id: PROMO_TEMPLATE_ID,
      quality_score: { score: 'UNKNOWN' },
      rejected_reason: 'INVALID_FORMAT',
    });
  });

  it('reports NAMED parameters and finds templates by name', async () => {
    await graph(templatesPath(), {
      json: {
        name: 'sapa_pelanggan',
        category: 'UTILITY',
        language: 'id',
        components: [{ type: 'BODY', text: 'Halo {{nama}}, pesanan {{nomor}} siap.' }],
      },
    });
    const answer = await graph(
      `${templatesPath()}?name=sapa_pelanggan&fields=name,language,parameter_format`,
    );
    expect(answer.body.data).toEqual([
      {
        name: 'sapa_pelanggan',
        language: 'id',
        parameter_format: 'NAMED',
        id: expect.stringMatching(/^\d+$/),
      },
    ]);
    expect((await graph(`${templatesPath()}?name=tidak_ada`)).body.data).toEqual([]);
  });

  it('answers an unknown id with subcode 33', async () => {
    const answer = await graph('/999999999');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('POST /{template-id} (edit)', () => {
  const newBody = [{ type: 'BODY', text: 'Kode masuk Anda: {{1}}. Jangan dibagikan.' }];

  it('replaces the components of an APPROVED template, which stays APPROVED', async () => {
    await graph(templatesPath(), {
      json: {
        name: 'info_pengiriman',
        category: 'UTILITY',
        language: 'id',
        components: [{ type: 'BODY', text: 'Paket {{1}} dikirim.' }],
      },
    });
    const [created] = (await graph(`${templatesPath()}?name=info_pengiriman`)).body.data;
    await sandbox.setTemplateStatus('meta', 'info_pengiriman', 'APPROVED');
    const components = [
      { type: 'BODY', text: 'Paket {{1}} sudah dikirim lewat {{2}}.' },
      { type: 'FOOTER', text: 'Terima kasih' },
    ];
    const edited = await graph(`/${created.id}`, { json: { components } });
    expect(edited.status).toBe(200);
    expect(edited.body).toEqual({ success: true });
    expect((await graph(`/${created.id}`)).body).toMatchObject({ status: 'APPROVED', components });
  });

  it("refuses to change an APPROVED template's category", async () => {
    const answer = await graph(`/${OTP_TEMPLATE_ID}`, { json: { category: 'MARKETING' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.error_data.details).toBe(
      'category: cannot be changed on an APPROVED template',
    );
  });

  it('edits a REJECTED template, category included, and sends it back to review', async () => {
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    const answer = await graph(`/${PROMO_TEMPLATE_ID}`, { json: { category: 'utility' } });
    expect(answer.status).toBe(200);
    expect((await graph(`/${PROMO_TEMPLATE_ID}`)).body).toMatchObject({
      status: 'PENDING',
      category: 'UTILITY',
    });
  });

  it('refuses a PENDING template, an empty edit and components that break the rules', async () => {
    const pending = await graph(`/${PROMO_TEMPLATE_ID}`, { json: { components: newBody } });
    expect(pending.status).toBe(400);
    expect(pending.body.error.error_data.details).toMatch(/APPROVED, REJECTED or PAUSED/);

    const empty = await graph(`/${OTP_TEMPLATE_ID}`, { json: {} });
    expect(empty.body.error.error_data.details).toBe('body: must contain components or category');

    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'PAUSED');
    const noBody = await graph(`/${PROMO_TEMPLATE_ID}`, {
      json: { components: [{ type: 'FOOTER', text: 'x' }] },
    });
    expect(noBody.status).toBe(400);
    expect(noBody.body.error.error_data.details).toBe(
      'components: must contain exactly one BODY component',
    );
  });

  it('answers an unknown template id with subcode 33', async () => {
    const answer = await graph('/999999999', { json: { components: newBody } });
    expect(answer.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('DELETE /{media-id}', () => {
  it('deletes an uploaded file, which is then unknown', async () => {
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'a.pdf');
    form.append('messaging_product', 'whatsapp');
    const { id } = (await graph(`/${sandbox.meta.phoneNumberId}/media`, { body: form })).body;

    const deleted = await graph(`/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true });
    expect((await graph(`/${id}`)).body.error.error_subcode).toBe(33);
    const again = await graph(`/${id}`, { method: 'DELETE' });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('/{phone-number-id}/block_users', () => {
  it('blocks a user who wrote in the last 24 hours and lists them', async () => {
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'spam' });
    const answer = await graph(blockPath(), { json: blockBody(`+${customer}`) });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      messaging_product: 'whatsapp',
      block_users: { added_users: [{ input: `+${customer}`, wa_id: customer }] },
    });
    const listed = await graph(blockPath());
    expect(listed.body).toEqual({
      data: [{ messaging_product: 'whatsapp', wa_id: customer }],
      paging: { cursors: { before: expect.any(String), after: expect.any(String) } },
    });
  });

  it('answers mixed success with 400, error 139100 and the failures per user', async () => {
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'spam' });
    const answer = await graph(blockPath(), {
      json: blockBody(customer, '6289999999999', '6281100001234', 'not-a-number'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.block_users).toEqual({
      added_users: [{ input: customer, wa_id: customer }],
      failed_users: [
        {
          input: '6289999999999',
          wa_id: '6289999999999',
          errors: [expect.objectContaining({ code: 131047, message: 'Re-engagement required' })],
        },
        {
          input: '6281100001234',
          wa_id: '6281100001234',
          errors: [expect.objectContaining({ code: 131021, message: 'Self Block' })],
        },
        { input: 'not-a-number', errors: [expect.objectContaining({ code: 131047 })] },
      ],
    });
    expect(answer.body.error).toMatchObject({
      message: '(#139100) Failed to block/unblock users',
      code: 139100,
    });
  });

  it('unblocks users, without the 24-hour rule', async () => {
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'spam' });
    await graph(blockPath(), { json: blockBody(customer) });
    const answer = await graph(blockPath(), { method: 'DELETE', json: blockBody(customer) });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      messaging_product: 'whatsapp',
      block_users: { removed_users: [{ input: customer, wa_id: customer }] },
    });
    expect((await graph(blockPath())).body.data).toEqual([]);
  });

  it('pages the list with limit and an after cursor, linking the next page', async () => {
    const users = ['6281234567801', '6281234567802', '6281234567803'];
    for (const from of users) await sandbox.inbound({ provider: 'meta', from, text: 'x' });
    await graph(blockPath(), { json: blockBody(...users) });
    const first = await graph(`${blockPath()}?limit=2`);
    expect(first.body.data.map((u: { wa_id: string }) => u.wa_id)).toEqual(users.slice(0, 2));
    const next = await call(first.body.paging.next, { token: sandbox.meta.accessToken });
    expect(next.body.data.map((u: { wa_id: string }) => u.wa_id)).toEqual(users.slice(2));
    expect(next.body.paging.next).toBeUndefined();
    const bad = await graph(`${blockPath()}?after=nonsense`);
    expect(bad.body.error.error_data.details).toBe('after: must be a cursor from this list');
  });

  it('refuses bad bodies, more than 1000 users and unknown numbers', async () => {
    const bad = await graph(blockPath(), { json: { block_users: [{}] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.error_data.details).toBe(
      "messaging_product: must be 'whatsapp'; block_users[0].user: must be a phone number or WhatsApp id",
    );
    const many = Array.from({ length: 1001 }, (_, i) => `62812${String(i).padStart(8, '0')}`);
    const tooMany = await graph(blockPath(), { json: blockBody(...many) });
    expect(tooMany.body.error.code).toBe(130429);
    const unknown = await graph('/555/block_users');
    expect(unknown.body.error.error_subcode).toBe(33);
  });
});

describe('Resumable Upload API and profile_picture_handle', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

  async function startSession(length: number, type = 'image/png') {
    const answer = await graph(
      `/1234567890123/uploads?file_length=${length}&file_type=${type}&file_name=logo.png`,
      { method: 'POST' },
    );
    return answer;
  }

  const send = (sessionId: string, bytes: Uint8Array<ArrayBuffer>, offset = '0') =>
    call(`${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}/${sessionId}`, {
      method: 'POST',
      headers: { authorization: `OAuth ${sandbox.meta.accessToken}`, file_offset: offset },
      body: bytes,
    });

  it('uploads in a session and sets the handle as the profile picture', async () => {
    const session = await startSession(png.length);
    expect(session.status).toBe(200);
    expect(session.body.id).toMatch(/^upload:[\w-]+\?sig=[\w-]+$/);

    const uploaded = await send(session.body.id, png);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toEqual({ h: expect.stringMatching(/^4::/) });

    const set = await graph(profilePath(), {
      json: { messaging_product: 'whatsapp', profile_picture_handle: uploaded.body.h },
    });
    expect(set.body).toEqual({ success: true });
    const sha = createHash('sha256').update(png).digest('hex');
    const profile = await graph(`${profilePath()}?fields=profile_picture_url`);
    expect(profile.body.data[0].profile_picture_url).toBe(
      `https://pps.whatsapp.net/v/t61.24694-24/${sha.slice(0, 32)}_n.png`,
    );
  });

  it('resumes at the offset the session reports and checks the signature', async () => {
    const session = await startSession(png.length);
    const [key, query] = session.body.id.split('?');
    const partial = await send(session.body.id, png.subarray(0, 5));
    expect(partial.body).toEqual({ id: key, file_offset: 5 });
    expect((await graph(`/${session.body.id}`)).body).toEqual({ id: key, file_offset: 5 });

    const wrongOffset = await send(session.body.id, png.subarray(5), '0');
    expect(wrongOffset.body.error.error_data.details).toBe(
      'file_offset: must be 5, the bytes received so far',
    );
    expect((await send(`${key}?sig=forged`, png.subarray(5), '5')).body.error.error_subcode).toBe(
      33,
    );
    expect(query).toMatch(/^sig=/);
    expect((await send(session.body.id, png.subarray(5), '5')).body.h).toMatch(/^4::/);
  });

  it('takes files larger than the 1 MiB JSON body limit', async () => {
    const big = new Uint8Array(2 * 1024 * 1024).fill(7);
    const session = await startSession(big.length, 'image/jpeg');
    expect((await send(session.body.id, big)).body.h).toMatch(/^4::/);
  });

  it('refuses bad sessions, handles and non-images as profile pictures', async () => {
    const badType = await startSession(10, 'image/gif');
    expect(badType.body.error.error_data.details).toBe(
      'file_type: must be one of application/pdf, image/jpeg, image/jpg, image/png, video/mp4',
    );
    expect((await startSession(0)).body.error.error_data.details).toBe(
      'file_length: must be the file size in bytes',
    );
    const noOffset = await call(
      `${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}/${(await startSession(3)).body.id}`,
      { method: 'POST', token: sandbox.meta.accessToken, body: new Uint8Array([1, 2, 3]) },
    );
    expect(noOffset.body.error.error_data.details).toMatch(/^file_offset: header is required/);

    const unknownHandle = await graph(profilePath(), {
      json: { messaging_product: 'whatsapp', profile_picture_handle: '4::bm9wZQ==:x' },
    });
    expect(unknownHandle.body.error.error_data.details).toBe(
      'profile_picture_handle: must be a handle (h) from the Resumable Upload API',
    );
    const pdfSession = await startSession(4, 'application/pdf');
    const pdf = await send(pdfSession.body.id, new TextEncoder().encode('%PDF'));
    const notImage = await graph(profilePath(), {
      json: { messaging_product: 'whatsapp', profile_picture_handle: pdf.body.h },
    });
    expect(notImage.body.error.error_data.details).toBe(
      'profile_picture_handle: must name a JPEG or PNG image',
    );
  });

  it('refuses a token it does not know in either scheme', async () => {
    const session = await startSession(png.length);
    const answer = await call(
      `${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}/${session.body.id}`,
      { method: 'POST', headers: { authorization: 'OAuth wrong', file_offset: '0' }, body: png },
    );
    expect(answer.status).toBe(401);
  });
});
