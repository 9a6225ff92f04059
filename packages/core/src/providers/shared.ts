import { invalidConfig } from '../errors.js';
import type { HttpResponse } from '../http.js';

/** Small helpers every provider needs. */

export function requireOption(provider: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidConfig(provider, name, 'is required');
  }
  return value;
}

export function baseUrlFrom(provider: string, value: string | undefined, fallback: string): string {
  const url = value ?? fallback;
  if (!/^https?:\/\/[^/]/i.test(url))
    throw invalidConfig(provider, 'baseUrl', 'must be an http(s) URL');
  return url.replace(/\/+$/, '');
}

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
