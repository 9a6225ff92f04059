import { describe, expect, it } from 'vitest';
import * as seed from './seed-examples.js';
import { call } from './test-helpers.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

const sendKirem = () =>
  call(`${sandbox.kirem.baseUrl}/v1/messages`, {
    token: sandbox.kirem.apiKey,
    json: seed.sendText,
  });
const sendMeta = () =>
  call(`${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`, {
    token: sandbox.meta.accessToken,
    json: seed.sendText,
  });
const control = (path: string, options: Parameters<typeof call>[1] = {}) =>
  call(`${sandbox.url}/api/v1${path}`, options);

describe('fault injection', () => {
  it('answers with the status, Retry-After and the Kirem error shape, storing nothing', async () => {
    await sandbox.fault({ provider: 'kirem', status: 503, retryAfter: 7, times: 1 });
    const failed = await sendKirem();
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(failed.body).toEqual({ status: 503, message: 'Service Unavailable', errors: {} });
    expect(await sandbox.messages()).toEqual([]);

    expect((await sendKirem()).status).toBe(201);
  });

  it('uses the Graph error shape for Meta', async () => {
    await sandbox.fault({ provider: 'meta', status: 503 });
    const failed = await sendMeta();
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({
      error: {
        message: 'Service temporarily unavailable',
        type: 'OAuthException',
        code: 2,
        fbtrace_id: expect.any(String),
      },
    });
  });

  it('sends a custom body when given one', async () => {
    const body = { status: 429, message: 'Too Many Requests', errors: { rate: 'slow down' } };
    await sandbox.fault({ status: 429, body });
    expect((await sendKirem()).body).toEqual(body);
  });

  it('delays the response by latencyMs and then answers normally', async () => {
    await sandbox.fault({ latencyMs: 250 });
    const started = performance.now();
    const answer = await sendKirem();
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(answer.status).toBe(201);
  });

  it('drops the connection on reset without processing', async () => {
    await sandbox.fault({ reset: true, times: 1 });
    await expect(sendKirem()).rejects.toThrow();
    expect(await sandbox.messages()).toEqual([]);
  });

  it('with when "after" stores the message, then drops the connection', async () => {
    await sandbox.fault({ reset: true, when: 'after', times: 1 });
    await expect(sendKirem()).rejects.toThrow();
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('with when "after" stores the message but answers 503', async () => {
    await sandbox.fault({ status: 503, when: 'after', times: 1 });
    expect((await sendKirem()).status).toBe(503);
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('counts down times and then disappears', async () => {
    const fault = await sandbox.fault({ status: 500, times: 2 });
    expect(fault).toMatchObject({ status: 500, times: 2, when: 'before', remaining: 2 });

    expect((await sendKirem()).status).toBe(500);
    expect((await control('/faults')).body.faults).toMatchObject([{ id: fault.id, remaining: 1 }]);
    expect((await sendKirem()).status).toBe(500);
    expect((await control('/faults')).body.faults).toEqual([]);
    expect((await sendKirem()).status).toBe(201);
  });

  it('applies with probability 1 and never with probability 0', async () => {
    await sandbox.fault({ status: 500, probability: 0 });
    expect((await sendKirem()).status).toBe(201);
    await sandbox.fault({ status: 502, probability: 1 });
    expect((await sendKirem()).status).toBe(502);
  });

  it('matches on provider, path and method', async () => {
    await sandbox.fault({ provider: 'meta', status: 500 });
    await sandbox.fault({ path: '/templates', status: 500 });
    await sandbox.fault({ method: 'get', status: 500 });
    expect((await sendKirem()).status).toBe(201);
    expect((await sendMeta()).status).toBe(500);
    const templates = await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
      token: sandbox.kirem.apiKey,
      method: 'POST',
      json: seed.createNotifPesananBaru,
    });
    expect(templates.status).toBe(500);
  });

  it('applies the first matching fault in creation order', async () => {
    await sandbox.fault({ status: 502, times: 1 });
    await sandbox.fault({ status: 504, times: 1 });
    expect((await sendKirem()).status).toBe(502);
    expect((await sendKirem()).status).toBe(504);
  });

  it('clears one fault or all of them', async () => {
    const first = await sandbox.fault({ status: 500 });
    await sandbox.fault({ provider: 'meta', status: 500 });
    expect((await control(`/faults/${first.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await sendKirem()).status).toBe(201);
    expect((await sendMeta()).status).toBe(500);

    await sandbox.clearFaults();
    expect((await sendMeta()).status).toBe(200);
    expect((await control('/faults/nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses an invalid fault and says why', async () => {
    const answer = await control('/faults', {
      json: { provider: 'sms', status: 1000, probability: 2 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('provider');
    expect(answer.body.error).toContain('status');
    expect(answer.body.error).toContain('probability');
    expect((await control('/faults', { json: { path: '/messages' } })).status).toBe(400);
  });
});
