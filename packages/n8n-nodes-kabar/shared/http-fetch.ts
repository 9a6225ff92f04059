import type { FetchFunction } from '@kabar/core';
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

/** n8n's `helpers.httpRequest`, as every node context has it. */
export type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** What `httpRequest` answers with `returnFullResponse: true` and `encoding: 'stream'`. */
interface FullResponse {
  statusCode: number;
  statusMessage?: string;
  headers: IDataObject;
  /** A Node readable (axios' `IncomingMessage`): async-iterable chunks of bytes. */
  body: AsyncIterable<Uint8Array>;
}

/** Statuses whose response has no body: `new Response` refuses one for them. */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The Node stream each web stream the adapter made reads from, so binary downloads can be handed
 * to n8n's binary data store as the stream it wants, without reading them into memory first.
 */
const sources = new WeakMap<ReadableStream<Uint8Array>, AsyncIterable<Uint8Array>>();

/** The n8n response stream behind a body the adapter returned; undefined for any other stream. */
export function sourceStreamOf(
  body: ReadableStream<Uint8Array>,
): AsyncIterable<Uint8Array> | undefined {
  return sources.get(body);
}

/**
 * A web stream over an async-iterable Node stream. It pulls only when read (high-water mark 0), so
 * a body handed on through `sourceStreamOf` is never half consumed here.
 */
function webStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= source[Symbol.asyncIterator]();
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value));
      },
      async cancel() {
        await (chunks ?? source[Symbol.asyncIterator]()).return?.();
      },
    },
    { highWaterMark: 0 },
  );
  sources.set(stream, source);
  return stream;
}

function headersOf(raw: IDataObject): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
  }
  return headers;
}

/** A request body as `httpRequest` sends it: strings as they are, anything else encoded bytes. */
async function encodeBody(
  body: BodyInit | null | undefined,
  headers: Headers,
): Promise<string | Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  // FormData and Blob bodies (media uploads, Kirimy's forms): the platform encodes them and names
  // the multipart boundary. Core holds uploads in memory already, so nothing more is buffered.
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type && !headers.has('content-type')) headers.set('content-type', type);
  return Buffer.from(await encoded.arrayBuffer());
}

/**
 * A `fetch` for `createClient({ fetch })` that sends through a node context's `helpers.httpRequest`
 * (called as a method, as n8n's helpers expect), so n8n's proxy settings and request logging apply
 * to every gateway call. The response is streamed (`encoding: 'stream'`), error statuses come back as responses for core to turn into
 * Kabar errors (`ignoreHttpStatusErrors`), and the caller's abort signal (core's timeout) is
 * passed on.
 */
export function n8nFetch(helpers: { httpRequest: HttpRequest }): FetchFunction {
  return async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init.headers);
    const body = await encodeBody(init.body, headers);
    // Without a response, n8n's error (axios') goes to core as it is: core reads its `code`
    // (ECONNREFUSED...) and keeps at most its name, message and code, never its request config.
    const response = (await helpers.httpRequest({
      url,
      method: (init.method ?? 'GET') as IHttpRequestMethods,
      headers: Object.fromEntries(headers),
      ...(body === undefined ? {} : { body }),
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      encoding: 'stream',
      ...(init.signal ? { abortSignal: init.signal } : {}),
    })) as FullResponse;
    const status = response.statusCode;
    if (NO_BODY.has(status)) await response.body[Symbol.asyncIterator]().return?.();
    return new Response(NO_BODY.has(status) ? null : webStream(response.body), {
      status,
      statusText: response.statusMessage ?? '',
      headers: headersOf(response.headers),
    });
  };
}
