import { isHttpUrl } from './webhook-config.js';

/** Enough for a CDN or an http-to-https hop; more is a loop or a trick. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What came back: at most the bytes asked for, and whether there was more. */
export interface LimitedResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** True when the body was longer than the limit; the rest was never read. */
  truncated: boolean;
}

/**
 * A GET of a URL the sandbox was handed (a media link, a webhook to verify), trusting nothing
 * about it: http(s) only, redirects followed by hand so each hop must be http(s) too, one deadline
 * for the whole exchange, and at most `maxBytes` of the body read. Loopback is allowed on
 * purpose: tests run their servers on 127.0.0.1. Rejects when the URL, a redirect or the network
 * fails.
 */
export async function fetchLimited(
  url: string,
  limits: { maxBytes: number; timeoutMs: number },
): Promise<LimitedResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let target = url;
  for (let redirects = 0; ; redirects++) {
    if (!isHttpUrl(target)) throw new Error(`${target} is not an http(s) URL`);
    const response = await fetch(target, { redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      const { bytes, truncated } = await readLimited(response.body, limits.maxBytes);
      return { status: response.status, headers: response.headers, body: bytes, truncated };
    }
    await response.body?.cancel();
    if (redirects === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    target = new URL(location, target).href;
  }
}

/**
 * Reads at most `maxBytes` of a body and cancels the rest, so a huge or endless answer costs the
 * sandbox no more than that.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!body) return { bytes: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks, size), truncated: false };
    if (size + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel();
      return { bytes: Buffer.concat(chunks, maxBytes), truncated: true };
    }
    chunks.push(value);
    size += value.length;
  }
}
