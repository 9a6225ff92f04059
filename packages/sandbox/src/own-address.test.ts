import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { call, rawCall } from './test-helpers.js';
import type { RunningSandbox } from './types.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

const json = { 'content-type': 'application/json' };
/** The sandbox's own address, as a browser on its inbox would send it. */
const self = () => `127.0.0.1:${sandbox.port}`;
const control = (path: string) => `${sandbox.url}/api/v1${path}`;

describe('control API writes from web pages (CSRF)', () => {
  it('refuses a text/plain POST, which any page can send without asking, with 415', async () => {
    const answer = await call(control('/faults'), {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ status: 500 }),
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({ error: 'the control API takes Content-Type: application/json' });
    expect(await sandbox.messages()).toEqual([]);
    expect((await call(control('/faults'))).body.faults).toEqual([]);
  });

  it('refuses a POST without a body or a content type (a no-cors fetch) with 415', async () => {
    await sandbox.fault({ status: 500 });
    expect((await call(control('/reset'), { method: 'POST' })).status).toBe(415);
    expect((await call(control('/faults'))).body.faults).toHaveLength(1);
  });

  it('refuses a JSON POST from another page with 403, and takes one from its own inbox', async () => {
    const fault = JSON.stringify({ status: 500 });
    for (const origin of ['http://evil.example', 'http://localhost:1', 'null']) {
      const answer = await rawCall(control('/faults'), {
        method: 'POST',
        headers: { ...json, origin },
        body: fault,
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toContain(`Origin '${origin}' is not this sandbox`);
    }
    expect((await call(control('/faults'))).body.faults).toEqual([]);

    const own = await rawCall(control('/faults'), {
      method: 'POST',
      headers: { ...json, origin: `http://${self()}` },
      body: fault,
    });
    expect(own.status).toBe(201);
  });
});

describe('requests for another host name (DNS rebinding)', () => {
  const rebound = 'evil.example:4010';

  it('refuses the inbox, the control API and the gateways with 403', async () => {
    const kirem = { authorization: `Bearer ${sandbox.kirem.apiKey}` };
    for (const [url, headers] of [
      [`${sandbox.url}/`, {}],
      [control('/info'), {}],
      [control('/events'), {}],
      [`${sandbox.kirem.baseUrl}/v1/templates`, kirem],
    ] as const) {
      const answer = await rawCall(url, { headers: { ...headers, host: rebound } });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toContain(`Host '${rebound}' is not an address of this sandbox`);
      expect(JSON.stringify(answer.body)).not.toContain(sandbox.kirem.apiKey);
    }
  });

  it('refuses the right name on another port', async () => {
    const answer = await rawCall(control('/info'), { headers: { host: '127.0.0.1:1' } });
    expect(answer.status).toBe(403);
  });

  it('serves every loopback name on its own port', async () => {
    for (const name of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) {
      const answer = await rawCall(control('/info'), {
        headers: { host: `${name}:${sandbox.port}` },
      });
      expect(answer.status).toBe(200);
    }
  });

  it('answers liveness and readiness probes by any name', async () => {
    for (const path of ['/livez', '/readyz']) {
      const answer = await rawCall(`${sandbox.url}${path}`, { headers: { host: rebound } });
      expect(answer).toMatchObject({ status: 200, body: 'ok' });
    }
  });
});

describe('a sandbox bound to another address, with extra names allowed', () => {
  let bound: RunningSandbox;
  beforeAll(async () => {
    // All of 127.0.0.0/8 is loopback on Linux, so 127.0.0.2 stands in for a LAN address.
    bound = await createSandbox({
      host: '127.0.0.2',
      allowedHosts: ['sandbox.test', 'mapped.test:5000'],
    });
  });
  afterAll(() => bound.close());

  it('serves its bound address and the allowed names, and refuses others', async () => {
    const info = (host: string) =>
      rawCall(`${bound.url}/api/v1/info`, { headers: { host } }).then((a) => a.status);
    expect(bound.url).toBe(`http://127.0.0.2:${bound.port}`);
    expect(await info(`127.0.0.2:${bound.port}`)).toBe(200);
    expect(await info(`127.0.0.3:${bound.port}`)).toBe(403);
    expect(await info('sandbox.test:8080')).toBe(200);
    expect(await info('sandbox.test')).toBe(200);
    expect(await info('mapped.test:5000')).toBe(200);
    expect(await info('mapped.test:5001')).toBe(403);
  });

  it('takes control writes from pages at those names', async () => {
    const answer = await rawCall(`${bound.url}/api/v1/faults`, {
      method: 'POST',
      headers: { ...json, host: 'sandbox.test:8080', origin: 'http://sandbox.test:8080' },
      body: JSON.stringify({ status: 500 }),
    });
    expect(answer.status).toBe(201);
  });

  it('refuses an allowed host that is not a host name', async () => {
    await expect(createSandbox({ allowedHosts: ['http://x.test/'] })).rejects.toThrow(
      "allowedHosts: 'http://x.test/' is not a host name or host:port",
    );
  });
});
