import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from './client.js';
import { KabarError } from './errors.js';
import type { FailureEvent, RequestEvent } from './hooks.js';
import { kirem } from './providers/kirem/index.js';
import { failure, transportUnderTest } from './test-helpers.js';

const sandbox = useSandbox();
const text = { to: '081234567890', text: 'Pesanan #1042 sudah dikirim.' };

/** A Kirem client that records what its hooks hear. */
function observed(options: Partial<ClientOptions> = {}) {
  const failures: FailureEvent[] = [];
  const requests: RequestEvent[] = [];
  const client = createClient({
    ...transportUnderTest(),
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    retry: { initialDelayMs: 10, maxRetries: 2 },
    rateLimit: false,
    hooks: { onFailure: (e) => failures.push(e), onRequest: (e) => requests.push(e) },
    ...options,
  });
  return { client, failures, requests };
}

describe('hooks.onFailure', () => {
  it('hears a gateway call that failed for good once, after its last attempt, with its error', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 401, times: 1 });
    const { client, failures, requests } = observed();
    const error = await failure(client.send(text));

    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ provider: 'kirem', operation: 'send', attempts: 1 });
    expect(failures[0]?.error).toBe(error);
    expect(requests).toHaveLength(1);
  });

  it('counts the attempts of a call that kept failing through its retries', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/templates', status: 503, times: 3 });
    const { client, failures } = observed();
    const error = await failure(client.templates.list());

    expect(error.status).toBe(503);
    expect(failures.map((f) => [f.operation, f.attempts])).toEqual([['templates.list', 3]]);
  });

  it('hears a send refused before any request, with 0 attempts', async () => {
    const { client, failures, requests } = observed();
    const error = await failure(client.send({ to: '0812', text: 'halo' }));

    expect(failures).toEqual([{ provider: 'kirem', operation: 'send', attempts: 0, error }]);
    expect(requests).toHaveLength(0);
  });

  it('hears nothing when the call succeeds, even after a retry', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 503, times: 1 });
    const { client, failures } = observed();
    await client.send(text);
    expect(failures).toEqual([]);
  });
});

describe('a send aborted while its retry waits for the rate limit', () => {
  it('still says an earlier attempt may have gone through', async () => {
    // Accepted, then answered 503: the retry must wait a minute for the limit, and is aborted.
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      status: 503,
      when: 'after',
      times: 1,
    });
    const { client, failures } = observed({ rateLimit: { perMinute: 1 } });
    const error = await failure(client.send(text, { signal: AbortSignal.timeout(300) }));

    expect(KabarError.isInstance(error)).toBe(true);
    expect(error.maybeAccepted).toBe(true);
    expect(error.idempotencyKey).toEqual(expect.any(String));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.attempts).toBe(1);
    expect(await sandbox.messages()).toHaveLength(1);
  });
});
