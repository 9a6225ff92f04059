import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import type { RetryEvent } from '../../hooks.js';
import { failure } from '../../test-helpers.js';
import type {
  ConnectionEvent,
  MessageEvent,
  StatusEvent,
  WebhookEvent,
} from '../../webhooks/events.js';
import { createWebhookHandler } from '../../webhooks/index.js';
import { createProvider } from '../registry.js';
import { type FonnteOptions, fonnte } from './index.js';

// The Fonnte provider against the sandbox's Fonnte dialect, over real HTTP: what the provider
// sends must be what the sandbox (and so Fonnte's docs) accepts, and what the sandbox posts back
// must be what the provider's webhook dialect reads.
const sandbox = useSandbox();

const CUSTOMER = '6281234567891';
const GROUP = '120363000000000009';
const SECRET = 'fonnte-sandbox-webhook-secret';

function fonnteClient(options: Partial<FonnteOptions> = {}, retries: RetryEvent[] = []) {
  return createClient({
    provider: fonnte({ token: sandbox.fonnte.token, baseUrl: sandbox.fonnte.baseUrl, ...options }),
    rateLimit: false,
    retry: { initialDelayMs: 5 },
    hooks: { onRetry: (event) => retries.push(event) },
  });
}

describe('fonnte against the sandbox: sends', () => {
  it('builds from the sandbox credentials through the registry', async () => {
    const client = createClient({
      provider: createProvider('fonnte', { ...sandbox.fonnte }),
      rateLimit: false,
    });
    const result = await client.send({ to: '0812-3456-7891', text: 'lewat registry' });
    expect((await sandbox.latest({ provider: 'fonnte' }))?.id).toBe(result.id);
  });

  it('sends a text as form fields with countryCode 0, one stored message with the answered id', async () => {
    const result = await fonnteClient().send({ to: '0812-3456-7891', text: 'Halo kak' });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(result).toMatchObject({ id: stored?.id, to: CUSTOMER, provider: 'fonnte' });
    expect(result.messages).toBeUndefined();
    expect(stored).toMatchObject({ to: CUSTOMER, type: 'text', text: 'Halo kak' });
    expect(stored?.payload).toEqual({ target: CUSTOMER, message: 'Halo kak', countryCode: '0' });
    expect(result.raw).toMatchObject({ status: true, process: 'pending', target: [CUSTOMER] });
  });

  it('sends an image by link with its caption', async () => {
    await fonnteClient().send({
      to: CUSTOMER,
      image: { link: 'https://toko.id/promo.jpg', caption: 'Promo' },
    });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored).toMatchObject({ type: 'image', text: 'Promo' });
    expect(stored?.payload).toEqual({
      target: CUSTOMER,
      url: 'https://toko.id/promo.jpg',
      message: 'Promo',
      countryCode: '0',
    });
  });

  it('sends a document with its filename', async () => {
    await fonnteClient().send({
      to: CUSTOMER,
      document: { link: 'https://toko.id/faktur.pdf', filename: 'Faktur INV-12.pdf' },
    });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored).toMatchObject({ type: 'document', text: '[document]' });
    expect(stored?.payload).toMatchObject({
      url: 'https://toko.id/faktur.pdf',
      filename: 'Faktur INV-12.pdf',
    });
  });

  it('sends a location as "latitude,longitude", its name as the caption', async () => {
    await fonnteClient().send({
      to: CUSTOMER,
      location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas', address: 'Jakarta' },
    });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored).toMatchObject({ type: 'location', text: 'Monas, Jakarta' });
    expect(stored?.payload).toMatchObject({ location: '-6.175392,106.827153' });
  });

  it('sends to a group by its full WhatsApp id', async () => {
    const result = await fonnteClient().send({ to: { group: GROUP }, text: 'Halo grup' });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored).toMatchObject({ id: result.id, groupId: `${GROUP}@g.us`, text: 'Halo grup' });
    expect(stored?.payload).toMatchObject({ target: `${GROUP}@g.us` });
  });

  it('sends to several numbers in one request, one id each, with the delay option', async () => {
    const result = await fonnteClient({ delay: '1-3' }).send({
      to: ['0812-3456-7891', '0813-1111-2222'],
      text: 'Promo akhir pekan',
    });
    const stored = await sandbox.messages({ provider: 'fonnte' });
    expect(stored).toHaveLength(2);
    expect(result.messages).toEqual([
      { id: stored[1]?.id, to: CUSTOMER },
      { id: stored[0]?.id, to: '6281311112222' },
    ]);
    expect(result.id).toBe(stored[1]?.id);
    expect(stored[0]?.payload).toEqual({
      target: `${CUSTOMER},6281311112222`,
      message: 'Promo akhir pekan',
      countryCode: '0',
      delay: '1-3',
    });
  });

  it('schedules with sendAt as unix seconds; the sandbox keeps it queued', async () => {
    const sendAt = new Date(Date.now() + 60 * 60 * 1000);
    await fonnteClient().send({ to: CUSTOMER, text: 'Pengingat', sendAt });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored?.status).toBe('queued');
    expect(stored?.payload).toMatchObject({
      schedule: String(Math.floor(sendAt.getTime() / 1000)),
    });
  });

  it("replies to a customer's message by its inboxid", async () => {
    const inbound = await sandbox.inbound({
      provider: 'fonnte',
      from: CUSTOMER,
      text: 'Ada stok?',
    });
    await fonnteClient().send({ to: CUSTOMER, text: 'Ada, kak', replyTo: inbound.message.id });
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored?.direction).toBe('outbound');
    expect(stored?.payload).toMatchObject({ inboxid: inbound.message.id });
  });
});

describe('fonnte against the sandbox: session, numbers, groups', () => {
  it('reports a connected device with its number and name', async () => {
    const device = await sandbox.fonnteDevice();
    expect(await fonnteClient().connection.status()).toEqual({
      authenticated: true,
      number: device.number,
      name: device.name,
    });
  });

  it('reports a disconnected device with the QR code to scan, as a data URL', async () => {
    await sandbox.setFonnteDevice({ connected: false });
    const status = await fonnteClient().connection.status();
    expect(status).toMatchObject({ authenticated: false, number: expect.any(String) });
    expect(status.qrCode).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('checks whether numbers are on WhatsApp', async () => {
    await sandbox.setFonnteUnregistered(['6281311112222']);
    const client = fonnteClient();
    expect(await client.numbers.check('0812-3456-7891')).toBe(true);
    expect(await client.numbers.check('0813-1111-2222')).toBe(false);
  });

  it('lists no groups, then the groups the device is in', async () => {
    const client = fonnteClient();
    expect(await client.groups.list()).toEqual([]);
    await sandbox.addFonnteGroup({ id: `${GROUP}@g.us`, name: 'Reseller' });
    expect(await client.groups.list()).toEqual([{ id: `${GROUP}@g.us`, name: 'Reseller' }]);
  });
});

describe('fonnte against the sandbox: errors', () => {
  it('maps a bad token to unauthenticated, without retrying or leaking it', async () => {
    const retries: RetryEvent[] = [];
    const error = await failure(
      fonnteClient({ token: 'wrong-token-7f3a9c1b2d' }, retries).send({ to: CUSTOMER, text: 'x' }),
    );
    expect(error).toMatchObject({ code: 'unauthenticated', isRetryable: false });
    expect(retries).toEqual([]);
    expect(JSON.stringify([error.message, error.details])).not.toContain('wrong-token-7f3a9c1b2d');
    expect(await sandbox.messages()).toEqual([]);
  });

  it('maps a disconnected device to session_inactive, everywhere it is asked', async () => {
    await sandbox.setFonnteDevice({ connected: false });
    const client = fonnteClient();
    const send = await failure(client.send({ to: CUSTOMER, text: 'x' }));
    expect(send).toMatchObject({ code: 'session_inactive', isRetryable: false });
    expect(await failure(client.numbers.check(CUSTOMER))).toMatchObject({
      code: 'session_inactive',
    });
  });

  it('maps a used-up quota to quota_exceeded', async () => {
    await sandbox.setFonnteDevice({ quota: 0 });
    const error = await failure(fonnteClient().send({ to: CUSTOMER, text: 'x' }));
    expect(error.code).toBe('quota_exceeded');
  });

  it('refuses a media type Fonnte does not send before the gateway sees it', async () => {
    const error = await failure(
      fonnteClient().send({ to: CUSTOMER, audio: { link: 'https://toko.id/suara.ogg' } }),
    );
    expect(error).toMatchObject({ code: 'unsupported_feature', isRetryable: false });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('rides out a 503 with Retry-After and delivers exactly once', async () => {
    await sandbox.fault({ provider: 'fonnte', status: 503, retryAfter: 0, times: 1 });
    const retries: RetryEvent[] = [];
    await fonnteClient({}, retries).send({ to: CUSTOMER, text: 'setelah gangguan' });
    expect(retries).toHaveLength(1);
    expect(await sandbox.messages({ provider: 'fonnte' })).toHaveLength(1);
  });
});

describe('fonnte against the sandbox: webhooks round trip', () => {
  const events: WebhookEvent[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const handler = createWebhookHandler({
      provider: 'fonnte',
      secret: SECRET,
      logger: { warn: () => {}, error: () => {} },
      onEvents: (received) => {
        events.push(...received);
      },
    });
    server = createServer(async (request, response) => {
      const result = await handler.handle({
        method: request.method ?? 'POST',
        headers: request.headers,
        query: new URL(request.url ?? '/', 'http://receiver').searchParams,
        body: request,
      });
      response.writeHead(result.status, result.headers).end(result.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/fonnte`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    events.length = 0;
  });

  const ofKind = <K extends WebhookEvent['kind']>(kind: K) =>
    events.filter((event): event is Extract<WebhookEvent, { kind: K }> => event.kind === kind);

  it("reads a customer's message, whose id a reply can quote", async () => {
    await sandbox.setWebhook('fonnte', { url, secret: SECRET });
    const inbound = await sandbox.inbound({
      provider: 'fonnte',
      from: CUSTOMER,
      name: 'Budi',
      text: 'Halo, ada stok?',
    });
    expect(inbound.deliveries[0]?.status).toBe(200);
    const [message] = (await eventually(
      async () => ofKind('message'),
      (found) => found.length > 0,
    )) as MessageEvent[];
    expect(message).toMatchObject({
      kind: 'message',
      provider: 'fonnte',
      from: CUSTOMER,
      id: inbound.message.id,
      name: 'Budi',
      content: { type: 'text', text: 'Halo, ada stok?' },
    });
    expect(message?.raw).not.toHaveProperty('secret');

    await fonnteClient().send({ to: message?.from ?? '', text: 'Ada', replyTo: message?.id });
    expect((await sandbox.latest())?.payload).toMatchObject({ inboxid: inbound.message.id });
  });

  it('reads an incoming image by its link', async () => {
    await sandbox.setWebhook('fonnte', { url, secret: SECRET });
    await sandbox.inbound({ provider: 'fonnte', from: CUSTOMER, image: { caption: 'bukti' } });
    const [message] = (await eventually(
      async () => ofKind('message'),
      (found) => found.length > 0,
    )) as MessageEvent[];
    expect(message?.content).toMatchObject({ type: 'image', caption: 'bukti' });
    const link = (message?.content as { url?: string } | undefined)?.url ?? '';
    expect((await fetch(link)).status).toBe(200);
  });

  it('reads the statuses of a send by its id, the later ones Fonnte names by stateid too', async () => {
    await sandbox.setWebhook('fonnte', { url, secret: SECRET });
    const result = await fonnteClient().send({ to: CUSTOMER, text: 'Pesanan dikirim' });
    const statuses = (await eventually(
      async () => ofKind('status'),
      (found) => found.length >= 3,
    )) as StatusEvent[];
    expect(statuses.map((status) => status.status)).toEqual(['sent', 'delivered', 'read']);
    // Fonnte names later callbacks only by WhatsApp's stateid, which the first one pairs with the
    // send id; the handler remembers the pair.
    const stateid = (statuses[0]?.raw as { stateid?: string } | undefined)?.stateid;
    expect(stateid).toMatch(/^3EB0/);
    expect(statuses.slice(1).map((status) => (status.raw as { id?: unknown }).id)).toEqual([
      undefined,
      undefined,
    ]);
    expect(statuses.map((status) => status.messageId)).toEqual([result.id, result.id, result.id]);
  });

  it('reads a number not on WhatsApp as a failed status', async () => {
    await sandbox.setWebhook('fonnte', { url, secret: SECRET });
    await sandbox.setFonnteUnregistered([CUSTOMER]);
    const result = await fonnteClient().send({ to: CUSTOMER, text: 'x' });
    const [status] = (await eventually(
      async () => ofKind('status'),
      (found) => found.length > 0,
    )) as StatusEvent[];
    expect(status).toMatchObject({
      messageId: result.id,
      status: 'failed',
      error: { code: 'invalid', message: 'not a WhatsApp number' },
    });
  });

  it('reads connection changes, without the device token in raw', async () => {
    await sandbox.setWebhook('fonnte', { url, secret: SECRET });
    await sandbox.setFonnteDevice({ connected: false, reason: 'logout from phone' });
    await sandbox.setFonnteDevice({ connected: true });
    const connections = (await eventually(
      async () => ofKind('connection'),
      (found) => found.length >= 2,
    )) as ConnectionEvent[];
    const device = (await sandbox.fonnteDevice()).number;
    expect(connections.map(({ status, device, reason }) => ({ status, device, reason }))).toEqual([
      { status: 'disconnected', device, reason: 'logout from phone' },
      { status: 'connected', device, reason: 'connected' },
    ]);
    expect(connections[0]?.raw).not.toHaveProperty('token');
    expect(connections[0]?.raw).not.toHaveProperty('secret');
  });

  it('refuses a delivery whose secret does not match, and accepts one in the URL instead', async () => {
    await sandbox.setWebhook('fonnte', { url, secret: 'another-secret-entirely' });
    const refused = await sandbox.inbound({ provider: 'fonnte', from: CUSTOMER, text: 'x' });
    expect(refused.deliveries[0]?.status).toBe(401);
    expect(events).toEqual([]);

    // A secret in the URL's query must match too, wherever else one is given.
    await sandbox.setWebhook('fonnte', { url: `${url}?secret=${SECRET}`, secret: SECRET });
    const accepted = await sandbox.inbound({ provider: 'fonnte', from: CUSTOMER, text: 'y' });
    expect(accepted.deliveries[0]?.status).toBe(200);
  });
});
