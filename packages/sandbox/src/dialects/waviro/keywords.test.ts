import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { call, useReceiver } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const receiver = useReceiver(() => ({ status: 200, body: seed.waviroKeywordReply }));

const CUSTOMER = '6282386123456';

const addPenawaran = () =>
  sandbox.addWaviroKeyword({
    keyword: 'penawaran#',
    url: `${receiver.url}/penawaran`,
    webhookKey: 'YourSecretWebhookKey',
  });

describe('Waviro keyword webhooks', () => {
  it("posts the seed's payload for the seed's input and sends the replies back", async () => {
    await addPenawaran();
    const { message, deliveries } = await sandbox.inbound({
      provider: 'waviro',
      from: CUSTOMER,
      text: seed.waviroKeywordInput,
    });

    expect(receiver.received.map((request) => request.json)).toEqual([
      { ...seed.waviroKeywordPayload, from: CUSTOMER },
    ]);
    expect(receiver.received[0]?.path).toBe('/penawaran');
    expect(message).toMatchObject({ provider: 'waviro', direction: 'inbound', from: CUSTOMER });
    expect(deliveries).toEqual([
      expect.objectContaining({ provider: 'waviro', kind: 'keyword', status: 200 }),
    ]);
    expect(deliveries[0]?.error).toBeUndefined();

    const replies = await sandbox.messages({ provider: 'waviro', direction: 'outbound' });
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatchObject({
      to: CUSTOMER,
      type: 'text',
      text: 'Webhook Response',
      payload: { type: 'message', content: 'Webhook Response' },
    });
  });

  it('sends every kind of reply item and notes the ones it cannot send', async () => {
    receiver.respond = () => ({
      status: 200,
      body: {
        success: true,
        message: {
          reply: [
            ...seed.waviroKeywordReplyMixed.message.reply.slice(2),
            { type: 'location', content: [{ coordinate: '-6.175392-106.827153' }] },
            { type: 'video', content: 'https://example.com/a.mp4' },
          ],
        },
      },
    });
    await addPenawaran();
    const { deliveries } = await sandbox.inbound({
      provider: 'waviro',
      from: CUSTOMER,
      text: 'PENAWARAN#',
    });
    expect(receiver.received[0]?.json.data).toEqual([]);
    const replies = await sandbox.messages({ direction: 'outbound' });
    expect(replies.map((reply) => [reply.type, reply.text]).reverse()).toEqual([
      ['audio', '[audio]'],
      ['image', '[image]'],
      ['document', '[document]'],
      ['location', '-6.175392,106.827153'],
    ]);
    expect(deliveries[0]?.error).toBe('reply[4] ignored: unknown type "video"');
  });

  it('sends nothing for text without a keyword, or when the receiver fails', async () => {
    await addPenawaran();
    const plain = await sandbox.inbound({ provider: 'waviro', from: CUSTOMER, text: 'halo' });
    expect(plain.deliveries).toEqual([]);
    expect(receiver.received).toEqual([]);

    receiver.respond = () => ({ status: 500, body: 'down' });
    const failed = await sandbox.inbound({
      provider: 'waviro',
      from: CUSTOMER,
      text: 'penawaran#a',
    });
    expect(failed.deliveries[0]).toMatchObject({ status: 500 });
    expect(await sandbox.messages({ direction: 'outbound' })).toEqual([]);
  });

  it('picks the longest matching keyword and splits the rest on #', async () => {
    await addPenawaran();
    await sandbox.addWaviroKeyword({
      keyword: 'penawaran#vip#',
      url: `${receiver.url}/vip`,
      webhookKey: 'vip',
    });
    await sandbox.inbound({
      provider: 'waviro',
      from: CUSTOMER,
      text: 'penawaran#vip#Ani#ani@x.id',
    });
    expect(receiver.received[0]).toMatchObject({
      path: '/vip',
      json: { keyword: 'penawaran#vip#', data: ['Ani', 'ani@x.id'], webhookkey: 'vip' },
    });
  });

  it('redelivering a keyword sends its replies again', async () => {
    await addPenawaran();
    const { deliveries } = await sandbox.inbound({
      provider: 'waviro',
      from: CUSTOMER,
      text: 'penawaran#a',
    });
    await sandbox.redeliver(deliveries[0]?.id ?? '');
    expect(receiver.received).toHaveLength(2);
    expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(6);
  });

  it('validates keywords', async () => {
    const post = (json: unknown) => call(`${sandbox.url}/api/v1/waviro/keywords`, { json });
    expect((await post({ keyword: '', url: receiver.url, webhookKey: 'k' })).status).toBe(400);
    expect((await post({ keyword: 'a#', url: 'nope', webhookKey: 'k' })).status).toBe(400);
  });
});
