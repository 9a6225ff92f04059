import { createClient, KabarError } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKETS,
  prometheusHooks,
  readSamples,
  sampleTotal,
  statusClass,
} from './index.js';

const sandbox = useSandbox();
const CUSTOMER = '6281234567890';

function setup(options: { apiKey?: string; retry?: false; timeoutMs?: number } = {}) {
  const registry = new Registry();
  const hooks = prometheusHooks({ registry });
  const client = createClient({
    provider: kirem({ ...sandbox.kirem, apiKey: options.apiKey ?? sandbox.kirem.apiKey }),
    hooks,
    retry: options.retry ?? { initialDelayMs: 10, maxDelayMs: 20 },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { registry, hooks, client };
}

describe('prometheusHooks', () => {
  it('counts real sends by provider, operation and status class, with a latency histogram in seconds', async () => {
    const { registry, client } = setup();
    for (const n of [1, 2, 3]) await client.send({ to: CUSTOMER, text: `Pesanan #${n} dikirim` });
    await client.templates.list();
    const samples = readSamples(await registry.metrics());
    const sent = { provider: 'kirem', operation: 'send', status_class: '2xx' };
    expect(sampleTotal(samples, 'kabar_gateway_requests_total', sent)).toBe(3);
    expect(
      sampleTotal(samples, 'kabar_gateway_requests_total', { operation: 'templates.list' }),
    ).toBe(1);
    expect(sampleTotal(samples, 'kabar_gateway_request_duration_seconds_count', sent)).toBe(3);
    const sum = sampleTotal(samples, 'kabar_gateway_request_duration_seconds_sum', sent);
    // Local round trips: well under a second each, but not zero.
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(3);
    const buckets = samples.filter(
      (s) =>
        s.name === 'kabar_gateway_request_duration_seconds_bucket' && s.labels.operation === 'send',
    );
    expect(buckets.map((b) => b.labels.le)).toEqual([...DEFAULT_BUCKETS.map(String), '+Inf']);
    expect(buckets.at(-1)?.value).toBe(3);
    // Cumulative buckets never decrease.
    expect(buckets.every((b, i) => i === 0 || b.value >= (buckets[i - 1]?.value ?? 0))).toBe(true);
  });

  it('counts a retry forced by the sandbox (429, then accepted) and both attempts', async () => {
    const { registry, client } = setup();
    await sandbox.fault({
      provider: 'kirem',
      path: '/messages',
      method: 'POST',
      status: 429,
      retryAfter: 0,
      times: 1,
    });
    await client.send({ to: CUSTOMER, text: 'Pesanan #7 dikirim' });
    expect(await sandbox.messages({ to: CUSTOMER, direction: 'outbound' })).toHaveLength(1);
    const samples = readSamples(await registry.metrics());
    const send = { provider: 'kirem', operation: 'send' };
    expect(
      sampleTotal(samples, 'kabar_gateway_retries_total', { ...send, code: 'rate_limited' }),
    ).toBe(1);
    expect(
      sampleTotal(samples, 'kabar_gateway_requests_total', { ...send, status_class: '4xx' }),
    ).toBe(1);
    expect(
      sampleTotal(samples, 'kabar_gateway_requests_total', { ...send, status_class: '2xx' }),
    ).toBe(1);
    expect(
      samples
        .filter((s) => s.name === 'kabar_gateway_request_duration_seconds_count')
        .reduce((total, s) => total + s.value, 0),
    ).toBe(2);
    expect(sampleTotal(samples, 'kabar_failures_total', { ...send, code: 'rate_limited' })).toBe(0);
  });

  it('counts failed calls by Kabar error code, refusals before any request included, and attempts with no response as none', async () => {
    const { registry, client } = setup({ apiKey: 'kirem_wrong_key', retry: false });
    const refused = await client.send({ to: CUSTOMER, text: 'x' }).catch((e: unknown) => e);
    expect(KabarError.isInstance(refused) && refused.code).toBe('unauthenticated');
    const invalid = await client.send({ to: '0812', text: 'x' }).catch((e: unknown) => e);
    expect(KabarError.isInstance(invalid) && invalid.code).toBe('invalid_phone');

    const slow = setup({ retry: false, timeoutMs: 200 });
    await sandbox.fault({ provider: 'kirem', path: '/messages', latencyMs: 2000, times: 1 });
    const late = await slow.client.send({ to: CUSTOMER, text: 'x' }).catch((e: unknown) => e);
    expect(KabarError.isInstance(late) && late.code).toBe('timeout');

    const samples = readSamples(await registry.metrics());
    const send = { provider: 'kirem', operation: 'send' };
    expect(sampleTotal(samples, 'kabar_failures_total', { ...send, code: 'unauthenticated' })).toBe(
      1,
    );
    expect(
      sampleTotal(samples, 'kabar_gateway_requests_total', { ...send, status_class: '4xx' }),
    ).toBe(1);
    const timedOut = readSamples(await slow.registry.metrics());
    expect(sampleTotal(timedOut, 'kabar_failures_total', { ...send, code: 'timeout' })).toBe(1);
    expect(sampleTotal(samples, 'kabar_failures_total', { ...send, code: 'invalid_phone' })).toBe(
      1,
    );
    expect(
      sampleTotal(timedOut, 'kabar_gateway_requests_total', { ...send, status_class: 'none' }),
    ).toBe(1);
    const waited = sampleTotal(timedOut, 'kabar_gateway_request_duration_seconds_sum', {
      ...send,
      status_class: 'none',
    });
    expect(waited).toBeGreaterThanOrEqual(0.19);
    expect(waited).toBeLessThan(2);
  });

  it('never puts a URL, a phone number, a message id or a key in a label', async () => {
    const { registry, client } = setup();
    const { id } = await client.send({ to: CUSTOMER, text: 'Pesanan #9 dikirim' });
    const text = await registry.metrics();
    for (const secretOrUnique of [CUSTOMER, id, sandbox.kirem.apiKey, sandbox.kirem.baseUrl]) {
      expect(text).not.toContain(secretOrUnique);
    }
    const labels = new Set(
      readSamples(await registry.metrics()).flatMap((s) => Object.keys(s.labels)),
    );
    expect([...labels].sort()).toEqual(['le', 'operation', 'provider', 'status_class']);
  });

  it('takes a prefix and buckets; two clients on one registry share its metrics', async () => {
    const registry = new Registry();
    const options = { registry, prefix: 'toko_', buckets: [0.5, 1] };
    const first = prometheusHooks(options);
    const second = prometheusHooks(options);
    expect(second.metrics.requests).toBe(first.metrics.requests);
    for (const hooks of [first, second]) {
      await createClient({ provider: kirem(sandbox.kirem), hooks }).send({
        to: CUSTOMER,
        text: 'x',
      });
    }
    const samples = readSamples(await registry.metrics());
    expect(sampleTotal(samples, 'toko_gateway_requests_total', { status_class: '2xx' })).toBe(2);
    expect(
      samples
        .filter((s) => s.name === 'toko_gateway_request_duration_seconds_bucket')
        .map((s) => s.labels.le),
    ).toEqual(['0.5', '1', '+Inf']);
    expect(samples.some((s) => s.name.startsWith('kabar_'))).toBe(false);
  });

  it('names status classes, and none for an attempt without a response', () => {
    expect([200, 204, 301, 404, 429, 503].map(statusClass)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
    ]);
    expect([undefined, 0, 99, 600, 200.5].map(statusClass)).toEqual([
      'none',
      'none',
      'none',
      'none',
      'none',
    ]);
  });
});
