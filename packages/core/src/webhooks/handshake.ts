import { KabarError } from '../errors.js';

/**
 * The query string of Meta's handshake request: a `URLSearchParams`, or the object a framework
 * parses it into (Express's `req.query`).
 */
// `unknown` values, so Express's `ParsedQs` (nested objects allowed) is accepted as it is.
export type HandshakeQuery = URLSearchParams | Readonly<Record<string, unknown>>;

/** One query parameter's value, when it is given once as a plain string. */
export function queryParam(query: HandshakeQuery, name: string): string | undefined {
  const value = query instanceof URLSearchParams ? query.get(name) : query[name];
  const first = Array.isArray(value) ? value[0] : value;
  // A repeated or nested parameter (`hub.mode[x]=…`) is not Meta's handshake.
  return typeof first === 'string' ? first : undefined;
}

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`.
 * Returns the challenge to answer with (HTTP 200, plain text); throws `invalid_signature`
 * (answer 403) when the mode or token is wrong or the challenge is missing, and `invalid_config`
 * when `verifyToken` is empty.
 */
export function verifyMetaHandshake(query: HandshakeQuery, verifyToken: string): string {
  if (typeof verifyToken !== 'string' || verifyToken === '') {
    throw new KabarError('invalid_config', 'meta webhook: a verify token is required');
  }
  const mode = queryParam(query, 'hub.mode');
  const token = queryParam(query, 'hub.verify_token');
  const challenge = queryParam(query, 'hub.challenge');
  if (mode !== 'subscribe' || token !== verifyToken || !challenge) {
    throw new KabarError('invalid_signature', 'meta webhook: verification handshake refused', {
      provider: 'meta',
      status: 403,
    });
  }
  return challenge;
}
