import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { HttpRequest } from './http-fetch';

/**
 * A stand-in for n8n's `helpers.httpRequest` (axios in n8n-core), on the platform's fetch: it
 * honours the options our nodes pass the way n8n-core does (`returnFullResponse`,
 * `ignoreHttpStatusErrors`, `encoding`, `abortSignal`, `timeout`, `qs`) and keeps every request's
 * options for tests to inspect. Like axios, it rejects with an error that holds the request's
 * `config` (its headers included) when no response arrives, and when a status error is not ignored.
 */
export function httpRequestHarness(): {
  httpRequest: HttpRequest;
  requests: IHttpRequestOptions[];
} {
  const requests: IHttpRequestOptions[] = [];
  const httpRequest: HttpRequest = async (options) => {
    requests.push(options);
    const url = new URL(options.url, options.baseURL);
    for (const [key, value] of Object.entries(options.qs ?? {})) {
      url.searchParams.set(key, String(value));
    }
    const signals = [
      options.abortSignal as AbortSignal | undefined,
      options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
    ].filter((signal) => signal !== undefined);
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers: options.headers as Record<string, string>,
        body: requestBody(options),
        signal: signals.length > 0 ? AbortSignal.any(signals) : null,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw Object.assign(new Error(cause?.message ?? (error as Error).message), {
        code: cause?.code ?? (error as { name?: string }).name,
        config: { url: options.url, headers: options.headers },
      });
    }
    if (response.status >= 400 && !options.ignoreHttpStatusErrors) {
      throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
        config: { url: options.url, headers: options.headers },
        response: { status: response.status },
      });
    }
    const body = await responseBody(response, options.encoding);
    if (!options.returnFullResponse) return body;
    return {
      body,
      headers: Object.fromEntries(response.headers) as IDataObject,
      statusCode: response.status,
      statusMessage: response.statusText,
    };
  };
  return { httpRequest, requests };
}

function requestBody(options: IHttpRequestOptions): BodyInit | undefined {
  const { body } = options;
  if (body === undefined || body === null || options.method === 'GET') return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams) {
    return body as BodyInit;
  }
  return JSON.stringify(body);
}

/** The body as axios gives it for `responseType`: a stream of Buffers, a Buffer, or parsed. */
async function responseBody(response: Response, encoding: IHttpRequestOptions['encoding']) {
  if (encoding === 'stream') return chunksOf(response);
  if (encoding === 'arraybuffer') return Buffer.from(await response.arrayBuffer());
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function* chunksOf(response: Response): AsyncGenerator<Buffer> {
  const reader = response.body?.getReader();
  if (!reader) return;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      yield Buffer.from(read.value);
    }
  } finally {
    // Stopped early (a body-less status, or cancelled): free the connection.
    await reader.cancel();
  }
}
