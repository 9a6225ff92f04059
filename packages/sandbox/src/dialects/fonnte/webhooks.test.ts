import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../cli-args.js';
import { call, useReceiver } from '../../test-helpers.js';
import { eventually, useSandbox } from '../../vitest.js';
import { FONNTE_DEVICE_NUMBER } from './device.js';
import * as docs from './docs-examples.js';
import { fonnteCall } from './test-requests.js';

const sandbox = useSandbox();
const receiver = useReceiver();

const CUSTOMER = '6281234567891';
const SECRET = 'fonnte-rahasia-webhook';

function sendText(target: string, fields: Record<string, string | number> = {}) {
  return fonnteCall(sandbox.fonnte.baseUrl, docs.sendJsonReply, {
    token: sandbox.fonnte.token,
    fields: { target, ...fields },
  });
}

async function connect(secret?: string) {
  await sandbox.setWebhook('fonnte', {
    url: `${receiver.url}/fonnte`,
    ...(secret ? { secret } : {}),
  });
}

describe('Fonnte status webhooks', () => {
  it('posts sent with the send id and stateid, then delivered and read by stateid alone', async () => {
    await connect(SECRET);
    const [id] = (await sendText(CUSTOMER)).body.id;

    const received = await receiver.waitFor(3);
    const bodies = received.map((request) => request.json);
    const stateid = bodies[0].stateid;
    expect(stateid).toMatch(/^3EB0[0-9A-F]{16}$/);
    expect(bodies).toEqual([
      { device: FONNTE_DEVICE_NUMBER, id, stateid, status: 'sent', state: 'sent', secret: SECRET },
      { device: FONNTE_DEVICE_NUMBER, stateid, state: 'delivered', secret: SECRET },
      { device: FONNTE_DEVICE_NUMBER, stateid, state: 'read', secret: SECRET },
    ]);
    // The first callback has exactly the documented fields, and the secret in the body.
    expect(Object.keys(bodies[0])).toEqual([...docs.documentedWebhooks.status, 'secret']);
    // Plain JSON, unsigned: Fonnte carries its secret in the data, not in a header.
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(Object.keys(received[0]?.headers ?? {}).some((name) => /signature/.test(name))).toBe(
      false,
    );
    expect(received.every((request) => request.path === '/fonnte')).toBe(true);
    const stored = await eventually(
      () => sandbox.latest({ provider: 'fonnte' }),
      (message) => message?.status === 'read',
    );
    expect(stored?.status).toBe('read');
    const deliveries = await sandbox.deliveries({ provider: 'fonnte' });
    expect(deliveries.map((delivery) => delivery.kind)).toEqual(['status', 'status', 'status']);
  });

  it('uses the default secret when the test sets none', async () => {
    await connect();
    await sendText(CUSTOMER);
    const [first] = await receiver.waitFor(1);
    expect(first?.json.secret).toBe('fonnte_webhook_secret');
  });

  it('reports a number that is not on WhatsApp as invalid, once', async () => {
    await connect(SECRET);
    await sandbox.setFonnteUnregistered([CUSTOMER]);
    const answer = await sendText(CUSTOMER);
    expect(answer.body.status).toBe(true);
    const [first] = await receiver.waitFor(1);
    expect(first?.json).toMatchObject({ id: answer.body.id[0], status: 'invalid', state: '' });
    const stored = await eventually(
      () => sandbox.latest(),
      (message) => message?.status === 'failed',
    );
    expect(stored?.status).toBe('failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(1);
  });

  it('reports only sent for a group, which gets no receipts', async () => {
    await connect(SECRET);
    await sendText('120363000000000009@g.us');
    await receiver.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received.map((request) => request.json.status)).toEqual(['sent']);
  });

  it('posts a forced failure with the send id, and stops the automatic run', async () => {
    const [id] = (await sendText(CUSTOMER, { schedule: 4_000_000_000 })).body.id;
    await connect(SECRET);
    await sandbox.setMessageStatus(String(id), 'failed');
    const [forced] = await receiver.waitFor(1);
    expect(forced?.json).toMatchObject({ id, status: 'failed', state: '' });
    const status = await fonnteCall(sandbox.fonnte.baseUrl, docs.statusSample, {
      token: sandbox.fonnte.token,
      fields: { id },
    });
    expect(status.body.message_status).toBe('failed');
  });

  it('posts nothing without a webhook, and the message stays accepted', async () => {
    await sendText(CUSTOMER);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toEqual([]);
    expect((await sandbox.latest())?.status).toBe('accepted');
  });
});

describe('Fonnte incoming-message webhooks', () => {
  it("posts a customer's text in Fonnte's format, with an inboxid a reply can quote", async () => {
    await connect(SECRET);
    const result = await sandbox.inbound({
      provider: 'fonnte',
      from: '+62 812-3456-7891',
      name: 'Budi',
      text: 'halo',
    });

    expect(result.deliveries).toHaveLength(1);
    expect(result.deliveries[0]?.kind).toBe('message');
    const [request] = await receiver.waitFor(1);
    const body = request?.json;
    // Every field of the logged body, in its order, then the 2026 timestamp and the secret.
    expect(Object.keys(body)).toEqual([
      ...Object.keys(docs.documentedWebhooks.incoming),
      'timestamp',
      'secret',
    ]);
    expect(body).toEqual({
      ...docs.documentedWebhooks.incoming,
      device: FONNTE_DEVICE_NUMBER,
      pesan: 'halo',
      pengirim: CUSTOMER,
      member: '',
      message: 'halo',
      sender: CUSTOMER,
      name: 'Budi',
      inboxid: Number(result.message.id),
      isgroup: false,
      timestamp: expect.any(Number),
      secret: SECRET,
    });
    expect(result.message).toMatchObject({
      provider: 'fonnte',
      direction: 'inbound',
      from: CUSTOMER,
      to: FONNTE_DEVICE_NUMBER,
      type: 'text',
      text: 'halo',
      status: 'received',
    });
    expect(result.message.payload).not.toHaveProperty('secret');

    // The business quotes it by passing the inboxid to /send.
    await sendText(CUSTOMER, { message: 'terima kasih', inboxid: body.inboxid });
    const reply = await sandbox.latest({ provider: 'fonnte' });
    expect(reply?.payload).toMatchObject({ inboxid: body.inboxid });
  });

  it('links an incoming file where the receiver can fetch it without a token', async () => {
    await connect(SECRET);
    const result = await sandbox.inbound({
      provider: 'fonnte',
      from: CUSTOMER,
      image: { caption: 'bukti transfer' },
    });
    const [request] = await receiver.waitFor(1);
    expect(request?.json).toMatchObject({
      type: 'image',
      message: 'bukti transfer',
      extension: 'png',
      filename: 'image',
      url: expect.stringMatching(new RegExp(`^${sandbox.url}/fonnte/media/\\d+/image$`)),
    });
    const file = await fetch(request?.json.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(result.message.type).toBe('image');
  });

  it('sends a location as "latitude,longitude"', async () => {
    await connect(SECRET);
    await sandbox.inbound({
      provider: 'fonnte',
      from: CUSTOMER,
      location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas' },
    });
    const [request] = await receiver.waitFor(1);
    expect(request?.json).toMatchObject({ type: 'location', location: '-6.175392,106.827153' });
  });

  it('refuses button and list replies, which Fonnte no longer carries', async () => {
    const answer = await call(`${sandbox.url}/api/v1/inbound`, {
      json: { provider: 'fonnte', from: CUSTOMER, button: { id: 'ya', title: 'Ya' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/button/);
  });
});

describe('Fonnte connection webhooks', () => {
  it('posts disconnect and connect when the control API changes the device', async () => {
    await connect(SECRET);
    const off = await sandbox.setFonnteDevice({ connected: false, reason: 'logout from phone' });
    expect(off.device.connected).toBe(false);
    expect(off.deliveries.map((delivery) => delivery.kind)).toEqual(['connection']);
    const on = await sandbox.setFonnteDevice({ connected: true });
    expect(on.deliveries).toHaveLength(1);

    const bodies = (await receiver.waitFor(2)).map((request) => request.json);
    expect(bodies).toEqual([
      {
        device: FONNTE_DEVICE_NUMBER,
        status: 'disconnect',
        reason: 'logout from phone',
        timestamp: expect.any(Number),
        token: sandbox.fonnte.token,
        secret: SECRET,
      },
      expect.objectContaining({ status: 'connect', reason: 'connected' }),
    ]);
    expect(Object.keys(bodies[0])).toEqual([...docs.documentedWebhooks.connection, 'secret']);

    // A patch that leaves the connection as it is posts nothing.
    expect((await sandbox.setFonnteDevice({ name: 'Toko Budi' })).deliveries).toEqual([]);
  });

  it('posts disconnect when a client calls /disconnect', async () => {
    await connect(SECRET);
    await fonnteCall(sandbox.fonnte.baseUrl, docs.disconnectSample, {
      token: sandbox.fonnte.token,
    });
    const [request] = await receiver.waitFor(1);
    expect(request?.json).toMatchObject({ status: 'disconnect', reason: 'disconnected by api' });
  });
});

describe('Fonnte control API', () => {
  it('changes the device and validates the patch', async () => {
    const changed = await sandbox.setFonnteDevice({
      number: '6289900001111',
      name: 'Toko Budi',
      package: 'Super',
      expired: '1 January 2030',
      quota: 5,
    });
    expect(changed.device).toEqual({
      number: '6289900001111',
      name: 'Toko Budi',
      connected: true,
      package: 'Super',
      expired: '1 January 2030',
      quota: 5,
      messages: 0,
    });
    expect(await sandbox.fonnteDevice()).toEqual(changed.device);
    for (const bad of [{ connected: 'no' }, { quota: -1 }, { number: '0812' }, { colour: 'red' }]) {
      const answer = await call(`${sandbox.url}/api/v1/fonnte/device`, {
        method: 'PUT',
        json: bad,
      });
      expect(answer.status).toBe(400);
    }
  });

  it('adds groups and sets unregistered numbers, checking their form', async () => {
    expect(await sandbox.fonnteGroups()).toEqual([]);
    await expect(sandbox.addFonnteGroup({ id: 'grup', name: 'x' })).rejects.toThrow(/400/);
    await sandbox.addFonnteGroup({ id: '120363000000000001@g.us', name: 'Reseller' });
    expect(await sandbox.fonnteGroups()).toEqual([
      { id: '120363000000000001@g.us', name: 'Reseller' },
    ]);
    expect(await sandbox.setFonnteUnregistered([CUSTOMER])).toEqual([CUSTOMER]);
    await expect(sandbox.setFonnteUnregistered(['08123'])).rejects.toThrow(/400/);
    const listed = await call(`${sandbox.url}/api/v1/fonnte/unregistered`);
    expect(listed.body).toEqual({ numbers: [CUSTOMER] });
  });

  it('reset restores a connected device in no groups with its full quota', async () => {
    await sandbox.setFonnteDevice({ connected: false, quota: 0 });
    await sandbox.addFonnteGroup({ id: '120363000000000001@g.us', name: 'Reseller' });
    await sandbox.setFonnteUnregistered([CUSTOMER]);
    await sandbox.reset();
    expect(await sandbox.fonnteDevice()).toMatchObject({ connected: true, quota: 1000 });
    expect(await sandbox.fonnteGroups()).toEqual([]);
    expect((await sendText(CUSTOMER)).body.status).toBe(true);
  });

  it('reports the credentials under core’s setting keys in /info', async () => {
    const info = await call(`${sandbox.url}/api/v1/info`);
    expect(info.body.providers).toContain('fonnte');
    expect(info.body.credentials.fonnte).toEqual({
      baseUrl: `${sandbox.url}/fonnte`,
      token: 'fonnte_test_token',
    });
    expect(sandbox.fonnte).toEqual(info.body.credentials.fonnte);
  });

  it('takes tokens from --fonnte-token and KABAR_SANDBOX_FONNTE_TOKENS', () => {
    const env = { KABAR_SANDBOX_FONNTE_TOKENS: 'a, b' };
    expect(parseCliArgs([], env)).toMatchObject({ options: { fonnte: { tokens: ['a', 'b'] } } });
    expect(parseCliArgs(['--fonnte-token', 'c'], env)).toMatchObject({
      options: { fonnte: { tokens: ['c'] } },
    });
    expect(parseCliArgs(['--webhook-url', 'fonnte=http://127.0.0.1:9/hook'], {})).toMatchObject({
      options: { webhooks: { fonnte: { url: 'http://127.0.0.1:9/hook' } } },
    });
  });
});
