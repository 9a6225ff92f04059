import { Readable } from 'node:stream';
import * as seed from '@kabar/sandbox/seed-examples';
import { describe, expect, it } from 'vitest';
import { createBot } from '../bot/bot.js';
import { createClient } from '../client.js';
import * as fonnteAnswers from '../providers/fonnte/test-data/answers.js';
import { kirem } from '../providers/kirem/index.js';
import type { DedupeStore } from './dedupe.js';
import type { StatusEvent, WebhookEvent } from './events.js';
import { createWebhookHandler, type WebhookHandlerOptions } from './handler.js';
import { type MessageIdStore, memoryMessageIdStore } from './message-ids.js';
import { computeSignature } from './signature.js';

const SECRET = 'meta-app-secret-handler-test';

function metaText(id: string, text = 'halo') {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1029384756',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281100001111', phone_number_id: '5550001' },
              contacts: [{ profile: { name: 'Budi' }, wa_id: '6281234567890' }],
              messages: [
                {
                  from: '6281234567890',
                  id,
                  timestamp: '1765000000',
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

function signed(body: string, secret = SECRET) {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': computeSignature(body, secret),
    },
    body,
  };
}

function setup(options: Partial<WebhookHandlerOptions> = {}) {
  const calls: WebhookEvent[][] = [];
  const logs: string[] = [];
  const handler = createWebhookHandler({
    provider: 'meta',
    secret: SECRET,
    verifyToken: 'verify-me',
    onEvents: (events) => {
      calls.push(events);
    },
    logger: { warn: (line) => logs.push(line), error: (line) => logs.push(line) },
    ...options,
  });
  return { handler, calls, logs };
}

describe('createWebhookHandler: the Meta handshake', () => {
  it('echoes the challenge for the right token and refuses a wrong one', async () => {
    const { handler } = setup();
    const ok = await handler.handle({
      method: 'GET',
      headers: {},
      query: {
        'hub.mode': 'subscribe',
        'hub.verify_token': 'verify-me',
        'hub.challenge': '1158201444',
      },
    });
    expect([ok.status, ok.body, ok.headers['content-type']]).toEqual([
      200,
      '1158201444',
      'text/plain; charset=utf-8',
    ]);
    const wrong = await handler.handle({
      method: 'GET',
      headers: {},
      query: new URLSearchParams('hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1'),
    });
    expect(wrong.status).toBe(403);
  });

  it('answers 405 to GET without a verify token, and to other methods', async () => {
    const { handler } = setup({ verifyToken: undefined });
    expect((await handler.handle({ method: 'GET', headers: {} })).status).toBe(405);
    const put = await handler.handle({ method: 'PUT', headers: {}, body: '{}' });
    expect([put.status, put.headers.allow]).toEqual([405, 'POST']);
  });
});

describe('createWebhookHandler: refusals', () => {
  it('401 for a forged signature: no handler runs, the cause is logged once, never the secret', async () => {
    const { handler, calls, logs } = setup();
    const body = metaText('wamid.forged');
    for (let i = 0; i < 3; i++) {
      const result = await handler.handle(signed(body, 'someone-elses-secret'));
      await result.done;
      expect(result.status).toBe(401);
      expect(JSON.parse(result.body).error).toBe('invalid_signature');
    }
    const missing = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(missing.status).toBe(401);
    expect(calls).toEqual([]);
    expect(logs).toHaveLength(2);
    expect(logs.join('\n')).toMatch(/does not match/);
    expect(logs.join('\n')).toMatch(/missing x-hub-signature-256/);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('415 for a body that is not JSON, before anything else', async () => {
    const { handler, calls } = setup();
    const result = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(result.status).toBe(415);
    expect(calls).toEqual([]);
  });

  it('413 over the cap: by Content-Length without reading, by counting a stream, or for bytes', async () => {
    const { handler } = setup({ bodyLimit: 1024 });
    let read = 0;
    const endless = new Readable({
      read() {
        read += 1;
        this.push(Buffer.alloc(512, 'a'));
      },
    });
    const declared = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '5000000' },
      body: endless,
    });
    expect([declared.status, declared.headers.connection]).toEqual([413, 'close']);
    expect(read).toBe(0);

    const streamed = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: endless,
    });
    expect(streamed.status).toBe(413);
    // It stopped at the first chunk past the cap instead of draining the endless stream.
    expect(read).toBeLessThan(10);

    const bytes = await handler.handle(signed(metaText('wamid.big', 'x'.repeat(2000))));
    expect(bytes.status).toBe(413);
  });

  it('400 for a signed body that is not a webhook', async () => {
    const { handler, calls } = setup();
    const result = await handler.handle(signed('{"hello":"world"}'));
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error).toBe('invalid_payload');
    expect(calls).toEqual([]);
  });

  it('500 with a clear message when a framework already parsed the body', async () => {
    const { handler } = setup();
    const result = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: { object: 'whatsapp_business_account' } as never,
    });
    expect(result.status).toBe(500);
    expect(JSON.parse(result.body).message).toMatch(/already parsed/);
  });

  it('refuses to start with a short secret or an unknown provider', () => {
    expect(() => setup({ secret: 'short' })).toThrow(/at least 12/);
    expect(() => setup({ provider: 'qirim' as never })).toThrow(/provider must be/);
  });
});

describe('createWebhookHandler: acknowledging and dispatching', () => {
  it('answers 200 before onEvents runs, then hands it the typed events', async () => {
    const { handler, calls } = setup();
    const result = await handler.handle(signed(metaText('wamid.first')));
    expect([result.status, JSON.parse(result.body)]).toEqual([200, { received: 1 }]);
    // The answer is ready and the handlers have not started: a slow bot cannot delay the 200.
    expect(calls).toEqual([]);
    await result.done;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toMatchObject({
      kind: 'message',
      from: '6281234567890',
      sender: { phone: '6281234567890', name: 'Budi' },
      content: { type: 'text', text: 'halo' },
      business: { accountId: '1029384756', phoneNumberId: '5550001' },
    });
  });

  it('a redelivery is answered 200 and reaches no handler', async () => {
    const { handler, calls } = setup();
    const body = metaText('wamid.replayed');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const result = await handler.handle(signed(body));
      await result.done;
      statuses.push(result.status);
    }
    expect(statuses).toEqual([200, 200, 200]);
    expect(calls).toHaveLength(1);
  });

  it('a failing dedupe store does not lose the message', async () => {
    const broken: DedupeStore = {
      claim: async () => {
        throw new Error('redis is down');
      },
      release: async () => undefined,
    };
    const { handler, calls, logs } = setup({ dedupe: broken });
    const result = await handler.handle(signed(metaText('wamid.store-down')));
    await result.done;
    expect(calls).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/dedupe store failed/);
  });

  it('a failing onEvents goes to onError, and a replay of that delivery is handled again', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    const { handler } = setup({
      onEvents: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database unavailable');
      },
      onError: (error) => errors.push(error),
    });
    const body = metaText('wamid.retry-after-failure');
    const first = await handler.handle(signed(body));
    await first.done;
    expect(first.status).toBe(200);
    expect(errors).toHaveLength(1);
    const second = await handler.handle(signed(body));
    await second.done;
    expect(attempts).toBe(2);
  });

  it('reads a Node stream body and checks the Kirem signature header', async () => {
    const secret = 'kirem_webhook_secret';
    const { handler, calls } = setup({ provider: 'kirem', secret, verifyToken: undefined });
    const body = JSON.stringify(seed.kiremWebhookButtonReply);
    const result = await handler.handle({
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Kirem-Signature': computeSignature(body, secret),
      },
      body: Readable.from([Buffer.from(body.slice(0, 10)), Buffer.from(body.slice(10))]),
    });
    await result.done;
    expect(result.status).toBe(200);
    expect(calls[0]?.[0]).toMatchObject({
      kind: 'message',
      provider: 'kirem',
      content: { type: 'button', id: 'btn_yes' },
    });
  });
});

describe('createWebhookHandler: Waviro', () => {
  const webhookKey = 'YourSecretWebhookKey';

  it('answers a keyword call with the replies a bot makes to it, sending nothing', async () => {
    // A send would go to a closed port and fail: replies must land in the answer instead.
    const client = createClient({
      provider: kirem({ apiKey: 'unused', baseUrl: 'http://127.0.0.1:9' }),
    });
    const errors: unknown[] = [];
    const bot = createBot({ client }).hears('penawaran#', async (chat) => {
      await chat.reply.text(
        `Halo ${chat.event.content.type === 'keyword' ? chat.event.content.data[0] : ''}`,
      );
      await chat.reply.send({ location: { latitude: -6.2, longitude: 106.8 } });
    });
    const handler = createWebhookHandler({
      provider: 'waviro',
      secret: webhookKey,
      onEvents: (events, delivery) => bot.handle(events, delivery),
      onError: (error) => errors.push(error),
    });
    const result = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seed.waviroKeywordPayload),
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      success: true,
      message: {
        reply: [
          { type: 'message', content: `Halo ${seed.waviroKeywordPayload.data[0]}` },
          { type: 'location', content: [{ coordinate: '-6.2-106.8' }] },
        ],
      },
    });
    expect(errors).toEqual([]);
  });

  it('refuses a keyword call with the wrong webhookkey (401) and takes delivery acks', async () => {
    const calls: WebhookEvent[][] = [];
    const handler = createWebhookHandler({
      provider: 'waviro',
      secret: webhookKey,
      onEvents: (events) => {
        calls.push(events);
      },
    });
    const forged = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...seed.waviroKeywordPayload, webhookkey: 'guessed-wrong-key' }),
    });
    expect(forged.status).toBe(401);
    const ack = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seed.waviroNotifyPayload),
    });
    await ack.done;
    expect(ack.status).toBe(200);
    expect(calls.flat()).toMatchObject([{ kind: 'status', provider: 'waviro', status: 'read' }]);
  });
});

describe("createWebhookHandler: Fonnte's later statuses, named by stateid", () => {
  const FONNTE_SECRET = 'fonnte-webhook-secret-test';
  const sendId = String(fonnteAnswers.statusSent.id);
  const stateid = fonnteAnswers.statusSent.stateid;
  const delivered = { device: fonnteAnswers.DEVICE, stateid, state: 'delivered' };

  function fonnte(options: Partial<WebhookHandlerOptions> = {}) {
    return setup({ provider: 'fonnte', secret: FONNTE_SECRET, verifyToken: undefined, ...options });
  }
  /** Posts one callback as Fonnte does (the secret in the registered URL) and waits for onEvents. */
  async function post(handler: ReturnType<typeof fonnte>['handler'], payload: object) {
    const result = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      query: { secret: FONNTE_SECRET },
      body: JSON.stringify(payload),
    });
    expect(result.status).toBe(200);
    await result.done;
  }
  const statuses = (calls: WebhookEvent[][]) =>
    calls.flat().filter((event): event is StatusEvent => event.kind === 'status');

  it('gives delivered and read the send id the first callback paired with their stateid', async () => {
    const { handler, calls } = fonnte();
    await post(handler, fonnteAnswers.statusSent);
    await post(handler, delivered);
    await post(handler, fonnteAnswers.statusRead);
    expect(statuses(calls).map((s) => [s.status, s.messageId])).toEqual([
      ['sent', sendId],
      ['delivered', sendId],
      ['read', sendId],
    ]);
    // What Fonnte sent stays as it was.
    expect(statuses(calls)[2]?.raw).toEqual(fonnteAnswers.statusRead);
  });

  it('keeps the stateid when no first callback was seen, or when told not to remember', async () => {
    const unseen = fonnte();
    await post(unseen.handler, fonnteAnswers.statusRead);
    expect(statuses(unseen.calls)[0]?.messageId).toBe(stateid);

    const off = fonnte({ messageIds: false });
    await post(off.handler, fonnteAnswers.statusSent);
    await post(off.handler, fonnteAnswers.statusRead);
    expect(statuses(off.calls).map((s) => s.messageId)).toEqual([sendId, stateid]);
  });

  it('shares the pairs through the store it is given, as instances behind one URL do', async () => {
    const messageIds = memoryMessageIdStore();
    const first = fonnte({ messageIds });
    const second = fonnte({ messageIds });
    await post(first.handler, fonnteAnswers.statusSent);
    await post(second.handler, fonnteAnswers.statusRead);
    expect(statuses(second.calls)[0]?.messageId).toBe(sendId);
  });

  it('forgets a pair after its time, and the oldest pairs past maxKeys', async () => {
    const store = memoryMessageIdStore({ maxKeys: 2 });
    await store.remember('s1', 'm1', 60_000);
    await store.remember('s2', 'm2', 60_000);
    await store.remember('s3', 'm3', 60_000);
    expect(await Promise.all(['s1', 's2', 's3'].map((s) => store.lookup(s)))).toEqual([
      undefined,
      'm2',
      'm3',
    ]);
    await store.remember('s4', 'm4', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.lookup('s4')).toBeUndefined();
  });

  it('a failing store loses no status: it comes named as Fonnte named it, and the failure is logged', async () => {
    const broken: MessageIdStore = {
      remember: async () => {
        throw new Error('redis is down');
      },
      lookup: async () => {
        throw new Error('redis is down');
      },
    };
    const { handler, calls, logs } = fonnte({ messageIds: broken });
    await post(handler, fonnteAnswers.statusSent);
    await post(handler, fonnteAnswers.statusRead);
    expect(statuses(calls).map((s) => s.messageId)).toEqual([sendId, stateid]);
    expect(logs.join('\n')).toMatch(/message id store failed/);
  });

  it('leaves other gateways alone: a Meta status is never looked up', async () => {
    const lookups: string[] = [];
    const spy: MessageIdStore = {
      remember: async () => undefined,
      lookup: async (alias) => {
        lookups.push(alias);
        return 'not-this';
      },
    };
    const { handler, calls } = setup({ messageIds: spy });
    const result = await handler.handle(signed(metaText('wamid.meta-only')));
    await result.done;
    expect(calls.flat()).toHaveLength(1);
    expect(lookups).toEqual([]);
  });
});

describe('createWebhookHandler: the web-standard entry', () => {
  it('takes a Request, answers a Response and hands the work to waitUntil', async () => {
    const { handler, calls } = setup();
    const waiting: Promise<unknown>[] = [];
    const body = metaText('wamid.web');
    const response = await handler.fetch(
      new Request('https://shop.example/api/whatsapp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': computeSignature(body, SECRET),
        },
        body,
      }),
      { waitUntil: (promise) => waiting.push(promise) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 1 });
    expect(waiting).toHaveLength(1);
    await Promise.all(waiting);
    expect(calls).toHaveLength(1);

    const handshake = await handler.fetch(
      new Request(
        'https://shop.example/api/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42',
      ),
    );
    expect([handshake.status, await handshake.text()]).toEqual([200, '42']);
  });

  it('never throws: an unexpected failure is a 500 without details', async () => {
    const { handler } = setup();
    const result = await handler.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: {
        [Symbol.asyncIterator]() {
          return { next: () => Promise.reject(new Error('socket hang up at 10.0.0.7')) };
        },
      },
    });
    expect(result.status).toBe(500);
    expect(result.body).not.toContain('10.0.0.7');
  });
});
