import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { KabarError } from '../../errors.js';
import { failure } from '../../test-helpers.js';
import type { FetchFunction } from '../../transport/fetch.js';
import { createProvider } from '../registry.js';
import { wablasGateway } from './gateway.js';
import { type WablasOptions, wablas } from './index.js';
import * as answers from './test-data/answers.js';

const TOKEN = 'Tok3nDeviceA5DOYJabcdef';
const SECRET = 'S3cretKeyQ9x';

interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Form fields, parsed JSON, or the FormData of an upload. */
  body: unknown;
}

type Answer = { status?: number; body: unknown; headers?: Record<string, string> };

/** A fetch that records every request and answers from `script` in turn (the last one repeats). */
function recordingFetch(...script: (Answer | 'hang')[]) {
  const requests: Recorded[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = { ...(init.headers as Record<string, string>) };
    let body: unknown = init.body;
    if (init.body instanceof Blob) {
      body = Object.fromEntries(new URLSearchParams(await init.body.text()));
    } else if (typeof init.body === 'string') {
      body = JSON.parse(init.body);
    }
    requests.push({ url: String(input), method: init.method ?? 'GET', headers, body });
    const answer = script[Math.min(requests.length, script.length) - 1] ?? { body: {} };
    if (answer === 'hang') {
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  }) as FetchFunction;
  return { fetch, requests };
}

function client(
  fetch: FetchFunction,
  options: Partial<WablasOptions> = {},
  extra: { timeoutMs?: number } = {},
) {
  return createClient({
    provider: wablas({ token: TOKEN, secretKey: SECRET, server: 'bdg', ...options }),
    fetch,
    rateLimit: false,
    retry: { initialDelayMs: 1 },
    ...extra,
  });
}

describe('wablas sends', () => {
  it('sends one text as form fields to /api/send-message with token.secret', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    const result = await client(fetch).send({ to: '0812-1800-0001', text: 'hello there' });

    expect(requests).toHaveLength(1);
    const [request] = requests as [Recorded];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://bdg.wablas.com/api/send-message');
    expect(request.headers.authorization).toBe(`${TOKEN}.${SECRET}`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toEqual({ phone: '6281218000001', message: 'hello there' });
    expect(result).toEqual({
      id: '5be46e84-650c-4ba1-a1a6-5647d358c43a',
      to: '6281218000001',
      provider: 'wablas',
      raw: answers.sendText,
    });
  });

  it('sends the token alone when there is no secret key', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    await client(fetch, { secretKey: undefined }).send({ to: '081218000001', text: 'hi' });
    expect(requests[0]?.headers.authorization).toBe(TOKEN);
  });

  it('marks a group send with the string "true"', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    await client(fetch).send({ to: { group: '120363064449269000' }, text: 'Rapat jam 10.00' });
    expect(requests[0]?.body).toEqual({
      phone: '120363064449269000',
      message: 'Rapat jam 10.00',
      isGroup: 'true',
    });
  });

  it('sends several numbers as one v2 JSON request and returns every message id', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendTextV2 });
    const result = await client(fetch).send({
      to: ['081218000001', '+62 812-1800-0002'],
      text: 'Hello! Welcome to our service.',
    });
    expect(requests[0]?.url).toBe('https://bdg.wablas.com/api/v2/send-message');
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(requests[0]?.body).toEqual({
      data: [
        { phone: '6281218000001', message: 'Hello! Welcome to our service.', isGroup: 'false' },
        { phone: '6281218000002', message: 'Hello! Welcome to our service.', isGroup: 'false' },
      ],
    });
    expect(result.id).toBe('11111111-2222-4333-8444-555555555555');
    expect(result.to).toBe('6281218000001');
    expect(result.messages).toEqual([
      { id: '11111111-2222-4333-8444-555555555555', to: '6281218000001' },
      { id: '66666666-7777-4888-9999-aaaaaaaaaaaa', to: '6281218000002' },
    ]);
  });

  it('refuses more than 100 recipients before any request', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendTextV2 });
    const to = Array.from({ length: 101 }, (_, i) => `0812180${String(i).padStart(5, '0')}`);
    const error = await failure(client(fetch).send({ to, text: 'promo' }));
    expect(error).toMatchObject({ code: 'validation', field: 'to' });
    expect(requests).toHaveLength(0);
  });

  it('refuses text over the 1024 characters Wablas takes', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    const error = await failure(client(fetch).send({ to: '081218000001', text: 'a'.repeat(1025) }));
    expect(error).toMatchObject({ code: 'validation', field: 'text' });
    expect(requests).toHaveLength(0);
  });

  it('sends media by link to the endpoint of its kind', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendImage });
    const wa = client(fetch);
    const image = await wa.send({
      to: '081218000001',
      image: { link: 'https://toko.example/nota.jpg', caption: 'Nota pembelian' },
    });
    await wa.send({ to: '081218000001', video: { link: 'https://toko.example/a.mp4' } });
    await wa.send({ to: '081218000001', audio: { link: 'https://toko.example/a.mp3' } });
    await wa.send({
      to: { group: '120363064449269000' },
      document: { link: 'https://toko.example/inv.pdf', filename: 'INV-1.pdf', caption: 'x' },
    });

    expect(image.id).toBe('8a3e2b1c-7d6f-4e5a-9b8c-1d2e3f4a5b6c');
    expect(requests.map((r) => [r.url.replace('https://bdg.wablas.com', ''), r.body])).toEqual([
      [
        '/api/send-image',
        {
          phone: '6281218000001',
          image: 'https://toko.example/nota.jpg',
          caption: 'Nota pembelian',
        },
      ],
      ['/api/send-video', { phone: '6281218000001', video: 'https://toko.example/a.mp4' }],
      ['/api/send-audio', { phone: '6281218000001', audio: 'https://toko.example/a.mp3' }],
      [
        '/api/send-document',
        {
          phone: '120363064449269000',
          document: 'https://toko.example/inv.pdf',
          caption: 'INV-1.pdf',
          isGroup: 'true',
        },
      ],
    ]);
    for (const request of requests) {
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    }
  });

  it('sends media to several numbers through the v2 endpoint', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendTextV2 });
    await client(fetch).send({
      to: ['081218000001', '081218000002'],
      video: { link: 'https://toko.example/a.mp4', caption: 'Katalog' },
    });
    expect(requests[0]?.url).toBe('https://bdg.wablas.com/api/v2/send-video');
    expect(requests[0]?.body).toEqual({
      data: [
        {
          phone: '6281218000001',
          video: 'https://toko.example/a.mp4',
          caption: 'Katalog',
          isGroup: 'false',
        },
        {
          phone: '6281218000002',
          video: 'https://toko.example/a.mp4',
          caption: 'Katalog',
          isGroup: 'false',
        },
      ],
    });
  });

  it('sends a location as a v2 item with numeric coordinates', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    await client(fetch).send({
      to: '081218000001',
      location: {
        latitude: -6.2,
        longitude: 106.816666,
        name: 'Toko Batik',
        address: 'Jl. Sudirman 1',
      },
    });
    expect(requests[0]?.url).toBe('https://bdg.wablas.com/api/v2/send-location');
    expect(requests[0]?.body).toEqual({
      data: [
        {
          phone: '6281218000001',
          isGroup: 'false',
          message: {
            name: 'Toko Batik',
            address: 'Jl. Sudirman 1',
            latitude: -6.2,
            longitude: 106.816666,
          },
        },
      ],
    });
  });

  it('schedules text with the date and time in Jakarta', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.schedule });
    const sendAt = new Date(Date.now() + 24 * 60 * 60 * 1000);
    sendAt.setUTCHours(17, 30, 5, 0); // 00:30:05 the next day in Jakarta (UTC+7)
    const jakarta = new Date(sendAt.getTime() + 7 * 60 * 60 * 1000).toISOString();
    const result = await client(fetch).send({ to: '0876564546565', text: 'text', sendAt });

    expect(requests[0]?.url).toBe('https://bdg.wablas.com/api/schedule');
    expect(requests[0]?.body).toEqual({
      phone: '62876564546565',
      message: 'text',
      date: jakarta.slice(0, 10),
      time: '00:30:05',
      timezone: 'Asia/Jakarta',
    });
    expect(result).toMatchObject({
      id: '8d554adc-1f2e-4d3c-9b8a-7f6e5d4c3b2a',
      to: '62876564546565',
    });
  });

  it('refuses to schedule anything but text, and kinds Wablas cannot send', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    const wa = client(fetch);
    const scheduled = await failure(
      wa.send({
        to: '081218000001',
        image: { link: 'https://toko.example/a.jpg' },
        sendAt: new Date(Date.now() + 60_000),
      }),
    );
    expect(scheduled.code).toBe('unsupported_feature');
    const sticker = await failure(
      wa.send({ to: '081218000001', sticker: { link: 'https://toko.example/a.webp' } }),
    );
    expect(sticker.code).toBe('unsupported_feature');
    const reply = await failure(wa.send({ to: '081218000001', text: 'x', replyTo: 'abc' }));
    expect(reply.code).toBe('unsupported_feature');
    expect(requests).toHaveLength(0);
  });

  it('reads a phone that comes back as a JSON number', async () => {
    const { fetch } = recordingFetch({ body: answers.sendTextNumericPhone });
    const result = await client(fetch).send({ to: '081218000001', text: 'hello there' });
    expect(result).toMatchObject({
      id: '0c1d2e3f-4a5b-4c6d-8e7f-901234567890',
      to: '6281218000001',
    });
  });

  it('finds every message id in a per-device (random) answer', async () => {
    const { fetch } = recordingFetch({ body: answers.sendRandom });
    const result = await client(fetch).send({ to: '081218000001', text: 'hello there' });
    expect(result.messages).toEqual([
      { id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', to: '6281218000001' },
      { id: 'ffffffff-0000-4111-8222-333333333333', to: '6281218000002' },
    ]);
  });
});

describe('wablas media upload', () => {
  it('uploads as multipart `file` and returns the URL, which sends as the media id', async () => {
    const { fetch, requests } = recordingFetch(
      { body: answers.upload },
      { body: answers.sendImage },
    );
    const wa = client(fetch);
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const { id } = await wa.media.upload({ file: bytes, mimeType: 'image/jpeg' });
    expect(id).toBe('https://bdg.wablas.com/image/nota.jpg');

    const [upload] = requests as [Recorded];
    expect(upload.method).toBe('POST');
    expect(upload.url).toBe('https://bdg.wablas.com/api/upload/image');
    expect(upload.headers.authorization).toBe(`${TOKEN}.${SECRET}`);
    const file = (upload.body as FormData).get('file') as File;
    expect(file.size).toBe(bytes.length);
    expect(file.name).toBe('file.jpg');

    await wa.send({ to: '081218000001', image: { id } });
    expect(requests[1]?.body).toEqual({ phone: '6281218000001', image: id });
  });

  it('refuses files over 2 MB and media ids that are not URLs, before any request', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.upload });
    const wa = client(fetch);
    const big = await failure(
      wa.media.upload({ file: new Uint8Array(2 * 1024 * 1024 + 1), mimeType: 'application/pdf' }),
    );
    expect(big).toMatchObject({ code: 'validation', field: 'file' });
    const notUrl = await failure(wa.send({ to: '081218000001', image: { id: '12345' } }));
    expect(notUrl).toMatchObject({ code: 'validation', field: 'image.id' });
    expect(requests).toHaveLength(0);
  });
});

describe('wablas device', () => {
  it('reads the connection status from /api/device/info, without a QR code', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.deviceInfo });
    const status = await client(fetch).connection.status();
    expect(status).toEqual({
      authenticated: false,
      number: '6281229880000',
      name: 'eko',
      qrCode: undefined,
    });
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.url).toBe(`https://bdg.wablas.com/api/device/info?token=${TOKEN}`);
    expect(requests[0]?.headers.authorization).toBe(`${TOKEN}.${SECRET}`);
  });

  it('checks a number on the phone host, naming the server in a `url` header', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.checkPhone });
    const wa = client(fetch, {
      baseUrl: 'http://127.0.0.1:4010/wablas',
      phoneCheckUrl: 'http://127.0.0.1:4010/wablas-phone',
    });
    expect(await wa.numbers.check('081393961320')).toBe(true);
    expect(await wa.numbers.check('62142312121')).toBe(false);
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.url).toBe(
      'http://127.0.0.1:4010/wablas-phone/check-phone-number?phones=6281393961320',
    );
    expect(requests[0]?.headers.authorization).toBe(TOKEN);
    expect(requests[0]?.headers.url).toBe('http://127.0.0.1:4010/wablas');
  });

  it('uses https://phone.wablas.com for the number check by default', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.checkPhone });
    await client(fetch).numbers.check('081393961320');
    expect(requests[0]?.url).toBe(
      'https://phone.wablas.com/check-phone-number?phones=6281393961320',
    );
    expect(requests[0]?.headers.url).toBe('https://bdg.wablas.com');
  });
});

describe('wablas errors', () => {
  for (const status of [500, 400]) {
    it(`reads "token invalid" with HTTP ${status} as unauthenticated, final, sent once`, async () => {
      const { fetch, requests } = recordingFetch({ status, body: answers.tokenInvalid });
      const error = await failure(client(fetch).send({ to: '081218000001', text: 'x' }));
      expect(error).toMatchObject({
        code: 'unauthenticated',
        status,
        provider: 'wablas',
        isRetryable: false,
        maybeAccepted: false,
      });
      expect(error.message).toContain('token invalid or device expired');
      expect(requests).toHaveLength(1);
    });
  }

  it('maps the refusals client code reports to their codes', async () => {
    const cases: [string, string][] = [
      ['device disconnected, need to scan qr code again', 'session_inactive'],
      ['secret key invalid', 'unauthenticated'],
      ['need secret key', 'unauthenticated'],
      ['phone number invalid', 'invalid_phone'],
      ['param invalid', 'validation'],
      ['your quota is not enough', 'quota_exceeded'],
      ['something odd', 'provider_error'],
    ];
    for (const [message, code] of cases) {
      const { fetch, requests } = recordingFetch({ body: { status: false, message } });
      const error = await failure(client(fetch).send({ to: '081218000001', text: 'x' }));
      expect([message, error.code, error.isRetryable]).toEqual([message, code, false]);
      expect(requests).toHaveLength(1);
    }
  });

  it('never lets the token or secret key into an error', async () => {
    const echoed = {
      status: false,
      message: `token invalid or device expired (${TOKEN}.${SECRET})`,
    };
    const { fetch } = recordingFetch({ status: 400, body: echoed });
    const error = await failure(client(fetch).send({ to: '081218000001', text: 'x' }));
    const everything = JSON.stringify(error) + error.message + String(error.stack);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(SECRET);
    expect(error.message).toContain('[redacted]');
  });

  it('does not retry a send after a 502, which may have been accepted', async () => {
    const { fetch, requests } = recordingFetch({ status: 502, body: '<html>Bad Gateway</html>' });
    const error = await failure(client(fetch).send({ to: '081218000001', text: 'x' }));
    expect(error).toMatchObject({ code: 'provider_error', status: 502, maybeAccepted: true });
    expect(requests).toHaveLength(1);
  });

  it('does not retry a send that timed out', async () => {
    const { fetch, requests } = recordingFetch('hang');
    const error = await failure(
      client(fetch, {}, { timeoutMs: 30 }).send({ to: '081218000001', text: 'x' }),
    );
    expect(error).toMatchObject({ code: 'timeout', maybeAccepted: true });
    expect(requests).toHaveLength(1);
  });

  it('waits out a 429 and tries again: the gateway turned the request away', async () => {
    const { fetch, requests } = recordingFetch(
      { status: 429, body: { status: false, message: 'too many request' } },
      { body: answers.sendText },
    );
    const result = await client(fetch).send({ to: '081218000001', text: 'x' });
    expect(result.id).toBe('5be46e84-650c-4ba1-a1a6-5647d358c43a');
    expect(requests).toHaveLength(2);
  });

  it('reports a success without a message id as a failure that may have gone out', async () => {
    const { fetch, requests } = recordingFetch({
      body: { status: true, message: 'Message is pending', data: { messages: [] } },
    });
    const error = await failure(client(fetch).send({ to: '081218000001', text: 'x' }));
    expect(error).toMatchObject({ code: 'provider_error', maybeAccepted: true });
    expect(requests).toHaveLength(1);
  });

  it('reads refusals of the device and number-check calls too', async () => {
    const refused = recordingFetch({ status: 500, body: answers.tokenInvalid });
    const status = await failure(client(refused.fetch).connection.status());
    expect(status).toMatchObject({ code: 'unauthenticated', isRetryable: false });
    expect(refused.requests).toHaveLength(1);

    const check = recordingFetch({ body: { status: 'error', message: 'token invalid' } });
    expect((await failure(client(check.fetch).numbers.check('081218000001'))).code).toBe(
      'unauthenticated',
    );
  });
});

describe('wablas configuration', () => {
  it('needs a token and a server or base URL, and names the missing option', () => {
    const attempts: [Partial<WablasOptions>, string][] = [
      [{ server: 'bdg' }, 'token'],
      [{ token: TOKEN }, 'server'],
      [{ token: TOKEN, server: 'bdg.wablas.com/api' }, 'server'],
      [{ token: TOKEN, baseUrl: 'bdg.wablas.com' }, 'baseUrl'],
      [{ token: TOKEN, server: 'bdg', phoneCheckUrl: 'phone.wablas.com' }, 'phoneCheckUrl'],
    ];
    for (const [options, option] of attempts) {
      let caught: unknown;
      try {
        wablas(options as WablasOptions);
      } catch (error) {
        caught = error;
      }
      expect(KabarError.isInstance(caught) && caught.code).toBe('invalid_config');
      expect((caught as Error).message).toContain(`"${option}"`);
      expect((caught as Error).message).not.toContain(TOKEN);
    }
  });

  it('lets baseUrl win over server, with or without the /api the docs write', async () => {
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    await client(fetch, { baseUrl: 'https://solo.wablas.com/api/' }).send({
      to: '081218000001',
      text: 'x',
    });
    expect(requests[0]?.url).toBe('https://solo.wablas.com/api/send-message');
  });

  it('paces one message per 5 s per device, keyed without the token', () => {
    const a = wablas({ token: TOKEN, secretKey: SECRET, server: 'bdg' });
    const b = wablas({ token: `${TOKEN}2`, server: 'bdg' });
    expect(a.defaultRateLimit).toEqual({ limit: 1, intervalMs: 5_000 });
    expect(a.deduplicates).toBe(false);
    expect(a.rateLimitKey).not.toContain(TOKEN);
    expect(a.rateLimitKey).not.toBe(b.rateLimitKey);
    expect(a.secrets).toEqual([TOKEN, SECRET]);
    expect(b.secrets).toEqual([`${TOKEN}2`]);
  });
});

describe('wablas gateway definition', () => {
  it('lists its settings in form order and builds the provider from them', async () => {
    expect(wablasGateway.credentials.map((c) => [c.key, c.secret, c.required])).toEqual([
      ['token', true, true],
      ['secretKey', true, false],
      ['server', false, false],
      ['baseUrl', false, false],
      ['phoneCheckUrl', false, false],
    ]);
    expect(wablasGateway).toMatchObject({ name: 'wablas', label: 'Wablas', deduplicates: false });
    expect(wablasGateway.webhook?.auth).toEqual({ scheme: 'url-secret', queryParam: 'secret' });

    const provider = createProvider('wablas', {
      token: TOKEN,
      secretKey: '',
      server: 'bdg',
      baseUrl: '',
    });
    const { fetch, requests } = recordingFetch({ body: answers.sendText });
    await createClient({ provider, fetch, rateLimit: false }).send({
      to: '081218000001',
      text: 'x',
    });
    expect(requests[0]?.url).toBe('https://bdg.wablas.com/api/send-message');
    expect(requests[0]?.headers.authorization).toBe(TOKEN);

    expect(() => createProvider('wablas', { token: '  ', server: 'bdg' })).toThrow(/"token"/);
  });
});
