import { invalidConfig } from '../errors.js';
import type { HttpResponse } from '../http.js';

/** Small helpers every provider needs. */

/** The option's value, or `invalid_config` naming it when it is missing or blank. */
export function requireOption(provider: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidConfig(provider, name, 'is required');
  }
  return value;
}

/**
 * The base URL (or `fallback`) without trailing slashes; `invalid_config` when it is not http(s).
 */
export function baseUrlFrom(provider: string, value: string | undefined, fallback: string): string {
  const url = value ?? fallback;
  if (!/^https?:\/\/[^/]/i.test(url))
    throw invalidConfig(provider, 'baseUrl', 'must be an http(s) URL');
  return url.replace(/\/+$/, '');
}

/** `url` with the defined entries of `query` as its query string. */
export function withQuery(
  url: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? url : `${url}?${text}`;
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A failed streaming response read back as an `HttpResponse`, for the provider's error mapping. */
export async function failedStreamResponse(response: Response): Promise<HttpResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * A short tag of a secret (32-bit FNV-1a, hex), so that two devices get separate rate-limit
 * buckets without the key, which hooks and limiters may log or store, revealing the secret.
 */
export function secretTag(secret: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < secret.length; i++) {
    hash ^= secret.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
