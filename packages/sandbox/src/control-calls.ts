import type { MessageFilter } from './types.js';

/**
 * The requests every control method is built from, bound to one sandbox's control API. A module of
 * its own so that each dialect's client (dialects/<name>/client.ts) can use them without importing
 * control-client.ts, which imports every dialect.
 */
export interface ControlCalls {
  /** A request whose 204 resolves to undefined; an error status rejects with the API's message. */
  call<T>(method: string, path: string, body?: unknown): Promise<T | undefined>;
  /** Like `call`, for requests that always answer with a body. */
  required<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A GET whose 404 means "there is none". */
  optional<T>(path: string): Promise<T | undefined>;
  /** The query string for the defined fields, with its `?`, or '' when there are none. */
  query(filter: MessageFilter | Record<string, string | undefined>): string;
}

/** The control calls for the sandbox at `url`, whose control API is under `<url>/api/v1`. */
export function createControlCalls(url: string): ControlCalls {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    // The control API takes writes only as JSON, bodiless ones (reset, redeliver) included.
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' } }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined;
    const payload = await response.json();
    if (!response.ok) {
      const detail = (payload as { error?: string }).error ?? JSON.stringify(payload);
      throw new Error(
        `kabar-sandbox: ${method} /api/v1${path} failed with ${response.status}: ${detail}`,
      );
    }
    return payload as T;
  }

  async function required<T>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await call<T>(method, path, body);
    if (result === undefined)
      throw new Error(`kabar-sandbox: ${method} /api/v1${path} returned no body`);
    return result;
  }

  async function optional<T>(path: string): Promise<T | undefined> {
    const response = await fetch(`${url}/api/v1${path}`);
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(`kabar-sandbox: GET /api/v1${path} failed with ${response.status}`);
    return (await response.json()) as T;
  }

  return { call, required, optional, query };
}

function query(filter: MessageFilter | Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}
