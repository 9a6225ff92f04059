import type { IncomingMessage, ServerResponse } from 'node:http';
import { KabarError } from '@kabar/core';

/** What Express (4 or 5), Connect or plain node:http hand a middleware. */
export type Request = IncomingMessage & { body?: unknown; ip?: string; verifiedPhone?: string };
/** The response a middleware answers on: node:http's, which Express's extends. */
export type Response = ServerResponse;
/** Passes the request on to the next middleware, or an error to the error handlers. */
export type Next = (error?: unknown) => void;
/** What this package's functions return: a middleware for `app.use` or a route. */
export type Middleware = (req: Request, res: Response, next: Next) => void;

/** Writes a JSON answer with its status and headers. */
export function sendJson(
  res: Response,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(payload);
}

/**
 * The body as Express left it: the bytes its raw parser read (`express.raw()`), else the request
 * stream itself, still unread. Throws `invalid_config` when a JSON parser already consumed it.
 */
export function unreadBody(req: Request): Buffer | Request {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.body !== undefined && typeof req.body === 'object' && req.readableEnded) {
    throw new KabarError(
      'invalid_config',
      'the body was already parsed; mount this before express.json() or give it the raw body',
    );
  }
  return req;
}

/**
 * The body as bytes: Express's raw parser may have read it already, else we read it, capped. Past
 * the cap reading stops and this throws `payload_too_large`; answer it with `Connection: close`, so
 * the rest of the body is never read.
 */
export function rawBody(req: Request, limitBytes: number): Promise<Buffer> {
  let body: Buffer | Request;
  try {
    body = unreadBody(req);
  } catch (error) {
    return Promise.reject(error);
  }
  if (Buffer.isBuffer(body)) return Promise.resolve(body);
  const stream = body;
  // Its events are past: a stream read to the end already holds nothing more, a destroyed one never
  // ends.
  if (stream.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (stream.destroyed)
    return Promise.reject(new Error('the request closed before its body ended'));
  // Plain listeners rather than `for await`: the async iterator costs more per request than the
  // rest of reading a small JSON body.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: unknown, result?: Buffer) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve(result as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        settle(
          new KabarError('payload_too_large', `body over ${limitBytes} bytes`, { status: 413 }),
        );
        // Nothing more is read into memory; the caller answers 413 and closes the connection.
        stream.pause();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('the request closed before its body ended'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** JSON body: the one Express already parsed, or ours. */
export async function jsonBody(req: Request, limitBytes: number): Promise<Record<string, unknown>> {
  if (req.body !== undefined && !Buffer.isBuffer(req.body) && typeof req.body === 'object') {
    return req.body as Record<string, unknown>;
  }
  const raw = await rawBody(req, limitBytes);
  if (raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through to the error below
  }
  throw new KabarError('validation', 'body must be a JSON object', { status: 422 });
}

/** The caller's address: Express's `req.ip` (which honours `trust proxy`), else the socket's. */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
