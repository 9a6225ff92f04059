import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from './http.js';
import * as seed from './seed-examples.js';
import { call } from './test-helpers.js';
import { eventually, useSandbox } from './vitest.js';

/** What the sandbox is pointed at: files of any size, an endless answer, and redirects. */
let site: Server;
let siteUrl: string;
const sandbox = useSandbox({ maxMediaBytes: MiB });

beforeAll(async () => {
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path === '/two-mib.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(2 * MiB));
    } else if (path === '/endless') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else if (path === '/to-small') {
      res.writeHead(302, { location: '/small.png' });
      res.end();
    } else if (path === '/small.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end('small');
    } else {
      // A webhook that answers the handshake with a whole page instead of the challenge.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('x'.repeat(MiB));
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

const inboundImage = (link: string) =>
  sandbox.inbound({ provider: 'kirem', from: '6281234567890', image: { link } });

describe('inbound media links', () => {
  it('refuses a file over the media limit and stores nothing', async () => {
    await expect(inboundImage(`${siteUrl}/two-mib.png`)).rejects.toThrow(
      `400: image.link is larger than ${MiB} bytes`,
    );
    expect(await sandbox.messages()).toEqual([]);
  });

  it('stops reading an endless file at the limit instead of waiting for its end', async () => {
    const started = Date.now();
    await expect(inboundImage(`${siteUrl}/endless`)).rejects.toThrow(
      `400: image.link is larger than ${MiB} bytes`,
    );
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('follows a redirect to another http URL, and none to another scheme', async () => {
    const { message } = await inboundImage(`${siteUrl}/to-small`);
    expect(message.type).toBe('image');
    await expect(inboundImage(`${siteUrl}/to-file`)).rejects.toThrow(
      '400: image.link could not be downloaded: Error: file:///etc/passwd is not an http(s) URL',
    );
  });
});

describe("Meta's webhook handshake", () => {
  it('brings back at most 256 bytes of what the URL answers', async () => {
    await sandbox.setWebhook('meta', { url: `${siteUrl}/page` });
    const verification = await sandbox.verifyMetaWebhook('token');
    expect(verification).toMatchObject({ verified: false, status: 200 });
    expect(verification.responseBody).toBe('x'.repeat(256));
  });
});

describe('answers to what the sandbox posts', () => {
  it('keeps the first 10,000 bytes of a webhook receiver that never stops answering', async () => {
    await sandbox.setWebhook('kirem', { url: `${siteUrl}/endless` });
    const { deliveries } = await sandbox.inbound({
      provider: 'kirem',
      from: '6281234567890',
      text: 'halo',
    });
    expect(deliveries).toMatchObject([{ status: 200 }]);
    expect(deliveries[0]?.error).toBeUndefined();
    expect(deliveries[0]?.responseBody).toHaveLength(10_000);
  });

  it('records a Waviro ack without reading an endless answer to it', async () => {
    await call(`${sandbox.waviro.botUrl}/api/sendwa`, {
      headers: { secretkey: sandbox.waviro.secretKey },
      json: { ...seed.waviroSendText, nohp: '6281234567890', notifyurl: `${siteUrl}/endless` },
    });
    const acks = await eventually(
      () => sandbox.waviroAcks(),
      (list) => list.length > 0,
    );
    expect(acks[0]).toMatchObject({ payload: { ack: 0 }, status: 200 });
  });
});
