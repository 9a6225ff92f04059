import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox({ kirem: { apiKeys: ['kirem_key_a', 'kirem_key_b'] } });

function send(body: unknown, key?: string, apiKey = 'kirem_key_a') {
  return call(`${sandbox.kirem.baseUrl}/v1/messages`, {
    token: apiKey,
    json: body,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
}

describe('Kirem Idempotency-Key', () => {
  it('replays the first response for the same key and body, storing one message', async () => {
    const first = await send(seed.sendInvoiceText, seed.idempotencyKey);
    const second = await send(seed.sendInvoiceText, seed.idempotencyKey);

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);

    const messages = await sandbox.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      id: first.body.data.messages[0].id,
      idempotencyKey: seed.idempotencyKey,
    });
  });

  it('refuses the same key with a different body with 422', async () => {
    await send(seed.sendInvoiceText, seed.idempotencyKey);
    const answer = await send(seed.sendText, seed.idempotencyKey);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      status: 422,
      message: 'Idempotency-Key was already used with a different request',
      errors: { idempotency_key: expect.any(String) },
    });
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('scopes keys per API key', async () => {
    await send(seed.sendInvoiceText, 'shared-key', 'kirem_key_a');
    const other = await send(seed.sendInvoiceText, 'shared-key', 'kirem_key_b');
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await sandbox.messages()).toHaveLength(2);
  });

  it('sends twice without a key', async () => {
    await send(seed.sendInvoiceText);
    await send(seed.sendInvoiceText);
    expect(await sandbox.messages()).toHaveLength(2);
  });

  it('makes concurrent requests with one key wait for the first under latency', async () => {
    // Only the first request to arrive is delayed; the others must wait for it, not overtake it.
    await sandbox.fault({ provider: 'kirem', path: '/messages', latencyMs: 300, times: 1 });
    const started = performance.now();
    const answers = await Promise.all([
      send(seed.sendInvoiceText, 'concurrent'),
      send(seed.sendInvoiceText, 'concurrent'),
      send(seed.sendInvoiceText, 'concurrent'),
    ]);

    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const ids = new Set(answers.map((answer) => answer.body.data.messages[0].id));
    expect(ids.size).toBe(1);
    const replayed = answers.map((a) => a.headers.get('idempotent-replayed'));
    expect(replayed.sort()).toEqual([null, 'true', 'true'].sort());
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('does not remember a request that a fault stopped before processing', async () => {
    await sandbox.fault({ path: '/messages', status: 503, times: 1 });
    const failed = await send(seed.sendInvoiceText, 'retry-me');
    const retried = await send(seed.sendInvoiceText, 'retry-me');
    expect(failed.status).toBe(503);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('replays the accepted result after an "after" fault lost the response', async () => {
    await sandbox.fault({ path: '/messages', status: 503, when: 'after', times: 1 });
    const lost = await send(seed.sendInvoiceText, 'lost-response');
    expect(lost.status).toBe(503);
    const [stored] = await sandbox.messages();

    const retried = await send(seed.sendInvoiceText, 'lost-response');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.data.messages[0].id).toBe(stored?.id);
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('applies faults to replays too: a replayed answer can be lost as well', async () => {
    await sandbox.fault({ path: '/messages', status: 503, when: 'after', times: 2 });
    expect((await send(seed.sendInvoiceText, 'lost-twice')).status).toBe(503);
    expect((await send(seed.sendInvoiceText, 'lost-twice')).status).toBe(503);
    const third = await send(seed.sendInvoiceText, 'lost-twice');
    expect(third.status).toBe(201);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('does not remember a validation failure', async () => {
    const invalid = await send({ ...seed.sendInvoiceText, to: 'nope' }, 'fix-and-retry');
    const fixed = await send(seed.sendInvoiceText, 'fix-and-retry');
    expect(invalid.status).toBe(400);
    expect(fixed.status).toBe(201);
  });

  it('forgets keys on reset', async () => {
    await send(seed.sendInvoiceText, 'before-reset');
    await sandbox.reset();
    const after = await send(seed.sendText, 'before-reset');
    expect(after.status).toBe(201);
  });
});
