import { KabarError } from '../errors.js';
import type { WebhookAuth } from '../providers/gateway.js';
import { secretMatches } from '../secret.js';
import type { WebhookProvider } from './events.js';
import type { Json } from './parse/json.js';
import { type RawBody, verifyHmacSignature } from './signature.js';

/** One webhook request as its authentication reads it. */
export interface AuthenticationInput {
  /** The body exactly as it arrived, for signatures over the bytes. */
  rawBody: RawBody;
  /** The body parsed, for secrets carried in it. */
  body: Json;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** A query parameter of the URL the gateway called. */
  query(name: string): string | undefined;
}

function refused(provider: WebhookProvider, reason: string): KabarError {
  return new KabarError('invalid_signature', `${provider} webhook: ${reason}`, {
    provider,
    status: 401,
  });
}

/**
 * Checks a webhook request against its gateway's scheme, comparing in constant time. Throws
 * `invalid_signature` (status 401) naming only what was missing or wrong, never a value.
 */
export function authenticateWebhook(
  provider: WebhookProvider,
  auth: WebhookAuth,
  secret: string,
  input: AuthenticationInput,
): void {
  switch (auth.scheme) {
    case 'hmac-sha256':
      verifyHmacSignature(provider, auth.header, input.rawBody, input.header(auth.header), secret);
      return;
    case 'body-key':
      // Only items that carry the key are the kind it protects (Waviro's keyword calls).
      if (auth.field in input.body && !secretMatches(input.body[auth.field], secret)) {
        throw refused(provider, `${auth.field} does not match`);
      }
      return;
    case 'shared-secret': {
      const given = [
        [`the ${auth.bodyField} field`, input.body[auth.bodyField]],
        [`the ${auth.queryParam} query parameter`, input.query(auth.queryParam)],
      ].filter(([, value]) => value !== undefined && value !== null);
      if (given.length === 0) {
        throw refused(
          provider,
          `missing secret: put it in the URL's ?${auth.queryParam}= or in the payload's ${auth.bodyField}`,
        );
      }
      for (const [where, value] of given) {
        if (!secretMatches(value, secret)) throw refused(provider, `${where} does not match`);
      }
      return;
    }
    case 'url-secret': {
      const given = input.query(auth.queryParam);
      if (given === undefined) {
        throw refused(provider, `missing ?${auth.queryParam}= in the webhook URL`);
      }
      if (!secretMatches(given, secret)) {
        throw refused(provider, `the ${auth.queryParam} query parameter does not match`);
      }
      return;
    }
    default: {
      const unknownScheme: never = auth;
      throw new KabarError('invalid_config', `unknown webhook scheme ${String(unknownScheme)}`);
    }
  }
}
