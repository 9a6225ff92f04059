import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { failure } from '../../test-helpers.js';
import type { FetchFunction } from '../../transport/fetch.js';
import type { WebhookEvent } from '../../webhooks/events.js';
import { createWebhookHandler } from '../../webhooks/index.js';
import { createProvider } from '../registry.js';
import { type WablasOptions, wablas } from './index.js';

// The Wablas provider against the sandbox's Wablas dialect, over real HTTP.
const sandbox = useSandbox();

const TO = '0812-3456-7890';
const NUMBER = '6281234567890';
const GROUP = '120363000000000009';

/** A client on the sandbox's credentials, counting the requests it makes. */
function wablasClient(extra: Partial<WablasOptions> = {}) {
  const counter = { requests: 0 };
  const countingFetch: FetchFunction = (input, init) => {
    counter.requests += 1;
    return fetch(input, init);
  };
  const client = createClient({
    provider: wablas({ ...sandbox.wablas, ...extra }),
    fetch: countingFetch,
    // The default of one message per 5 s suits a real device, not a test.
    rateLimit: false,
    retry: { initialDelayMs: 5 },
  });
  return { client, counter };
}

describe('wablas against the sandbox: sends', () => {
  it('is built from sandbox.wablas through the registry, as the conformance suite builds it', async () => {
    const client = createClient({
      provider: createProvider('wablas', { ...sandbox.wablas }),
      rateLimit: false,
    });
    const result = await client.send({ to: TO, text: 'lewat registry' });
    expect((await sandbox.latest({ provider: 'wablas' }))?.id).toBe(result.id);
  });

  it('sends text as form fields to /api/send-message', async () => {
    const { client } = wablasClient();
    const result = await client.send({ to: TO, text: 'Pesanan Anda sudah dikirim.' });
    const stored = await sandbox.latest({ provider: 'wablas' });
    expect(result).toMatchObject({ id: stored?.id, to: NUMBER, provider: 'wablas' });
    expect(stored).toMatchObject({
      to: NUMBER,
      type: 'text',
      text: 'Pesanan Anda sudah dikirim.',
      payload: { phone: NUMBER, message: 'Pesanan Anda sudah dikirim.' },
    });
  });

  it('sends to a group with isGroup "true"', async () => {
    const { client } = wablasClient();
    await client.send({ to: { group: GROUP }, text: 'Halo grup' });
    expect(await sandbox.latest()).toMatchObject({
      to: GROUP,
      groupId: GROUP,
      payload: { phone: GROUP, message: 'Halo grup', isGroup: 'true' },
    });
  });

  it('sends a batch through v2, one stored message per recipient with the answered ids', async () => {
    const { client, counter } = wablasClient();
    const result = await client.send({ to: [TO, '081311112222'], text: 'Promo' });
    expect(counter.requests).toBe(1);
    const stored = (await sandbox.messages({ provider: 'wablas' })).reverse();
    expect(result.messages).toEqual(stored.map((message) => ({ id: message.id, to: message.to })));
    expect(stored.map((message) => message.payload)).toEqual([
      { phone: NUMBER, message: 'Promo', isGroup: 'false' },
      { phone: '6281311112222', message: 'Promo', isGroup: 'false' },
    ]);
  });

  it.each([
    ['image', { image: { link: 'https://toko.id/promo.jpg', caption: 'Promo' } }, 'Promo'],
    ['video', { video: { link: 'https://toko.id/demo.mp4', caption: 'Demo' } }, 'Demo'],
    ['audio', { audio: { link: 'https://toko.id/suara.ogg' } }, undefined],
    ['document', { document: { link: 'https://toko.id/faktur.pdf', filename: 'f.pdf' } }, 'f.pdf'],
  ] as const)('sends %s by link', async (kind, content, caption) => {
    const { client } = wablasClient();
    await client.send({ to: TO, ...content });
    const stored = await sandbox.latest({ provider: 'wablas' });
    expect(stored?.type).toBe(kind);
    expect(stored?.payload).toEqual({
      phone: NUMBER,
      [kind]: Object.values(content)[0]?.link,
      ...(caption === undefined ? {} : { caption }),
    });
  });

  it('sends a location through /api/v2/send-location', async () => {
    const { client } = wablasClient();
    await client.send({
      to: TO,
      location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas' },
    });
    expect(await sandbox.latest()).toMatchObject({
      type: 'location',
      payload: {
        phone: NUMBER,
        isGroup: 'false',
        message: { name: 'Monas', address: '', latitude: -6.175392, longitude: 106.827153 },
      },
    });
  });

  it('schedules text with sendAt, in Jakarta time', async () => {
    const { client } = wablasClient();
    const sendAt = new Date('2031-01-02T03:04:05Z');
    const result = await client.send({ to: TO, text: 'Pengingat', sendAt });
    const stored = await sandbox.latest({ provider: 'wablas' });
    expect(result.id).toBe(stored?.id);
    expect(stored).toMatchObject({
      status: 'queued',
      payload: {
        phone: NUMBER,
        message: 'Pengingat',
        date: '2031-01-02',
        time: '10:04:05',
        timezone: 'Asia/Jakarta',
      },
    });
  });

  it('uploads a file and sends it by the id, which is its URL', async () => {
    const { client } = wablasClient();
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    const { id } = await client.media.upload({ file: png, mimeType: 'image/png' });
    expect(id).toMatch(new RegExp(`^${sandbox.wablas.baseUrl}/image/\\d+\\.png$`));
    expect(new Uint8Array(await (await fetch(id)).arrayBuffer())).toEqual(png);
    await client.send({ to: TO, image: { id, caption: 'Nota' } });
    expect((await sandbox.latest())?.payload).toMatchObject({ image: id, caption: 'Nota' });
  });
});

describe('wablas against the sandbox: device and numbers', () => {
  it('reads the connection from /api/device/info', async () => {
    const { client } = wablasClient();
    expect(await client.connection.status()).toEqual({
      authenticated: true,
      number: '6285712345678',
      name: 'Kabar Sandbox',
    });
    await sandbox.setWablasDevice({ connected: false });
    expect((await client.connection.status()).authenticated).toBe(false);
  });

  it('checks numbers on the phone host', async () => {
    const { client } = wablasClient();
    expect(await client.numbers.check(TO)).toBe(true);
    await sandbox.setWablasNumber({ number: NUMBER, online: false });
    expect(await client.numbers.check(TO)).toBe(false);
  });
});

describe('wablas against the sandbox: errors', () => {
  it('reports a wrong token as unauthenticated after one request, without leaking it', async () => {
    const { client, counter } = wablasClient({ token: 'wablas-wrong-token-7f3a' });
    const error = await failure(client.send({ to: TO, text: 'x' }));
    expect(error).toMatchObject({ code: 'unauthenticated', isRetryable: false, status: 400 });
    expect(error.message).toContain('token invalid or device expired');
    expect(counter.requests).toBe(1);
    expect(JSON.stringify([error.message, error.details])).not.toContain('wablas-wrong-token-7f3a');
  });

  it('reports a wrong secret key, and the token alone, as unauthenticated', async () => {
    const wrong = await failure(
      wablasClient({ secretKey: 'salah' }).client.send({ to: TO, text: 'x' }),
    );
    expect(wrong).toMatchObject({ code: 'unauthenticated' });
    const alone = await failure(wablasClient({ secretKey: '' }).client.send({ to: TO, text: 'x' }));
    expect(alone).toMatchObject({ code: 'unauthenticated' });
    expect(alone.message).toContain('need secret key');
  });

  it('reports a disconnected device as session_inactive, without retrying', async () => {
    await sandbox.setWablasDevice({ connected: false });
    const { client, counter } = wablasClient();
    const error = await failure(client.send({ to: TO, text: 'x' }));
    expect(error).toMatchObject({ code: 'session_inactive', isRetryable: false });
    expect(counter.requests).toBe(1);
    expect(await sandbox.messages()).toEqual([]);
  });

  it('reports a spent quota as quota_exceeded', async () => {
    await sandbox.setWablasDevice({ quota: 0 });
    const error = await failure(wablasClient().client.send({ to: TO, text: 'x' }));
    expect(error.code).toBe('quota_exceeded');
  });
});

describe('wablas against the sandbox: webhooks', () => {
  const SECRET = 'wablas-webhook-secret-0123';
  const received: WebhookEvent[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const handler = createWebhookHandler({
      provider: 'wablas',
      secret: SECRET,
      onEvents: (events) => {
        received.push(...events);
      },
      logger: { warn: () => {}, error: () => {} },
    });
    server = createServer(async (request, response) => {
      const query = new URL(request.url ?? '/', 'http://receiver').searchParams;
      const result = await handler.handle({
        method: request.method ?? 'POST',
        headers: request.headers,
        query,
        body: request,
      });
      response.writeHead(result.status, result.headers).end(result.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wablas`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const connect = (secret = SECRET) => {
    received.length = 0;
    return sandbox.setWebhook('wablas', { url: `${url}?secret=${secret}` });
  };

  it('reads an incoming message posted with ?secret= in the URL', async () => {
    await connect();
    const { deliveries } = await sandbox.inbound({
      provider: 'wablas',
      from: NUMBER,
      name: 'Budi',
      text: 'halo',
    });
    expect(deliveries[0]?.status).toBe(200);
    const events = await eventually(
      async () => received,
      (list) => list.length > 0,
    );
    expect(events).toMatchObject([
      {
        kind: 'message',
        provider: 'wablas',
        from: NUMBER,
        sender: { phone: NUMBER, name: 'Budi' },
        content: { type: 'text', text: 'halo' },
      },
    ]);
  });

  it('reads the tracking statuses of a send, up to read', async () => {
    await connect();
    const result = await wablasClient().client.send({ to: TO, text: 'lacak' });
    const events = await eventually(
      async () => received,
      (list) => list.length >= 4,
    );
    expect(
      events.map((event) => event.kind === 'status' && [event.messageId, event.status]),
    ).toEqual(['pending', 'sent', 'delivered', 'read'].map((status) => [result.id, status]));
    expect(events[0]).toMatchObject({ recipient: NUMBER });
  });

  it('reads a forced failure as a failed status with the note', async () => {
    await connect();
    const result = await wablasClient().client.send({ to: TO, text: 'gagal' });
    await sandbox.setMessageStatus(result.id, 'failed', {
      code: 1,
      title: 'number not on whatsapp',
    });
    const events = await eventually(
      async () => received,
      (list) => list.some((event) => event.kind === 'status' && event.status === 'failed'),
    );
    const failed = events.find((event) => event.kind === 'status' && event.status === 'failed');
    expect(failed).toMatchObject({
      messageId: result.id,
      error: { code: 'rejected', message: 'number not on whatsapp' },
    });
  });

  it('reads device events as connection events', async () => {
    await connect();
    await sandbox.setWablasDevice({ connected: false });
    await sandbox.setWablasDevice({ connected: true });
    const events = await eventually(
      async () => received,
      (list) => list.length >= 2,
    );
    expect(events).toMatchObject([
      {
        kind: 'connection',
        provider: 'wablas',
        status: 'disconnected',
        device: '6285712345678',
        reason: 'whatsapp sender not connected, need scan qr code again',
      },
      { kind: 'connection', status: 'connected', reason: 'ready to use' },
    ]);
  });

  it('refuses a delivery without the right secret with 401', async () => {
    await connect('not-the-secret-000');
    const { deliveries } = await sandbox.inbound({ provider: 'wablas', from: NUMBER, text: 'x' });
    expect(deliveries[0]?.status).toBe(401);
    await sandbox.setWebhook('wablas', { url });
    const bare = await sandbox.inbound({ provider: 'wablas', from: NUMBER, text: 'y' });
    expect(bare.deliveries[0]?.status).toBe(401);
    expect(received).toEqual([]);
  });
});
