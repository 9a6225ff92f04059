import { createClient, KabarError } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { useSandbox } from '@kabar/sandbox/vitest';
import { NodeApiError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { KabarWhatsApp } from '../nodes/KabarWhatsApp/KabarWhatsApp.node';
import { n8nFetch } from './http-fetch';
import { executeContext } from './test-context';
import { httpRequestHarness } from './test-http';

const sandbox = useSandbox();
const customer = '6281234567890';

const credentials = () => ({ gateway: 'kirem', ...sandbox.kirem });

/** Every own property of an error and of its cause chain, as text. */
function allText(value: unknown, depth = 0): string {
  if (depth > 6 || value === null || typeof value !== 'object') return String(value);
  return Object.getOwnPropertyNames(value)
    .map((key) => `${key}: ${allText((value as Record<string, unknown>)[key], depth + 1)}`)
    .join('\n');
}

/**
 * A Kirem client on the adapter, as the node builds it, with no retries. The timeout is generous
 * unless a test is about the timeout: a loaded CI machine takes over 300 ms for a 3 MB upload.
 */
function adapterClient({ apiKey = sandbox.kirem.apiKey, timeoutMs = 10_000 } = {}) {
  return createClient({
    provider: kirem({ ...sandbox.kirem, apiKey }),
    fetch: n8nFetch(httpRequestHarness()),
    timeoutMs,
    retry: false,
  });
}

describe('n8nFetch: requests through n8n helpers.httpRequest', () => {
  it('sends every request of the node through httpRequest, leaving proxy and TLS to n8n', async () => {
    const harness = httpRequestHarness();
    const context = executeContext({
      credentials: credentials(),
      httpRequest: harness.httpRequest,
      items: [
        { resource: 'message', operation: 'sendText', to: customer, text: 'Halo', options: {} },
      ],
    });
    const [output] = await new KabarWhatsApp().execute.call(context);
    expect((await sandbox.latest({ to: customer }))?.text).toBe('Halo');
    expect(output?.[0]?.json.id).toBe((await sandbox.latest({ to: customer }))?.id);

    expect(harness.requests).toHaveLength(1);
    const [request] = harness.requests;
    expect(request).toMatchObject({
      url: `${sandbox.kirem.baseUrl}/v1/${sandbox.kirem.phoneNumberId}/messages`,
      method: 'POST',
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      encoding: 'stream',
      headers: expect.objectContaining({ 'content-type': 'application/json' }),
    });
    // Core's timeout reaches n8n as its abort signal.
    expect(request?.abortSignal).toBeInstanceOf(AbortSignal);
    // Nothing that would bypass n8n's proxy and certificate settings.
    expect(Object.keys(request ?? {})).not.toContain('proxy');
    expect(Object.keys(request ?? {})).not.toContain('skipSslCertificateValidation');
  });

  it('turns error statuses into Kabar errors, as core does with its own transport', async () => {
    const wrong = 'kirem_live_wrong_key_7';
    const error = await adapterClient({ apiKey: wrong })
      .send({ to: customer, text: 'x' })
      .catch((caught) => caught);
    expect(KabarError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401, provider: 'kirem' });

    const viaNode = await new KabarWhatsApp().execute
      .call(
        executeContext({
          credentials: { ...credentials(), apiKey: wrong },
          items: [{ resource: 'message', operation: 'sendText', to: customer, text: 'x' }],
        }),
      )
      .catch((caught) => caught);
    expect(viaNode).toBeInstanceOf(NodeApiError);
    expect(viaNode.httpCode).toBe('401');
  });

  it('keeps the timeout: a gateway that does not answer in time is a timeout error', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', latencyMs: 2000, times: 1 });
    const started = Date.now();
    const error = await adapterClient({ timeoutMs: 300 })
      .send({ to: customer, text: 'lambat' })
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: 'timeout', provider: 'kirem' });
    expect(Date.now() - started).toBeLessThan(1500);
    // The harness, like axios, puts the request headers (the Bearer key) on its abort error.
    expect(allText(error)).not.toContain(sandbox.kirem.apiKey);
  });

  it('reports a dropped connection as a network error that never carries the key', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', reset: true, times: 1 });
    const error = await adapterClient()
      .send({ to: customer, text: 'putus' })
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: 'network', provider: 'kirem' });
    // The harness, like axios, puts the request headers (the Bearer key) on its error.
    expect(allText(error)).not.toContain(sandbox.kirem.apiKey);
  });

  it('gives a body-less status a Response without a body', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/templates', status: 204, times: 1 });
    const response = await n8nFetch(httpRequestHarness())(`${sandbox.kirem.baseUrl}/v1/templates`, {
      headers: { authorization: `Bearer ${sandbox.kirem.apiKey}` },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});

describe('n8nFetch: binary data', () => {
  it('uploads a file as multipart and downloads it back as a stream n8n stores unread', async () => {
    // Large enough to arrive in many chunks.
    const jpeg = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const { id } = await adapterClient().media.upload({
      file: jpeg,
      mimeType: 'image/jpeg',
      filename: 'katalog.jpg',
    });

    const context = executeContext({
      credentials: credentials(),
      items: [
        { resource: 'media', operation: 'download', mediaId: id, binaryPropertyName: 'file' },
      ],
    });
    const handedOver: string[] = [];
    const prepare = context.helpers.prepareBinaryData;
    context.helpers.prepareBinaryData = async (data, ...rest) => {
      handedOver.push(Buffer.isBuffer(data) ? 'buffer' : 'stream');
      return prepare(data, ...rest);
    };
    const [output] = await new KabarWhatsApp().execute.call(context);
    const item = output?.[0];
    expect(handedOver).toEqual(['stream']);
    expect(item?.json).toEqual({ mediaId: id, contentType: 'image/jpeg', size: jpeg.length });
    // Buffer.equals: a deep comparison of 3 MB element by element takes seconds.
    expect(Buffer.from(item?.binary?.file?.data ?? '', 'base64').equals(jpeg)).toBe(true);
  });
});
