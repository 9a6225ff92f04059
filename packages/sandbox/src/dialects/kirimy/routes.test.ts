import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox({ kirimy: { apiKeys: ['kirimy_test_key', 'kirimy_second_key'] } });

const NUMBER = '6281234567890';
const example = { ...seed.kirimySendMessage, receive: NUMBER };

function send(fields: Record<string, string>, apiKey: string | null = sandbox.kirimy.apiKey) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return call(`${sandbox.kirimy.baseUrl}/send-message`, {
    body: form,
    headers: apiKey === null ? {} : { 'api-key': apiKey },
  });
}

const error = (error_code: keyof typeof seed.kirimyErrorCodes) => ({
  success: false,
  message: seed.kirimyErrorCodes[error_code],
  error_code,
});

describe('Kirimy POST /send-message', () => {
  it('sends the seed example and answers in the seed success shape', async () => {
    const answer = await send(example);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      ...seed.kirimySendSuccess,
      data: {
        message_id: expect.stringMatching(/^3EB0[0-9A-F]{16}$/),
        session_id: 'sessioncontoh',
        receive: NUMBER,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    });
    expect(await sandbox.latest({ provider: 'kirimy' })).toMatchObject({
      id: answer.body.data.message_id,
      provider: 'kirimy',
      to: NUMBER,
      type: 'text',
      text: 'hallo, ini dikirim dari kirimy api',
      sessionId: 'sessioncontoh',
      status: 'accepted',
      payload: example,
    });
  });

  it('sends through the fallback session too', async () => {
    const answer = await send({ ...example, session_id: sandbox.kirimy.fallbackSessionId });
    expect(answer.status).toBe(200);
    expect((await sandbox.latest())?.sessionId).toBe('cadangan');
  });

  it('keeps line breaks and accepts exactly 4096 characters', async () => {
    expect((await send({ ...example, message: 'baris 1\nbaris 2' })).status).toBe(200);
    expect((await sandbox.latest())?.text).toBe('baris 1\nbaris 2');
    expect((await send({ ...example, message: 'a'.repeat(4096) })).status).toBe(200);
  });

  it.each([
    ['a wrong key', seed.kirimyExampleApiKey],
    ['no key', null],
  ])('answers 401 INVALID_API_KEY for %s and stores nothing', async (_name, key) => {
    const answer = await send(example, key);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(error('INVALID_API_KEY'));
    expect(await sandbox.messages()).toEqual([]);
  });

  it('answers 404 SESSION_NOT_FOUND for an unknown session', async () => {
    const answer = await send({ ...example, session_id: 'tidakada' });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(error('SESSION_NOT_FOUND'));
  });

  it('answers 409 SESSION_INACTIVE for a disconnected session', async () => {
    await sandbox.setKirimySession('sessioncontoh', { active: false });
    const answer = await send(example);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual(error('SESSION_INACTIVE'));
    expect(await sandbox.messages()).toEqual([]);
  });

  it.each([
    ["the seed's placeholder", '62xxxxxxxxxxx'],
    ['a local 08 number', '081234567890'],
    ['a leading +', '+6281234567890'],
    ['another country code', '6591234567'],
    ['too few digits', '6281234'],
    ['nothing', ''],
  ])('answers 400 INVALID_PHONE_NUMBER for %s', async (_name, receive) => {
    const answer = await send({ ...example, receive });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(error('INVALID_PHONE_NUMBER'));
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n '],
  ])('answers 400 MESSAGE_EMPTY for an %s message', async (_name, message) => {
    const answer = await send({ ...example, message });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(error('MESSAGE_EMPTY'));
  });

  it('answers 400 MESSAGE_TOO_LONG past 4096 characters', async () => {
    const answer = await send({ ...example, message: 'a'.repeat(4097) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ success: false, error_code: 'MESSAGE_TOO_LONG' });
  });

  it('answers 429 QUOTA_EXCEEDED once the session used its daily quota', async () => {
    await sandbox.setKirimySession('sessioncontoh', { dailyQuota: 2 });
    expect((await send(example)).status).toBe(200);
    expect((await send({ ...example, message: 'dua' })).status).toBe(200);

    const answer = await send({ ...example, message: 'tiga' });
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual(error('QUOTA_EXCEEDED'));
    expect(await sandbox.messages({ provider: 'kirimy' })).toHaveLength(2);
    // The quota is per session: the fallback still sends.
    expect((await send({ ...example, session_id: 'cadangan' })).status).toBe(200);
  });

  it('answers 400 INVALID_REQUEST for a JSON body or a missing session_id', async () => {
    const json = await call(`${sandbox.kirimy.baseUrl}/send-message`, {
      json: example,
      headers: { 'api-key': sandbox.kirimy.apiKey },
    });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ success: false, error_code: 'INVALID_REQUEST' });

    const { session_id: _omitted, ...withoutSession } = example;
    const missing = await send(withoutSession);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      success: false,
      message: 'session_id is required',
      error_code: 'INVALID_REQUEST',
    });
  });

  it('answers 404 for an unknown path', async () => {
    const answer = await call(`${sandbox.kirimy.baseUrl}/send-media`, {
      method: 'POST',
      headers: { 'api-key': sandbox.kirimy.apiKey },
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ success: false, error_code: 'NOT_FOUND' });
  });
});

describe('Kirimy rate limit', () => {
  it('answers 429 Too Many Requests past 100 requests a minute per API key', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => send({ ...example, message: `pesan ${i}` })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);

    const limited = await send({ ...example, message: 'pesan 101' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      success: false,
      message: 'Too Many Requests',
      error_code: 'TOO_MANY_REQUESTS',
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sandbox.messages({ provider: 'kirimy', limit: 1000 })).toHaveLength(100);

    // Another key has its own budget, and a reset clears the window.
    expect((await send(example, 'kirimy_second_key')).status).toBe(200);
    await sandbox.reset();
    expect((await send(example)).status).toBe(200);
  });
});

describe('Kirimy control API', () => {
  it('lists the default sessions with their quota and usage', async () => {
    await send(example);
    expect(await sandbox.kirimySessions()).toEqual([
      { id: 'sessioncontoh', active: true, dailyQuota: 1000, sentToday: 1 },
      { id: 'cadangan', active: true, dailyQuota: 1000, sentToday: 0 },
    ]);
  });

  it('creates a session that can send at once', async () => {
    const session = await sandbox.setKirimySession('toko-2', { dailyQuota: 5 });
    expect(session).toEqual({ id: 'toko-2', active: true, dailyQuota: 5, sentToday: 0 });
    expect((await send({ ...example, session_id: 'toko-2' })).status).toBe(200);
  });

  it('rejects a bad patch', async () => {
    const answer = await call(`${sandbox.url}/api/v1/kirimy/sessions/sessioncontoh`, {
      json: { active: 'no' },
    });
    expect(answer.status).toBe(400);
    await expect(sandbox.setKirimySession('x', { dailyQuota: -1 })).rejects.toThrow(/400/);
  });

  it('reset restores the default sessions', async () => {
    await sandbox.setKirimySession('sessioncontoh', { active: false, dailyQuota: 1 });
    await sandbox.setKirimySession('toko-2', {});
    await sandbox.reset();
    expect(await sandbox.kirimySessions()).toEqual([
      { id: 'sessioncontoh', active: true, dailyQuota: 1000, sentToday: 0 },
      { id: 'cadangan', active: true, dailyQuota: 1000, sentToday: 0 },
    ]);
    expect((await send(example)).status).toBe(200);
  });

  it('reports the credentials in /info', async () => {
    const info = await call(`${sandbox.url}/api/v1/info`);
    expect(info.body.providers).toContain('kirimy');
    expect(info.body.credentials.kirimy).toEqual({
      baseUrl: `${sandbox.url}/kirimy/v1`,
      apiKey: 'kirimy_test_key',
      sessionId: 'sessioncontoh',
      fallbackSessionId: 'cadangan',
    });
  });
});

describe('Kirimy faults', () => {
  it('answers an injected 503 in the Kirimy error shape without sending or using quota', async () => {
    await sandbox.fault({ provider: 'kirimy', path: '/send-message', status: 503, retryAfter: 3 });
    const answer = await send(example);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(answer.body).toEqual({
      success: false,
      message: 'Service Unavailable',
      error_code: 'SERVICE_UNAVAILABLE',
    });
    expect(await sandbox.messages()).toEqual([]);
    expect((await sandbox.kirimySessions())[0]?.sentToday).toBe(0);
  });

  it('sends, then drops the connection, with when: after', async () => {
    await sandbox.fault({ provider: 'kirimy', reset: true, when: 'after', times: 1 });
    await expect(send(example)).rejects.toThrow();
    expect(await sandbox.messages({ provider: 'kirimy' })).toHaveLength(1);
  });

  it('leaves Kirimy alone when the fault targets another provider', async () => {
    await sandbox.fault({ provider: 'kirem', status: 500 });
    expect((await send(example)).status).toBe(200);
  });
});
