import type { Transport, WireRequest } from './transport.js';

/** The shape of the global `fetch`, for `ClientOptions.fetch`. */
export type FetchFunction = typeof globalThis.fetch;

/**
 * A transport on a `fetch` function: for runtimes without `node:http` (Workers, Deno, Bun,
 * browsers) and for callers who bring their own (a proxy agent, a test double).
 */
export function fetchTransport(fetchFn: FetchFunction): Transport {
  const open = (request: WireRequest) =>
    fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
  return {
    name: 'fetch',
    open,
    async exchange(request) {
      const response = await open(request);
      return { status: response.status, headers: response.headers, text: await response.text() };
    },
  };
}
