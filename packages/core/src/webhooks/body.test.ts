import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KabarError } from '../errors.js';
import { readRawBody } from './body.js';

/** How many bytes the server had taken in when it answered, per request. */
const consumed: number[] = [];
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    let seen = 0;
    const counted = (async function* () {
      for await (const chunk of request) {
        seen += (chunk as Buffer).byteLength;
        yield chunk as Buffer;
      }
    })();
    try {
      const body = await readRawBody(counted, {
        limit: 64 * 1024,
        contentLength: request.headers['content-length'],
      });
      response.end(`read ${body.byteLength}`);
    } catch (error) {
      consumed.push(seen);
      response.writeHead(KabarError.isInstance(error) ? (error.status ?? 500) : 500, {
        connection: 'close',
      });
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Streams `total` bytes in 16 KiB chunks (chunked unless `declare` sets Content-Length). */
function post(total: number, declare?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, number> =
      declare === undefined ? {} : { 'content-length': declare };
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', () => {});
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += 16 * 1024;
        if (!req.write(Buffer.alloc(16 * 1024))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
    setTimeout(() => reject(new Error('no answer')), 5000).unref();
  });
}

describe('readRawBody', () => {
  it('reads a body within the limit', async () => {
    expect(await post(32 * 1024)).toBe(200);
  });

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    consumed.length = 0;
    expect(await post(0, 512 * 1024 * 1024)).toBe(413);
    expect(consumed).toEqual([0]);
  });

  it('stops reading a chunked body at the first chunk past the limit', async () => {
    consumed.length = 0;
    expect(await post(8 * 1024 * 1024)).toBe(413);
    expect(consumed[0]).toBeLessThanOrEqual(64 * 1024 + 64 * 1024);
  });
});
