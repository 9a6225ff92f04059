import { describe, expect, it } from 'vitest';
import { call, type Received, sleep, useReceiver } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';
import * as docs from './docs-examples.js';

const sandbox = useSandbox();
const receiver = useReceiver();

const NUMBER = '6281234567890';
const DEVICE = { deviceId: 'KBRSBX', sender: '6285712345678' };

/** Wablas signs nothing; a receiver keeps its own secret in the URL it registers. */
const hookUrl = () => `${receiver.url}/wablas?secret=rahasia-kabar-123`;

function send(path: string, fields: Record<string, string>) {
  return call(`${sandbox.wablas.baseUrl}${path}`, {
    body: new URLSearchParams(fields),
    headers: { authorization: `${sandbox.wablas.token}.${sandbox.wablas.secretKey}` },
  });
}

/** The receiver's requests, once `count` have arrived. */
async function posted(count: number): Promise<Received[]> {
  return (await receiver.waitFor(count)).slice(0, count);
}

describe('Wablas tracking callbacks', () => {
  it('posts pending, sent, delivered and read for a send, unsigned, to the URL as given', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    const answer = await send('/api/send-message', { phone: NUMBER, message: 'lacak' });
    const id = answer.body.data.messages[0].id;

    const requests = await posted(4);
    expect(requests.map((request) => request.json)).toEqual(
      ['pending', 'sent', 'delivered', 'read'].map((status) => ({
        id,
        phone: NUMBER,
        status,
        note: '',
        ...DEVICE,
      })),
    );
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/wablas?secret=rahasia-kabar-123');
      expect(request.headers['content-type']).toBe('application/json');
      expect(Object.keys(request.headers).some((name) => /signature|hub/i.test(name))).toBe(false);
      expect(Object.keys(request.json).sort()).toEqual([...docs.trackingFields].sort());
      expect(docs.trackingStatuses).toContain(request.json.status);
    }
    expect((await sandbox.latest({ provider: 'wablas' }))?.status).toBe('read');
    const deliveries = await sandbox.deliveries({ provider: 'wablas' });
    expect(deliveries.map((delivery) => delivery.kind)).toEqual(Array(4).fill('status'));
  });

  it('posts only pending and sent for a group, which returns no receipts', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    await send('/api/send-message', { ...docs.sendGroupV1 });
    await posted(2);
    await sleep(80);
    expect(receiver.received.map((request) => request.json.status)).toEqual(['pending', 'sent']);
  });

  it('posts a forced failure as rejected, with the reason as the note, and stops the run', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    const answer = await send('/api/send-message', { phone: NUMBER, message: 'gagal' });
    const id = answer.body.data.messages[0].id;
    await sandbox.setMessageStatus(id, 'failed', { code: 1, title: 'phone not on whatsapp' });
    await sleep(120);
    const statuses = receiver.received.map((request) => request.json.status);
    expect(statuses).toContain('rejected');
    expect(statuses).not.toContain('read');
    expect(receiver.received.find((request) => request.json.status === 'rejected')?.json).toEqual({
      id,
      phone: NUMBER,
      status: 'rejected',
      note: 'phone not on whatsapp',
      ...DEVICE,
    });
  });

  it('posts nothing without a webhook, and nothing of a send made before a reset', async () => {
    await send('/api/send-message', { phone: NUMBER, message: 'diam' });
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    await send('/api/send-message', { phone: NUMBER, message: 'reset' });
    await sandbox.reset();
    await sleep(100);
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('keeps scheduled messages queued, with no callbacks', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    await send('/api/schedule', { ...docs.createSchedule, phone: NUMBER, isGroup: 'false' });
    await sleep(80);
    expect(receiver.received).toEqual([]);
    expect((await sandbox.latest())?.status).toBe('queued');
  });
});

describe('Wablas incoming webhook', () => {
  it('posts a customer text in the documented personal-message shape', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    const result = await sandbox.inbound({
      provider: 'wablas',
      from: '+62 812-3456-7890',
      name: 'Budi',
      text: 'halo',
    });
    expect(result.deliveries).toHaveLength(1);
    expect(result.deliveries[0]?.kind).toBe('message');
    const [request] = await posted(1);
    expect(Object.keys(request?.json)).toEqual(Object.keys(docs.incomingPersonalMessage));
    expect(request?.json).toEqual({
      ...docs.incomingPersonalMessage,
      id: expect.stringMatching(/^[0-9A-F]{32}$/),
      pushName: 'Budi',
      message: 'halo',
      phone: NUMBER,
      ...DEVICE,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      profileImage: '',
    });
    expect(result.message).toMatchObject({
      id: request?.json.id,
      provider: 'wablas',
      direction: 'inbound',
      from: NUMBER,
      to: DEVICE.sender,
      text: 'halo',
      status: 'received',
      payload: request?.json,
    });
  });

  it('links an image from the sandbox, where the receiver can fetch it', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    await sandbox.inbound({
      provider: 'wablas',
      from: NUMBER,
      image: { caption: 'bukti transfer', filename: 'bukti.png', mimeType: 'image/png' },
    });
    const [request] = await posted(1);
    expect(request?.json).toMatchObject({
      messageType: 'image',
      message: 'bukti transfer',
      file: 'bukti.png',
      mimeType: 'image/png',
      url: expect.stringMatching(new RegExp(`^${sandbox.url}/wablas/image/\\d+\\.png$`)),
    });
    const file = await fetch(request?.json.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
  });

  it('refuses button and list replies, which Wablas does not document', async () => {
    const answer = await call(`${sandbox.url}/api/v1/inbound`, {
      json: { provider: 'wablas', from: NUMBER, button: { id: 'ya', title: 'Ya' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/Wablas/);
  });

  it('stores the message without a webhook and delivers nothing', async () => {
    const result = await sandbox.inbound({ provider: 'wablas', from: NUMBER, text: 'sepi' });
    expect(result.deliveries).toEqual([]);
    expect((await sandbox.latest({ provider: 'wablas' }))?.direction).toBe('inbound');
  });
});

describe('Wablas device webhook', () => {
  it('posts disconnected, then connected, in the documented shape', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    await sandbox.setWablasDevice({ connected: false });
    await sandbox.setWablasDevice({ connected: false, name: 'Toko Budi' });
    await sandbox.setWablasDevice({ connected: true });
    // Changes that leave the connection as it was post nothing.
    expect(receiver.received).toHaveLength(2);
    const [down, up] = receiver.received.map((request) => request.json);
    expect(Object.keys(down)).toEqual(Object.keys(docs.deviceWebhook));
    expect(down).toEqual({
      deviceId: 'KBRSBX',
      deviceName: 'Kabar Sandbox',
      sender: '6285712345678',
      status: 'disconnected',
      note: 'whatsapp sender not connected, need scan qr code again',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/),
    });
    expect(up).toMatchObject({
      deviceName: 'Toko Budi',
      status: 'connected',
      note: 'ready to use',
    });
    const kinds = (await sandbox.deliveries({ provider: 'wablas' })).map((d) => d.kind);
    expect(kinds).toEqual(['connection', 'connection']);
  });

  it('lists the webhook with an empty secret, since Wablas signs nothing', async () => {
    await sandbox.setWebhook('wablas', { url: hookUrl() });
    expect(await sandbox.webhooks()).toEqual([{ provider: 'wablas', url: hookUrl(), secret: '' }]);
  });
});
