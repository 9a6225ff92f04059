import { ownDeadline, sharedDeadline } from './deadline.js';
import { KabarError } from './errors.js';
import { callHook, type Hooks, type Operation } from './hooks.js';
import { redactError, redactHeaders, redactText } from './redact.js';
import type { Transport, WireResponse } from './transport/transport.js';

/** One HTTP request a provider asks the client to make (`ProviderContext.request`). */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The full URL, query string included. */
  url: string;
  /** Credentials here show as `[redacted]` in hook events. */
  headers?: Record<string, string>;
  /** Serialised as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as `multipart/form-data`. */
  form?: FormData;
  /** Sent as raw bytes, with the Blob's type as `Content-Type` unless `headers` name one. */
  body?: Blob;
}

/** What the gateway answered, with the body already read. */
export interface HttpResponse {
  /** The HTTP status; error statuses are returned too, for the provider to map. */
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, otherwise the text (undefined when empty). */
  body: unknown;
}

/** Everything one HTTP attempt needs from the client. */
export interface TransportContext {
  transport: Transport;
  timeoutMs: number;
  signal?: AbortSignal;
  hooks?: Hooks;
  secrets: readonly string[];
  provider: string;
  operation: Operation;
  attempt: number;
}

// The connection was never established, so the gateway cannot have seen the request.
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  // TLS refused the server before a byte of the request was sent.
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function transportError(error: unknown, context: TransportContext, timedOut: boolean): KabarError {
  const { provider, secrets, timeoutMs } = context;
  if (timedOut) {
    return new KabarError('timeout', `${provider}: no response within ${timeoutMs} ms`, {
      provider,
      isRetryable: true,
      maybeAccepted: true,
      cause: error,
    });
  }
  if (context.signal?.aborted) {
    return new KabarError('aborted', `${provider}: the request was aborted`, {
      provider,
      maybeAccepted: true,
      cause: error,
    });
  }
  const code = causeCode(error);
  const reason = redactText(
    (error as { cause?: { message?: string } })?.cause?.message ?? String(error),
    secrets,
  );
  const notConnected = code !== undefined && NOT_CONNECTED.has(code);
  return new KabarError(
    'network',
    `${provider}: ${notConnected ? 'could not connect' : 'connection failed'} (${reason})`,
    { provider, providerCode: code, isRetryable: true, maybeAccepted: !notConnected },
  );
}

/** Whether the first character that is not white space opens an object or an array. */
function startsLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x7b || char === 0x5b) return true;
    if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) return false;
  }
  return false;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  // Decided by the body, not the Content-Type header: some gateways label JSON as text/html, and
  // reading response headers is surprisingly costly on every send.
  if (startsLikeJson(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** An answer with its body parsed; the headers are left to the transport to build when read. */
class ReadResponse implements HttpResponse {
  constructor(
    private readonly wire: WireResponse,
    readonly body: unknown,
  ) {}
  get status(): number {
    return this.wire.status;
  }
  get headers(): Headers {
    return this.wire.headers;
  }
}

/**
 * Performs one HTTP exchange. Network failures and timeouts become `KabarError`s that say whether
 * the gateway may have seen the request; HTTP error statuses are returned for the provider to map.
 * With `stream`, the timeout covers the wait for the response headers only.
 */
export async function performRequest(
  request: HttpRequest,
  context: TransportContext,
  stream: true,
): Promise<Response>;
export async function performRequest(
  request: HttpRequest,
  context: TransportContext,
  stream?: false,
): Promise<HttpResponse>;
export async function performRequest(
  request: HttpRequest,
  context: TransportContext,
  stream = false,
): Promise<HttpResponse | Response> {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | FormData | Blob | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    body = request.form;
  } else if (request.body) {
    body = request.body;
  }
  const { hooks } = context;
  // Building redacted event payloads costs a little on every request; skip it when nobody listens.
  const eventBase =
    hooks?.onRequest || hooks?.onResponse
      ? {
          provider: context.provider,
          operation: context.operation,
          attempt: context.attempt,
          method: request.method,
          url: redactText(request.url, context.secrets),
        }
      : undefined;
  if (eventBase && hooks?.onRequest) {
    callHook(hooks.onRequest, { ...eventBase, headers: redactHeaders(headers, context.secrets) });
  }
  const started = performance.now();
  const reportResponse = (outcome: { status?: number; error?: KabarError }) => {
    if (eventBase && hooks?.onResponse) {
      callHook(hooks.onResponse, {
        ...eventBase,
        ...outcome,
        durationMs: performance.now() - started,
      });
    }
  };
  const deadline =
    stream || context.signal
      ? ownDeadline(context.timeoutMs, context.signal)
      : sharedDeadline(context.timeoutMs);
  try {
    const wire = {
      method: request.method,
      url: request.url,
      headers,
      body,
      signal: deadline.signal,
    };
    if (stream) {
      const response = await context.transport.open(wire);
      reportResponse({ status: response.status });
      return response;
    }
    const response = await context.transport.exchange(wire);
    const parsed = parseBody(response.text);
    reportResponse({ status: response.status });
    return new ReadResponse(response, parsed);
  } catch (error) {
    const failure = redactError(
      transportError(error, context, deadline.expired()),
      context.secrets,
    );
    reportResponse({ error: failure });
    throw failure;
  } finally {
    deadline.release();
  }
}
