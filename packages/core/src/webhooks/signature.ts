import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { KabarError } from '../errors.js';
import { requireSecret } from '../secret.js';

/**
 * Gateways that sign their webhooks with HMAC-SHA256: Kirem (`X-Kirem-Signature`) and Meta
 * (`X-Hub-Signature-256`). Waviro signs nothing; its keyword calls carry a `webhookkey` instead.
 */
export type SignedProvider = 'kirem' | 'meta';

/** The header each gateway signs its webhooks in (lower case, as Node and fetch present them). */
export const SIGNATURE_HEADERS: Record<SignedProvider, string> = {
  kirem: 'x-kirem-signature',
  meta: 'x-hub-signature-256',
};

/** A request body exactly as it arrived, as text or bytes; never a parsed object. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** What `verifySignature` checks. */
export interface VerifySignatureInput {
  /** The gateway that signed the body; it names the header in errors. */
  provider: SignedProvider;
  /**
   * The body exactly as it arrived. Never a re-serialised object: Meta signs JSON in which
   * non-ASCII characters are escaped as `\uXXXX` and `/` as `\/`, which `JSON.stringify` undoes.
   */
  rawBody: RawBody;
  /** The signature header's value, `sha256=<hex>`. */
  signature: string | null | undefined;
  /** Kirem: the project's webhook secret. Meta: the app secret. At least 12 characters. */
  secret: string;
}

function invalid(provider: string, reason: string): KabarError {
  return new KabarError('invalid_signature', `${provider} webhook: ${reason}`, {
    provider,
    status: 401,
  });
}

function bytesOf(rawBody: RawBody): Uint8Array {
  if (typeof rawBody === 'string') return new TextEncoder().encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  throw new KabarError(
    'validation',
    'rawBody must be the request body as a string or bytes, not a parsed object',
  );
}

const keys = new Map<string, KeyObject>();

// Webhook receivers check every request against the same one or two secrets; turning a secret
// into a key once saves that work on each request.
function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 100) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

// node:crypto rather than Web Crypto: its HMAC is synchronous and several times faster, and
// webhook receivers run on Node (or runtimes that provide node:crypto).
function hmac(rawBody: RawBody, secret: string): Buffer {
  return createHmac('sha256', hmacKey(secret)).update(bytesOf(rawBody)).digest();
}

/** `sha256=<hex>` of the body: what a gateway sends, and what tests sign payloads with. */
export function computeSignature(rawBody: RawBody, secret: string): string {
  return `sha256=${hmac(rawBody, secret).toString('hex')}`;
}

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

/**
 * Checks a webhook's HMAC-SHA256 signature over the raw body, in constant time. Throws
 * `invalid_signature` (meant to become HTTP 401) when the header is missing, malformed or does not
 * match. A missing secret or one shorter than 12 characters throws `invalid_config`, and a
 * `rawBody` that is not text or bytes throws `validation`: both are setup errors, not bad requests.
 *
 * @example
 * ```ts
 * import { KabarError } from '@kabar/core';
 * import { verifySignature } from '@kabar/core/webhooks';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   const rawBody = await request.arrayBuffer(); // the bytes, before any JSON parsing
 *   try {
 *     verifySignature({
 *       provider: 'kirem',
 *       rawBody,
 *       signature: request.headers.get('x-kirem-signature'),
 *       secret: process.env.KIREM_WEBHOOK_SECRET!,
 *     });
 *   } catch (error) {
 *     if (KabarError.isInstance(error) && error.code === 'invalid_signature') {
 *       return new Response('invalid signature', { status: 401 });
 *     }
 *     throw error;
 *   }
 *   // ...parseWebhook(rawBody, { metaFormatFrom: 'kirem' }) and handle the events
 *   return new Response(null, { status: 200 });
 * }
 * ```
 */
export function verifySignature(input: VerifySignatureInput): void {
  const { provider } = input;
  verifyHmacSignature(
    provider,
    SIGNATURE_HEADERS[provider],
    input.rawBody,
    input.signature,
    input.secret,
  );
}

/**
 * `verifySignature` for any gateway that signs with HMAC-SHA256 as `sha256=<hex>` in `header`.
 * @internal
 */
export function verifyHmacSignature(
  provider: string,
  header: string,
  rawBody: RawBody,
  signature: string | null | undefined,
  secret: string,
): void {
  // An empty or short key makes signatures forgeable; this is a setup error, not a bad request.
  requireSecret(secret, `the ${provider} webhook secret`);
  const body = bytesOf(rawBody);
  if (typeof signature !== 'string' || signature === '') {
    throw invalid(provider, `missing ${header} header`);
  }
  const given = signature.trim().toLowerCase();
  if (!SIGNATURE_FORMAT.test(given)) throw invalid(provider, 'malformed signature');
  // Both are 32 bytes (the format check guarantees it for the given one), as timingSafeEqual needs.
  if (!timingSafeEqual(Buffer.from(given.slice('sha256='.length), 'hex'), hmac(body, secret))) {
    throw invalid(provider, 'signature does not match');
  }
}

/**
 * `verifySignature` answering true or false. Setup errors (`invalid_config` for a missing or short
 * secret, `validation` for a parsed body) still throw.
 */
export function isValidSignature(input: VerifySignatureInput): boolean {
  try {
    verifySignature(input);
    return true;
  } catch (error) {
    if (KabarError.isInstance(error) && error.code === 'invalid_signature') return false;
    throw error;
  }
}
