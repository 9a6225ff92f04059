import {
  type ConsentRecord,
  CUSTOMER_WINDOW_MS,
  createClient,
  createConversationTracker,
} from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { meta } from '@kabar/core/meta';
import { createOtpEngine } from '@kabar/core/otp';
import { computeSignature, createWebhookHandler, type WebhookEvent } from '@kabar/core/webhooks';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConsentStore } from './consent-store.js';
import { redisDedupeStore } from './dedupe-store.js';
import { redisOtpStore } from './otp-store.js';
import { redisRateLimiter, redisRequestLimiter } from './rate-limiter.js';
import { testRedis } from './testing.js';
import { redisWindowStore } from './window-store.js';

const { url: REDIS_URL, runnable } = await testRedis('@kabar/redis tests');

const sandbox = useSandbox();
let redis: Redis;
// Every run gets its own keys, so parallel runs and leftovers never collide.
const prefix = `kabar-test:${process.pid}:${Date.now()}:`;

beforeAll(() => {
  if (runnable) redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const phone = '081234567890';

/** One "app instance": its own engine, sharing the Redis store. */
function instance(clock: { now: number }, options: { dailyLimit?: number } = {}) {
  return createOtpEngine({
    secret: 'redis-test-secret-0123456789',
    store: redisOtpStore({ redis, prefix }),
    delivery: {
      client: createClient({
        provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
      }),
      template: { name: 'otp_verification', language: 'id', button: 'none' },
    },
    now: () => clock.now,
    ...options,
  });
}

async function receivedCode(): Promise<string> {
  const text = (await sandbox.latest({ to: '6281234567890' }))?.text ?? '';
  return /\d{6}/.exec(text)?.[0] ?? '';
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe.runIf(runnable)('redisOtpStore', () => {
  it('gives exactly one success to 1000 concurrent checks of the right code, across two instances', async () => {
    const clock = { now: Date.now() };
    const [a, b] = [instance(clock), instance(clock)];
    await a.request({ phone, purpose: 'race' });
    const code = await receivedCode();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 1000 }, (_, i) =>
        (i % 2 ? a : b).verify({ phone, code, purpose: 'race' }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  it('enforces one cooldown and one daily limit for two instances', async () => {
    const clock = { now: Date.now() };
    const [a, b] = [instance(clock, { dailyLimit: 2 }), instance(clock, { dailyLimit: 2 })];
    // A number of its own: the daily limit counts every code the number got today.
    const other = '081299990000';
    await a.request({ phone: other, purpose: 'limits' });
    expect(await errorCode(b.resend({ phone: other, purpose: 'limits' }))).toBe('resend_cooldown');
    clock.now += 61_000;
    await b.resend({ phone: other, purpose: 'limits' });
    clock.now += 61_000;
    expect(await errorCode(a.request({ phone: other, purpose: 'limits' }))).toBe('daily_limit');
  });

  it('never allows more guesses than the limit, whichever instance is asked', async () => {
    const clock = { now: Date.now() };
    const [a, b] = [instance(clock), instance(clock)];
    await a.request({ phone, purpose: 'brute' });
    const code = await receivedCode();
    const guesses = Array.from({ length: 50 }, (_, i) => String(i).padStart(6, '0')).filter(
      (guess) => guess !== code,
    );
    const results = await Promise.all(
      guesses.map((guess, i) =>
        errorCode((i % 2 ? a : b).verify({ phone, code: guess, purpose: 'brute' })),
      ),
    );
    expect(results.filter((r) => r === 'otp_incorrect')).toHaveLength(4);
    expect(await errorCode(a.verify({ phone, code, purpose: 'brute' }))).toBe('too_many_attempts');
  });

  it('stores a hash, not the code, and keeps keys under the prefix', async () => {
    const clock = { now: Date.now() };
    await instance(clock).request({ phone, purpose: 'stored' });
    const code = await receivedCode();
    const keys = await redis.keys(`${prefix}otp:code:*stored`);
    expect(keys).toHaveLength(1);
    const stored = await redis.hgetall(keys[0] as string);
    expect(stored.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
  });
});

describe.runIf(runnable)('redisRateLimiter', () => {
  it('shares one budget between limiters in different processes', async () => {
    const options = { redis, prefix, limit: 10, intervalMs: 400 };
    const [a, b] = [redisRateLimiter(options), redisRateLimiter(options)];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire('6281100000000')),
    );
    // 10 go at once, the other 10 take another ~400 ms whichever limiter asked.
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
  });
});

describe.runIf(runnable)('redisRequestLimiter', () => {
  it('counts one window across instances and says when it reopens', async () => {
    const [a, b] = [redisRequestLimiter({ redis, prefix }), redisRequestLimiter({ redis, prefix })];
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await (i % 2 ? a : b).hit('ip:10.0.0.1', 3, 5000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterMs).toBeGreaterThan(0);
    expect(results[3]?.retryAfterMs).toBeLessThanOrEqual(5000);
  });
});

describe.runIf(runnable)('redisDedupeStore', () => {
  it('lets the first claim through and refuses repeats until released', async () => {
    const store = redisDedupeStore({ redis, prefix });
    expect(await store.claim('order-1001', 10_000)).toBe(true);
    expect(await store.claim('order-1001', 10_000)).toBe(false);
    await store.release('order-1001');
    expect(await store.claim('order-1001', 10_000)).toBe(true);
  });
});

describe.runIf(runnable)('redisDedupeStore behind two webhook handlers', () => {
  it('a redelivery to the other instance is answered 200 and reaches no handler', async () => {
    const secret = 'meta-app-secret-for-dedupe';
    const handled: WebhookEvent[] = [];
    // Two app instances behind one URL, sharing only Redis.
    const instances = [1, 2].map(() =>
      createWebhookHandler({
        provider: 'meta',
        secret,
        dedupe: redisDedupeStore({ redis, prefix }),
        onEvents: (events) => {
          handled.push(...events);
        },
      }),
    );
    const body = JSON.stringify({
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
                    id: `wamid.dedupe-${prefix}`,
                    timestamp: '1765000000',
                    type: 'text',
                    text: { body: 'halo' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const request = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': computeSignature(body, secret),
      },
      body,
    };
    const answers = [];
    for (const handler of instances) {
      const result = await handler.handle(request);
      await result.done;
      answers.push(result.status);
    }
    expect(answers).toEqual([200, 200]);
    expect(handled.map((event) => event.kind === 'message' && event.id)).toEqual([
      `wamid.dedupe-${prefix}`,
    ]);
  });
});

describe.runIf(runnable)('redisWindowStore', () => {
  it('keeps the newest time, whichever instance notes it and in whatever order', async () => {
    const other = new Redis(REDIS_URL);
    try {
      const [a, b] = [redisWindowStore(redis, { prefix }), redisWindowStore(other, { prefix })];
      const key = { business: 'default', contact: '6281200000001' };
      expect(await a.lastCustomerMessage(key)).toBeUndefined();
      const base = Date.now();
      await a.customerWrote(key, base);
      // A late webhook with an older message changes nothing.
      await b.customerWrote(key, base - 60_000);
      expect(await b.lastCustomerMessage(key)).toBe(base);
      // 200 notes racing from two connections, in shuffled order: the newest stays.
      const times = Array.from({ length: 200 }, (_, i) => base + 1 + ((i * 7919) % 200));
      await Promise.all(times.map((at, i) => (i % 2 ? a : b).customerWrote(key, at)));
      expect(await a.lastCustomerMessage(key)).toBe(base + 200);
      // Another business number is another conversation.
      expect(
        await a.lastCustomerMessage({ business: '6281100001111', contact: key.contact }),
      ).toBeUndefined();
    } finally {
      other.disconnect();
    }
  });

  it('lets an entry expire ttlMs after its newest message, by default 25 hours', async () => {
    const key = { business: 'default', contact: '6281200000002' };
    const redisKey = `${prefix}window:default:${key.contact}`;
    await redisWindowStore(redis, { prefix }).customerWrote(key, Date.now());
    const ttl = await redis.pttl(redisKey);
    expect(ttl).toBeGreaterThan(CUSTOMER_WINDOW_MS);
    expect(ttl).toBeLessThanOrEqual(CUSTOMER_WINDOW_MS + 3_600_000);
    await redisWindowStore(redis, { prefix, ttlMs: 5_000 }).customerWrote(key, Date.now() + 1);
    expect(await redis.pttl(redisKey)).toBeLessThanOrEqual(5_000);
    expect(() => redisWindowStore(redis, { ttlMs: 0 })).toThrow(/ttlMs/);
  });
});

describe.runIf(runnable)('redisConsentStore', () => {
  const optedIn: ConsentRecord = { status: 'opted_in', source: 'checkout', at: 1_765_000_000_000 };
  const stop: ConsentRecord = { status: 'opted_out', source: 'keyword', at: 1_765_000_060_000 };

  it('resolves each set with the record it replaced, and keeps records for good', async () => {
    const store = redisConsentStore(redis, { prefix });
    const contact = '6281200000010';
    expect(await store.get(contact)).toBeUndefined();
    expect(await store.set(contact, optedIn)).toBeUndefined();
    expect(await store.set(contact, stop)).toEqual(optedIn);
    expect(await store.get(contact)).toEqual(stop);
    expect(await redis.pttl(`${prefix}consent:${contact}`)).toBe(-1);
  });

  it('keeps a newer record when an older one arrives late', async () => {
    const store = redisConsentStore(redis, { prefix });
    const contact = '6281200000011';
    await store.set(contact, stop);
    expect(await store.set(contact, optedIn)).toEqual(stop);
    expect(await store.get(contact)).toEqual(stop);
  });

  it('of two clients recording the same STOP at once, exactly one sees the change', async () => {
    const other = new Redis(REDIS_URL);
    try {
      const [a, b] = [redisConsentStore(redis, { prefix }), redisConsentStore(other, { prefix })];
      const contacts = Array.from(
        { length: 200 },
        (_, i) => `62812100${String(i).padStart(5, '0')}`,
      );
      // Half opted in before, half never said.
      await Promise.all(contacts.slice(0, 100).map((contact) => a.set(contact, optedIn)));
      const replaced = await Promise.all(
        contacts.map((contact) => Promise.all([a.set(contact, stop), b.set(contact, stop)])),
      );
      for (const pair of replaced) {
        expect(pair.filter((previous) => previous?.status !== 'opted_out')).toHaveLength(1);
      }
    } finally {
      other.disconnect();
    }
  });
});

/** A signed Meta webhook: `from` wrote `text`, now. */
function metaMessage(secret: string, from: string, id: string, text: string) {
  const body = JSON.stringify({
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
              contacts: [{ profile: { name: 'Budi' }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
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
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': computeSignature(body, secret),
    },
    body,
  };
}

/** One app instance: its own connection, stores, client, tracker and webhook handler. */
function appInstance(connection: Redis, secret: string) {
  const window = redisWindowStore(connection, { prefix });
  const consent = redisConsentStore(connection, { prefix });
  const wa = createClient({
    provider: meta({
      accessToken: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      baseUrl: sandbox.meta.baseUrl,
    }),
    rateLimit: false,
    policy: { window: { store: window }, consent },
  });
  const tracker = createConversationTracker({ window, consent, confirm: { client: wa } });
  const webhook = createWebhookHandler({ provider: 'meta', secret, tracker, onEvents() {} });
  return {
    wa,
    /** Handles a webhook delivery to this instance, the tracker included. */
    async receive(request: ReturnType<typeof metaMessage>) {
      const result = await webhook.handle(request);
      await result.done;
      expect(result.status).toBe(200);
    },
  };
}

describe.runIf(runnable)('two app instances share both stores through Redis', () => {
  it('a STOP seen by one refuses the other’s marketing, and a message seen by one opens the window for the other', async () => {
    const secret = 'meta-app-secret-for-policy';
    const customer = '6281234500077';
    const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)] as const;
    try {
      const [a, b] = connections.map((connection) => appInstance(connection, secret)) as [
        ReturnType<typeof appInstance>,
        ReturnType<typeof appInstance>,
      ];
      const update = {
        to: customer,
        text: 'Pesanan Anda sudah dikirim',
        category: 'utility' as const,
      };
      const promo = { to: customer, text: 'Diskon 20% hari ini', category: 'marketing' as const };

      // The customer never wrote: B refuses a free-form message before any request.
      expect(await errorCode(b.wa.send(update))).toBe('outside_window');

      // The customer writes; the webhook reaches A. B may now send free-form messages.
      await a.receive(metaMessage(secret, customer, `wamid.halo-${prefix}`, 'halo'));
      await b.wa.send(update);
      await b.wa.send(promo);

      // STOP, delivered to both instances at once (a redelivery, no dedupe store): one of them
      // records the change and confirms it, once.
      const stopMessage = metaMessage(secret, customer, `wamid.stop-${prefix}`, 'STOP');
      await Promise.all([a.receive(stopMessage), b.receive(stopMessage)]);
      const confirmations = (await sandbox.messages({ provider: 'meta' })).filter((message) =>
        message.text.includes('START'),
      );
      expect(confirmations).toHaveLength(1);

      // Marketing from either instance is refused; order updates still go.
      expect(await errorCode(b.wa.send(promo))).toBe('opted_out');
      expect(await errorCode(a.wa.send(promo))).toBe('opted_out');
      await b.wa.send(update);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });
});
