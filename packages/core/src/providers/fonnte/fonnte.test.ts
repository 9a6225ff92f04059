import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from '../../client.js';
import { failure } from '../../test-helpers.js';
import type { FetchFunction } from '../../transport/fetch.js';
import { createProvider } from '../registry.js';
import { fonnteGateway } from './gateway.js';
import { type FonnteOptions, fonnte } from './index.js';
import * as answers from './test-data/answers.js';

const { TOKEN, DEVICE } = answers;

/** One request as Fonnte would see it. */
interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  fields: Record<string, string>;
  multipart: boolean;
}

/** What the fake Fonnte answers: a JSON body (HTTP 200), or a status and raw text. */
type Reply = object | { status: number; text: string };

/** A fetch that plays Fonnte: answers `replies` in order and records every request. */
function fakeFonnte(...replies: Reply[]) {
  const requests: Recorded[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const body = init?.body;
    const fields: Record<string, string> = {};
    if (body instanceof FormData) {
      for (const [key, value] of body.entries()) fields[key] = String(value);
    }
    requests.push({
      method: String(init?.method),
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
      fields,
      multipart: body instanceof FormData,
    });
    const reply = replies.shift();
    if (reply === undefined) throw new Error('fake Fonnte: no more replies');
    if ('text' in reply && 'status' in reply && typeof reply.status === 'number') {
      return new Response(reply.text, { status: reply.status });
    }
    return Response.json(reply);
  };
  return { fetch, requests };
}

function client(
  fake: { fetch: FetchFunction },
  options: Partial<FonnteOptions> = {},
  extra: Partial<ClientOptions> = {},
) {
  return createClient({
    provider: fonnte({ token: TOKEN, ...options }),
    fetch: fake.fetch,
    rateLimit: false,
    retry: { initialDelayMs: 1 },
    ...extra,
  });
}

describe('fonnte sends', () => {
  it('posts a text as multipart form fields with the bare token, and reads an integer id', async () => {
    const fake = fakeFonnte(answers.sendIntegerIds);
    const result = await client(fake).send({ to: '0812-3456-7891', text: 'Halo kak' });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://api.fonnte.com/send');
    expect(request?.headers.Authorization).toBe(TOKEN);
    expect(request?.multipart).toBe(true);
    expect(request?.fields).toEqual({
      target: '6281234567891',
      message: 'Halo kak',
      countryCode: '0',
    });
    expect(result).toEqual({
      id: '142223099',
      to: '6281234567891',
      provider: 'fonnte',
      raw: answers.sendIntegerIds,
    });
  });

  it('reads the older answers whose ids are strings', async () => {
    const fake = fakeFonnte(answers.sendStringIds);
    const result = await client(fake).send({ to: '081234567891', text: 'Halo' });
    expect(result.id).toBe('86226241');
    expect(result.to).toBe('6281234567891');
    expect(result.messages).toBeUndefined();
  });

  it('sends to several numbers in one request, with the delay and a schedule, one id each', async () => {
    const fake = fakeFonnte(answers.sendTwoTargets);
    const sendAt = new Date(Date.now() + 3_600_000);
    const result = await client(fake, { delay: '1-10' }).send({
      to: ['0812-3456-7891', '+62 812-3456-7892'],
      text: 'Promo akhir pekan',
      sendAt,
    });
    expect(fake.requests[0]?.fields).toEqual({
      target: '6281234567891,6281234567892',
      message: 'Promo akhir pekan',
      countryCode: '0',
      schedule: String(Math.floor(sendAt.getTime() / 1000)),
      delay: '1-10',
    });
    expect(result.id).toBe('142223100');
    expect(result.to).toBe('6281234567891');
    expect(result.messages).toEqual([
      { id: '142223100', to: '6281234567891' },
      { id: '142223101', to: '6281234567892' },
    ]);
  });

  it('leaves the delay out when there is one recipient', async () => {
    const fake = fakeFonnte(answers.sendIntegerIds);
    await client(fake, { delay: '2' }).send({ to: '081234567891', text: 'Halo' });
    expect(fake.requests[0]?.fields.delay).toBeUndefined();
  });

  it('sends media by link with its caption and a document’s file name', async () => {
    const fake = fakeFonnte(...Array.from({ length: 4 }, () => answers.sendIntegerIds));
    const wa = client(fake);
    await wa.send({
      to: '081234567891',
      image: { link: 'https://toko.id/katalog.png', caption: 'Katalog' },
    });
    await wa.send({ to: '081234567891', video: { link: 'https://toko.id/promo.mp4' } });
    await wa.send({ to: '081234567891', audio: { link: 'https://toko.id/salam.mp3' } });
    await wa.send({
      to: '081234567891',
      document: { link: 'https://toko.id/faktur.pdf', caption: 'Faktur', filename: 'INV-1.pdf' },
    });
    expect(fake.requests.map((r) => r.fields)).toEqual([
      {
        target: '6281234567891',
        url: 'https://toko.id/katalog.png',
        message: 'Katalog',
        countryCode: '0',
      },
      { target: '6281234567891', url: 'https://toko.id/promo.mp4', countryCode: '0' },
      { target: '6281234567891', url: 'https://toko.id/salam.mp3', countryCode: '0' },
      {
        target: '6281234567891',
        url: 'https://toko.id/faktur.pdf',
        message: 'Faktur',
        filename: 'INV-1.pdf',
        countryCode: '0',
      },
    ]);
  });

  it('refuses uploaded media (an id) before any request', async () => {
    const fake = fakeFonnte();
    const error = await failure(
      client(fake).send({ to: '081234567891', image: { id: '1234567890' } }),
    );
    expect(error.code).toBe('unsupported_feature');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a file type Fonnte does not send before any request, and leaves unknown ones to it', async () => {
    const fake = fakeFonnte(answers.sendIntegerIds, answers.sendIntegerIds);
    const voiceNote = client(fake).send({
      to: '081234567891',
      audio: { link: 'https://toko.id/suara.ogg?v=2' },
    });
    expect(await failure(voiceNote)).toMatchObject({
      code: 'unsupported_feature',
      message: expect.stringContaining('.ogg (Fonnte sends mp3)'),
    });
    expect(fake.requests).toHaveLength(0);
    await client(fake).send({ to: '081234567891', audio: { link: 'https://toko.id/lagu.MP3' } });
    await client(fake).send({ to: '081234567891', image: { link: 'https://toko.id/gambar' } });
    expect(fake.requests).toHaveLength(2);
  });

  it('sends a location as "lat,long" with its name and address as the text', async () => {
    const fake = fakeFonnte(answers.sendIntegerIds);
    await client(fake).send({
      to: '081234567891',
      location: { latitude: -7.983908, longitude: 112.621391, name: 'Toko', address: 'Malang' },
    });
    expect(fake.requests[0]?.fields).toEqual({
      target: '6281234567891',
      location: '-7.983908,112.621391',
      message: 'Toko, Malang',
      countryCode: '0',
    });
  });

  it('sends to a group by its id and quotes an incoming message by its inbox id', async () => {
    const fake = fakeFonnte(answers.sendIntegerIds);
    await client(fake).send({
      to: { group: '120363000000000000@g.us' },
      text: 'Rapat jam 10.00',
      replyTo: '5501',
    });
    expect(fake.requests[0]?.fields).toEqual({
      target: '120363000000000000@g.us',
      message: 'Rapat jam 10.00',
      countryCode: '0',
      inboxid: '5501',
    });
  });

  it('refuses a replyTo that is no Fonnte inbox id, before any request', async () => {
    const fake = fakeFonnte();
    const error = await failure(
      client(fake).send({ to: '081234567891', text: 'Halo', replyTo: 'wamid.ABC' }),
    );
    expect(error.code).toBe('validation');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses what Fonnte cannot send before any request', async () => {
    const fake = fakeFonnte();
    const error = await failure(
      client(fake).send({ to: '081234567891', reaction: { messageId: '1', emoji: '👍' } }),
    );
    expect(error.code).toBe('unsupported_feature');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('fonnte errors', () => {
  it('turns "invalid token" (HTTP 200) into unauthenticated, without retrying', async () => {
    const fake = fakeFonnte(answers.invalidToken, answers.sendIntegerIds);
    const error = await failure(client(fake).send({ to: '081234567891', text: 'Halo' }));
    expect(error.code).toBe('unauthenticated');
    expect(error.status).toBe(200);
    expect(error.provider).toBe('fonnte');
    expect(error.message).toContain('invalid token');
    expect(error.isRetryable).toBe(false);
    expect(error.maybeAccepted).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [answers.deviceDisconnected, 'session_inactive'],
    [answers.targetInvalid, 'invalid_phone'],
    [{ reason: 'quota exceeded', status: false }, 'quota_exceeded'],
    [{ reason: 'token invalid', status: false }, 'unauthenticated'],
    [{ detail: 'unknown token', status: false }, 'unauthenticated'],
    [{ Status: false, reason: 'device disconnected' }, 'session_inactive'],
    [{ reason: 'file type not allowed', status: false }, 'provider_error'],
  ])('maps the refusal %j to %s, never retried', async (answer, code) => {
    const fake = fakeFonnte(answer, answers.sendIntegerIds);
    const error = await failure(client(fake).send({ to: '081234567891', text: 'Halo' }));
    expect(error.code).toBe(code);
    expect(error.isRetryable).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a send after a 502: Fonnte may have queued it and does not deduplicate', async () => {
    const fake = fakeFonnte(
      { status: 502, text: '<html>Bad Gateway</html>' },
      answers.sendIntegerIds,
    );
    const error = await failure(client(fake).send({ to: '081234567891', text: 'Halo' }));
    expect(error.code).toBe('provider_error');
    expect(error.status).toBe(502);
    expect(error.maybeAccepted).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a send turned away with HTTP 429', async () => {
    const fake = fakeFonnte({ status: 429, text: 'Too Many Requests' }, answers.sendIntegerIds);
    const result = await client(fake).send({ to: '081234567891', text: 'Halo' });
    expect(result.id).toBe('142223099');
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a 429 it may not retry as rate_limited', async () => {
    const fake = fakeFonnte({ status: 429, text: 'Too Many Requests' });
    const error = await failure(
      client(fake, {}, { retry: false }).send({ to: '081234567891', text: 'Halo' }),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.maybeAccepted).toBe(false);
  });

  it('fails, without retrying, on an acceptance that names no message id', async () => {
    const fake = fakeFonnte(
      { detail: 'success! message in queue', status: true },
      answers.sendIntegerIds,
    );
    const error = await failure(client(fake).send({ to: '081234567891', text: 'Halo' }));
    expect(error.code).toBe('provider_error');
    expect(error.maybeAccepted).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails, without retrying, on a 200 that is not JSON', async () => {
    const fake = fakeFonnte({ status: 200, text: 'maintenance' }, answers.sendIntegerIds);
    const error = await failure(client(fake).send({ to: '081234567891', text: 'Halo' }));
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('maintenance');
    expect(error.maybeAccepted).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('never shows the token in an error, even when Fonnte echoes it', async () => {
    const fake = fakeFonnte(
      { reason: `invalid token ${TOKEN}`, status: false },
      { status: 500, text: `upstream failed for token=${TOKEN}` },
    );
    const wa = client(fake);
    const refused = await failure(wa.send({ to: '081234567891', text: 'Halo' }));
    const crashed = await failure(wa.send({ to: '081234567891', text: 'Halo' }));
    for (const error of [refused, crashed]) {
      expect(error.message).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    }
    expect(refused.message).toContain('[redacted]');
  });
});

describe('fonnte device, numbers and groups', () => {
  it('reports a connected device from its profile alone', async () => {
    const fake = fakeFonnte(answers.deviceConnected);
    const status = await client(fake).connection.status();
    expect(status).toEqual({ authenticated: true, number: DEVICE, name: 'Fonnte admin' });
    expect(fake.requests.map((r) => r.url)).toEqual(['https://api.fonnte.com/device']);
    expect(fake.requests[0]?.headers.Authorization).toBe(TOKEN);
  });

  it('fetches the QR code of a logged-out device as a data URL', async () => {
    const fake = fakeFonnte(answers.deviceLoggedOut, answers.qr);
    const status = await client(fake, {
      baseUrl: 'http://127.0.0.1:4010/fonnte/',
    }).connection.status();
    expect(status).toEqual({
      authenticated: false,
      number: DEVICE,
      name: 'Fonnte admin',
      qrCode: `data:image/png;base64,${answers.qr.url}`,
    });
    expect(fake.requests.map((r) => [r.url, r.fields])).toEqual([
      ['http://127.0.0.1:4010/fonnte/device', {}],
      ['http://127.0.0.1:4010/fonnte/qr', { type: 'qr', whatsapp: DEVICE }],
    ]);
  });

  it('counts "device already connect" from /qr as connected', async () => {
    const fake = fakeFonnte(answers.deviceLoggedOut, answers.qrAlreadyConnected);
    const status = await client(fake).connection.status();
    expect(status.authenticated).toBe(true);
    expect(status.qrCode).toBeUndefined();
  });

  it('fails the status on a bad token', async () => {
    const fake = fakeFonnte({ reason: 'token invalid', status: false });
    const error = await failure(client(fake).connection.status());
    expect(error.code).toBe('unauthenticated');
    expect(fake.requests).toHaveLength(1);
  });

  it('checks numbers with /validate without letting Fonnte rewrite them', async () => {
    const fake = fakeFonnte(answers.validate, answers.validate);
    const wa = client(fake);
    expect(await wa.numbers.check('0812-3456-7891')).toBe(true);
    expect(await wa.numbers.check('0812-3456-7899')).toBe(false);
    expect(fake.requests.map((r) => [r.url, r.fields])).toEqual([
      ['https://api.fonnte.com/validate', { target: '6281234567891', countryCode: '0' }],
      ['https://api.fonnte.com/validate', { target: '6281234567899', countryCode: '0' }],
    ]);
  });

  it('runs number checks one at a time', async () => {
    let running = 0;
    let most = 0;
    const fetch: FetchFunction = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return Response.json(answers.validate);
    };
    const wa = client({ fetch });
    const results = await Promise.all([
      wa.numbers.check('081234567891'),
      wa.numbers.check('081234567899'),
      wa.numbers.check('081234567891'),
    ]);
    expect(results).toEqual([true, false, true]);
    expect(most).toBe(1);
  });

  it('lists groups, and none when the device is in no group', async () => {
    const fake = fakeFonnte(answers.groups, answers.noGroups);
    const wa = client(fake);
    expect(await wa.groups.list()).toEqual([
      { id: 'xxx@g.us', name: 'Group name 1' },
      { id: 'xxx-xxx@g.us', name: 'Group name 2' },
    ]);
    expect(await wa.groups.list()).toEqual([]);
    expect(fake.requests.map((r) => r.url)).toEqual([
      'https://api.fonnte.com/get-whatsapp-group',
      'https://api.fonnte.com/get-whatsapp-group',
    ]);
  });

  it('fails the group list on any other refusal', async () => {
    const fake = fakeFonnte({ detail: 'failed to get whatsapp group', status: false });
    const error = await failure(client(fake).groups.list());
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('failed to get whatsapp group');
  });
});

describe('fonnte configuration', () => {
  it('needs a token and a well-formed delay and base URL', () => {
    expect(() => fonnte({ token: '' })).toThrow(/token/);
    expect(() => fonnte({ token: TOKEN, delay: 'slow' })).toThrow(/delay/);
    expect(() => fonnte({ token: TOKEN, baseUrl: 'api.fonnte.com' })).toThrow(/baseUrl/);
  });

  it('paces one message every 5 s per device, keyed without the token', () => {
    const provider = fonnte({ token: TOKEN });
    expect(provider.defaultRateLimit).toEqual({ limit: 1, intervalMs: 5_000 });
    expect(provider.deduplicates).toBe(false);
    expect(provider.secrets).toEqual([TOKEN]);
    expect(provider.rateLimitKey).not.toContain(TOKEN);
    expect(provider.rateLimitKey).not.toContain(TOKEN.slice(0, 4));
    expect(provider.rateLimitKey).toMatch(/^fonnte:https:\/\/api\.fonnte\.com:/);
    expect(fonnte({ token: `${TOKEN}x` }).rateLimitKey).not.toBe(provider.rateLimitKey);
  });

  it('is made from registry settings, blank ones counting as absent', async () => {
    const provider = createProvider('fonnte', { token: TOKEN, baseUrl: '  ' });
    expect(provider.name).toBe('fonnte');
    expect(provider.capabilities).toBe(fonnteGateway.capabilities);
    const fake = fakeFonnte(answers.sendIntegerIds);
    await createClient({ provider, fetch: fake.fetch, rateLimit: false }).send({
      to: '081234567891',
      text: 'Halo',
    });
    expect(fake.requests[0]?.url).toBe('https://api.fonnte.com/send');
    expect(() => createProvider('fonnte', { token: ' ' })).toThrow(/token/);
    expect(fonnteGateway.credentials.map((c) => [c.key, c.secret, c.required])).toEqual([
      ['token', true, true],
      ['baseUrl', false, false],
    ]);
  });
});
