import { describe, expect, it } from 'vitest';
import { currentRequest, recordingRequest, redactHeaders } from './recorded-request.js';
import { sleep } from './test-helpers.js';

const request = {
  method: 'POST',
  path: '/v1/messages',
  query: new URLSearchParams({ token: 'abc', page: '2' }),
  headers: { authorization: 'Bearer kirem_test_key', 'idempotency-key': 'k1' },
  body: Buffer.from('{"to":"62812"}'),
};

describe('recorded gateway requests', () => {
  it('redacts credentials by header name and keeps the Authorization scheme', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer kirem_test_key',
        'api-key': 'kirimy_test_key',
        'x-api-key': 'qirim_test_key',
        secretkey: 'waviro_test_key',
        cookie: 'session=1',
        'idempotency-key': 'order-12',
        'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
      }),
    ).toEqual({
      authorization: 'Bearer [redacted]',
      'api-key': '[redacted]',
      'x-api-key': '[redacted]',
      secretkey: '[redacted]',
      cookie: '[redacted]',
      'idempotency-key': 'order-12',
      'x-forwarded-for': '10.0.0.1, 10.0.0.2',
    });
  });

  it('is the current request while the handler runs, and no longer once it is done', async () => {
    expect(currentRequest()).toBeUndefined();
    let later: Promise<unknown> = Promise.resolve();
    const during = await recordingRequest('kirem', request, async () => {
      await sleep(1);
      // Work the handler starts but does not wait for.
      later = sleep(20).then(() => currentRequest());
      return currentRequest();
    });
    expect(during).toMatchObject({
      method: 'POST',
      path: '/kirem/v1/messages?token=%5Bredacted%5D&page=2',
      headers: { authorization: 'Bearer [redacted]', 'idempotency-key': 'k1' },
      body: '{"to":"62812"}',
      bodyBytes: 14,
    });
    expect(await later).toBeUndefined();
  });

  it('keeps the first 64 KiB of a large body and says it was cut', async () => {
    const body = Buffer.alloc(70_000, 'a');
    const recorded = await recordingRequest('fonnte', { ...request, body }, currentRequest);
    expect(recorded?.body).toHaveLength(64 * 1024);
    expect(recorded).toMatchObject({ bodyBytes: 70_000, truncated: true });
  });
});
