import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const NOHP = '6281234567890';
const GROUP = '120363xxxxxxxxxxx';
const CHAT_ID = /^3EB0[0-9A-F]{16}$/;

const waviro = (path: string, body?: unknown, options: CallOptions = {}) =>
  call(`${sandbox.waviro.botUrl}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { json: body }),
    ...options,
    headers: { secretkey: sandbox.waviro.secretKey, ...options.headers },
  });

/** The seed's example with its placeholder number and without the notify URL nobody listens on. */
function toNumber<T extends { notifyurl: string }>(example: T): Omit<T, 'notifyurl'> {
  const { notifyurl: _unused, ...rest } = example;
  return { ...rest, nohp: NOHP };
}
function toGroup<T extends { notifyurl: string }>(example: T): Omit<T, 'notifyurl'> {
  const { notifyurl: _unused, ...rest } = example;
  return rest;
}

const sentShape = (type: string, to: string) => ({
  success: true,
  message: {
    id: expect.stringMatching(CHAT_ID),
    status: 0,
    type,
    timestamp: expect.any(Number),
    from: '6283812345678@c.us',
    to,
  },
});

const failed = (errorMessage: string | RegExp) => ({
  success: false,
  errorMessage:
    typeof errorMessage === 'string' ? errorMessage : expect.stringMatching(errorMessage),
});

describe('Waviro sending to a number', () => {
  it.each([
    ['/api/sendwa', toNumber(seed.waviroSendText), 'text', 'text', 'Test kirim text'],
    ['/api/sendmedia', toNumber(seed.waviroSendMedia), 'document', 'document', 'Test kirim text'],
    ['/api/sendlocation', toNumber(seed.waviroSendLocation), 'chat', 'location', 'Kantor Pusat'],
    ['/api/sendcontact', toNumber(seed.waviroSendContact), 'vcard', 'contacts', 'Test'],
  ])(
    'POST %s answers in the seed shape and stores the message',
    async (path, body, replyType, type, text) => {
      const answer = await waviro(path, body);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(sentShape(replyType, `${NOHP}@c.us`));
      expect(Math.abs(answer.body.message.timestamp - Date.now() / 1000)).toBeLessThan(5);
      expect(await sandbox.latest({ provider: 'waviro' })).toMatchObject({
        id: answer.body.message.id,
        to: NOHP,
        type,
        text,
        payload: body,
        status: 'accepted',
      });
    },
  );

  it.each([
    ['https://cdn.example.com/poster.JPG?v=2', 'image'],
    ['https://cdn.example.com/clip.mp4', 'video'],
    ['https://cdn.example.com/voice.ogg', 'audio'],
  ])('types media %s as %s', async (mediaurl, type) => {
    const answer = await waviro('/api/sendmedia', { nohp: NOHP, mediaurl });
    expect(answer.body.message.type).toBe(type);
    expect((await sandbox.latest())?.text).toBe(`[${type}]`);
  });

  it('accepts numeric coordinates too', async () => {
    const answer = await waviro('/api/sendlocation', {
      nohp: NOHP,
      latitude: -6.2,
      longitude: 106.8,
    });
    expect(answer.status).toBe(200);
    expect((await sandbox.latest())?.text).toBe('-6.2,106.8');
  });

  it.each([
    ["the seed's placeholder", '628123xxxxxx'],
    ['a local 08 number', '081234567890'],
    ['a leading +', '+6281234567890'],
  ])('refuses %s with 400 as the docs say', async (_name, nohp) => {
    const answer = await waviro('/api/sendwa', { nohp, pesan: 'Halo' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(failed('Nomor WhatsApp tujuan tidak valid'));
    expect(await sandbox.messages()).toEqual([]);
  });

  it('refuses the same message to the same number twice in a row', async () => {
    const body = toNumber(seed.waviroSendText);
    expect((await waviro('/api/sendwa', body)).status).toBe(200);
    const repeat = await waviro('/api/sendwa', body);
    expect(repeat.status).toBe(400);
    expect(repeat.body).toEqual(
      failed('Pesan yang sama sudah dikirim ke nomor ini secara berturut-turut'),
    );
    // Another message in between, or another number, is fine.
    expect((await waviro('/api/sendwa', { ...body, nohp: '6281298765432' })).status).toBe(200);
    expect((await waviro('/api/sendwa', { ...body, pesan: 'Lain' })).status).toBe(200);
    expect((await waviro('/api/sendwa', body)).status).toBe(200);
    expect(await sandbox.messages({ provider: 'waviro' })).toHaveLength(4);
  });

  it.each([
    ['/api/sendwa', { nohp: NOHP }, /pesan/],
    ['/api/sendwa', { pesan: 'Halo' }, /nohp/],
    ['/api/sendmedia', { nohp: NOHP, pesan: 'x' }, /mediaurl/],
    ['/api/sendlocation', { nohp: NOHP, latitude: '91', longitude: 'x' }, /latitude, longitude/],
    ['/api/sendcontact', { nohp: NOHP, contact: { name: 'Test' } }, /contact/],
  ])('answers 400 for an incomplete body to %s', async (path, body, fields) => {
    const answer = await waviro(path, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(failed(/^Data payload body tidak lengkap: /));
    expect(answer.body.errorMessage).toMatch(fields);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await waviro('/api/sendwa', undefined, { body: 'nohp=62812' });
    expect(answer.status).toBe(400);
    expect(answer.body.success).toBe(false);
  });

  it('refuses a number registered as not on WhatsApp', async () => {
    await sandbox.setWaviroNumber({ number: NOHP, registered: false });
    const answer = await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' });
    expect(answer.body).toEqual(failed('Nomor WhatsApp tujuan tidak valid'));
  });
});

describe('Waviro sending to a group', () => {
  it.each([
    ['/api/sendwatogroup', toGroup(seed.waviroSendTextToGroup), 'chat', 'text'],
    ['/api/sendmediatogroup', toGroup(seed.waviroSendMediaToGroup), 'document', 'document'],
    ['/api/sendlocationtogroup', toGroup(seed.waviroSendLocationToGroup), 'chat', 'location'],
    ['/api/sendcontacttogroup', toGroup(seed.waviroSendContactToGroup), 'vcard', 'contacts'],
  ])('POST %s sends to a known group', async (path, body, replyType, type) => {
    await sandbox.addWaviroGroup({ id: GROUP, name: 'test' });
    const answer = await waviro(path, body);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(sentShape(replyType, `${GROUP}@g.us`));
    expect(await sandbox.latest()).toMatchObject({ to: GROUP, groupId: GROUP, type });
  });

  it('refuses an unknown group and a repeat to the same group', async () => {
    const body = toGroup(seed.waviroSendTextToGroup);
    expect((await waviro('/api/sendwatogroup', body)).body).toEqual(
      failed('ID Group tujuan tidak valid'),
    );
    await sandbox.addWaviroGroup({ id: GROUP, name: 'test' });
    expect((await waviro('/api/sendwatogroup', body)).status).toBe(200);
    expect((await waviro('/api/sendwatogroup', body)).body).toEqual(
      failed('Pesan yang sama sudah dikirim ke group ini secara berturut-turut'),
    );
  });

  it('lists the groups the bot is in, in the seed shape', async () => {
    const empty = await waviro('/api/groups');
    expect(empty.body).toEqual({ success: true, message: [] });
    await sandbox.addWaviroGroup({ id: '120363xxxxxxxxxxx', name: 'test' });
    await sandbox.addWaviroGroup({ id: '120364xxxxxxxxxxx', name: 'test 2' });
    const answer = await waviro('/api/groups', undefined, { body: '' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      success: true,
      message: seed.waviroGroupsResponse.message.map((group) => ({
        ...group,
        grouplastchat: expect.any(Number),
      })),
    });
    expect(await sandbox.waviroGroups()).toMatchObject([
      { id: '120363xxxxxxxxxxx', name: 'test' },
      { id: '120364xxxxxxxxxxx', name: 'test 2' },
    ]);
  });
});

describe('Waviro bot endpoints and connection', () => {
  it('getqr answers the number when logged in and a QR code when not', async () => {
    const loggedIn = await waviro('/api/getqr/');
    expect(loggedIn.body).toEqual({
      success: true,
      message: {
        isAuthenticated: true,
        number: '6283812345678',
        name: '6283812345678',
        qrcode: '',
      },
    });

    await sandbox.setWaviroConnection({ authenticated: false });
    const qr = await waviro('/api/getqr');
    expect(qr.body).toEqual({
      success: true,
      message: { isAuthenticated: false, qrcode: expect.stringMatching(/^2@[\w-]+,[\w+/]+=*$/) },
    });
  });

  it('refuses to send, list groups or check numbers while logged out', async () => {
    await sandbox.setWaviroConnection({ authenticated: false });
    for (const [path, body] of [
      ['/api/sendwa', { nohp: NOHP, pesan: 'Halo' }],
      ['/api/groups', undefined],
      ['/api/checknumber', { nohp: NOHP }],
    ] as const) {
      const answer = await waviro(path, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(failed('Chatbot belum terhubung dengan WhatsApp'));
    }
    expect(await sandbox.messages()).toEqual([]);
  });

  it('sends from the number set through the control API', async () => {
    await sandbox.setWaviroConnection({ authenticated: true, number: '6283111111111' });
    const answer = await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' });
    expect(answer.body.message.from).toBe('6283111111111@c.us');
    expect((await waviro('/api/getqr')).body.message.number).toBe('6283111111111');
  });

  it('checknumber: every valid number is registered unless set otherwise', async () => {
    expect((await waviro('/api/checknumber', { nohp: NOHP })).body).toEqual(
      seed.waviroCheckNumberResponse,
    );
    expect((await waviro('/api/checknumber', seed.waviroCheckNumber)).body).toEqual({
      success: true,
      message: false,
    });
    await sandbox.setWaviroNumber({ number: NOHP, registered: false });
    expect((await waviro('/api/checknumber', { nohp: NOHP })).body.message).toBe(false);
    expect((await waviro('/api/checknumber', {})).body).toEqual(
      failed('Data payload body tidak lengkap: nohp'),
    );
  });

  it('rejects bad control input', async () => {
    await expect(sandbox.setWaviroNumber({ number: '08x', registered: true })).rejects.toThrow(
      /400/,
    );
    await expect(
      sandbox.setWaviroConnection({ authenticated: 'yes' as unknown as boolean }),
    ).rejects.toThrow(/400/);
    await expect(sandbox.addWaviroGroup({ id: '', name: 'x' })).rejects.toThrow(/400/);
  });

  it('reset logs the bot back in and forgets groups, numbers and the last message', async () => {
    await sandbox.setWaviroConnection({ authenticated: false, number: '6283111111111' });
    await sandbox.addWaviroGroup({ id: GROUP, name: 'test' });
    await sandbox.setWaviroNumber({ number: NOHP, registered: false });
    await sandbox.reset();
    expect((await waviro('/api/getqr')).body.message).toMatchObject({
      isAuthenticated: true,
      number: '6283812345678',
    });
    expect(await sandbox.waviroGroups()).toEqual([]);
    expect((await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' })).status).toBe(200);
    await sandbox.reset();
    expect((await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' })).status).toBe(200);
  });
});

describe('Waviro auth and faults', () => {
  it.each([
    ['a wrong key', { secretkey: 'nope' }],
    ['no key', { secretkey: '' }],
  ])(
    'answers 400 for %s, as the docs list a bad SecretKey among the 400 causes',
    async (_name, headers) => {
      const answer = await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' }, { headers });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(failed('SecretKey yang digunakan tidak valid'));
      expect(await sandbox.messages()).toEqual([]);
    },
  );

  it('takes the header in any case, as the docs write SecretKey, secretKey and secretkey', async () => {
    const answer = await call(`${sandbox.waviro.botUrl}/api/getqr`, {
      method: 'POST',
      headers: { SecretKey: sandbox.waviro.secretKey },
    });
    expect(answer.status).toBe(200);
  });

  it('answers 404 for an unknown endpoint', async () => {
    const answer = await waviro('/api/sendsticker', { nohp: NOHP });
    expect(answer.status).toBe(404);
    expect(answer.body.success).toBe(false);
  });

  it('answers an injected fault in the Waviro error shape', async () => {
    await sandbox.fault({ provider: 'waviro', path: '/api/sendwa', status: 502, times: 1 });
    const answer = await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' });
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual(failed('Bad Gateway'));
    expect(await sandbox.messages()).toEqual([]);
    expect((await waviro('/api/sendwa', { nohp: NOHP, pesan: 'Halo' })).status).toBe(200);
  });
});
