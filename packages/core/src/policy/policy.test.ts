/**
 * The send policy against the sandbox, fed by real signed webhooks: Meta's 24-hour window
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages#customer-service-windows)
 * and marketing consent from STOP keywords and Meta's `user_preferences` webhook.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { broadcast } from '../broadcast/broadcast.js';
import { createClient } from '../client.js';
import type { OutgoingMessage } from '../message.js';
import { meta } from '../providers/meta/index.js';
import { waviro } from '../providers/waviro/index.js';
import { failure, sandboxMetaOptions } from '../test-helpers.js';
import { createWebhookHandler } from '../webhooks/handler.js';
import { type ConsentStore, memoryConsentStore } from './consent.js';
import type { OutsideWindow } from './send-policy.js';
import { type ConversationTracker, createConversationTracker } from './tracker.js';
import { CUSTOMER_WINDOW_MS, memoryWindowStore, type WindowStore } from './window.js';

const sandbox = useSandbox();
const APP_SECRET = 'policy-test-app-secret';
const customer = '6281234567890';

let server: Server;
let url: string;
let tracker: ConversationTracker;
let window: WindowStore;
let consent: ConsentStore;
const clock = { now: Date.now() };
let handled = 0;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const handler = createWebhookHandler({
      provider: 'meta',
      secret: APP_SECRET,
      tracker,
      onEvents: () => {
        handled += 1;
      },
    });
    const result = await handler.handle({
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request,
    });
    response.writeHead(result.status, result.headers).end(result.body);
    await result.done;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function metaProvider() {
  return meta(sandboxMetaOptions(sandbox));
}

/** A Meta client under the policy, counting the requests it makes. */
function client(outside?: OutsideWindow) {
  const counter = { requests: 0 };
  const wa = createClient({
    provider: metaProvider(),
    rateLimit: false,
    policy: { window: { store: window, outside }, consent, now: () => clock.now },
    fetch: (input, init) => {
      counter.requests += 1;
      return fetch(input, init);
    },
  });
  return { wa, counter };
}

beforeEach(async () => {
  window = memoryWindowStore();
  consent = memoryConsentStore();
  clock.now = Date.now();
  handled = 0;
  tracker = createConversationTracker({
    window,
    consent,
    confirm: { client: createClient({ provider: metaProvider(), rateLimit: false }) },
    now: () => clock.now,
  });
  await sandbox.setWebhook('meta', { url, secret: APP_SECRET });
});

/** The customer writes; resolves once the handler has seen it. */
async function customerWrites(text: string) {
  const before = handled;
  await sandbox.inbound({ provider: 'meta', from: customer, text });
  await eventually(
    async () => handled,
    (count) => count > before,
  );
}

const freeForm: OutgoingMessage = { to: customer, text: 'Pesanan Anda sudah dikirim' };

describe('the 24-hour window', () => {
  it('refuses a free-form message before the request when the customer never wrote', async () => {
    const { wa, counter } = client();
    const error = await failure(wa.send(freeForm));
    expect(error).toMatchObject({ code: 'outside_window', provider: 'meta' });
    expect(error.message).toMatch(/template/);
    expect(error.message).not.toContain(customer);
    expect(counter.requests).toBe(0);
    // Templates open conversations, so they always go.
    await wa.send({
      to: customer,
      template: { name: 'otp_verification', language: 'id', params: ['1'] },
    });
  });

  it('opens with an inbound message and closes 24 hours later', async () => {
    const { wa } = client();
    await customerWrites('halo, pesanan saya di mana?');
    // The window runs from the message's own timestamp, which on a slow machine can be a second
    // or more after this test's clock was read: count from it.
    const wrote = await window.lastCustomerMessage({ business: 'default', contact: customer });
    expect(wrote).toBeDefined();
    clock.now = wrote as number;
    await wa.send(freeForm);
    clock.now += CUSTOMER_WINDOW_MS - 60_000;
    await wa.send(freeForm);
    clock.now += 60_001;
    expect(await failure(wa.send(freeForm))).toMatchObject({ code: 'outside_window' });
    await customerWrites('masih ada?');
    clock.now = Date.now();
    await wa.send(freeForm);
  });

  it('sends anyway with `allow`, or the configured template instead', async () => {
    await client('allow').wa.send(freeForm);
    expect((await sandbox.latest({ to: customer }))?.type).toBe('text');

    const { wa } = client({
      template: { name: 'otp_verification', language: 'id', params: ['—'] },
    });
    const result = await wa.send({ ...freeForm, callbackData: 'order-7' });
    const sent = await sandbox.latest({ to: customer });
    expect(sent?.id).toBe(result.id);
    expect(sent?.payload).toMatchObject({
      type: 'template',
      template: { name: 'otp_verification' },
      biz_opaque_callback_data: 'order-7',
    });
  });

  it('is what production does: a sandbox enforcing the window fails an allowed send with 131047', async () => {
    await sandbox.setEnforceWindow(true);
    try {
      const sent = await client('allow').wa.send(freeForm);
      const stored = await sandbox.messages({ to: customer, limit: 1 });
      expect(stored[0]).toMatchObject({ id: sent.id, status: 'failed', error: { code: 131047 } });
      // The default policy never lets it out, so nothing fails at the gateway.
      const { wa, counter } = client();
      expect(await failure(wa.send(freeForm))).toMatchObject({ code: 'outside_window' });
      expect(counter.requests).toBe(0);
    } finally {
      await sandbox.setEnforceWindow(false);
    }
  });

  it('does not apply to gateways without Meta’s window', async () => {
    const wa = createClient({
      provider: waviro({ secretKey: sandbox.waviro.secretKey, botUrl: sandbox.waviro.botUrl }),
      rateLimit: false,
      policy: { window: { store: window }, consent },
    });
    await wa.send(freeForm);
  });
});

describe('consent', () => {
  it.each([
    ['STOP', /Reply START/],
    ['berhenti', /Balas MULAI/],
  ])('%s opts out and is confirmed once, in its language', async (keyword, confirmation) => {
    await customerWrites(keyword);
    expect(await consent.get(customer)).toMatchObject({ status: 'opted_out', source: 'keyword' });
    const replies = async () =>
      (await sandbox.messages({ to: customer, direction: 'outbound' })).filter((m) =>
        confirmation.test(m.text),
      );
    await eventually(replies, (list) => list.length === 1);
    await customerWrites(keyword);
    expect(await replies()).toHaveLength(1);

    const { wa, counter } = client();
    const marketing = await failure(wa.send({ ...freeForm, category: 'marketing' }));
    expect(marketing).toMatchObject({ code: 'opted_out' });
    expect(marketing.message).not.toContain(customer);
    expect(counter.requests).toBe(0);
    // An order update is utility: it still goes.
    await wa.send({ ...freeForm, category: 'utility' });
  });

  it('reads Meta’s own refusal of marketing to a contact who turned it off (131050) as opted_out', async () => {
    await sandbox.fault({
      provider: 'meta',
      path: '/messages',
      status: 400,
      body: {
        error: {
          message:
            '(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
          type: 'OAuthException',
          code: 131050,
          fbtrace_id: 'AbCdEf123',
        },
      },
      times: 1,
    });
    const wa = createClient({ provider: metaProvider(), rateLimit: false });
    expect(
      await failure(
        wa.send({
          to: customer,
          template: { name: 'otp_verification', language: 'id', params: ['1'] },
        }),
      ),
    ).toMatchObject({
      code: 'opted_out',
      providerCode: 131050,
    });
  });

  it('takes a template’s category from the gateway’s list when the send does not say', async () => {
    await customerWrites('STOP');
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'APPROVED');
    const { wa } = client();
    const promo = { name: 'promo_diskon_baru', language: 'id', params: ['Budi', '20'] };
    expect(await failure(wa.send({ to: customer, template: promo }))).toMatchObject({
      code: 'opted_out',
    });
    // The seed lists otp_verification as AUTHENTICATION: it still goes.
    await wa.send({
      to: customer,
      template: { name: 'otp_verification', language: 'id', params: ['1'] },
    });
    // The caller's word wins over the list.
    await wa.send({ to: customer, template: promo, category: 'utility' });
  });

  it('confirms a STOP from a customer known only by a business-scoped user id at that id', async () => {
    const userId = 'ID.1502576394655843';
    const before = handled;
    await sandbox.inbound({ provider: 'meta', userId, username: 'budi.santoso', text: 'stop' });
    await eventually(
      async () => handled,
      (count) => count > before,
    );
    expect(await consent.get(userId)).toMatchObject({ status: 'opted_out' });
    const replies = await eventually(
      () => sandbox.messages({ userId, direction: 'outbound' }),
      (list) => list.length === 1,
    );
    expect(replies[0]?.text).toMatch(/Reply START/);
  });

  it('skips opted-out contacts in a marketing broadcast, which utility messages still reach', async () => {
    await customerWrites('STOP');
    const { wa } = client('allow');
    const rows = [{ phone: customer }, { phone: '6281311112222' }];
    const results = [];
    for await (const result of broadcast(wa, rows, {
      message: (row) => ({ to: row.phone, text: 'Diskon 50% hari ini!' }),
    })) {
      results.push(result);
    }
    expect(results.map((r) => r.status).sort()).toEqual(['sent', 'skipped']);
    expect(results.find((r) => r.status === 'skipped')).toMatchObject({ reason: 'opted_out' });

    const update = await broadcast(wa, rows, {
      category: 'utility',
      message: (row) => ({ to: row.phone, text: 'Toko tutup jam 17.00 hari ini' }),
    }).done();
    expect(update).toMatchObject({ sent: 2, skipped: 0 });
  });

  it('opts out from Meta’s marketing preference webhook, and back in with START', async () => {
    await sandbox.userPreference({ provider: 'meta', from: customer, value: 'stop' });
    await eventually(
      () => consent.get(customer),
      (record) => record?.status === 'opted_out',
    );
    expect(await consent.get(customer)).toMatchObject({ source: 'user_preferences' });
    await customerWrites('start');
    expect(await consent.get(customer)).toMatchObject({ status: 'opted_in', source: 'keyword' });
    // The checkout comes after the customer wrote START, whose own timestamp can be later than
    // the clock read when the test began on a slow machine.
    clock.now = Date.now();
    await tracker.optOut('0812-3456-7890', 'checkout');
    expect(await consent.get(customer)).toMatchObject({ status: 'opted_out', source: 'checkout' });
  });
});
