import { invalidConfig } from '../errors.js';
import { type FetchFunction, fetchTransport } from './fetch.js';
import { isNode, nodeTransport } from './node.js';
import type { Transport } from './transport.js';

/**
 * The transport a client uses: the caller's `fetch` when given, keep-alive `node:http` on Node,
 * the global `fetch` elsewhere. Throws `invalid_config` where there is none of them.
 */
export function transportFor(fetchFn: FetchFunction | undefined): Transport {
  if (fetchFn !== undefined) {
    if (typeof fetchFn !== 'function') throw invalidConfig('client', 'fetch', 'must be a function');
    return fetchTransport(fetchFn);
  }
  if (isNode()) return nodeTransport();
  if (typeof globalThis.fetch !== 'function') {
    throw invalidConfig('client', 'fetch', 'is required on runtimes without a global fetch');
  }
  return fetchTransport(globalThis.fetch);
}
