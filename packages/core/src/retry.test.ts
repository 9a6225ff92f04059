import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from './client.js';
import type { RetryEvent } from './hooks.js';
import { kirem } from './providers/kirem/index.js';
import { meta } from './providers/meta/index.js';
import { closedPort, failure, transportUnderTest } from './test-helpers.js';

const sandbox = useSandbox();

function kiremClient(options: Partial<ClientOptions> = {}) {
  return createClient({
    ...transportUnderTest(),
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    retry: { initialDelayMs: 20, maxRetries: 3 },
    rateLimit: false,
    ...options,
  });
}

function metaClient(options: Partial<ClientOptions> = {}) {
  return createClient({
    ...transportUnderTest(),
    provider: meta({
      accessToken: sandbox.meta.accessToken,
      phoneNumberId: sandbox.meta.phoneNumberId,
      baseUrl: sandbox.meta.baseUrl,
    }),
    retry: { initialDelayMs: 20, maxRetries: 3 },
    rateLimit: false,
    ...options,
  });
}

const text = { to: '081234567890', text: 'Tagihan Rp 150.000 telah terbit.' };

describe('Kirem deduplicates, so every transient failure is retried and delivered once', () => {
  it('an earlier attempt that may have gone through keeps the final error maybeAccepted, with the key to resend under', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      reset: true,
      when: 'after',
      times: 1,
    });
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 429, times: 2 });
    const error = await failure(
      kiremClient({ retry: { initialDelayMs: 5, maxRetries: 2 } }).send(text),
    );

    // The last attempt was turned away (429), but the first was accepted before its reset.
    expect(error).toMatchObject({ code: 'rate_limited', maybeAccepted: true });
    const stored = await sandbox.messages();
    expect(stored).toHaveLength(1);
    expect(error.idempotencyKey).toBe(stored[0]?.idempotencyKey);
    expect(JSON.parse(JSON.stringify(error)).idempotencyKey).toBe(error.idempotencyKey);

    // The caller's resend under that key delivers nothing new.
    const resent = await kiremClient().send({ ...text, idempotencyKey: error.idempotencyKey });
    expect(resent.id).toBe(stored[0]?.id);
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('503 after the gateway accepted the message: retried, delivered once', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 503,
      when: 'after',
      times: 2,
    });
    const retries: RetryEvent[] = [];
    const result = await kiremClient({ hooks: { onRetry: (e) => retries.push(e) } }).send(text);

    expect(retries.map((r) => r.error.status)).toEqual([503, 503]);
    const stored = await sandbox.messages();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(result.id);
    expect(stored[0]?.idempotencyKey).toBe(result.idempotencyKey);
  });

  it('timeout after the gateway accepted the message: retried with the same key, delivered once', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      latencyMs: 400,
      when: 'after',
      times: 1,
    });
    const retries: RetryEvent[] = [];
    const client = kiremClient({ timeoutMs: 150, hooks: { onRetry: (e) => retries.push(e) } });
    const result = await client.send(text);

    expect(retries.map((r) => r.error.code)).toEqual(['timeout']);
    const stored = await sandbox.messages();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(result.id);
  });

  it('connection reset after acceptance: retried, delivered once', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      reset: true,
      when: 'after',
      times: 1,
    });
    const result = await kiremClient().send(text);
    const stored = await sandbox.messages();
    expect(stored.map((m) => m.id)).toEqual([result.id]);
  });

  it('429 with Retry-After: waits as told, then delivers once', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 429,
      retryAfter: 1,
      times: 1,
    });
    const retries: RetryEvent[] = [];
    const started = performance.now();
    await kiremClient({ hooks: { onRetry: (e) => retries.push(e) } }).send(text);
    expect(retries[0]?.delayMs).toBe(1000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('under random 503s, latency and resets, 40 concurrent sends deliver exactly 40 messages', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 503,
      when: 'after',
      probability: 0.25,
    });
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      reset: true,
      when: 'after',
      probability: 0.1,
    });
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      latencyMs: 1500,
      when: 'after',
      probability: 0.1,
    });
    // About 4 in 10 attempts fail here; 20 retries make running out of them (0.4^21 per send) a
    // non-event, where 8 failed about one CI run in a hundred. The timeout sits well above what a
    // busy CI machine needs for a healthy request and well below the injected latency.
    const client = kiremClient({
      timeoutMs: 1000,
      retry: { initialDelayMs: 5, maxDelayMs: 40, maxRetries: 20 },
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.send({ to: '081234567890', text: `pesan ${i}` })),
    );
    await sandbox.clearFaults();

    const stored = await sandbox.messages({ limit: 1000 });
    expect(stored).toHaveLength(40);
    expect(new Set(stored.map((m) => m.text)).size).toBe(40);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(stored.map((m) => m.id)));
  });
});

describe('when the gateway keeps failing', () => {
  it('a persistent 500 is retried up to maxRetries, then thrown with the status; the message exists once', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 500, when: 'after' });
    const retries: RetryEvent[] = [];
    const error = await failure(
      kiremClient({
        retry: { initialDelayMs: 5, maxRetries: 3 },
        hooks: { onRetry: (e) => retries.push(e) },
      }).send(text),
    );
    expect(error).toMatchObject({ code: 'provider_error', status: 500, maybeAccepted: true });
    expect(retries.map((r) => r.attempt)).toEqual([2, 3, 4]);
    expect(await sandbox.messages()).toHaveLength(1);
  });
});

describe('Meta does not deduplicate, so an ambiguous failure is never retried', () => {
  it('503 after acceptance: fails with maybeAccepted, and the message exists once', async () => {
    await sandbox.fault({
      provider: 'meta',
      path: '/messages',
      status: 503,
      when: 'after',
      times: 1,
    });
    const retries: RetryEvent[] = [];
    const error = await failure(
      metaClient({ hooks: { onRetry: (e) => retries.push(e) } }).send(text),
    );

    expect(error.status).toBe(503);
    expect(error.maybeAccepted).toBe(true);
    expect(retries).toHaveLength(0);
    expect(await sandbox.messages({ provider: 'meta' })).toHaveLength(1);
  });

  it('timeout after acceptance: fails with timeout, no second copy', async () => {
    await sandbox.fault({
      provider: 'meta',
      path: '/messages',
      latencyMs: 400,
      when: 'after',
      times: 1,
    });
    const error = await failure(metaClient({ timeoutMs: 150 }).send(text));
    expect(error.code).toBe('timeout');
    expect(error.maybeAccepted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await sandbox.messages({ provider: 'meta' })).toHaveLength(1);
  });

  it('503 with Retry-After and 429 mean "not accepted": retried and delivered once', async () => {
    await sandbox.fault({
      provider: 'meta',
      path: '/messages',
      status: 503,
      retryAfter: 0,
      times: 1,
    });
    await sandbox.fault({ provider: 'meta', path: '/messages', status: 429, times: 1 });
    const retries: RetryEvent[] = [];
    await metaClient({ hooks: { onRetry: (e) => retries.push(e) } }).send(text);
    expect(retries.map((r) => r.error.status)).toEqual([503, 429]);
    expect(await sandbox.messages({ provider: 'meta' })).toHaveLength(1);
  });

  it('retryUnsafe opts in to retrying ambiguous failures, and then duplicates can happen', async () => {
    await sandbox.fault({
      provider: 'meta',
      path: '/messages',
      status: 503,
      when: 'after',
      times: 1,
    });
    await metaClient({ retry: { initialDelayMs: 5, retryUnsafe: true } }).send(text);
    expect(await sandbox.messages({ provider: 'meta' })).toHaveLength(2);
  });
});

describe('failures that never reached a gateway', () => {
  it('connection refused is retried, then reported as network and not accepted', async () => {
    const port = await closedPort();
    const retries: RetryEvent[] = [];
    const client = createClient({
      ...transportUnderTest(),
      provider: kirem({ apiKey: 'kirem_test_key', baseUrl: `http://127.0.0.1:${port}` }),
      retry: { initialDelayMs: 5, maxRetries: 2 },
      hooks: { onRetry: (e) => retries.push(e) },
    });
    const error = await failure(client.send(text));
    expect(error.code).toBe('network');
    expect(error.maybeAccepted).toBe(false);
    expect(retries).toHaveLength(2);
  });

  it('a 400 is never retried', async () => {
    const retries: RetryEvent[] = [];
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 400, times: 1 });
    const error = await failure(
      kiremClient({ hooks: { onRetry: (e) => retries.push(e) } }).send(text),
    );
    expect(error.code).toBe('validation');
    expect(retries).toHaveLength(0);
  });

  it('a Retry-After longer than maxRetryAfterMs is not waited out', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 429,
      retryAfter: 3600,
      times: 1,
    });
    const started = performance.now();
    const error = await failure(kiremClient().send(text));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(3600);
    // Waiting would take an hour; one request, even on a loaded machine, not.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('aborting stops a send that is waiting to retry', async () => {
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 429,
      retryAfter: 30,
      times: 1,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(
      kiremClient({ retry: { maxRetryAfterMs: 60_000 } }).send(text, { signal: controller.signal }),
    );
    expect(error.code).toBe('aborted');
    expect(await sandbox.messages()).toHaveLength(0);
  });
});
