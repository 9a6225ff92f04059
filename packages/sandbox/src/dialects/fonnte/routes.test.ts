import { describe, expect, it } from 'vitest';
import { call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';
import { FONNTE_DEVICE_NUMBER } from './device.js';
import * as docs from './docs-examples.js';
import { type FonnteCallOptions, fonnteCall, tinyJpeg } from './test-requests.js';

const sandbox = useSandbox({ fonnte: { tokens: ['fonnte_test_token', 'fonnte_second_token'] } });

const CUSTOMER = '6281234567891';

function send(request: docs.FonnteDocsRequest, options: Partial<FonnteCallOptions> = {}) {
  return fonnteCall(sandbox.fonnte.baseUrl, request, { token: sandbox.fonnte.token, ...options });
}

/** A plain text send in the JSON tutorial's form, to `target`. */
function sendText(target: string, fields: Record<string, string | number | boolean> = {}) {
  return send(docs.sendJsonReply, { fields: { target, ...fields } });
}

/**
 * The shape of a JSON value: the type of each leaf, object keys in order, and arrays by their
 * first item, so the sandbox's answers can be compared with the documented ones key for key.
 */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length === 0 ? 'empty' : shapeOf(value[0])];
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).map(([key, item]) => [key, shapeOf(item)]);
  }
  return typeof value;
}

/** The documented `/send` answer's shape, with the quota block keyed by our device. */
const SEND_SHAPE = shapeOf({
  ...docs.documentedAnswers.send,
  quota: { [FONNTE_DEVICE_NUMBER]: docs.documentedAnswers.send.quota['6281234567890'] },
});

describe('Fonnte docs examples, over HTTP', () => {
  it('sends the PHP sample: an upload to two targets with variables filled in', async () => {
    const answer = await send(docs.sendPhpSample);

    expect(answer.status).toBe(200);
    expect(shapeOf(answer.body)).toEqual(SEND_SHAPE);
    expect(answer.body).toMatchObject({
      detail: 'success! message in queue',
      process: 'pending',
      status: true,
      // countryCode 62 replaced each leading 0; one id per target, in target order.
      target: ['628123456789', '628123456789'],
      quota: {
        [FONNTE_DEVICE_NUMBER]: {
          details: 'deduced from total quota',
          quota: 1000,
          remaining: 998,
          used: 2,
        },
      },
    });
    const ids: number[] = answer.body.id;
    expect(ids).toHaveLength(2);
    expect(ids.every(Number.isSafeInteger)).toBe(true);

    const stored = await sandbox.messages({ provider: 'fonnte' });
    expect(stored.map((message) => [message.id, message.text]).reverse()).toEqual([
      [String(ids[0]), 'test message to Fonnte as Admin'],
      [String(ids[1]), 'test message to Lili as User'],
    ]);
    const [first] = stored;
    expect(first).toMatchObject({
      provider: 'fonnte',
      direction: 'outbound',
      to: '628123456789',
      // The sample sets file, url and location at once; the upload is what goes out.
      type: 'image',
      status: 'accepted',
    });
    // The fields as received (PHP sends false as '' and numbers as digits), the file described.
    expect(first?.payload).toEqual({
      target: '08123456789|Fonnte|Admin,08123456789|Lili|User',
      message: 'test message to {name} as {var1}',
      url: 'https://md.fonnte.com/images/wa-logo.png',
      filename: 'filename',
      schedule: '0',
      typing: '',
      delay: '2',
      countryCode: '62',
      location: '-7.983908, 112.621391',
      followup: '0',
      inboxid: '0',
      duration: '1',
      file: {
        filename: 'localfile.jpg',
        mimeType: 'image/jpeg',
        size: 8,
        mediaId: expect.any(String),
      },
    });
  });

  it('sends by URL (GET /send/ with the token in the query), never storing the token', async () => {
    const answer = await send(docs.sendByUrl);
    expect(answer.status).toBe(200);
    expect(shapeOf(answer.body)).toEqual(SEND_SHAPE);
    expect(answer.body.target).toEqual(['628123456789']);
    const stored = await sandbox.latest({ provider: 'fonnte' });
    expect(stored).toMatchObject({ id: String(answer.body.id[0]), type: 'text' });
    expect(stored?.text).toBe('test message');
    expect(stored?.payload).toEqual({ target: '08123456789', message: 'test message' });

    // The GET form reads the query's token only; a header does not stand in for it.
    const headerOnly = await call(`${sandbox.fonnte.baseUrl}/send?target=0812345678&message=x`, {
      headers: { authorization: sandbox.fonnte.token },
    });
    expect(headerOnly.body).toEqual(docs.documentedAnswers.invalidToken);
  });

  it('picks one of several comma-separated query tokens', async () => {
    const answer = await send(docs.sendByUrl, {
      token: `${sandbox.fonnte.token},fonnte_second_token`,
    });
    expect(answer.body.status).toBe(true);
  });

  it('sends the Node.js tutorial JSON body, keeping JSON types in the stored payload', async () => {
    const answer = await send(docs.sendJsonReply, { fields: { schedule: 0, typing: true } });
    expect(shapeOf(answer.body)).toEqual(SEND_SHAPE);
    expect(answer.body.target).toEqual([CUSTOMER]);
    expect((await sandbox.latest())?.payload).toEqual({
      target: CUSTOMER,
      message: 'halo, pesan diterima',
      schedule: 0,
      typing: true,
    });
  });

  it('sends URL-encoded forms, as most public clients do', async () => {
    const answer = await send(docs.sendPhpSample, {
      urlencoded: true,
      omit: ['url', 'location', 'filename'],
      fields: { target: '081234567891', message: 'baris 1\r\nbaris 2' },
    });
    expect(answer.body.target).toEqual([CUSTOMER]);
    const stored = await sandbox.latest();
    expect(stored).toMatchObject({ type: 'text', text: 'baris 1\nbaris 2' });
  });

  it('validates numbers: registered unless the control API says not', async () => {
    await sandbox.setFonnteUnregistered(['628123456788']);
    const answer = await send(docs.validateSample);
    expect(answer.body).toEqual({
      not_registered: ['628123456788'],
      registered: ['628123456789'],
      status: true,
    });
    expect(shapeOf(answer.body)).toEqual(shapeOf(docs.documentedAnswers.validate));

    const required = await send(docs.validateSample, { fields: { target: '' } });
    expect(required.body).toEqual(docs.documentedAnswers.validateTargetRequired);
    const invalid = await send(docs.validateSample, { fields: { target: '0812345678,budi' } });
    expect(invalid.body).toEqual(docs.documentedAnswers.validateTargetInvalid);
    // countryCode 0 turns the replacement off: a local number is then no number at all.
    const local = await send(docs.validateSample, {
      fields: { target: '08123456789', countryCode: '0' },
    });
    expect(local.body).toEqual({ not_registered: ['08123456789'], registered: [], status: true });
    const many = Array.from({ length: 501 }, (_, i) => `62812000${String(i).padStart(4, '0')}`);
    const tooMany = await send(docs.validateSample, { fields: { target: many.join(',') } });
    expect(tooMany.body).toEqual({ reason: 'target max 500 numbers', status: false });
  });

  it('reports the device profile in the documented shape', async () => {
    await sendText(CUSTOMER);
    const answer = await send(docs.deviceSample);
    expect(shapeOf(answer.body)).toEqual(shapeOf(docs.documentedAnswers.device));
    expect(answer.body).toEqual({
      device: FONNTE_DEVICE_NUMBER,
      device_status: 'connect',
      expired: '31 December 2099',
      messages: 1,
      name: 'Kabar Sandbox',
      package: 'Reguler',
      quota: '999',
      status: true,
    });
    await sandbox.setFonnteDevice({ connected: false });
    expect((await send(docs.deviceSample)).body.device_status).toBe('disconnect');
  });

  it('answers /qr with a base64 PNG only while the device is logged out', async () => {
    const connected = await send(docs.qrSample);
    expect(connected.body).toEqual(docs.documentedAnswers.qrAlreadyConnected);

    await sandbox.setFonnteDevice({ connected: false });
    const answer = await send(docs.qrSample);
    expect(shapeOf(answer.body)).toEqual(shapeOf(docs.documentedAnswers.qr));
    expect(answer.body.url.startsWith(docs.documentedAnswers.qr.url)).toBe(true);
    const png = Buffer.from(answer.body.url, 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect((await send(docs.qrSample)).body.url).not.toBe(answer.body.url);
  });

  it('disconnects the device once, in the documented words', async () => {
    expect((await send(docs.disconnectSample)).body).toEqual(docs.documentedAnswers.disconnect);
    expect((await sandbox.fonnteDevice()).connected).toBe(false);
    expect((await send(docs.disconnectSample)).body).toEqual(
      docs.documentedAnswers.disconnectAlready,
    );
  });

  it('refreshes and lists WhatsApp groups', async () => {
    expect((await send(docs.getWhatsappGroupSample)).body).toEqual(docs.documentedAnswers.noGroups);
    expect((await send(docs.fetchGroupSample)).body).toEqual(docs.documentedAnswers.fetchGroup);

    await sandbox.addFonnteGroup({ id: '120363000000000001@g.us', name: 'Reseller' });
    await sandbox.addFonnteGroup({ id: '6281234567890-1600000000@g.us', name: 'Keluarga' });
    const answer = await send(docs.getWhatsappGroupSample);
    expect(shapeOf(answer.body)).toEqual(shapeOf(docs.documentedAnswers.groups));
    expect(answer.body.data).toEqual([
      { id: '120363000000000001@g.us', name: 'Reseller' },
      { id: '6281234567890-1600000000@g.us', name: 'Keluarga' },
    ]);

    await sandbox.setFonnteDevice({ connected: false });
    expect((await send(docs.fetchGroupSample)).body).toEqual(
      docs.documentedAnswers.fetchGroupDisconnected,
    );
  });

  it("reports a sent message's status (the deprecated /status)", async () => {
    expect((await send(docs.statusSample, { omit: ['id'] })).body).toEqual(
      docs.documentedAnswers.statusIdRequired,
    );
    const [id] = (await sendText(CUSTOMER)).body.id;
    const answer = await send(docs.statusSample, { fields: { id } });
    expect(answer.body).toEqual({ id, message_status: 'sent', status: true });
    expect(shapeOf(answer.body)).toEqual(shapeOf(docs.documentedAnswers.status));
    expect((await send(docs.statusSample, { fields: { id: 1 } })).body).toEqual({
      reason: 'message not found',
      status: false,
    });
  });
});

describe('Fonnte refusals: HTTP 200 with status false', () => {
  it.each([
    ['a wrong token', { token: 'not_a_token' }],
    ['no token', { token: null }],
    ['a Bearer prefix', { authorization: 'Bearer fonnte_test_token' }],
  ])('refuses %s on /send with the captured answer, storing nothing', async (_name, options) => {
    const answer = await send(docs.sendPhpSample, options);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(docs.documentedAnswers.invalidToken);
    expect(await sandbox.messages()).toEqual([]);
  });

  it('words a bad token as each endpoint documents it', async () => {
    const options = { token: 'not_a_token' };
    expect((await send(docs.deviceSample, options)).body).toEqual(
      docs.documentedAnswers.deviceTokenInvalid,
    );
    expect((await send(docs.disconnectSample, options)).body).toEqual(
      docs.documentedAnswers.disconnectTokenInvalid,
    );
    expect((await send(docs.getWhatsappGroupSample, options)).body).toEqual({
      detail: 'token invalid',
      status: false,
    });
    expect((await send(docs.sendByUrl, { token: null })).body).toEqual(
      docs.documentedAnswers.invalidToken,
    );
  });

  it('refuses sends while the device is disconnected', async () => {
    await sandbox.setFonnteDevice({ connected: false });
    const answer = await sendText(CUSTOMER);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      reason: 'device disconnected',
      requestid: expect.any(Number),
      status: false,
    });
    const validate = await send(docs.validateSample);
    expect(validate.body).toEqual({ reason: 'device disconnected', status: false });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('needs a target, and one that is a number or a group', async () => {
    const missing = await send(docs.sendJsonReply, { omit: ['target'] });
    expect(missing.body).toMatchObject({ reason: 'target required', status: false });
    const invalid = await sendText('budi,123');
    expect(invalid.body).toMatchObject({ reason: 'target invalid', status: false });
    // countryCode 0: a local number stays local, which is no number.
    const local = await sendText('081234567891', { countryCode: '0' });
    expect(local.body).toMatchObject({ reason: 'target invalid', status: false });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('skips the bad items of a bulk send and answers for the rest', async () => {
    const answer = await sendText('081234567891, budi ,+62 812-3456-7892');
    expect(answer.body.target).toEqual([CUSTOMER, '6281234567892']);
    expect(answer.body.id).toHaveLength(2);
  });

  it('sends to a group by its id, as given', async () => {
    const answer = await sendText('120363000000000009@g.us', { message: 'Halo grup' });
    expect(answer.body.target).toEqual(['120363000000000009@g.us']);
    expect(await sandbox.latest()).toMatchObject({
      to: '120363000000000009',
      groupId: '120363000000000009@g.us',
      text: 'Halo grup',
    });
  });

  it.each([
    ['a link of a type Fonnte does not send', { url: 'https://toko.id/suara.ogg' }],
    ['a link that is not http(s)', { url: 'ftp://toko.id/a.jpg' }],
  ])('refuses %s', async (_name, fields) => {
    const answer = await sendText(CUSTOMER, fields);
    expect(answer.body).toMatchObject({ status: false });
    expect(answer.body.reason).toMatch(/file format not supported|url invalid/);
  });

  it('sends links by their type, and one without an extension as a file', async () => {
    const kinds: [string, string][] = [
      ['https://toko.id/promo.JPG?v=2', 'image'],
      ['https://toko.id/demo.mp4', 'video'],
      ['https://toko.id/suara.mp3', 'audio'],
      ['https://toko.id/faktur.pdf', 'document'],
      ['https://toko.id/unduh', 'document'],
    ];
    for (const [url, type] of kinds) {
      await sendText(CUSTOMER, { url, message: '' });
      expect(await sandbox.latest()).toMatchObject({ type, text: `[${type}]` });
    }
  });

  it("applies Fonnte's file rules to uploads: its types only, at most 10 MB", async () => {
    const exe = new File([new Uint8Array(4)], 'setup.exe', { type: 'application/octet-stream' });
    expect((await send(docs.sendPhpSample, { file: exe })).body).toMatchObject({
      reason: 'file format not supported',
      status: false,
    });
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'besar.pdf', {
      type: 'application/pdf',
    });
    expect((await send(docs.sendPhpSample, { file: big })).body).toMatchObject({
      reason: 'file too large, maximum 10 MB',
      status: false,
    });
    const pdf = new File([new Uint8Array(10 * 1024 * 1024)], 'katalog.pdf', {
      type: 'application/pdf',
    });
    expect((await send(docs.sendPhpSample, { file: pdf })).body.status).toBe(true);
    expect(await sandbox.latest()).toMatchObject({ type: 'document' });
  });

  it('sends a location, and refuses one that is not "latitude,longitude"', async () => {
    const answer = await sendText(CUSTOMER, { message: '', location: '-7.983908, 112.621391' });
    expect(answer.body.status).toBe(true);
    expect(await sandbox.latest()).toMatchObject({
      type: 'location',
      text: '-7.983908,112.621391',
    });
    const bad = await sendText(CUSTOMER, { location: '-97.1, 112.6' });
    expect(bad.body).toMatchObject({ reason: 'location invalid', status: false });
  });

  it('sends a poll of 2 to 12 choices', async () => {
    const poll = { choices: 'Ya, Tidak', select: 'single', pollname: 'Datang?', message: '' };
    expect((await sendText(CUSTOMER, poll)).body.status).toBe(true);
    expect(await sandbox.latest()).toMatchObject({ type: 'poll', text: 'Datang?: Ya / Tidak' });
    const one = await sendText(CUSTOMER, { ...poll, choices: 'Ya' });
    expect(one.body).toMatchObject({ reason: 'choices must have 2 to 12 options' });
    const select = await sendText(CUSTOMER, { ...poll, select: 'semua' });
    expect(select.body).toMatchObject({ reason: 'select must be single or multiple' });
  });

  it('needs something to send, and takes at most 4096 characters', async () => {
    expect((await sendText(CUSTOMER, { message: ' ' })).body).toMatchObject({
      reason: 'message required',
      status: false,
    });
    expect((await sendText(CUSTOMER, { message: 'a'.repeat(4096) })).body.status).toBe(true);
    expect((await sendText(CUSTOMER, { message: 'a'.repeat(4097) })).body).toMatchObject({
      reason: 'message too long',
      status: false,
    });
  });

  it('counts the quota down, one per target, and refuses a send it cannot cover', async () => {
    await sandbox.setFonnteDevice({ quota: 1 });
    const two = await sendText(`${CUSTOMER},6281234567892`);
    expect(two.body).toMatchObject({ reason: 'insufficient quota', status: false });
    const one = await sendText(CUSTOMER);
    expect(one.body.quota[FONNTE_DEVICE_NUMBER]).toMatchObject({
      quota: 1,
      remaining: 0,
      used: 1,
    });
    expect((await send(docs.deviceSample)).body.quota).toBe('0');
  });

  it('keeps a message scheduled for later in the queue, with its schedule', async () => {
    const schedule = Math.floor(Date.now() / 1000) + 3600;
    const answer = await sendText(CUSTOMER, { schedule });
    expect(answer.body).toMatchObject({ status: true, process: 'pending' });
    const stored = await sandbox.latest();
    expect(stored).toMatchObject({ status: 'queued', payload: { schedule } });
    const status = await send(docs.statusSample, { fields: { id: answer.body.id[0] } });
    expect(status.body.message_status).toBe('pending');
    // A schedule already past is sent now.
    await sendText(CUSTOMER, { schedule: 1_000_000_000 });
    expect((await sandbox.latest())?.status).toBe('accepted');
  });

  it('answers an unknown path, and one it does not emulate, with status false', async () => {
    const unknown = await send({ ...docs.deviceSample, path: '/kirim' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ reason: 'POST /kirim does not exist', status: false });
    const account = await send({ ...docs.deviceSample, path: '/get-devices' });
    expect(account.status).toBe(501);
    expect(account.body).toEqual({
      reason: '/get-devices is not emulated by kabar-sandbox',
      status: false,
    });
  });
});

describe('Fonnte faults', () => {
  it('answers an injected 503 in the Fonnte error shape without sending', async () => {
    await sandbox.fault({ provider: 'fonnte', path: '/send', status: 503, retryAfter: 2 });
    const answer = await sendText(CUSTOMER);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.body).toEqual({ reason: 'service unavailable', status: false });
    expect(await sandbox.messages()).toEqual([]);
    expect((await sandbox.fonnteDevice()).quota).toBe(1000);
  });

  it('sends, then drops the connection, with when: after; a repeat sends again', async () => {
    await sandbox.fault({ provider: 'fonnte', reset: true, when: 'after', times: 1 });
    await expect(sendText(CUSTOMER)).rejects.toThrow();
    // Fonnte does not deduplicate: the same request again is a second message.
    await sendText(CUSTOMER);
    expect(await sandbox.messages({ provider: 'fonnte' })).toHaveLength(2);
  });
});

describe('Fonnte uploads with a tiny media store', () => {
  const small = useSandbox({ maxMediaBytes: 4 });

  it('refuses a file the store cannot hold, in a Fonnte answer, using no quota', async () => {
    const answer = await fonnteCall(small.fonnte.baseUrl, docs.sendPhpSample, {
      token: small.fonnte.token,
      file: tinyJpeg(),
    });
    expect(answer.body).toMatchObject({
      reason: "file too large for the sandbox's media store (maxMediaBytes)",
      status: false,
    });
    expect((await small.fonnteDevice()).quota).toBe(1000);
  });
});
