import { KabarError } from '../errors.js';

/**
 * The default body cap in bytes (3 MiB). Meta documents webhook payloads of up to 3 MB; nothing a
 * gateway sends is larger.
 */
export const DEFAULT_WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

/** A request body as Node (`IncomingMessage`) or the web platform (`ReadableStream`) offers it. */
export type BodySource = AsyncIterable<Uint8Array | string>;

/** The 413 error for a body over `limit` bytes. */
export function payloadTooLarge(limit: number): KabarError {
  return new KabarError('payload_too_large', `request body is larger than ${limit} bytes`, {
    status: 413,
  });
}

/**
 * Reads a request body into bytes, refusing (`payload_too_large`, status 413) as soon as it
 * passes `limit`: a declared `Content-Length` over the limit is refused before reading at all,
 * and a chunked body stops being read at the first chunk past it, so a client cannot make the
 * server buffer more than `limit` bytes. `limit` is in bytes, default
 * `DEFAULT_WEBHOOK_BODY_LIMIT`; `contentLength` is the request's `Content-Length` header, if any.
 */
export async function readRawBody(
  source: BodySource,
  {
    limit = DEFAULT_WEBHOOK_BODY_LIMIT,
    contentLength,
  }: { limit?: number; contentLength?: string | null } = {},
): Promise<Uint8Array> {
  if (contentLength != null && contentLength !== '' && Number(contentLength) > limit) {
    throw payloadTooLarge(limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > limit) throw payloadTooLarge(limit);
    chunks.push(bytes);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
