import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { call } from './test-helpers.js';
import type { RunningSandbox } from './types.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

function uploadTo(target: RunningSandbox, content: BlobPart, type: string) {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), 'file');
  return call(`${target.kirem.baseUrl}/v1/media`, { token: target.kirem.apiKey, body: form });
}

function downloadFrom(target: RunningSandbox, id: string) {
  return fetch(`${target.kirem.baseUrl}/v1/media/${id}/download`, {
    headers: { authorization: `Bearer ${target.kirem.apiKey}` },
  });
}

const PAGE =
  '<!doctype html><script>fetch("/api/v1/info").then((r) => r.text()).then(alert)</script>';

describe('media downloads are never active content', () => {
  it.each([
    ['text/html', PAGE],
    ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['application/xhtml+xml', '<html xmlns="http://www.w3.org/1999/xhtml"/>'],
    ['text/javascript', 'alert(1)'],
    ['audio/x-kabar+xml', '<x/>'],
  ])('serves %s as an octet-stream attachment', async (type, content) => {
    const uploaded = await uploadTo(sandbox, content, type);
    const download = await downloadFrom(sandbox, uploaded.body.data.id);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(await download.text()).toBe(content);
  });

  it('serves images, audio, video and PDF inline with their type, not sniffable', async () => {
    for (const type of ['image/png', 'image/jpeg', 'audio/ogg; codecs=opus', 'video/mp4']) {
      const uploaded = await uploadTo(sandbox, 'bytes', type);
      const download = await downloadFrom(sandbox, uploaded.body.data.id);
      expect(download.headers.get('content-type')).toBe(type.split(';')[0]);
      expect(download.headers.get('content-disposition')).toBe('inline');
      expect(download.headers.get('x-content-type-options')).toBe('nosniff');
      expect(download.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    }
  });

  it('does the same on the Meta download URL, and for inbound media', async () => {
    const { message } = await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      document: { mimeType: 'text/html', filename: 'invoice.html' },
    });
    const id = (message.payload as { document: { id: string } }).document.id;
    const download = await fetch(`${sandbox.meta.baseUrl}/media-download/${id}`, {
      headers: { authorization: `Bearer ${sandbox.meta.accessToken}` },
    });
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment');
    expect(download.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  });
});

describe('the media store is bounded', () => {
  let small: RunningSandbox;
  beforeAll(async () => {
    small = await createSandbox({ maxMediaBytes: 1000, maxMessages: 3 });
  });
  afterAll(() => small.close());

  const ids = async (files: Array<[number, string]>) => {
    const uploaded: string[] = [];
    for (const [size, type] of files) {
      uploaded.push((await uploadTo(small, new Uint8Array(size), type)).body.data.id);
    }
    return uploaded;
  };
  const kept = async (list: string[]) =>
    Promise.all(list.map(async (id) => (await downloadFrom(small, id)).status === 200));

  it('drops the oldest files once their bytes pass maxMediaBytes', async () => {
    await small.reset();
    const uploaded = await ids([
      [400, 'image/png'],
      [400, 'image/png'],
      [400, 'image/png'],
    ]);
    expect(await kept(uploaded)).toEqual([false, true, true]);
  });

  it('drops the oldest files once there are more than maxMessages', async () => {
    await small.reset();
    const uploaded = await ids([
      [1, 'image/png'],
      [1, 'image/png'],
      [1, 'image/png'],
      [1, 'image/png'],
    ]);
    expect(await kept(uploaded)).toEqual([false, true, true, true]);
  });

  it('refuses a file larger than the whole store with 413, keeping what it has', async () => {
    await small.reset();
    const [first = ''] = await ids([[10, 'image/png']]);
    const answer = await uploadTo(small, new Uint8Array(1001), 'image/png');
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      status: 413,
      message: 'Payload Too Large',
      errors: { file: 'must be at most 1000 bytes' },
    });
    expect(await kept([first])).toEqual([true]);
  });
});
