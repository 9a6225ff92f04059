import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { createOtpEngine } from '@kabar/core/otp';
import { computeSignature, createWebhookHandler, type WebhookEvent } from '@kabar/core/webhooks';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisDedupeStore } from './dedupe-store.js';
import { redisOtpStore } from './otp-store.js';
import { redisRateLimiter, redisRequestLimiter } from './rate-limiter.js';
import { testRedis } from './testing.js';

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
