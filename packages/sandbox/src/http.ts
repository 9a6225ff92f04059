import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** What a handler answers. A Uint8Array body is sent as raw bytes, anything else as JSON. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** 'reset' means: destroy the socket without answering (an injected fault). */
export type Outcome = Reply | 'reset';

/** Bytes in a mebibyte, for the body and media limits. */
export const MiB = 1024 * 1024;

/** A JSON answer. */
export function json(status: number, body: unknown): Reply {
  return { status, body };
}

/** A parsed JSON body, or a marker that it was not JSON. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false };

/** Parses a request body without throwing, so each gateway can answer bad JSON its own way. */
export function parseJson(body: Buffer): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** The form fields of a multipart body, or why it could not be read. */
export type Multipart = { ok: true; fields: FormData } | { ok: false; reason: string };

/** Parses a multipart/form-data body with the platform's own parser. */
export async function readMultipart(
  body: Buffer,
  contentType: string | undefined,
): Promise<Multipart> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    return { ok: false, reason: 'must be multipart/form-data' };
  }
  try {
    const bytes = new Uint8Array(body);
    const fields = await new Response(bytes, {
      headers: { 'content-type': contentType },
    }).formData();
    return { ok: true, fields };
  } catch {
    return { ok: false, reason: 'is not valid multipart/form-data' };
  }
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The token of an `Authorization: Bearer <token>` header, in any case. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return match?.[1]?.trim();
}

/** Sends the reply: raw bytes as they are, anything else as JSON, with its length. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload: Uint8Array | string | undefined;
  if (reply.body instanceof Uint8Array) {
    payload = reply.body;
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** A method and path pattern, and what handles requests that match them. */
export interface Route<Handler> {
  method: string;
  /** Segments starting with ':' capture (URL-decoded), e.g. '/v1/templates/:name'. */
  pattern: string;
  handler: Handler;
}

/** The matching route's handler and the path parameters it captured. */
export interface RouteMatch<Handler> {
  handler: Handler;
  param: (name: string) => string;
}

/** The first route matching the method and path, in order, or undefined. */
export function matchRoute<Handler>(
  routes: readonly Route<Handler>[],
  method: string,
  path: string,
): RouteMatch<Handler> | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.pattern.split('/');
    if (parts.length !== segments.length) continue;
    const params = new Map<string, string>();
    const matches = parts.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        if (segment === '') return false;
        params.set(part.slice(1), safeDecode(segment));
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    return {
      handler: route.handler,
      param: (name) => {
        const value = params.get(name);
        if (value === undefined) throw new Error(`route ${route.pattern} has no :${name}`);
        return value;
      },
    };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Resolves after `ms` milliseconds (injected latency, spaced-out webhooks). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
