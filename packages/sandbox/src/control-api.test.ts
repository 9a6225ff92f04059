import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectSandbox, createSandbox } from './index.js';
import * as seed from './seed-examples.js';
import { call, useReceiver } from './test-helpers.js';
import { eventually, useSandbox } from './vitest.js';

const sandbox = useSandbox();
const receiver = useReceiver();

const sendKirem = (body: unknown) =>
  call(`${sandbox.kirem.baseUrl}/v1/messages`, { token: sandbox.kirem.apiKey, json: body });
const sendMeta = (body: unknown) =>
  call(`${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`, {
    token: sandbox.meta.accessToken,
    json: body,
  });
const control = (path: string, options: Parameters<typeof call>[1] = {}) =>
  call(`${sandbox.url}/api/v1${path}`, options);

describe('control API: messages', () => {
  it('filters by recipient digits, provider, type and limit', async () => {
    await sendKirem(seed.sendText); // to 6282360419136
    await sendKirem(seed.sendLocation); // to 62812345678
    await sendMeta(seed.sendFirstMessage); // to 62812345678

    expect(await sandbox.messages({ to: '+62 812-345-678' })).toHaveLength(2);
    expect(await sandbox.messages({ to: '62812345678', provider: 'kirem' })).toMatchObject([
      { type: 'location' },
    ]);
    expect(await sandbox.messages({ provider: 'meta' })).toMatchObject([{ provider: 'meta' }]);
    expect(await sandbox.messages({ type: 'text' })).toHaveLength(2);

    const limited = await control('/messages?limit=1');
    expect(limited.body.total).toBe(3);
    expect(limited.body.messages).toMatchObject([{ provider: 'meta' }]);
    expect((await control('/messages?provider=sms')).status).toBe(400);
  });

  it('returns the latest message, or 404 when there is none', async () => {
    expect(await sandbox.latest()).toBeUndefined();
    expect(await control('/messages/latest')).toMatchObject({
      status: 404,
      body: { error: 'no message' },
    });

    await sendKirem(seed.sendText);
    await sendKirem(seed.sendLocation);
    expect((await sandbox.latest())?.type).toBe('location');
    expect((await sandbox.latest({ to: '6282360419136' }))?.type).toBe('text');
  });

  it('returns one message by id', async () => {
    const sent = await sendKirem(seed.sendContacts);
    const id = sent.body.data.messages[0].id;
    expect((await control(`/messages/${id}`)).body).toMatchObject({ id, text: 'Kirem Support' });
    expect((await control('/messages/wamid.unknown')).status).toBe(404);
  });

  it('clear() deletes messages only', async () => {
    await sendKirem(seed.sendText);
    await sandbox.setTemplateStatus('kirem', 'promo_diskon_baru', 'APPROVED');
    await sandbox.clear();

    expect(await sandbox.messages()).toEqual([]);
    expect((await sendKirem(seed.sendPromoTemplate)).status).toBe(201);
  });

  it('keeps at most maxMessages, newest first', async () => {
    const small = await createSandbox({ maxMessages: 2 });
    try {
      for (const body of [seed.sendText, seed.sendLocation, seed.sendContacts]) {
        await call(`${small.kirem.baseUrl}/v1/messages`, { token: small.kirem.apiKey, json: body });
      }
      expect((await small.messages()).map((m) => m.type)).toEqual(['contacts', 'location']);
    } finally {
      await small.close();
    }
  });
});

/** `count` messages written in by seven customers, `pesan 0` first. */
async function writeIn(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const from = `62811${String(i % 7).padStart(7, '0')}`;
    await sandbox.inbound({ provider: 'kirem', from, text: `pesan ${i}` });
  }
}

describe('control API: search, filters and paging', () => {
  it('finds messages by text, number, message id and template name', async () => {
    await sendKirem(seed.sendText); // to 6282360419136
    const otp = await sendKirem(seed.sendOtpTemplate); // to 6282360419136
    await sendMeta(seed.sendFirstMessage); // to 62812345678
    const otpId = otp.body.data.messages[0].id;

    const search = async (q: string) =>
      (await control(`/messages?q=${encodeURIComponent(q)}`)).body;
    expect(await search('HALO DARI')).toMatchObject({ total: 1, messages: [{ type: 'text' }] });
    expect((await search('+62 823-6041')).total).toBe(2);
    expect((await search('812345678')).messages).toMatchObject([{ provider: 'meta' }]);
    expect(await search(otpId)).toMatchObject({ total: 1, messages: [{ id: otpId }] });
    expect(await search('otp_verif')).toMatchObject({
      total: 1,
      messages: [{ template: { name: 'otp_verification' } }],
    });
    expect(await search('tidak ada di mana-mana')).toEqual({ total: 0, messages: [] });
    // The typed client passes the same parameters.
    expect(await sandbox.messages({ q: 'uji coba' })).toMatchObject([{ provider: 'meta' }]);
  });

  it('filters by gateway, direction, status and kind together with the old filters', async () => {
    await sendKirem(seed.sendText);
    await sendKirem(seed.sendLocation);
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'halo' });

    const found = async (query: string) => (await control(`/messages?${query}`)).body;
    expect((await found('direction=outbound&provider=kirem')).total).toBe(2);
    expect(await found('status=received')).toMatchObject({
      total: 1,
      messages: [{ text: 'halo' }],
    });
    expect((await found('status=accepted&type=location')).messages).toMatchObject([
      { type: 'location' },
    ]);
    expect((await found('provider=meta&direction=outbound')).total).toBe(0);
    expect((await found('conversation=6281234567890')).total).toBe(1);
    expect((await control('/messages?status=lost')).status).toBe(400);
    expect((await control('/messages?offset=-1')).status).toBe(400);
  });

  it('pages past the newest 500 with offset and limit, and always answers the true total', async () => {
    await writeIn(620);

    const first = (await control('/messages?limit=500')).body;
    expect(first.total).toBe(620);
    expect(first.messages).toHaveLength(500);
    expect(first.messages[0].text).toBe('pesan 619');
    const rest = (await control('/messages?limit=500&offset=500')).body;
    expect(rest).toMatchObject({ total: 620 });
    expect(rest.messages.map((m: { text: string }) => m.text)).toEqual(
      Array.from({ length: 120 }, (_, k) => `pesan ${119 - k}`),
    );
    const page = await sandbox.searchMessages({ q: 'pesan 6', offset: 10, limit: 5 });
    // 'pesan 6', 'pesan 60'..'69' and 'pesan 600'..'619': 1 + 10 + 20 matches.
    expect(page.total).toBe(31);
    expect(page.messages.map((m) => m.text)).toEqual([
      'pesan 609',
      'pesan 608',
      'pesan 607',
      'pesan 606',
      'pesan 605',
    ]);
  });

  it('groups matching messages into conversations, newest activity first, paged', async () => {
    await sendKirem(seed.sendText); // to 6282360419136
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'halo' });
    await sandbox.inbound({ provider: 'kirem', from: '6281234567890', text: 'tagihan saya?' });
    await sendMeta({
      ...seed.sendFirstMessage,
      to: '6281234567890',
      text: { body: 'tagihan Anda' },
    });

    const all = (await control('/conversations')).body;
    expect(all).toMatchObject({
      total: 2,
      conversations: [
        { counterpart: '6281234567890', count: 3, providers: ['meta', 'kirem'] },
        { counterpart: '6282360419136', count: 1, providers: ['kirem'] },
      ],
    });
    expect(all.conversations[0].last.text).toBe('tagihan Anda');

    const matching = await sandbox.conversations({ q: 'tagihan', direction: 'inbound' });
    expect(matching).toMatchObject({
      total: 1,
      conversations: [{ counterpart: '6281234567890', count: 1, last: { text: 'tagihan saya?' } }],
    });
    const second = (await control('/conversations?limit=1&offset=1')).body;
    expect(second).toMatchObject({ total: 2, conversations: [{ counterpart: '6282360419136' }] });
  });
});

describe('control API: message detail', () => {
  it('keeps the request the gateway received, with the credentials redacted', async () => {
    const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
      token: sandbox.kirem.apiKey,
      json: seed.sendText,
      headers: { 'idempotency-key': 'order-12', 'x-trace': 'abc' },
    });
    const id = sent.body.data.messages[0].id;

    const detail = await sandbox.messageDetail(id);
    expect(detail?.message).toMatchObject({ id, idempotencyKey: 'order-12' });
    expect(detail?.request).toMatchObject({
      method: 'POST',
      path: '/kirem/v1/messages',
      body: JSON.stringify(seed.sendText),
      bodyBytes: JSON.stringify(seed.sendText).length,
      headers: {
        authorization: 'Bearer [redacted]',
        'idempotency-key': 'order-12',
        'x-trace': 'abc',
        'content-type': 'application/json',
      },
    });
    expect(JSON.stringify(detail)).not.toContain(sandbox.kirem.apiKey);
    expect(detail?.statuses).toEqual([{ status: 'accepted', at: detail?.message.createdAt }]);
    expect(await sandbox.messageDetail('wamid.unknown')).toBeUndefined();
  });

  it('redacts credentials in the query and in every gateway header that carries one', async () => {
    const { baseUrl, token, secretKey } = sandbox.wablas;
    const credential = `${token}.${secretKey}`;
    const query = new URLSearchParams({
      phone: '6281234567002',
      message: 'halo',
      token: credential,
    });
    expect((await call(`${baseUrl}/api/send-message?${query}`)).status).toBe(200);
    const kirimy = new FormData();
    kirimy.append('session_id', sandbox.kirimy.sessionId);
    kirimy.append('receive', '6281234567003');
    kirimy.append('message', 'halo kirimy');
    const viaKirimy = await call(`${sandbox.kirimy.baseUrl}/send-message`, {
      headers: { 'api-key': sandbox.kirimy.apiKey },
      body: kirimy,
    });
    expect(viaKirimy.status).toBe(200);

    const [fromKirimy, fromWablas] = await sandbox.messages();
    const wablasRequest = (await sandbox.messageDetail(fromWablas?.id ?? ''))?.request;
    expect(wablasRequest?.method).toBe('GET');
    expect(wablasRequest?.path).toBe(
      '/wablas/api/send-message?phone=6281234567002&message=halo&token=%5Bredacted%5D',
    );
    const kirimyRequest = (await sandbox.messageDetail(fromKirimy?.id ?? ''))?.request;
    expect(kirimyRequest?.headers['api-key']).toBe('[redacted]');
    expect(kirimyRequest?.body).toContain('halo kirimy');
    const everything = JSON.stringify([wablasRequest, kirimyRequest]);
    for (const secret of [token, secretKey, sandbox.kirimy.apiKey]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('records each status with its time, and the webhook deliveries about the message', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    const sent = await sendMeta(seed.sendFirstMessage);
    const id = sent.body.messages[0].id;
    const detail = await eventually(
      () => sandbox.messageDetail(id),
      (found) => found?.statuses.length === 4 && found.deliveries.length === 3,
    );
    expect(detail?.statuses.map((change) => change.status)).toEqual([
      'accepted',
      'sent',
      'delivered',
      'read',
    ]);
    const times = detail?.statuses.map((change) => Date.parse(change.at)) ?? [];
    expect(times).toEqual([...times].sort());
    expect(detail?.deliveries.map((delivery) => delivery.kind)).toEqual([
      'status',
      'status',
      'status',
    ]);
    expect(detail?.deliveries.every((delivery) => delivery.body.includes(id))).toBe(true);

    // A customer writing in through the control API has no gateway request.
    const written = await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      text: 'halo',
    });
    const inbound = await sandbox.messageDetail(written.message.id);
    expect(inbound).toMatchObject({ request: null, statuses: [{ status: 'received' }] });
    expect(inbound?.deliveries).toHaveLength(1);
  });
});

describe('control API: media and the Waviro session', () => {
  it("serves any gateway's stored media, so the inbox can show it", async () => {
    const written = await sandbox.inbound({
      provider: 'waviro',
      from: '6281234567890',
      image: { caption: 'foto' },
    });
    const { image } = written.message.payload as { image: { id: string } };
    const media = await fetch(`${sandbox.url}/api/v1/media/waviro/${image.id}`);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('image/png');
    expect(media.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await control(`/media/kirem/${image.id}`)).status).toBe(404);
    expect((await control(`/media/sms/${image.id}`)).status).toBe(400);
  });

  it("reports the Waviro bot's login, and a QR code while it is logged out", async () => {
    expect((await control('/waviro/connection')).body).toEqual({
      authenticated: true,
      number: '6283812345678',
    });
    await sandbox.setWaviroConnection({ authenticated: false });
    const loggedOut = (await control('/waviro/connection')).body;
    expect(loggedOut).toEqual({ authenticated: false, qrcode: expect.stringMatching(/^2@/) });
  });
});

describe('control API: templates', () => {
  it('approving a PENDING template through the control API makes it sendable', async () => {
    expect((await sendKirem(seed.sendPromoTemplate)).status).toBe(400);

    await sandbox.setTemplateStatus('kirem', 'promo_diskon_baru', 'APPROVED');
    const sent = await sendKirem(seed.sendPromoTemplate);
    expect(sent.status).toBe(201);
    expect(await sandbox.latest()).toMatchObject({
      text: 'Halo 50, nikmati diskon HEMAT50% untuk semua produk.',
      template: { name: 'promo_diskon_baru', language: 'id', status: 'APPROVED' },
    });

    // Each provider keeps its own templates.
    expect((await sendMeta(seed.sendPromoTemplate)).status).toBe(400);
  });

  it('lists templates per provider and refuses unknown statuses', async () => {
    const listed = await control('/templates?provider=meta');
    expect(listed.body.templates).toMatchObject([
      { provider: 'meta', name: 'otp_verification' },
      { provider: 'meta', name: 'promo_diskon_baru' },
    ]);
    const bad = await control('/templates/kirem/otp_verification/status', {
      json: { status: 'LIVE' },
    });
    expect(bad.status).toBe(400);
    const missing = await control('/templates/kirem/tidak_ada/status', {
      json: { status: 'APPROVED' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('control API: reset', () => {
  it('clears everything recorded and restores the seeds', async () => {
    const kirem = (path: string, options: Parameters<typeof call>[1] = {}) =>
      call(`${sandbox.kirem.baseUrl}${path}`, { token: sandbox.kirem.apiKey, ...options });

    await sendKirem(seed.sendText);
    await kirem('/v1/messages/read', { json: seed.readReceipt });
    await kirem('/v1/templates/otp_verification', { method: 'DELETE' });
    await kirem('/v1/profile?channel_id=chan-123', { json: seed.updateProfile });
    await sandbox.addWebhookLog({
      url: 'https://shop.test/hook',
      event: 'messages.received',
      status_code: 500,
      is_success: false,
      duration_ms: 10,
    });
    const form = new FormData();
    form.append('file', new Blob(['x'], { type: 'text/plain' }), 'x.txt');
    const media = await kirem('/v1/media', { body: form });
    await sandbox.fault({ path: '/analytics', status: 500 });

    const json = { 'content-type': 'application/json' };
    expect((await control('/reset', { method: 'POST', headers: json })).status).toBe(204);

    expect(await sandbox.messages()).toEqual([]);
    expect(await sandbox.reads()).toEqual([]);
    expect((await control('/faults')).body.faults).toEqual([]);
    expect((await kirem('/v1/templates')).body.data).toHaveLength(2);
    expect((await kirem('/v1/profile')).body.data).toEqual(seed.seededProfile);
    expect((await kirem('/v1/analytics/webhooks')).body.data.total).toBe(0);
    expect((await kirem(`/v1/media/${media.body.data.id}/download`)).status).toBe(404);
  });
});

describe('control API: the rest', () => {
  it('describes the sandbox and its credentials', async () => {
    const info = await control('/info');
    expect(info.body).toEqual({
      name: 'kabar-sandbox',
      version: expect.any(String),
      providers: ['kirem', 'meta', 'kirimy', 'qirim', 'waviro', 'fonnte', 'wablas'],
      credentials: {
        kirem: {
          baseUrl: `${sandbox.url}/kirem`,
          apiKey: 'kirem_test_key',
          phoneNumberId: '1234567890',
          channelId: 'chan-123',
        },
        meta: {
          baseUrl: `${sandbox.url}/meta`,
          accessToken: 'meta_test_token',
          phoneNumberId: '1234567890',
          wabaId: '9876543210',
          businessAccountId: '9876543210',
          apiVersion: 'v21.0',
        },
        kirimy: {
          baseUrl: `${sandbox.url}/kirimy/v1`,
          apiKey: 'kirimy_test_key',
          sessionId: 'sessioncontoh',
          fallbackSessionId: 'cadangan',
        },
        qirim: { baseUrl: `${sandbox.url}/qirim/api/v1`, apiKey: 'qirim_test_key' },
        waviro: { botUrl: `${sandbox.url}/waviro`, secretKey: 'waviro_test_key' },
        fonnte: { baseUrl: `${sandbox.url}/fonnte`, token: 'fonnte_test_token' },
        wablas: {
          baseUrl: `${sandbox.url}/wablas`,
          token: 'wablas_test_token',
          secretKey: 'wablas_test_secret',
          phoneCheckUrl: `${sandbox.url}/wablas/phone`,
        },
      },
    });
  });

  it('reports health, liveness and readiness', async () => {
    expect((await control('/health')).body).toEqual({ ok: true, uptimeMs: expect.any(Number) });
    for (const path of ['/livez', '/readyz']) {
      const answer = await call(`${sandbox.url}${path}`);
      expect(answer).toMatchObject({ status: 200, body: 'ok' });
    }
  });

  it('validates webhook logs and conversations it is given', async () => {
    expect((await control('/kirem/webhook-logs', { json: { url: 'x' } })).status).toBe(400);
    expect((await control('/kirem/conversations', { json: { status: 'open' } })).status).toBe(400);
    const conversation = await sandbox.addConversation({ customer_phone: '6281100002222' });
    expect(conversation).toMatchObject({ status: 'open', messages: [] });
    expect(conversation.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown control routes with 404', async () => {
    expect((await control('/nothing')).status).toBe(404);
  });

  it('serves the inbox page at /', async () => {
    const response = await fetch(`${sandbox.url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('/api/v1/messages');
    expect(html).toContain("new EventSource('/api/v1/events')");
  });

  it('serves the inbox under a policy that runs its own inline script and style only', async () => {
    const response = await fetch(`${sandbox.url}/`);
    const html = await response.text();
    const inline = (tag: string) => html.split(`<${tag}>`)[1]?.split(`</${tag}>`)[0] ?? '';
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`script-src 'sha256-${hash(inline('script'))}'`);
    expect(policy).toContain(`style-src 'sha256-${hash(inline('style'))}'`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('connectSandbox drives a running sandbox through its URL', async () => {
    const remote = await connectSandbox(`${sandbox.url}/`);
    expect(remote.kirem).toEqual(sandbox.kirem);
    await sendKirem(seed.sendText);
    expect(await remote.messages()).toHaveLength(1);
    await remote.clear();
    expect(await sandbox.messages()).toEqual([]);
  });
});
