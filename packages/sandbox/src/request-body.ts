import type { IncomingMessage } from 'node:http';
import { MiB } from './http.js';
import { MAX_MEDIA_FILE_BYTES } from './media.js';

/** The body, or why there is none: over the limit, or the client went away while sending it. */
export type Body = { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * JSON and every other body; multipart uploads and Meta's resumable uploads (raw bytes sent with
 * a `file_offset` header) carry media and may be as large as a media file.
 */
export function bodyLimit(req: IncomingMessage): number {
  const multipart = req.headers['content-type']?.toLowerCase().startsWith('multipart/form-data');
  return multipart || req.headers.file_offset !== undefined ? MAX_MEDIA_FILE_BYTES : MiB;
}

/**
 * Reads the body while it stays within `limit` bytes. A declared Content-Length over the limit is
 * refused before a byte is read, and a body that grows past it is dropped at that point, so a
 * client can never make the sandbox hold more than `limit` bytes of one request. Whoever answers a
 * refused body must close the connection (see answerBeforeBody), since the rest is still coming.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  if (Number(req.headers['content-length']) > limit) {
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: Body) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, reason: 'too-large' });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish({ ok: true, bytes: Buffer.concat(chunks) });
    // A client that disconnects mid-body is not a sandbox bug: there is nobody left to answer.
    const onError = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
