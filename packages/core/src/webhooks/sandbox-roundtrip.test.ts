import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { meta } from '../providers/meta/index.js';
import { sandboxMetaOptions } from '../test-helpers.js';
import type { WebhookEvent } from './events.js';
import { createWebhookHandler } from './handler.js';

// The sandbox posts real, signed Meta webhooks; the handler must read each new kind it can emit.
const sandbox = useSandbox();
const APP_SECRET = 'sandbox-roundtrip-app-secret';
const received: WebhookEvent[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const handler = createWebhookHandler({
    provider: 'meta',
    secret: APP_SECRET,
    onEvents: (events) => {
      received.push(...events);
    },
  });
  server = createServer(async (request, response) => {
    const result = await handler.handle({
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request,
    });
    response.writeHead(result.status, result.headers).end(result.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function connect() {
  received.length = 0;
  await sandbox.setWebhook('meta', { url, secret: APP_SECRET });
}

function client() {
  return createClient({
    provider: meta(sandboxMetaOptions(sandbox)),
  });
}

describe('the sandbox’s Meta webhooks, read by the handler', () => {
  it('a sender known only by a business-scoped user id', async () => {
    await connect();
    await sandbox.inbound({
      provider: 'meta',
      userId: 'ID.1502576394655843',
      username: 'budi.santoso',
      name: 'Budi',
      text: 'halo',
    });
    const events = await eventually(
      async () => received,
      (list) => list.length > 0,
    );
    expect(events).toMatchObject([
      {
        kind: 'message',
        from: 'ID.1502576394655843',
        sender: { userId: 'ID.1502576394655843', username: 'budi.santoso', name: 'Budi' },
        content: { type: 'text', text: 'halo' },
      },
    ]);
    expect((events[0] as { sender: { phone?: string } }).sender.phone).toBeUndefined();
  });

  it('a played status for a voice message', async () => {
    await connect();
    const sent = await client().send({
      to: '6281234567890',
      audio: { link: 'https://cdn.example.id/voice.ogg' },
    });
    await sandbox.setMessageStatus(sent.id, 'played');
    const events = await eventually(
      async () => received,
      (list) => list.some((event) => event.kind === 'status' && event.status === 'played'),
    );
    expect(
      events.find((event) => event.kind === 'status' && event.status === 'played'),
    ).toMatchObject({
      kind: 'status',
      messageId: sent.id,
      status: 'played',
      recipient: '6281234567890',
    });
  });

  it('a status carrying back the callback data the message was sent with', async () => {
    await connect();
    const sent = await client().send({
      to: '6281234567890',
      text: 'Tagihan INV-2026-0042',
      callbackData: 'invoice:INV-2026-0042',
    });
    await sandbox.setMessageStatus(sent.id, 'read');
    const events = await eventually(
      async () => received,
      (list) => list.some((event) => event.kind === 'status' && event.status === 'read'),
    );
    expect(
      events.find((event) => event.kind === 'status' && event.status === 'read'),
    ).toMatchObject({ messageId: sent.id, callbackData: 'invoice:INV-2026-0042' });
  });

  it('a reply to a business-scoped user id goes back to that id', async () => {
    await connect();
    const sent = await client().send({ to: { userId: 'ID.1502576394655843' }, text: 'Halo Budi' });
    const [stored] = await sandbox.messages({ userId: 'ID.1502576394655843', limit: 1 });
    expect(stored).toMatchObject({ id: sent.id, userId: 'ID.1502576394655843', text: 'Halo Budi' });
  });

  it('a template status update and a marketing opt-out', async () => {
    await connect();
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'REJECTED');
    await sandbox.userPreference({ provider: 'meta', from: '6281234567890', value: 'stop' });
    const events = await eventually(
      async () => received,
      (list) =>
        list.some((event) => event.kind === 'template_status') &&
        list.some((event) => event.kind === 'user_preference'),
    );
    expect(events.find((event) => event.kind === 'template_status')).toMatchObject({
      name: 'promo_diskon_baru',
      event: 'REJECTED',
      reason: 'INCORRECT_CATEGORY',
    });
    expect(events.find((event) => event.kind === 'user_preference')).toMatchObject({
      from: '6281234567890',
      category: 'marketing_messages',
      value: 'stop',
    });
    expect(events.filter((event) => event.kind === 'unknown')).toEqual([]);
  });
});
