import { createServer, type Server } from 'node:http';
import * as seed from '@kabar/sandbox/seed-examples';
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from '../../client.js';
import { failure } from '../../test-helpers.js';
import { type WaviroOptions, waviro } from './index.js';

const sandbox = useSandbox();

function waviroClient(extra: Partial<WaviroOptions> = {}, client: Partial<ClientOptions> = {}) {
  return createClient({
    provider: waviro({
      secretKey: sandbox.waviro.secretKey,
      botUrl: sandbox.waviro.botUrl,
      ...extra,
    }),
    rateLimit: false,
    retry: { initialDelayMs: 5 },
    ...client,
  });
}

describe('waviro sends', () => {
  it('sends text, media, location and a contact with the seed’s field names', async () => {
    const client = waviroClient();
    await client.send({ to: '0812-3456-7890', text: 'Test kirim text' });
    expect((await sandbox.latest())?.payload).toEqual({
      nohp: '6281234567890',
      pesan: 'Test kirim text',
    });

    await client.send({
      to: '081234567891',
      document: { link: 'https://toko.id/faktur.pdf', caption: 'Faktur' },
    });
    expect((await sandbox.latest())?.payload).toEqual({
      nohp: '6281234567891',
      pesan: 'Faktur',
      mediaurl: 'https://toko.id/faktur.pdf',
    });

    await client.send({
      to: '081234567892',
      location: { latitude: 0.52596, longitude: 101.426866, name: 'Kantor Pusat' },
    });
    expect((await sandbox.latest())?.payload).toEqual({
      nohp: '6281234567892',
      latitude: '0.52596',
      longitude: '101.426866',
      pesan: 'Kantor Pusat',
    });

    await client.send({
      to: '081234567893',
      contacts: [
        {
          name: { formattedName: 'Test' },
          phones: [{ phone: '+62 812 4000 0001' }, { phone: '6281240000002' }],
        },
      ],
    });
    expect((await sandbox.latest())?.payload).toEqual({
      nohp: '6281234567893',
      contact: { name: 'Test', numbers: ['6281240000001', '6281240000002'] },
    });
  });

  it('sends to a group by its id', async () => {
    await sandbox.addWaviroGroup({ id: '120363000000000001', name: 'Reseller' });
    const result = await waviroClient().send({
      to: { group: '120363000000000001' },
      text: 'Halo reseller',
    });
    const stored = await sandbox.latest({ provider: 'waviro' });
    expect(stored?.id).toBe(result.id);
    expect(stored?.payload).toMatchObject({
      groupid: '120363000000000001',
      pesan: 'Halo reseller',
    });
  });

  it('posts delivery acks 0 to 3 to the message’s notifyurl', async () => {
    const acks: { msgid: string; ack: number }[] = [];
    const receiver: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        acks.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/ack`;
    try {
      const result = await waviroClient().send({ to: '081234567890', text: 'lacak', notifyUrl });
      for (let i = 0; i < 50 && acks.length < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(acks).toEqual([0, 1, 2, 3].map((ack) => ({ msgid: result.id, ack })));
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('uses the client-wide notifyUrl when a message names none, in the seed’s request shape', async () => {
    const client = waviroClient({ notifyUrl: seed.waviroSendText.notifyurl });
    await client.send({ to: '0812-3000-0001', text: seed.waviroSendText.pesan });
    expect((await sandbox.latest())?.payload).toEqual({
      ...seed.waviroSendText,
      nohp: '6281230000001',
    });

    await client.send({
      to: '0812-3000-0001',
      location: { latitude: 0.52596, longitude: 101.426866, name: 'Kantor Pusat' },
    });
    expect((await sandbox.latest())?.payload).toEqual({
      ...seed.waviroSendLocation,
      nohp: '6281230000001',
      latitude: '0.52596',
    });
  });
});

describe('waviro errors', () => {
  it('maps a wrong key, a disconnected bot and a repeated message', async () => {
    const badKey = await failure(
      waviroClient({ secretKey: 'waviro-wrong-key-999' }).send({ to: '081234567890', text: 'x' }),
    );
    expect(badKey.code).toBe('unauthenticated');
    expect(JSON.stringify([badKey, badKey.details])).not.toContain('waviro-wrong-key-999');

    const client = waviroClient();
    await client.send({ to: '081234567890', text: 'sama' });
    const repeated = await failure(client.send({ to: '081234567890', text: 'sama' }));
    expect(repeated).toMatchObject({ code: 'conflict', status: 400, isRetryable: false });
    expect(await sandbox.messages({ provider: 'waviro' })).toHaveLength(1);

    await sandbox.setWaviroConnection({ authenticated: false });
    const disconnected = await failure(client.send({ to: '081234567890', text: 'lain' }));
    expect(disconnected.code).toBe('session_inactive');
  });

  it('refuses several contacts, media ids and templates before any request', async () => {
    const client = waviroClient();
    await expect(
      client.send({
        to: '081234567890',
        contacts: [{ name: { formattedName: 'A' } }, { name: { formattedName: 'B' } }],
      }),
    ).rejects.toThrow('several contacts in one message');
    await expect(client.send({ to: '081234567890', image: { id: '1' } })).rejects.toThrow(
      'image by media id',
    );
    await expect(
      client.send({ to: '081234567890', template: { name: 'otp', language: 'id' } }),
    ).rejects.toThrow('The waviro provider does not support template');
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('paces sends at the seed’s 5 per minute by default', async () => {
    const client = waviroClient({}, { rateLimit: undefined });
    for (let i = 0; i < 5; i++) await client.send({ to: '081234567890', text: `pesan ${i}` });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const sixth = await failure(
      client.send({ to: '081234567890', text: 'keenam' }, { signal: controller.signal }),
    );
    expect(sixth.code).toBe('aborted');
    expect(await sandbox.messages({ provider: 'waviro' })).toHaveLength(5);
  });
});

describe('waviro bot', () => {
  it('lists groups, reports the connection and checks numbers', async () => {
    await sandbox.addWaviroGroup({ id: '120363000000000002', name: 'Pelanggan' });
    const client = waviroClient();
    const groups = await client.groups.list();
    expect(groups).toContainEqual(
      expect.objectContaining({ id: '120363000000000002', name: 'Pelanggan' }),
    );
    expect(groups.find((g) => g.id === '120363000000000002')?.lastChatAt).toBeInstanceOf(Date);

    await sandbox.setWaviroConnection({ authenticated: true, number: '6283100000000' });
    expect(await client.connection.status()).toMatchObject({
      authenticated: true,
      number: '6283100000000',
    });
    await sandbox.setWaviroConnection({ authenticated: false });
    const disconnected = await client.connection.status();
    expect(disconnected.authenticated).toBe(false);
    expect(disconnected.qrCode).toBeTruthy();

    await sandbox.setWaviroConnection({ authenticated: true });
    expect(await client.numbers.check('081234567890')).toBe(true);
    await sandbox.setWaviroNumber({ number: '6281234567890', registered: false });
    expect(await client.numbers.check('0812-3456-7890')).toBe(false);
  });
});
