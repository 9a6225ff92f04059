import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { kirem } from '../providers/kirem/index.js';
import { hitInOrder, memoryRequestLimiter, type RequestLimiter } from '../request-limiter.js';
import { createOtpEngine, type OtpEngineOptions } from './engine.js';
import {
  createOtpHttpHandler,
  createTrustedOtpHttpHandler,
  type OtpHttpOptions,
  type OtpHttpRequest,
} from './http.js';

const sandbox = useSandbox();
const phone = '0812-3456-7890';
const customer = '6281234567890';
const IP = '203.0.113.7';
const API_KEY = 'trusted-backend-key-0123456789';

/** An engine sending Kirem's `otp_verification` template, on a clock the test moves. */
function engine(extra: Partial<OtpEngineOptions> = {}) {
  const clock = { now: Date.now() };
  const otp = createOtpEngine({
    secret: 'otp-test-secret-0123456789',
    delivery: {
      client: createClient({
        provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
      }),
      template: { name: 'otp_verification', language: 'id', button: 'none' },
    },
    now: () => clock.now,
    ...extra,
  });
  return { otp, clock };
}

function browser(
  options: Partial<OtpHttpOptions> = {},
  engineOptions: Partial<OtpEngineOptions> = {},
) {
  const { otp, clock } = engine(engineOptions);
  const handler = createOtpHttpHandler({ engine: otp, ...options });
  const call = (route: OtpHttpRequest['route'], body: unknown, ip = IP) =>
    handler({ route, ip, body });
  return { call, clock };
}

async function receivedCode(): Promise<string> {
  return /\d{4,8}/.exec((await sandbox.latest({ to: customer }))?.text ?? '')?.[0] ?? '';
}

describe('createOtpHttpHandler (the browser contract)', () => {
  it('refuses code_length, ttl and any unknown field with 422 naming it, and sends nothing', async () => {
    const { call } = browser();
    for (const [field, value] of [
      ['code_length', 4],
      ['ttl', 1800],
      ['debug', true],
    ] as const) {
      const refused = await call('request', { phone, [field]: value });
      expect(refused).toMatchObject({
        status: 422,
        body: {
          success: false,
          error: { code: 'validation_error', fields: { [field]: expect.any(String) } },
        },
      });
    }
    expect((await call('resend', { phone, ttl: 1800 })).status).toBe(422);
    expect((await call('verify', { phone, code: '123456', ttl: 30 })).status).toBe(422);
    expect(await sandbox.messages()).toHaveLength(0);

    const requested = await call('request', { phone });
    expect(requested).toMatchObject({ status: 201, body: { data: { expires_in: 300 } } });
    expect(await receivedCode()).toMatch(/^\d{6}$/);
  });

  it('takes a purpose only from the list the server configured', async () => {
    const single = browser();
    const named = await single.call('request', { phone, purpose: 'login' });
    expect(named).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_error', fields: { purpose: expect.any(String) } } },
    });
    expect(await sandbox.messages()).toHaveLength(0);

    const { call } = browser({ purposes: ['login', 'reset_password'] }, { cooldownSeconds: 0 });
    expect((await call('request', { phone, purpose: 'admin' })).body).toMatchObject({
      error: { fields: { purpose: expect.stringContaining('login, reset_password') } },
    });
    // No purpose means the first one: the code verifies under `login`.
    expect((await call('request', { phone })).status).toBe(201);
    const code = await receivedCode();
    expect((await call('verify', { phone, code, purpose: 'reset_password' })).body.success).toBe(
      false,
    );
    expect(await call('verify', { phone, code, purpose: 'login' })).toMatchObject({
      status: 200,
      verifiedPhone: customer,
    });
    expect(() => createOtpHttpHandler({ engine: engine().otp, purposes: [] })).toThrow(/purposes/);
  });

  it('answers every failed verify alike: never requested, wrong, locked and expired', async () => {
    const { call, clock } = browser({}, { cooldownSeconds: 0 });
    const answers = [await call('verify', { phone, code: '123456' })];

    await call('request', { phone });
    const code = await receivedCode();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 6; i++) answers.push(await call('verify', { phone, code: wrong }));
    answers.push(await call('verify', { phone, code })); // right, but locked by now

    await call('request', { phone });
    const fresh = await receivedCode();
    clock.now += 301_000;
    answers.push(await call('verify', { phone, code: fresh }));

    expect(answers).toHaveLength(9);
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 422,
        headers: {},
        body: {
          success: false,
          error: {
            code: 'otp_invalid',
            message: 'the code is wrong or has expired; request a new one',
          },
        },
      });
    }
  });

  it('still answers 429 with Retry-After once one address calls too often', async () => {
    const { call } = browser({ limits: { perIp: { limit: 2, windowMs: 60_000 } } });
    await call('verify', { phone, code: '123456' });
    await call('verify', { phone, code: '123456' });
    const limited = await call('verify', { phone, code: '123456' });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call('verify', { phone, code: '123456' }, '198.51.100.1')).status).toBe(422);
  });

  it('lets one address spend only its share of a number’s codes, so the owner can still log in', async () => {
    const { call } = browser({}, { cooldownSeconds: 0 });
    const attacker = [];
    for (let i = 0; i < 5; i++) attacker.push((await call('request', { phone })).status);
    expect(attacker).toEqual([201, 201, 201, 201, 429]);
    const owner = await call('request', { phone }, '198.51.100.1');
    expect(owner.status).toBe(201);
    expect(
      await call('verify', { phone, code: await receivedCode() }, '198.51.100.1'),
    ).toMatchObject({
      status: 200,
      verifiedPhone: customer,
    });
  });

  it('checks no code for an address over its limit: the engine is not even asked', async () => {
    const { otp } = engine();
    let verifies = 0;
    const counting = {
      ...otp,
      verify: (check: Parameters<typeof otp.verify>[0]) => {
        verifies += 1;
        return otp.verify(check);
      },
    };
    const handler = createOtpHttpHandler({
      engine: counting,
      limits: { perIp: { limit: 2, windowMs: 60_000 } },
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await handler({ route: 'verify', ip: IP, body: { phone, code: '123456' } })).status,
      );
    }
    expect(statuses).toEqual([422, 422, 429, 429]);
    expect(verifies).toBe(2);
  });

  it('counts the same, key by key, whether the limiter counts in one step or hit by hit', async () => {
    /** A limiter that lists every key it counted, with or without `hitInOrder`. */
    function recording(inOneStep: boolean) {
      const inner = memoryRequestLimiter();
      const counted: string[] = [];
      const limiter: RequestLimiter = {
        hit: (key, limit, windowMs) => {
          counted.push(key);
          return inner.hit(key, limit, windowMs);
        },
      };
      if (inOneStep) {
        limiter.hitInOrder = async (hits) => {
          const results = await hitInOrder(inner, hits);
          counted.push(...hits.slice(0, results.length).map((hit) => hit.key));
          return results;
        };
      }
      return { limiter, counted };
    }
    const ip = (name: string) => `otp:ip:${name}`;
    const phoneIp = (name: string) => `otp:phone-ip:${customer}:${name}`;
    const number = `otp:phone:${customer}`;

    for (const inOneStep of [true, false]) {
      const { limiter, counted } = recording(inOneStep);
      const { call } = browser(
        {
          limits: {
            store: limiter,
            perIp: { limit: 4, windowMs: 60_000 },
            perNumberPerIp: { limit: 2, windowMs: 60_000 },
            perNumber: { limit: 3, windowMs: 60_000 },
          },
        },
        { cooldownSeconds: 0 },
      );
      const statuses = [
        (await call('request', { phone }, 'A')).status,
        (await call('request', { phone }, 'A')).status,
        (await call('request', { phone }, 'A')).status, // A's share of the number is spent
        (await call('request', { phone, ttl: 30 }, 'A')).status, // refused body, counted for A
        (await call('request', { phone }, 'A')).status, // A is over its limit
        (await call('request', { phone }, 'B')).status,
        (await call('request', { phone }, 'C')).status, // the number is spent
        (await call('verify', { phone, code: '123456' }, 'A')).status,
      ];
      expect(statuses).toEqual([201, 201, 429, 422, 429, 201, 429, 429]);
      expect(counted).toEqual([
        ...[ip('A'), phoneIp('A'), number],
        ...[ip('A'), phoneIp('A'), number],
        ...[ip('A'), phoneIp('A')],
        ip('A'),
        ip('A'),
        ...[ip('B'), phoneIp('B'), number],
        ...[ip('C'), phoneIp('C'), number],
        ip('A'),
      ]);
    }
    expect(await sandbox.messages()).toHaveLength(6);
  });

  it('sends no code when a limiter skips limits without refusing one', async () => {
    const broken: RequestLimiter = {
      hit: async () => ({ allowed: true, retryAfterMs: 0 }),
      hitInOrder: async () => [],
    };
    const { call } = browser({ limits: { store: broken } });
    expect(await call('request', { phone })).toMatchObject({
      status: 502,
      body: { error: { code: 'delivery_failed' } },
    });
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('refuses numbers outside allowedCountries with 422 naming phone, before anything is sent', async () => {
    const { call } = browser({ allowedCountries: ['ID'] });
    for (const foreign of ['+1 202 555 0123', '+44 20 7946 0958']) {
      expect(await call('request', { phone: foreign })).toMatchObject({
        status: 422,
        body: {
          error: { code: 'validation_error', fields: { phone: expect.stringContaining('ID') } },
        },
      });
    }
    expect(await sandbox.messages()).toHaveLength(0);
    expect((await call('request', { phone })).status).toBe(201);
    expect(() => browser({ allowedCountries: ['XX' as 'ID'] })).toThrow(/allowedCountries/);
  });

  it('allowedCountries may name a country whose numbers are checked by shape only', async () => {
    const { call } = browser({ allowedCountries: ['DE'] });
    expect((await call('request', { phone })).status).toBe(422);
    expect((await call('request', { phone: '+49 1512 3456789' })).status).toBe(201);
  });
});

describe('createTrustedOtpHttpHandler (the backend-to-backend contract)', () => {
  function trusted() {
    const handler = createTrustedOtpHttpHandler({ engine: engine().otp, apiKey: API_KEY });
    return (
      route: OtpHttpRequest['route'],
      body: unknown,
      headers: OtpHttpRequest['headers'] = { 'x-api-key': API_KEY },
    ) => handler({ route, ip: IP, body, headers });
  }

  it('serves only callers with the API key', async () => {
    const call = trusted();
    for (const headers of [{}, { 'x-api-key': 'wrong' }, { authorization: `Bearer ${API_KEY}x` }]) {
      expect(await call('request', { phone }, headers)).toMatchObject({
        status: 401,
        body: { success: false, error: { code: 'unauthenticated' } },
      });
    }
    expect(await sandbox.messages()).toHaveLength(0);
    expect((await call('request', { phone }, { authorization: `Bearer ${API_KEY}` })).status).toBe(
      201,
    );
    expect(() => createTrustedOtpHttpHandler({ engine: engine().otp, apiKey: '' })).toThrow(
      /apiKey/,
    );
  });

  it('takes code_length, ttl and any purpose within the engine’s bounds, and answers in detail', async () => {
    const call = trusted();
    const requested = await call('request', {
      phone,
      purpose: 'withdrawal',
      code_length: 4,
      ttl: 60,
    });
    expect(requested).toMatchObject({ status: 201, body: { data: { expires_in: 60 } } });
    const code = await receivedCode();
    expect(code).toMatch(/^\d{4}$/);
    expect((await call('request', { phone, code_length: 9 })).body).toMatchObject({
      error: { code: 'validation_error', fields: { code_length: expect.any(String) } },
    });
    expect((await call('request', { phone, colour: 'blue' })).status).toBe(422);

    const wrong = await call('verify', {
      phone,
      purpose: 'withdrawal',
      code: code === '0000' ? '1111' : '0000',
    });
    expect(wrong).toMatchObject({
      status: 422,
      body: { error: { code: 'otp_incorrect', attempts_remaining: 4 } },
    });
    expect((await call('verify', { phone, code: '1234' })).body.error).toMatchObject({
      code: 'otp_expired',
    });
    expect(await call('verify', { phone, purpose: 'withdrawal', code })).toMatchObject({
      status: 200,
    });
  });
});
