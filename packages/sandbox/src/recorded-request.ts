import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { Provider, RecordedRequest } from './types.js';

/** Enough of a body to see what was sent, without keeping every upload in memory twice. */
const BODY_LIMIT = 64 * 1024;

/** What replaces a credential's value. */
const REDACTED = '[redacted]';

/**
 * Header and query names that carry credentials: Authorization (Kirem, Meta, Fonnte, Wablas),
 * Kirimy's api-key, Qirim's X-Api-Key, Waviro's secretkey, Wablas' ?token=, cookies and signatures.
 * `Idempotency-Key` is not a secret, and the inbox shows it.
 */
const SECRET_NAME = /authorization|cookie|api-?key|secret|token|password|signature/i;

/**
 * The request a gateway is handling, while it handles it. The flag closes when the handler is
 * done, so a message stored later by work the request started (a keyword reply after a webhook,
 * a scheduled status) is not taken for one the request created.
 */
interface Handling {
  readonly request: RecordedRequest;
  open: boolean;
}

// Gateways store messages deep inside their own handlers; carrying the request down every one of
// those calls would touch each dialect, so the request travels with the async context instead.
const handling = new AsyncLocalStorage<Handling>();

/** The parts of a gateway request the record is made from (a GatewayRequest has them all). */
export interface RequestToRecord {
  method: string;
  /** The path after the gateway's prefix. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Runs `handle` with `req` recorded as the request that any message it stores came from. */
export async function recordingRequest<T>(
  provider: Provider,
  req: RequestToRecord,
  handle: () => T | Promise<T>,
): Promise<T> {
  const current: Handling = { request: recordRequest(provider, req), open: true };
  try {
    return await handling.run(current, handle);
  } finally {
    current.open = false;
  }
}

/** The gateway request being handled right now, if a message stored now comes from one. */
export function currentRequest(): RecordedRequest | undefined {
  const current = handling.getStore();
  return current?.open ? current.request : undefined;
}

/** The request as the inbox shows it: credentials redacted, the body as text, cut to a limit. */
function recordRequest(provider: Provider, req: RequestToRecord): RecordedRequest {
  const truncated = req.body.length > BODY_LIMIT;
  const record: RecordedRequest = {
    method: req.method,
    path: `/${provider}${req.path}${redactedQuery(req.query)}`,
    headers: redactHeaders(req.headers),
    body: req.body.subarray(0, BODY_LIMIT).toString('utf8'),
    bodyBytes: req.body.length,
    receivedAt: new Date().toISOString(),
  };
  if (truncated) record.truncated = true;
  return record;
}

/**
 * Headers by lower-case name, credentials redacted. An Authorization value keeps its scheme
 * ('Bearer [redacted]'), which tells a wrong scheme from a wrong key without showing the key.
 */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    redacted[name.toLowerCase()] = SECRET_NAME.test(name) ? redactValue(value) : value;
  }
  return redacted;
}

function redactValue(value: string): string {
  const scheme = /^(Bearer|Basic|Token)\s+\S/i.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

function redactedQuery(query: URLSearchParams): string {
  const copy = new URLSearchParams();
  for (const [name, value] of query) copy.append(name, SECRET_NAME.test(name) ? REDACTED : value);
  const encoded = copy.toString();
  return encoded ? `?${encoded}` : '';
}
