import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** What a handler answers. A Uint8Array body is sent as raw bytes, anything else as JSON. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** 'reset' means: destroy the socket without answering (an injected fault). */
export type Outcome = Reply | 'reset';

export const MiB = 1024 * 1024;

export function json(status: number, body: unknown): Reply {
  return { status, body };
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false };

export function parseJson(body: Buffer): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return match?.[1]?.trim();
}

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

export interface Route<Handler> {
  method: string;
  /** Segments starting with ':' capture (URL-decoded), e.g. '/v1/templates/:name'. */
  pattern: string;
  handler: Handler;
}

export interface RouteMatch<Handler> {
  handler: Handler;
  param: (name: string) => string;
}

export function matchRoute<Handler>(
  routes: Route<Handler>[],
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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
