import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectSandbox, createSandbox } from './index.js';
import * as seed from './seed-examples.js';
import { call } from './test-helpers.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

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
