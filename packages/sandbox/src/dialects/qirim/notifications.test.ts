import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const qirim = (path: string, options: CallOptions = {}) =>
  call(`${sandbox.qirim.baseUrl}${path}`, {
    ...options,
    headers: { 'x-api-key': sandbox.qirim.apiKey, ...options.headers },
  });

const send = (body: unknown) => qirim('/notifications/send', { json: body });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the batch until every message has left the queue. */
async function settled(batchId: string) {
  for (let i = 0; i < 50; i++) {
    const answer = await qirim(`/notifications/${batchId}`);
    if (answer.body.data.counts.queued === undefined) return answer;
    await sleep(10);
  }
  throw new Error(`batch ${batchId} never left the queue`);
}

describe('Qirim POST /notifications/send', () => {
  it('queues the seed text example, answers 202 in the seed shape, then sends it', async () => {
    const answer = await send(seed.qirimSendText);

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      ...seed.qirimSendResponse,
      data: { ...seed.qirimSendResponse.data, batch_id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    const batchId = answer.body.data.batch_id;
    expect(await sandbox.latest({ provider: 'qirim' })).toMatchObject({
      to: '628123456789',
      type: 'text',
      text: 'Halo 👋',
      status: 'queued',
      payload: seed.qirimSendText,
    });

    const status = await settled(batchId);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      success: true,
      data: {
        batch_id: batchId,
        counts: { sent: 1 },
        messages: [
          {
            to: '628123456789',
            status: 'sent',
            evolution_message_id: expect.stringMatching(/^3EB0[0-9A-F]{16}$/),
          },
        ],
      },
    });
    const stored = await sandbox.latest({ provider: 'qirim' });
    expect(stored?.status).toBe('sent');
    expect(stored?.id).toBe(status.body.data.messages[0].evolution_message_id);
  });

  it('reports the batch as queued right after sending', async () => {
    const answer = await send(seed.qirimSendText);
    const status = await qirim(`/notifications/${answer.body.data.batch_id}`);
    expect(status.body.data.counts).toEqual({ queued: 1 });
    expect(status.body.data.messages[0].status).toBe('queued');
  });

  it('sends the seed media example with its placeholders filled in', async () => {
    const answer = await send({
      ...seed.qirimSendMedia,
      to: '081234567890',
      media_url: 'https://example.com/promo.jpg',
    });
    expect(answer.status).toBe(202);
    expect(await sandbox.latest()).toMatchObject({ type: 'image', text: 'Promo' });
  });

  it('renders the seeded invoice template for every recipient of the seed example', async () => {
    const answer = await send({ ...seed.qirimSendTemplate, to: ['081234567890', '081398765432'] });
    expect(answer.body.data).toMatchObject({ accepted: 2, queued: 2, rejected: 0 });
    const messages = await sandbox.messages({ provider: 'qirim' });
    expect(messages.map((message) => message.to).sort()).toEqual([
      '6281234567890',
      '6281398765432',
    ]);
    for (const message of messages) {
      expect(message).toMatchObject({
        type: 'template',
        text: 'Invoice INV-1 sebesar Rp10.000 sudah terbit.',
      });
    }
  });

  it('rejects the invalid numbers in a list and queues the rest', async () => {
    const answer = await send({ ...seed.qirimSendText, to: ['081234567890', '0812...', '12'] });
    expect(answer.status).toBe(202);
    expect(answer.body.data).toMatchObject({ accepted: 1, queued: 1, rejected: 2 });
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('answers 422 invalid_phone when every number is invalid', async () => {
    const answer = await send(seed.qirimSendTemplate); // the seed's '0812...' placeholders
    expect(answer.status).toBe(422);
    expect(answer.body.error).toEqual({ code: 'invalid_phone', message: 'Nomor tidak valid' });
    expect(await sandbox.messages()).toEqual([]);
  });

  it.each([
    ['no recipient', { type: 'text', text: 'x' }, { to: expect.any(String) }],
    ['an empty list', { to: [], type: 'text', text: 'x' }, { to: expect.any(String) }],
    ['an unknown type', { to: '0812345678', type: 'sticker' }, { type: expect.any(String) }],
    ['no text', { to: '0812345678', type: 'text' }, { text: 'is required' }],
    [
      'bad media',
      { to: '0812345678', type: 'media', media_url: 'ftp://x', mediatype: 'gif' },
      { media_url: expect.any(String), mediatype: expect.any(String) },
    ],
    [
      'an unknown template',
      { to: '0812345678', type: 'template', template: 'promo' },
      { template: "unknown template 'promo'" },
    ],
    [
      'a missing template variable',
      { to: '0812345678', type: 'template', template: 'invoice', vars: { no: 'INV-2' } },
      { 'vars.total': "is required by template 'invoice'" },
    ],
  ])('answers 422 validation_error for %s', async (_name, body, fields) => {
    const answer = await send(body);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'validation_error', fields });
  });

  it('answers 404 for an unknown batch', async () => {
    const answer = await qirim('/notifications/7de1...');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ success: false, error: { code: 'not_found' } });
  });
});

describe('Qirim templates through the control API', () => {
  it('adds a template clients can send, and reset removes it again', async () => {
    const template = { name: 'lunas', body: 'Invoice {{no}} sudah lunas. Terima kasih, {{nama}}!' };
    expect(await sandbox.addQirimTemplate(template)).toEqual(template);
    const body = {
      to: '081234567890',
      type: 'template',
      template: 'lunas',
      vars: { no: 'INV-1', nama: 'Budi' },
    };
    expect((await send(body)).status).toBe(202);
    expect((await sandbox.latest())?.text).toBe('Invoice INV-1 sudah lunas. Terima kasih, Budi!');

    await sandbox.reset();
    expect((await send(body)).body.error.fields).toEqual({ template: "unknown template 'lunas'" });
    expect((await send({ ...seed.qirimSendTemplate, to: '081234567890' })).status).toBe(202);
  });

  it('rejects a template without a name or body', async () => {
    await expect(sandbox.addQirimTemplate({ name: '', body: 'x' })).rejects.toThrow(/400/);
  });

  it('applies faults to notifications too', async () => {
    await sandbox.fault({ provider: 'qirim', path: '/notifications', status: 429, retryAfter: 5 });
    const answer = await send(seed.qirimSendText);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body.error.code).toBe('too_many_requests');
    expect(await sandbox.messages()).toEqual([]);
  });
});
