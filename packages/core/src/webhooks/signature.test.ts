import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KabarError } from '../errors.js';
import { verifyMetaHandshake } from './handshake.js';
import { parseWebhook } from './parse.js';
import { computeSignature, isValidSignature, verifySignature } from './signature.js';

const secret = 'app-secret-4f1c2e';

function caught(run: () => void): KabarError {
  try {
    run();
  } catch (error) {
    if (KabarError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a KabarError');
}

/** JSON the way Meta sends it: non-ASCII as \uXXXX (lower-case hex) and `/` as `\/`. */
function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** Signed independently of the code under test, with node:crypto. */
function sign(body: string | Uint8Array, key = secret): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

const metaBody = metaJson({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '9876543210',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '6281100000000', phone_number_id: '1234567890' },
            contacts: [{ profile: { name: 'Budi Ä' }, wa_id: '6281234567890' }],
            messages: [
              {
                from: '6281234567890',
                id: 'wamid.ABC',
                timestamp: '1763700000',
                type: 'text',
                text: { body: 'Harga 1/2 lusin? 😀 é' },
              },
            ],
          },
        },
      ],
    },
  ],
});

describe('verifySignature', () => {
  it('accepts the signature Meta computed over its escaped raw body', () => {
    expect(metaBody).toContain('\\u00e9');
    expect(metaBody).toContain('\\/');
    verifySignature({
      provider: 'meta',
      rawBody: metaBody,
      signature: sign(metaBody),
      secret,
    });
    const [event] = parseWebhook(metaBody);
    expect(event).toMatchObject({ content: { type: 'text', text: 'Harga 1/2 lusin? 😀 é' } });
  });

  it('rejects the same payload re-serialised, which is why the raw body is required', () => {
    const reserialised = JSON.stringify(JSON.parse(metaBody));
    expect(
      isValidSignature({
        provider: 'meta',
        rawBody: reserialised,
        signature: sign(metaBody),
        secret,
      }),
    ).toBe(false);
  });

  it('works on bytes as well as strings, and matches computeSignature', () => {
    const bytes = new TextEncoder().encode(metaBody);
    verifySignature({ provider: 'kirem', rawBody: bytes, signature: sign(bytes), secret });
    expect(computeSignature(bytes, secret)).toBe(sign(bytes));
  });

  it.each([
    ['missing header', undefined, /missing x-hub-signature-256/],
    ['empty header', '', /missing/],
    ['no sha256= prefix', sign(metaBody).slice(7), /malformed/],
    ['too short', sign(metaBody).slice(0, -2), /malformed/],
    ['too long', `${sign(metaBody)}00`, /malformed/],
    ['not hex', `sha256=${'z'.repeat(64)}`, /malformed/],
    ['wrong secret', sign(metaBody, 'other-secret'), /does not match/],
  ])('refuses a %s with invalid_signature (HTTP 401)', (_case, signature, message) => {
    const error = caught(() =>
      verifySignature({ provider: 'meta', rawBody: metaBody, signature, secret }),
    );
    expect(error).toMatchObject({ code: 'invalid_signature', status: 401 });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(secret);
  });

  it('refuses a parsed object instead of the raw body', () => {
    const error = caught(() =>
      verifySignature({
        provider: 'kirem',
        rawBody: JSON.parse(metaBody) as never,
        signature: sign(metaBody),
        secret,
      }),
    );
    expect(error.code).toBe('validation');
    expect(error.message).toMatch(/not a parsed object/);
  });

  it.each([
    ['empty', ''],
    ['short', 'rahasia'],
  ])('refuses an %s secret as a setup error, even for a body signed with it', (_case, key) => {
    const error = caught(() =>
      verifySignature({
        provider: 'meta',
        rawBody: metaBody,
        signature: sign(metaBody, key),
        secret: key,
      }),
    );
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/meta webhook secret/);
  });

  it('names the Kirem header when it is missing', () => {
    const error = caught(() =>
      verifySignature({ provider: 'kirem', rawBody: '{}', signature: null, secret }),
    );
    expect(error.message).toMatch(/x-kirem-signature/);
  });
});

describe('verifyMetaHandshake', () => {
  it('answers the challenge when the token matches', () => {
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'rahasia',
      'hub.challenge': '1158201444',
    });
    expect(verifyMetaHandshake(query, 'rahasia')).toBe('1158201444');
    expect(
      verifyMetaHandshake(
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'rahasia', 'hub.challenge': 'x' },
        'rahasia',
      ),
    ).toBe('x');
  });

  it.each([
    [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'salah', 'hub.challenge': '1' }],
    [{ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'rahasia', 'hub.challenge': '1' }],
    [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'rahasia' }],
  ])('refuses %j with a 403-style error', (query) => {
    let error: unknown;
    try {
      verifyMetaHandshake(query, 'rahasia');
    } catch (caught) {
      error = caught;
    }
    expect(KabarError.isInstance(error) && error.status).toBe(403);
  });
});
