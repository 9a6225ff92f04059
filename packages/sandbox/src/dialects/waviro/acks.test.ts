import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { call } from '../../test-helpers.js';
import type { WaviroAck } from '../../types.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

let receiver: Server;
let notifyUrl: string;
const received: unknown[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(req.url === '/fail' ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const send = (path: string, body: unknown) =>
  call(`${sandbox.waviro.botUrl}${path}`, {
    json: body,
    headers: { secretkey: sandbox.waviro.secretKey },
  });

async function acksFor(count: number): Promise<WaviroAck[]> {
  for (let i = 0; i < 100; i++) {
    const acks = await sandbox.waviroAcks();
    if (acks.length >= count) return acks;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${count} acks arrived`);
}

describe('Waviro notifyurl acks', () => {
  it('posts pending, sent, delivered and read, in order, in the seed payload shape', async () => {
    received.length = 0;
    const answer = await send('/api/sendwa', {
      ...seed.waviroSendText,
      nohp: '6281234567890',
      notifyurl: notifyUrl,
    });
    const msgid = answer.body.message.id;

    const acks = await acksFor(4);
    expect(acks).toEqual(
      [0, 1, 2, 3].map((ack) => ({
        url: notifyUrl,
        payload: { msgid, ack },
        status: 200,
        at: expect.any(String),
      })),
    );
    expect(Object.keys(acks[0]?.payload ?? {})).toEqual(Object.keys(seed.waviroNotifyPayload));
    expect(received).toEqual([0, 1, 2, 3].map((ack) => ({ msgid, ack })));
    const times = acks.map((ack) => Date.parse(ack.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('posts only pending and sent for a group message, as the docs list for groups', async () => {
    await sandbox.addWaviroGroup({ id: '120363xxxxxxxxxxx', name: 'test' });
    await send('/api/sendwatogroup', { ...seed.waviroSendTextToGroup, notifyurl: notifyUrl });
    const acks = await acksFor(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await sandbox.waviroAcks()).map((ack) => ack.payload.ack)).toEqual([0, 1]);
    expect(acks.every((ack) => ack.status === 200)).toBe(true);
  });

  it('records the receiver status, and failures to connect', async () => {
    await send('/api/sendwa', {
      nohp: '6281234567890',
      pesan: 'gagal',
      notifyurl: notifyUrl.replace('/notify', '/fail'),
    });
    expect((await acksFor(4)).map((ack) => ack.status)).toEqual([500, 500, 500, 500]);
    await sandbox.reset();

    await send('/api/sendwa', {
      nohp: '6281234567890',
      pesan: 'x',
      notifyurl: 'http://127.0.0.1:1/',
    });
    const [first] = await acksFor(1);
    expect(first).toMatchObject({ status: null, error: expect.any(String) });
  });

  it('sends no acks without a notifyurl, and refuses a notifyurl that is not http(s)', async () => {
    await send('/api/sendwa', { nohp: '6281234567890', pesan: 'tanpa notify' });
    const bad = await send('/api/sendwa', {
      nohp: '6281234567890',
      pesan: 'x',
      notifyurl: 'ftp://x',
    });
    expect(bad.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await sandbox.waviroAcks()).toEqual([]);
  });

  it('stops delivering the acks of a message sent before a reset', async () => {
    await send('/api/sendwa', { nohp: '6281234567890', pesan: 'reset', notifyurl: notifyUrl });
    await sandbox.reset();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await sandbox.waviroAcks()).toEqual([]);
  });
});
