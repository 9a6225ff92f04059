import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../cli-args.js';
import { createSandbox } from '../../index.js';
import { call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';
import * as docs from './docs-examples.js';

const sandbox = useSandbox();

const NUMBER = '6281234567890';
const OTHER = '6281311112222';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PENDING = 'Message is pending and waiting to be processed';

/** `Authorization: {token}.{secretKey}`, as every current docs sample sends it. */
const credential = () => `${sandbox.wablas.token}.${sandbox.wablas.secretKey}`;

/** A request with the docs' form fields, as `http_build_query` sends them. */
function postForm(
  path: string,
  fields: Record<string, string>,
  auth: string | null = credential(),
) {
  return call(`${sandbox.wablas.baseUrl}${path}`, {
    body: new URLSearchParams(fields),
    headers: auth === null ? {} : { authorization: auth },
  });
}

/** A request with a JSON body, as the v2 samples and the official plugin send. */
function postJson(path: string, json: unknown, auth: string = credential()) {
  return call(`${sandbox.wablas.baseUrl}${path}`, { json, headers: { authorization: auth } });
}

function get(path: string, query: Record<string, string>, headers: Record<string, string> = {}) {
  return call(`${sandbox.wablas.baseUrl}${path}?${new URLSearchParams(query)}`, { headers });
}

/** The docs' items with a real number in place of the placeholder. */
function withPhone<T extends { phone: string }>(items: T[], ...phones: string[]): T[] {
  return items.map((item, index) => ({ ...item, phone: phones[index] ?? NUMBER }));
}

const failure = (message: string) => ({ status: false, message });

describe('Wablas text sends, with the docs examples', () => {
  it('GET /api/send-message with token.secret in the query (Send Simple Text Message)', async () => {
    const query = { ...docs.sendSimpleTextQuery, phone: NUMBER };
    const answer = await get('/api/send-message', { token: credential(), ...query });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: true,
      message: docs.singleSendTextAnswer.message,
      data: {
        device_id: 'KBRSBX',
        quota: 999,
        messages: [
          {
            id: expect.stringMatching(UUID),
            phone: NUMBER,
            message: 'Hello! This is a test message from Wablas API.',
            status: 'pending',
            ref_id: null,
          },
        ],
      },
    });
    const [item] = answer.body.data.messages;
    for (const key of Object.keys(docs.singleSendTextAnswer.data.messages[0] ?? {})) {
      expect(item).toHaveProperty(key);
    }
    // The credential is not part of the message, so the stored payload leaves it out.
    expect(await sandbox.latest({ provider: 'wablas' })).toMatchObject({
      id: item.id,
      provider: 'wablas',
      direction: 'outbound',
      to: NUMBER,
      type: 'text',
      text: query.message,
      status: 'accepted',
      payload: query,
    });
  });

  it('POST /api/send-message with the form fields of Single Send Text', async () => {
    const fields = { ...docs.singleSendText, phone: NUMBER };
    const answer = await postForm('/api/send-message', fields);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: true,
      message: PENDING,
      data: { messages: [{ phone: NUMBER, message: 'hello there', status: 'pending' }] },
    });
    expect((await sandbox.latest())?.payload).toEqual(fields);
  });

  it('takes the same fields as JSON, with booleans, as the official plugin sends them', async () => {
    const json = { phone: NUMBER, message: 'json', isGroup: false, retry: 3, priority: true };
    const answer = await postJson('/api/send-message', json);
    expect(answer.status).toBe(200);
    expect((await sandbox.latest())?.payload).toEqual(json);
  });

  it('sends one message per number of a comma list, normalising 08… to 62…', async () => {
    const answer = await postForm('/api/send-message', {
      phone: `081234567890, ${OTHER}`,
      message: 'dua',
      ref_id: 'INV-7',
    });
    expect(answer.body.data.messages).toEqual([
      expect.objectContaining({ phone: NUMBER, ref_id: 'INV-7' }),
      expect.objectContaining({ phone: OTHER, ref_id: 'INV-7' }),
    ]);
    const stored = await sandbox.messages({ provider: 'wablas' });
    expect(stored.map((message) => message.to)).toEqual([OTHER, NUMBER]);
    expect(stored.map((message) => message.id)).toEqual(
      answer.body.data.messages.map((item: { id: string }) => item.id).reverse(),
    );
  });

  it('sends to a WhatsApp group with isGroup "true" (Send Message to Group, API V1)', async () => {
    const answer = await postForm('/api/send-message', docs.sendGroupV1);
    expect(answer.status).toBe(200);
    expect(await sandbox.latest()).toMatchObject({
      to: docs.sendGroupV1.phone,
      groupId: docs.sendGroupV1.phone,
    });
    const json = await postJson('/api/send-message', {
      phone: '120363000000000009@g.us',
      message: 'grup',
      isGroup: true,
    });
    expect(json.body.data.messages[0].phone).toBe('120363000000000009');
  });

  it('sends the v2 sample: one message per data item (Send Text Message (v2 API))', async () => {
    const body = { data: withPhone(docs.sendTextV2.data, NUMBER, OTHER) };
    const answer = await postJson('/api/v2/send-message', body);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: true,
      message: docs.sendTextV2Answer.message,
      data: {
        device_id: 'KBRSBX',
        quota: 998,
        messages: body.data.map((item) => ({
          id: expect.stringMatching(UUID),
          phone: item.phone,
          message: item.message,
          status: 'pending',
          ref_id: null,
        })),
      },
    });
    const stored = await sandbox.messages({ provider: 'wablas' });
    expect(stored.map((message) => message.payload)).toEqual([...body.data].reverse());
  });

  it('sends the v2 group sample, a group and a person in one request', async () => {
    const [group, person] = docs.sendGroupV2.data;
    const answer = await postJson('/api/v2/send-message', {
      data: [group, { ...person, phone: NUMBER }],
    });
    expect(answer.status).toBe(200);
    const stored = await sandbox.messages({ provider: 'wablas' });
    expect(stored.map((message) => [message.to, message.groupId])).toEqual([
      [NUMBER, undefined],
      ['6281218444-87687324xxxxxx', '6281218444-87687324xxxxxx'],
    ]);
  });

  it('answers random=true with the per-device list the docs show', async () => {
    const answer = await postForm('/api/send-message', {
      phone: NUMBER,
      message: 'acak',
      random: 'true',
    });
    expect(answer.body.data).toEqual([
      { device_id: 'KBRSBX', quota: 999, messages: [expect.objectContaining({ phone: NUMBER })] },
    ]);
  });
});

describe('Wablas media, location and link sends', () => {
  const v1Samples = [
    ['image', docs.singleSendImage, docs.singleSendImage.image, 'tes'],
    ['video', docs.singleSendVideo, docs.singleSendVideo.video, 'tes'],
    ['audio', docs.singleSendAudio, docs.singleSendAudio.audio, 'audio'],
    ['document', docs.singleSendDocument, docs.singleSendDocument.document, 'caption'],
  ] as const;

  it.each(v1Samples)(
    'POST /api/send-%s with the docs sample answers with the file name',
    async (kind, sample, url, caption) => {
      const fields = { ...sample, phone: NUMBER };
      const answer = await postForm(`/api/send-${kind}`, fields);
      expect(answer.status).toBe(200);
      const fileName = url.split('/').pop();
      expect(answer.body.data.messages).toEqual([
        {
          id: expect.stringMatching(UUID),
          phone: NUMBER,
          message: null,
          caption,
          [kind]: fileName,
          status: 'pending',
          ref_id: null,
        },
      ]);
      for (const key of Object.keys(docs.singleSendImageAnswer.data.messages[0] ?? {})) {
        expect(answer.body.data.messages[0]).toHaveProperty(key === 'image' ? kind : key);
      }
      expect(await sandbox.latest()).toMatchObject({ type: kind, to: NUMBER, payload: fields });
    },
  );

  it.each([
    ['image', docs.multipleSendImage],
    ['video', docs.multipleSendVideo],
    ['audio', docs.multipleSendAudio],
    ['document', docs.multipleSendDocument],
  ] as const)('POST /api/v2/send-%s with the docs sample', async (kind, sample) => {
    const data = withPhone<{ phone: string }>(sample.data);
    const answer = await postJson(`/api/v2/send-${kind}`, { data });
    expect(answer.status).toBe(200);
    expect(answer.body.data.messages[0]).toMatchObject({ phone: NUMBER, message: null });
    expect((await sandbox.latest())?.type).toBe(kind);
  });

  it('sends the location sample and echoes it as a JSON string, as the docs answer', async () => {
    const answer = await postJson('/api/v2/send-location', {
      data: withPhone(docs.multipleSendLocation.data),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.messages[0].message).toBe(
      docs.multipleSendLocationAnswer.data.messages[0]?.message,
    );
    expect(await sandbox.latest()).toMatchObject({
      type: 'location',
      text: 'place name, street',
    });
  });

  it('sends the link sample with its own answer message', async () => {
    const answer = await postJson('/api/v2/send-link', {
      data: withPhone(docs.multipleSendLink.data),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.message).toBe(docs.multipleSendLinkAnswerMessage);
    expect((await sandbox.latest())?.text).toContain('https://wablas.com');
  });

  it.each([
    ['image', { image: 'https://toko.id/animasi.gif' }, 'image extension support: jpg, jpeg, png'],
    ['video', { video: 'https://toko.id/klip.mov' }, 'video extension support: mp4, mpeg'],
    ['audio', { audio: 'https://toko.id/suara.wav' }, 'audio extension support: mp3, ogg, mpga'],
    ['document', { document: 'https://toko.id/setup.exe' }, 'document extension support'],
    ['image', { image: 'ftp://toko.id/a.jpg' }, 'image must be a public http(s) URL'],
    ['image', {}, 'image is required'],
  ])('refuses a %s the endpoint does not take', async (kind, fields, detail) => {
    const answer = await postForm(`/api/send-${kind}`, { phone: NUMBER, ...fields });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: false,
      message: expect.stringContaining(`param invalid: ${detail}`),
    });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('refuses a location without coordinates in range', async () => {
    const answer = await postJson('/api/v2/send-location', {
      data: [{ phone: NUMBER, message: { name: 'x', latitude: 91, longitude: 0 } }],
    });
    expect(answer.body.message).toMatch(/^param invalid: data\[0\]\.message must be/);
  });
});

describe('Wablas schedule, upload, device info and number check', () => {
  it('saves the Create Schedule sample and answers with the "phones list" key', async () => {
    const answer = await postForm('/api/schedule', {
      ...docs.createSchedule,
      phone: `0812-3456-7890,${OTHER}`,
      isGroup: 'false',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      ...docs.createScheduleAnswer,
      'phones list': ['0812-3456-7890', OTHER],
      messages: [NUMBER, OTHER].map((phone) => ({
        id: expect.stringMatching(UUID),
        phone,
        message: 'hello',
        status: true,
        timezone: 'Asia/Jakarta',
        schedule_at: '2022-05-20 13:20:00',
      })),
    });
    expect((await sandbox.messages({ provider: 'wablas' })).map((m) => m.status)).toEqual([
      'queued',
      'queued',
    ]);
  });

  it('saves the docs sample as it stands, to a group', async () => {
    const answer = await postForm('/api/schedule', docs.createSchedule);
    expect(answer.status).toBe(200);
    expect((await sandbox.latest())?.groupId).toBe(docs.DOCS_PHONE);
  });

  it.each([
    ['date', { date: '20-05-2022' }, 'date format yyyy-mm-dd'],
    ['time', { time: '25:00:00' }, 'time format hh:ii:ss'],
    ['timezone', { timezone: 'Mars/Olympus' }, 'timezone must be a timezone'],
  ])('refuses a schedule with a bad %s', async (_name, change, detail) => {
    const answer = await postForm('/api/schedule', {
      ...docs.createSchedule,
      isGroup: 'false',
      phone: NUMBER,
      ...change,
    });
    expect(answer.body.message).toContain(`param invalid: ${detail}`);
  });

  it('uploads a file, serves it at the answered URL and sends it by that URL', async () => {
    const form = new FormData();
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    form.append(docs.uploadFile.part, new Blob([png], { type: 'image/png' }), 'nota.png');
    const answer = await call(`${sandbox.wablas.baseUrl}/api/upload/${docs.uploadFile.type}`, {
      body: form,
      headers: { authorization: credential() },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      ...docs.uploadFileAnswer,
      data: {
        messages: [{ url: expect.stringMatching(/\/wablas\/image\/\d+\.png$/) }],
      },
    });
    const url: string = answer.body.data.messages[0].url;
    expect(url.startsWith(`${sandbox.url}/wablas/image/`)).toBe(true);

    // Wablas' file links are public: no credential needed.
    const file = await fetch(url);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);

    const sent = await postForm('/api/send-image', { phone: NUMBER, image: url });
    expect(sent.status).toBe(200);
    expect(await sandbox.latest()).toMatchObject({ type: 'image', payload: { image: url } });
  });

  it('serves an uploaded file that a browser could run as a download, never as a page', async () => {
    const form = new FormData();
    const page = '<script>fetch("/api/v1/info")</script>';
    form.append('file', new Blob([page], { type: 'text/html' }), 'catatan.txt');
    const answer = await call(`${sandbox.wablas.baseUrl}/api/upload/document`, {
      body: form,
      headers: { authorization: credential() },
    });
    expect(answer.status).toBe(200);
    const file = await fetch(answer.body.data.messages[0].url);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toBe('attachment');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses uploads over 2 MB, of the wrong extension or type, and without a file', async () => {
    const upload = (type: string, bytes: number, name: string, part = 'file') => {
      const form = new FormData();
      form.append(part, new Blob([new Uint8Array(bytes)]), name);
      return call(`${sandbox.wablas.baseUrl}/api/upload/${type}`, {
        body: form,
        headers: { authorization: credential() },
      });
    };
    expect((await upload('image', 2 * 1024 * 1024 + 1, 'big.jpg')).body.message).toBe(
      'param invalid: file maximum size is 2 MB',
    );
    expect((await upload('image', 2 * 1024 * 1024, 'exact.jpg')).status).toBe(200);
    expect((await upload('document', 10, 'run.exe')).body.message).toContain(
      'document extension support',
    );
    expect((await upload('sticker', 10, 's.webp')).body.message).toContain('type must be');
    expect((await upload('image', 10, 'a.jpg', 'berkas')).body.message).toBe(
      'param invalid: file is required',
    );
    const missing = await fetch(`${sandbox.wablas.baseUrl}/image/123.jpg`);
    expect(missing.status).toBe(404);
  });

  it('answers GET /api/device/info?token= (the token alone) in the docs shape', async () => {
    const answer = await get('/api/device/info', {
      ...docs.deviceInfoQuery,
      token: sandbox.wablas.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: true,
      data: {
        name: 'Kabar Sandbox',
        serial: 'KBRSBX',
        sender: '6285712345678',
        quota: 1000,
        expired_date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
        active: true,
        status: 'connected',
      },
    });
    expect(Object.keys(answer.body.data)).toEqual(Object.keys(docs.deviceInfoAnswer.data));

    await sandbox.setWablasDevice({ connected: false, quota: null, name: 'Toko Budi' });
    const after = await get('/api/device/info', {}, { authorization: credential() });
    expect(after.body.data).toMatchObject({
      name: 'Toko Budi',
      quota: 'unlimited',
      status: 'disconnected',
    });
  });

  it('answers the Check Phone sample exactly once a number is set offline', async () => {
    await sandbox.setWablasNumber({ number: '62142312121', online: false });
    const check = (headers: Record<string, string>) =>
      call(`${sandbox.wablas.phoneCheckUrl}/check-phone-number?phones=${docs.checkPhone.phones}`, {
        headers,
      });
    const answer = await check({ authorization: sandbox.wablas.token, ...docs.checkPhone.headers });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(docs.checkPhoneAnswer);

    await sandbox.setWablasNumber({ number: '62142312121', online: true });
    const online = await check({ authorization: credential(), url: sandbox.wablas.baseUrl });
    expect(online.body.data[1]).toEqual({ phone: '62142312121', status: 'online' });

    const noServer = await check({ authorization: sandbox.wablas.token });
    expect(noServer.status).toBe(400);
    expect(noServer.body.message).toMatch(/^param invalid: the url header/);
    const badToken = await check({ authorization: 'nope', ...docs.checkPhone.headers });
    expect(badToken.body).toEqual(failure('token invalid or device expired'));
  });
});

describe('Wablas authentication', () => {
  const text = { phone: NUMBER, message: 'x' };

  it('refuses a token no device has, with HTTP 400, and stores nothing', async () => {
    const answer = await postForm('/api/send-message', text, 'wrong-token.wablas_test_secret');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(failure('token invalid or device expired'));
    expect((await postForm('/api/send-message', text, null)).body).toEqual(
      failure('token invalid or device expired'),
    );
    expect(await sandbox.messages()).toEqual([]);
  });

  it('refuses the right token with a wrong secret key', async () => {
    const answer = await postForm('/api/send-message', text, `${sandbox.wablas.token}.wrong`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(failure('secret key invalid'));
  });

  it('refuses the token alone while the device requires its secret key', async () => {
    const answer = await postForm('/api/send-audio', docs.singleSendAudio, sandbox.wablas.token);
    expect(answer.body).toEqual(failure('need secret key'));
    const query = { ...docs.sendGroupQuery, token: sandbox.wablas.token };
    expect((await get('/api/send-message', query)).body).toEqual(failure('need secret key'));

    // The docs' audio and group samples send the token alone: accounts without a secret key.
    await sandbox.setWablasDevice({ secretKeyRequired: false });
    const audio = await postForm(
      '/api/send-audio',
      { ...docs.singleSendAudio, phone: NUMBER },
      sandbox.wablas.token,
    );
    expect(audio.status).toBe(200);
    expect((await get('/api/send-message', query)).status).toBe(200);
    expect((await sandbox.latest())?.groupId).toBe(docs.sendGroupQuery.phone);
    // A secret key that is given must still be the right one.
    const wrong = await postForm('/api/send-message', text, `${sandbox.wablas.token}.wrong`);
    expect(wrong.body).toEqual(failure('secret key invalid'));
  });

  it('takes the query token on GET only', async () => {
    const answer = await call(
      `${sandbox.wablas.baseUrl}/api/send-message?token=${encodeURIComponent(credential())}`,
      { body: new URLSearchParams(text) },
    );
    expect(answer.body).toEqual(failure('token invalid or device expired'));
  });

  it('refuses every request of an expired (inactive) device', async () => {
    await sandbox.setWablasDevice({ active: false });
    expect((await postForm('/api/send-message', text)).body).toEqual(
      failure('token invalid or device expired'),
    );
    const info = await get('/api/device/info', { token: sandbox.wablas.token });
    expect(info.body).toEqual(failure('token invalid or device expired'));
  });

  it('takes the token alone from a device created without a secret key', async () => {
    const plain = await createSandbox({ wablas: { tokens: ['lama'], secretKeys: [] } });
    try {
      expect(plain.wablas).toEqual({
        baseUrl: `${plain.url}/wablas`,
        token: 'lama',
        phoneCheckUrl: `${plain.url}/wablas/phone`,
      });
      const answer = await call(`${plain.wablas.baseUrl}/api/send-message`, {
        body: new URLSearchParams(text),
        headers: { authorization: 'lama' },
      });
      expect(answer.status).toBe(200);
      const secret = await call(`${plain.wablas.baseUrl}/api/send-message`, {
        body: new URLSearchParams(text),
        headers: { authorization: 'lama.anything' },
      });
      expect(secret.body).toEqual(failure('secret key invalid'));
    } finally {
      await plain.close();
    }
    await expect(createSandbox({ wablas: { tokens: [] } })).rejects.toThrow(/wablas.tokens/);
  });
});

describe('Wablas refusals', () => {
  it('refuses sends while the device is disconnected, and sends again once it is back', async () => {
    await sandbox.setWablasDevice({ connected: false });
    const answer = await postForm('/api/send-message', { phone: NUMBER, message: 'x' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(failure('device disconnected, need to scan qr code again'));
    const v2 = await postJson('/api/v2/send-message', { data: [{ phone: NUMBER, message: 'x' }] });
    expect(v2.body).toEqual(failure('device disconnected, need to scan qr code again'));
    expect(await sandbox.messages()).toEqual([]);
    await sandbox.setWablasDevice({ connected: true });
    expect((await postForm('/api/send-message', { phone: NUMBER, message: 'x' })).status).toBe(200);
  });

  it('takes at most 100 v2 items', async () => {
    const item = { phone: NUMBER, message: 'x' };
    const full = await postJson('/api/v2/send-message', { data: Array(100).fill(item) });
    expect(full.status).toBe(200);
    expect(full.body.data.messages).toHaveLength(100);
    const over = await postJson('/api/v2/send-message', { data: Array(101).fill(item) });
    expect(over.status).toBe(400);
    expect(over.body).toEqual(failure('param invalid: data holds at most 100 messages, got 101'));
    expect(await sandbox.messages({ provider: 'wablas', limit: 500 })).toHaveLength(100);
  });

  it('takes 1024 characters of text or caption, counted as people count them, and no more', async () => {
    const emoji = '😀'.repeat(1024);
    expect((await postForm('/api/send-message', { phone: NUMBER, message: emoji })).status).toBe(
      200,
    );
    const long = await postForm('/api/send-message', { phone: NUMBER, message: 'a'.repeat(1025) });
    expect(long.body).toEqual(failure('param invalid: message maximum character is 1024'));
    const caption = await postForm('/api/send-image', {
      phone: NUMBER,
      image: 'https://toko.id/a.jpg',
      caption: 'a'.repeat(1025),
    });
    expect(caption.body).toEqual(failure('param invalid: caption maximum character is 1024'));
    const item = await postJson('/api/v2/send-message', {
      data: [
        { phone: NUMBER, message: 'ok' },
        { phone: NUMBER, message: 'a'.repeat(1025) },
      ],
    });
    expect(item.body).toEqual(failure('param invalid: data[1].message maximum character is 1024'));
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it.each([
    ['a number too short', { phone: '0812-34', message: 'x' }, 'format phone invalid'],
    ['letters', { phone: 'budi', message: 'x' }, 'format phone invalid'],
    ['no phone', { message: 'x' }, 'param invalid: phone is required'],
    ['no message', { phone: NUMBER }, 'param invalid: message is required'],
    ['a blank message', { phone: NUMBER, message: '  ' }, 'param invalid: message is required'],
    ['isGroup "yes"', { phone: NUMBER, message: 'x', isGroup: 'yes' }, 'param invalid: isGroup'],
  ])('refuses %s', async (_name, fields, message) => {
    const answer = await postForm('/api/send-message', fields);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: false, message: expect.stringContaining(message) });
  });

  it('refuses a v2 body that is not { data: [...] }', async () => {
    for (const body of [{ phone: NUMBER, message: 'x' }, { data: [] }, { data: ['x'] }]) {
      const answer = await postJson('/api/v2/send-message', body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^param invalid: /);
    }
  });

  it('counts the quota down per recipient and refuses a send it cannot cover', async () => {
    await sandbox.setWablasDevice({ quota: 2 });
    const first = await postForm('/api/send-message', { phone: NUMBER, message: 'satu' });
    expect(first.body.data.quota).toBe(1);
    const two = await postForm('/api/send-message', { phone: `${NUMBER},${OTHER}`, message: 'x' });
    expect(two.body).toEqual(failure('quota expired'));
    expect((await sandbox.wablasDevice()).quota).toBe(1);
    const last = await postForm('/api/send-message', { phone: NUMBER, message: 'dua' });
    expect(last.body.data.quota).toBe(0);
  });

  it('answers an unknown path with 404 in the Wablas shape', async () => {
    const answer = await postJson('/api/v2/send-button', { data: [] });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(failure('POST /api/v2/send-button not found'));
  });

  it('answers injected faults: 4xx as refusals, 5xx without status:false', async () => {
    await sandbox.fault({ provider: 'wablas', path: '/api/send-message', status: 503, times: 1 });
    const down = await postForm('/api/send-message', { phone: NUMBER, message: 'x' });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ message: 'Service Unavailable' });

    await sandbox.fault({ provider: 'wablas', status: 429, retryAfter: 2, times: 1 });
    const limited = await postForm('/api/send-message', { phone: NUMBER, message: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body).toEqual(failure('too many requests'));

    // Client code saw the auth refusal come back as HTTP 500 too; a fault body reproduces it.
    await sandbox.fault({
      provider: 'wablas',
      status: 500,
      body: failure('token invalid or device expired'),
      times: 1,
    });
    const as500 = await postForm('/api/send-message', { phone: NUMBER, message: 'x' });
    expect(as500.status).toBe(500);
    expect(as500.body).toEqual(failure('token invalid or device expired'));
    expect(await sandbox.messages()).toEqual([]);
  });

  it('sends, then drops the connection, with when: after; Wablas does not deduplicate', async () => {
    await sandbox.fault({ provider: 'wablas', reset: true, when: 'after', times: 1 });
    const fields = { phone: NUMBER, message: 'sekali' };
    await expect(postForm('/api/send-message', fields)).rejects.toThrow();
    expect((await postForm('/api/send-message', fields)).status).toBe(200);
    expect(await sandbox.messages({ provider: 'wablas' })).toHaveLength(2);
  });
});

describe('Wablas control API', () => {
  it('reports the credentials in /info', async () => {
    const info = await call(`${sandbox.url}/api/v1/info`);
    expect(info.body.providers).toContain('wablas');
    expect(info.body.credentials.wablas).toEqual({
      baseUrl: `${sandbox.url}/wablas`,
      token: 'wablas_test_token',
      secretKey: 'wablas_test_secret',
      phoneCheckUrl: `${sandbox.url}/wablas/phone`,
    });
  });

  it('rejects a bad device patch or number', async () => {
    for (const patch of [
      { connected: 'no' },
      { quota: -1 },
      { number: '08x' },
      { colour: 'red' },
    ]) {
      const answer = await call(`${sandbox.url}/api/v1/wablas/device`, {
        method: 'PUT',
        json: patch,
      });
      expect(answer.status).toBe(400);
    }
    await expect(sandbox.setWablasNumber({ number: 'x', online: false })).rejects.toThrow(/400/);
  });

  it('reset restores the device and every number', async () => {
    await sandbox.setWablasDevice({
      connected: false,
      active: false,
      quota: 0,
      secretKeyRequired: false,
      number: '6289900000000',
    });
    await sandbox.setWablasNumber({ number: NUMBER, online: false });
    await sandbox.reset();
    expect(await sandbox.wablasDevice()).toEqual({
      id: 'KBRSBX',
      name: 'Kabar Sandbox',
      number: '6285712345678',
      connected: true,
      active: true,
      quota: 1000,
      secretKeyRequired: true,
      expiredDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    const check = await call(
      `${sandbox.wablas.phoneCheckUrl}/check-phone-number?phones=${NUMBER}`,
      {
        headers: { authorization: sandbox.wablas.token, url: sandbox.wablas.baseUrl },
      },
    );
    expect(check.body.data).toEqual([{ phone: NUMBER, status: 'online' }]);
  });
});

describe('Wablas CLI flags', () => {
  it('reads the token and the secret key from flags and the environment, both kept', () => {
    const flags = ['--wablas-token', 't1', '--wablas-token', 't2', '--wablas-secret-key', 's1'];
    expect(parseCliArgs(flags, {})).toMatchObject({
      kind: 'run',
      options: { wablas: { tokens: ['t1', 't2'], secretKeys: ['s1'] } },
    });
    const env = { KABAR_SANDBOX_WABLAS_TOKENS: 'e1', KABAR_SANDBOX_WABLAS_SECRET_KEYS: 'k1,k2' };
    expect(parseCliArgs([], env)).toMatchObject({
      options: { wablas: { tokens: ['e1'], secretKeys: ['k1', 'k2'] } },
    });
    expect(parseCliArgs(['--wablas-token', 'flag'], env)).toMatchObject({
      options: { wablas: { tokens: ['flag'], secretKeys: ['k1', 'k2'] } },
    });
  });
});
