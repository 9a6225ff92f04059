import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MiB } from './http.js';
import * as seed from './seed-examples.js';
import { call, sleep } from './test-helpers.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

interface Early {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the error fields directly
  body: any;
}

/**
 * POSTs `headers` and only the first `sent` bytes of a body, and resolves with the answer the
 * sandbox gives while the rest is still owed; rejects when none comes within `ms`.
 */
function answerWhileSending(
  url: string,
  headers: Record<string, string | number>,
  sent: number,
  ms = 3000,
): Promise<Early> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${ms} ms while the body was still being sent`));
    }, ms);
    // The sandbox closes the connection on us mid-upload; that is the point, not a failure.
    req.on('error', () => {});
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        const status = res.statusCode ?? 0;
        resolve({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    for (let written = 0; written < sent; written += 64 * 1024) {
      req.write(Buffer.alloc(Math.min(64 * 1024, sent - written), 'a'));
    }
  });
}

const multipart = { 'content-type': 'multipart/form-data; boundary=kabar' };

describe('request bodies', () => {
  it('turns a wrong API key away before reading a 100 MB upload', async () => {
    const answer = await answerWhileSending(
      `${sandbox.kirem.baseUrl}/v1/media`,
      { ...multipart, authorization: 'Bearer wrong_key', 'content-length': 100 * 1000 * 1000 },
      256 * 1024,
    );
    expect(answer).toEqual({
      status: 401,
      body: {
        status: 401,
        message: 'Unauthorized: invalid or missing API key',
        errors: { authorization: 'invalid or missing API key' },
      },
    });
  });

  it('answers 413 to an upload declared over 100 MiB before reading it', async () => {
    const answer = await answerWhileSending(
      `${sandbox.kirem.baseUrl}/v1/media`,
      {
        ...multipart,
        authorization: `Bearer ${sandbox.kirem.apiKey}`,
        'content-length': 100 * MiB + 1,
      },
      256 * 1024,
    );
    expect(answer).toEqual({
      status: 413,
      body: { status: 413, message: 'Payload Too Large', errors: {} },
    });
  });

  it('answers 413 as soon as a chunked body passes the limit, not when it ends', async () => {
    const json = { 'content-type': 'application/json' };
    const kirem = await answerWhileSending(
      `${sandbox.kirem.baseUrl}/v1/messages`,
      { ...json, authorization: `Bearer ${sandbox.kirem.apiKey}` },
      2 * MiB,
    );
    expect(kirem).toEqual({
      status: 413,
      body: { status: 413, message: 'Payload Too Large', errors: {} },
    });

    const control = await answerWhileSending(`${sandbox.url}/api/v1/inbound`, json, 2 * MiB);
    expect(control).toEqual({ status: 413, body: { error: 'body too large' } });
  });

  describe('client mistakes', () => {
    afterEach(() => vi.restoreAllMocks());

    it('answers a request target that is no URL with 400, and logs nothing', async () => {
      const logged = vi.spyOn(console, 'error');
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(sandbox.port, '127.0.0.1', () => {
          socket.write(
            `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${sandbox.port}\r\nConnection: close\r\n\r\n`,
          );
        });
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('end', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('{"error":"the request target is not a valid URL"}');
      expect(logged).not.toHaveBeenCalled();
    });

    it('drops a client that disconnects mid-body quietly, logging nothing, and carries on', async () => {
      const logged = vi.spyOn(console, 'error');
      const req = request(`${sandbox.kirem.baseUrl}/v1/media`, {
        method: 'POST',
        headers: {
          ...multipart,
          authorization: `Bearer ${sandbox.kirem.apiKey}`,
          'content-length': 10 * MiB,
        },
      });
      req.on('error', () => {});
      req.write(Buffer.alloc(256 * 1024));
      await sleep(50);
      req.destroy();
      await sleep(200);

      expect(logged).not.toHaveBeenCalled();
      const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
        token: sandbox.kirem.apiKey,
        json: seed.sendText,
      });
      expect(sent.status).toBe(201);
    });
  });
});
