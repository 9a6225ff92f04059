import { GATEWAYS } from '@kabar/core/gateways';
import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  cutOutcome,
  formEncode,
  gatewayChoices,
  messagesUrl,
  parseResponse,
} from './gateway';
import { DEFAULT_SETTINGS, parseSettingsForm, type Settings } from './settings';

const job = { row: 7, phone: '6281234567890', params: ['Budi', 'HEMAT10'] };
const kiremKey = { apiKey: 'kirem_live_x', secretKey: '' };

const fonnte: Settings = {
  ...DEFAULT_SETTINGS,
  gateway: 'fonnte',
  messageText: 'Halo {name}, pakai kode *{promo}* ya. Nomor kamu {phone} 🎉 & 100% = hemat',
  ratePerSecond: 0.2,
};
const wablas: Settings = { ...fonnte, gateway: 'wablas', server: 'bdg' };
const FONNTE_TOKEN = 'fonnteToken12345';
const WABLAS_TOKEN = 'wablasTokenABCDEF';
const WABLAS_SECRET = 'wablasSecret987';

/** The fields of a form payload, as the gateway reads them. */
function formFields(payload: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(payload ?? ''));
}

describe('requests', () => {
  it("builds the seed's template message for Kirem, with a stable Idempotency-Key", () => {
    const request = buildRequest(DEFAULT_SETTINGS, kiremKey, job, 'campaign-1');
    expect(request.url).toBe('https://api.kirem.co/v1/messages');
    expect(request.muteHttpExceptions).toBe(true);
    expect(request.contentType).toBe('application/json');
    expect(request.headers?.Authorization).toBe('Bearer kirem_live_x');
    expect(JSON.parse(request.payload ?? '')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'template',
      template: {
        name: 'broadcast_promo',
        language: { code: 'id' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Budi' },
              { type: 'text', text: 'HEMAT10' },
            ],
          },
        ],
      },
    });
    const again = buildRequest(DEFAULT_SETTINGS, kiremKey, job, 'campaign-1');
    expect(again.headers?.['Idempotency-Key']).toBe(request.headers?.['Idempotency-Key']);
    const changed = buildRequest(
      DEFAULT_SETTINGS,
      kiremKey,
      { ...job, params: ['Budi', 'LAIN'] },
      'campaign-1',
    );
    expect(changed.headers?.['Idempotency-Key']).not.toBe(request.headers?.['Idempotency-Key']);
  });

  it('uses the phone number id path for Meta and for Kirem when set', () => {
    expect(messagesUrl({ ...DEFAULT_SETTINGS, gateway: 'meta', phoneNumberId: '123' })).toBe(
      'https://graph.facebook.com/v21.0/123/messages',
    );
    expect(
      messagesUrl({
        ...DEFAULT_SETTINGS,
        phoneNumberId: '123',
        baseUrl: 'http://127.0.0.1:4010/kirem',
      }),
    ).toBe('http://127.0.0.1:4010/kirem/v1/123/messages');
  });

  it("posts Fonnte's form: the bare token, target digits, the row's text, countryCode 0", () => {
    const request = buildRequest(fonnte, { apiKey: FONNTE_TOKEN, secretKey: '' }, job, 'c-1');
    expect(request).toMatchObject({
      url: 'https://api.fonnte.com/send',
      method: 'post',
      contentType: 'application/x-www-form-urlencoded',
      headers: { Authorization: FONNTE_TOKEN },
      muteHttpExceptions: true,
      followRedirects: false,
    });
    // Fonnte does not deduplicate: a key would promise a safety it does not give.
    expect(request.headers).not.toHaveProperty('Idempotency-Key');
    expect(formFields(request.payload)).toEqual({
      target: '6281234567890',
      message: 'Halo Budi, pakai kode *HEMAT10* ya. Nomor kamu 6281234567890 🎉 & 100% = hemat',
      countryCode: '0',
    });
    // Percent-encoded UTF-8: the body is ASCII whatever the text holds.
    expect(request.payload).toMatch(/^[\x20-\x7e]+$/);
    expect(messagesUrl({ ...fonnte, baseUrl: 'http://127.0.0.1:4010/fonnte' })).toBe(
      'http://127.0.0.1:4010/fonnte/send',
    );
  });

  it("posts Wablas' form to the server's host, with token.secretKey or the token alone", () => {
    const request = buildRequest(
      wablas,
      { apiKey: WABLAS_TOKEN, secretKey: WABLAS_SECRET },
      { ...job, params: ['Budi'] },
      'c-1',
    );
    expect(request).toMatchObject({
      url: 'https://bdg.wablas.com/api/send-message',
      method: 'post',
      contentType: 'application/x-www-form-urlencoded',
      headers: { Authorization: `${WABLAS_TOKEN}.${WABLAS_SECRET}` },
      muteHttpExceptions: true,
    });
    expect(request.headers).not.toHaveProperty('Idempotency-Key');
    expect(formFields(request.payload)).toEqual({
      phone: '6281234567890',
      message: 'Halo Budi, pakai kode ** ya. Nomor kamu 6281234567890 🎉 & 100% = hemat',
    });
    const tokenOnly = buildRequest(
      { ...wablas, baseUrl: 'http://127.0.0.1:4010/wablas' },
      { apiKey: WABLAS_TOKEN, secretKey: '' },
      job,
      'c-1',
    );
    expect(tokenOnly.url).toBe('http://127.0.0.1:4010/wablas/api/send-message');
    expect(tokenOnly.headers?.Authorization).toBe(WABLAS_TOKEN);
  });

  it('encodes a cut emoji instead of throwing', () => {
    expect(formEncode({ message: 'a\uD83Db' })).toBe('message=a%EF%BF%BDb');
  });
});

describe('the gateway list', () => {
  it("is core's registry, in its order and with its labels, limited to the gateways with a sender", () => {
    const choices = gatewayChoices();
    expect(choices.map((choice) => choice.name).sort()).toEqual(
      ['fonnte', 'kirem', 'meta', 'wablas'].sort(),
    );
    const registry = GATEWAYS.filter((gateway) =>
      choices.some((choice) => choice.name === gateway.name),
    );
    expect(choices).toEqual(registry.map(({ name, label }) => ({ name, label })));
  });
});

describe('Kirem and Meta answers', () => {
  it('reads message ids from Kirem and Meta', () => {
    expect(
      parseResponse('kirem', 201, '{"status":201,"data":{"messages":[{"id":"wamid.K"}]}}', []),
    ).toEqual({ ok: true, messageId: 'wamid.K' });
    expect(
      parseResponse(
        'meta',
        200,
        '{"messaging_product":"whatsapp","messages":[{"id":"wamid.M"}]}',
        [],
      ),
    ).toEqual({ ok: true, messageId: 'wamid.M' });
  });

  it('explains errors, marks throttling and 5xx retryable, and hides secrets', () => {
    expect(
      parseResponse(
        'kirem',
        400,
        '{"status":400,"message":"( #132000) Template status is not APPROVED.","errors":{"code":132000}}',
        [],
      ),
    ).toEqual({
      ok: false,
      error: 'HTTP 400 ( #132000) Template status is not APPROVED.',
      retryable: false,
    });
    expect(
      parseResponse(
        'kirem',
        400,
        '{"status":400,"message":"Validation failed","errors":{"to":"must be 8 to 15 digits"}}',
        [],
      ),
    ).toMatchObject({ error: 'HTTP 400 Validation failed: to must be 8 to 15 digits' });
    expect(
      parseResponse(
        'meta',
        429,
        '{"error":{"message":"(#130429) Rate limit hit","code":130429}}',
        [],
      ),
    ).toEqual({
      ok: false,
      error: 'HTTP 429 (#130429) Rate limit hit',
      retryable: true,
    });
    expect(parseResponse('meta', 400, '{"error":{"message":"spam","code":131048}}', [])).toEqual({
      ok: false,
      error: 'HTTP 400 spam',
      retryable: true,
    });
    expect(parseResponse('meta', 502, '<html>Bad gateway</html>', [])).toEqual({
      ok: false,
      error: 'HTTP 502 respons bukan JSON',
      retryable: true,
    });
    expect(
      parseResponse('kirem', 401, '{"message":"bad key sk_123456"}', ['sk_123456']),
    ).toMatchObject({ error: 'HTTP 401 bad key ***' });
  });

  it('marks a refusal of the contact (window closed, marketing stopped) as a skip, not a failure', () => {
    expect(
      parseResponse(
        'meta',
        400,
        '{"error":{"message":"Re-engagement message","code":131047,"error_data":{"details":"More than 24 hours have passed"}}}',
        [],
      ),
    ).toEqual({
      ok: false,
      error: 'HTTP 400 Re-engagement message: More than 24 hours have passed',
      retryable: false,
      skip: 'outsideWindow',
    });
    expect(
      parseResponse(
        'kirem',
        400,
        '{"status":400,"message":"User stopped marketing","errors":{"code":131050}}',
        [],
      ),
    ).toMatchObject({ ok: false, retryable: false, skip: 'optOut' });
    // A server error carrying the code is still the gateway's trouble, retried.
    const serverError = parseResponse('meta', 503, '{"error":{"message":"x","code":131047}}', []);
    expect(serverError).toMatchObject({ retryable: true });
    expect(serverError).not.toHaveProperty('skip');
  });
});

describe('Fonnte answers', () => {
  const parse = (status: number, body: string, secrets: string[] = [FONNTE_TOKEN]) =>
    parseResponse('fonnte', status, body, secrets);

  it('takes the first id, an integer in newer answers and a string in older ones', () => {
    expect(
      parse(
        200,
        '{"detail":"success! message in queue","id":[142223099],"process":"pending","quota":{"6281234567890":{"details":"deduced from total quota","quota":967,"remaining":966,"used":1}},"requestid":369052479,"status":true,"target":["6281234567891"]}',
      ),
    ).toEqual({ ok: true, messageId: '142223099' });
    expect(
      parse(
        200,
        '{"detail":"success! message in queue","id":["86226241"],"process":"processing","status":true,"target":["6281234567891"]}',
      ),
    ).toEqual({ ok: true, messageId: '86226241' });
  });

  it('fails a refusal with its reason, not retryable, unless it says to slow down', () => {
    expect(parse(200, '{"reason":"invalid token","status":false}')).toEqual({
      ok: false,
      error: 'Fonnte: invalid token',
      retryable: false,
    });
    expect(parse(200, '{"detail":"device disconnected","status":false}')).toEqual({
      ok: false,
      error: 'Fonnte: device disconnected',
      retryable: false,
    });
    expect(parse(200, '{"Reason":"target invalid","Status":false}')).toMatchObject({
      error: 'Fonnte: target invalid',
      retryable: false,
    });
    expect(parse(200, '{"reason":"Too Many Requests","status":false}')).toEqual({
      ok: false,
      error: 'Fonnte: Too Many Requests',
      retryable: true,
    });
    expect(parse(200, '{"reason":"rate limit exceeded","status":false}')).toMatchObject({
      retryable: true,
    });
  });

  it('never shows the token, even when an answer echoes it', () => {
    const outcome = parse(200, `{"reason":"unknown token ${FONNTE_TOKEN}","status":false}`);
    expect(outcome).toMatchObject({ ok: false, error: 'Fonnte: unknown token ***' });
    expect(JSON.stringify(outcome)).not.toContain(FONNTE_TOKEN);
    const unclear = parse(502, `upstream ${FONNTE_TOKEN}`);
    expect(JSON.stringify(unclear)).not.toContain(FONNTE_TOKEN);
  });

  it('marks a 5xx, an unreadable answer or a yes without an id unclear, never retryable', () => {
    expect(parse(502, '<html>Bad gateway</html>')).toEqual({
      ok: false,
      error: 'Fonnte HTTP 502: respons bukan JSON',
      retryable: false,
      unclear: true,
    });
    // A 5xx keeps its meaning even with a refusal's body: it may have come after the send.
    expect(parse(500, '{"reason":"internal error","status":false}')).toEqual({
      ok: false,
      error: 'Fonnte HTTP 500: internal error',
      retryable: false,
      unclear: true,
    });
    expect(parse(200, '{"status":true,"detail":"success! message in queue"}')).toEqual({
      ok: false,
      error: 'Fonnte: diterima tanpa message id',
      retryable: false,
      unclear: true,
    });
    expect(parse(200, 'OK')).toMatchObject({ unclear: true, error: 'Fonnte: respons bukan JSON' });
    expect(parse(200, '{"detail":"queued"}')).toMatchObject({
      unclear: true,
      error: 'Fonnte: queued',
    });
  });

  it('retries what was turned away and fails what never reached the sending', () => {
    expect(parse(429, '')).toEqual({
      ok: false,
      error: 'Fonnte HTTP 429: terlalu banyak permintaan',
      retryable: true,
    });
    expect(parse(404, '<html>Not found</html>')).toEqual({
      ok: false,
      error: 'Fonnte HTTP 404: respons bukan JSON',
      retryable: false,
    });
    expect(parse(301, '')).toMatchObject({ ok: false, retryable: false });
    expect(parse(301, '')).not.toHaveProperty('unclear');
  });
});

describe('Wablas answers', () => {
  const secrets = [WABLAS_TOKEN, WABLAS_SECRET];
  const parse = (status: number, body: string) => parseResponse('wablas', status, body, secrets);

  it('takes data.messages[0].id', () => {
    expect(
      parse(
        200,
        '{"status":true,"message":"Message is pending and waiting to be processed","data":{"device_id":"A5DOYJ","quota":88,"messages":[{"id":"5be46e84-650c-4ba1-a1a6-5647d358c43a","phone":"6281218000000","message":"hello there","status":"pending"}]}}',
      ),
    ).toEqual({ ok: true, messageId: '5be46e84-650c-4ba1-a1a6-5647d358c43a' });
    // Sent from a random device: `data` is a list of devices, `message` one object.
    expect(
      parse(
        200,
        '{"status":true,"data":[{"device_id":"X","message":{"id":"c0ffee00-0000-4000-8000-000000000001","phone":6281218000000,"status":"pending"}}]}',
      ),
    ).toEqual({ ok: true, messageId: 'c0ffee00-0000-4000-8000-000000000001' });
  });

  it('fails a status:false answer with its message, whatever the HTTP status', () => {
    for (const status of [200, 400, 500]) {
      expect(parse(status, '{"status":false,"message":"token invalid or device expired"}')).toEqual(
        {
          ok: false,
          error:
            status === 200
              ? 'Wablas: token invalid or device expired'
              : `Wablas HTTP ${status}: token invalid or device expired`,
          retryable: false,
        },
      );
    }
  });

  it('never shows the token or the secret key', () => {
    const outcome = parse(
      400,
      `{"status":false,"message":"secret key invalid for ${WABLAS_TOKEN}.${WABLAS_SECRET}"}`,
    );
    expect(outcome).toMatchObject({ error: 'Wablas HTTP 400: secret key invalid for ***.***' });
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(WABLAS_TOKEN);
    expect(text).not.toContain(WABLAS_SECRET);
  });

  it('marks a 5xx without a refusal, or a yes without an id, unclear', () => {
    expect(parse(503, '<html>maintenance</html>')).toEqual({
      ok: false,
      error: 'Wablas HTTP 503: respons bukan JSON',
      retryable: false,
      unclear: true,
    });
    expect(parse(200, '{"status":true,"message":"ok","data":{"messages":[]}}')).toEqual({
      ok: false,
      error: 'Wablas: diterima tanpa message id',
      retryable: false,
      unclear: true,
    });
    expect(parse(429, '{"message":"slow down"}')).toEqual({
      ok: false,
      error: 'Wablas HTTP 429: slow down',
      retryable: true,
    });
  });
});

describe('a fetchAll that threw', () => {
  it('is retryable for Kirem and Meta, unclear for Fonnte and Wablas', () => {
    expect(cutOutcome('kirem', 'Address unavailable')).toEqual({
      ok: false,
      error: 'koneksi gagal: Address unavailable',
      retryable: true,
    });
    expect(cutOutcome('meta', 'x')).toMatchObject({ retryable: true });
    for (const gateway of ['fonnte', 'wablas'] as const) {
      expect(cutOutcome(gateway, 'Address unavailable')).toEqual({
        ok: false,
        error: 'koneksi gagal: Address unavailable',
        retryable: false,
        unclear: true,
      });
    }
  });
});

describe('settings form', () => {
  it("cleans the seed's full URL and keeps the key out of the settings", () => {
    const parsed = parseSettingsForm(
      {
        gateway: 'kirem',
        apiKey: ' kirem_live_x ',
        baseUrl: 'https://api.kirem.co/v1/messages/',
        templateName: 'broadcast_promo',
        language: 'id',
        ratePerSecond: '40',
      },
      DEFAULT_SETTINGS,
    );
    expect(parsed).toEqual({
      ok: true,
      apiKey: 'kirem_live_x',
      settings: { ...DEFAULT_SETTINGS, baseUrl: 'https://api.kirem.co', ratePerSecond: 40 },
    });
  });

  it('lists every invalid field', () => {
    const parsed = parseSettingsForm(
      {
        gateway: 'wa',
        templateName: 'Promo Juni',
        language: 'indonesia',
        ratePerSecond: '0',
        baseUrl: 'api.kirem.co',
      },
      DEFAULT_SETTINGS,
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toHaveLength(5);
  });
});
