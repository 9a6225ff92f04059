import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { failure } from '../../test-helpers.js';
import { type MetaOptions, meta } from './index.js';

const TOKEN = 'EAAG-meta-token-for-host-tests';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A local HTTP server that records what reaches it and answers with `answer`. */
async function recordingServer(answer: (url: string) => unknown) {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer(request.url ?? '')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { seen, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let graph: Awaited<ReturnType<typeof recordingServer>>;
let elsewhere: Awaited<ReturnType<typeof recordingServer>>;
/** What the fake Graph API answers for a media id, and for each template page. */
let mediaUrl = '';
let nextPage: (url: string) => string | undefined = () => undefined;

beforeAll(async () => {
  elsewhere = await recordingServer(() => ({ stolen: true }));
  graph = await recordingServer((url) => {
    if (url.includes('message_templates')) {
      return { data: [{ name: 'promo', status: 'APPROVED' }], paging: { next: nextPage(url) } };
    }
    if (url.startsWith('/v21.0/media-')) return { url: mediaUrl, mime_type: 'image/jpeg' };
    return { ok: true };
  });
});
afterAll(async () => {
  await graph.close();
  await elsewhere.close();
});
beforeEach(() => {
  graph.seen.length = 0;
  elsewhere.seen.length = 0;
});

function client(extra: Partial<MetaOptions> = {}) {
  return createClient({
    provider: meta({
      accessToken: TOKEN,
      phoneNumberId: '1001',
      businessAccountId: '2002',
      baseUrl: graph.url,
      ...extra,
    }),
    retry: false,
  });
}

describe('meta: the access token goes only to Meta over https, or to the configured base URL', () => {
  it.each([
    ['plain http to another host', () => `${elsewhere.url}/media.jpg`],
    ['https to a host that is not Meta', () => 'https://evil.example/media.jpg'],
    ['a look-alike host', () => 'https://lookaside.fbsbx.com.evil.example/m'],
    ['credentials in the URL', () => 'https://user:pw@lookaside.fbsbx.com/m'],
    ['plain http to a Meta host', () => 'http://lookaside.fbsbx.com/m'],
    ['no URL at all', () => 'not a url'],
  ])('refuses a media URL with %s, before any request', async (_case, url) => {
    mediaUrl = url();
    const error = await failure(client().media.download('media-1'));
    expect(error.code).toBe('media_error');
    expect(error.message).not.toContain(TOKEN);
    expect(elsewhere.seen).toEqual([]);
    expect(graph.seen).toHaveLength(1);
  });

  it('downloads from the configured base URL, and from a host the operator allows over https only', async () => {
    mediaUrl = `${graph.url}/files/photo.jpg`;
    const download = await client().media.download('media-2');
    await new Response(download.body).text();
    expect(graph.seen.at(-1)).toMatchObject({
      url: '/files/photo.jpg',
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    mediaUrl = `${elsewhere.url}/media.jpg`;
    const allowed = client({ mediaHosts: ['127.0.0.1'] });
    expect((await failure(allowed.media.download('media-3'))).code).toBe('media_error');
    expect(elsewhere.seen).toEqual([]);
  });
});

describe('meta: template paging stays on the Graph host and ends', () => {
  it('stops when Meta names the same next page again', async () => {
    nextPage = () => `${graph.url}/v21.0/2002/message_templates?after=SAME`;
    const error = await failure(client().templates.list());
    expect(error.message).toMatch(/same next page twice/);
    expect(graph.seen).toHaveLength(2);
  });

  it('stops after 200 pages of an endless list', async () => {
    let page = 0;
    nextPage = () => `${graph.url}/v21.0/2002/message_templates?after=${++page}`;
    const error = await failure(client().templates.list());
    expect(error.message).toMatch(/more than 200 pages/);
    expect(graph.seen).toHaveLength(200);
  });

  it('never follows a next page to another host', async () => {
    nextPage = () => `${elsewhere.url}/v21.0/2002/message_templates?after=2`;
    const error = await failure(client().templates.list());
    expect(error.message).toMatch(/another host/);
    expect(elsewhere.seen).toEqual([]);
  });

  it('follows next pages on the Graph host to the end', async () => {
    nextPage = (url) =>
      url.includes('after=2') ? undefined : `${graph.url}/v21.0/2002/message_templates?after=2`;
    expect(await client().templates.list()).toHaveLength(2);
  });
});
