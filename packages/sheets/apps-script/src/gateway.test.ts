import { describe, expect, it } from 'vitest';
import { buildRequest, messagesUrl, parseResponse } from './gateway';
import { DEFAULT_SETTINGS, parseSettingsForm } from './settings';

const job = { row: 7, phone: '6281234567890', params: ['Budi', 'HEMAT10'] };

describe('requests', () => {
  it("builds the seed's template message for Kirem, with a stable Idempotency-Key", () => {
    const request = buildRequest(DEFAULT_SETTINGS, 'kirem_live_x', job, 'campaign-1');
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
    const again = buildRequest(DEFAULT_SETTINGS, 'kirem_live_x', job, 'campaign-1');
    expect(again.headers?.['Idempotency-Key']).toBe(request.headers?.['Idempotency-Key']);
    const changed = buildRequest(
      DEFAULT_SETTINGS,
      'kirem_live_x',
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
});

describe('responses', () => {
  it('reads message ids from Kirem and Meta', () => {
    expect(parseResponse(201, '{"status":201,"data":{"messages":[{"id":"wamid.K"}]}}', [])).toEqual(
      {
        ok: true,
        messageId: 'wamid.K',
      },
    );
    expect(
      parseResponse(200, '{"messaging_product":"whatsapp","messages":[{"id":"wamid.M"}]}', []),
    ).toEqual({
      ok: true,
      messageId: 'wamid.M',
    });
  });

  it('explains errors, marks throttling and 5xx retryable, and hides secrets', () => {
    expect(
      parseResponse(
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
        400,
        '{"status":400,"message":"Validation failed","errors":{"to":"must be 8 to 15 digits"}}',
        [],
      ),
    ).toMatchObject({ error: 'HTTP 400 Validation failed: to must be 8 to 15 digits' });
    expect(
      parseResponse(429, '{"error":{"message":"(#130429) Rate limit hit","code":130429}}', []),
    ).toEqual({
      ok: false,
      error: 'HTTP 429 (#130429) Rate limit hit',
      retryable: true,
    });
    expect(parseResponse(400, '{"error":{"message":"spam","code":131048}}', []).ok).toBe(false);
    expect(parseResponse(400, '{"error":{"message":"spam","code":131048}}', [])).toMatchObject({
      retryable: true,
    });
    expect(parseResponse(502, '<html>Bad gateway</html>', [])).toEqual({
      ok: false,
      error: 'HTTP 502 respons bukan JSON',
      retryable: true,
    });
    expect(parseResponse(401, '{"message":"bad key sk_123456"}', ['sk_123456'])).toMatchObject({
      error: 'HTTP 401 bad key ***',
    });
  });

  it('marks a refusal of the contact (window closed, marketing stopped) as a skip, not a failure', () => {
    expect(
      parseResponse(
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
        400,
        '{"status":400,"message":"User stopped marketing","errors":{"code":131050}}',
        [],
      ),
    ).toMatchObject({ ok: false, retryable: false, skip: 'optOut' });
    // A server error carrying the code is still the gateway's trouble, retried.
    const serverError = parseResponse(503, '{"error":{"message":"x","code":131047}}', []);
    expect(serverError).toMatchObject({ retryable: true });
    expect(serverError).not.toHaveProperty('skip');
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
