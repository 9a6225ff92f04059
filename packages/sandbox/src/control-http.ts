import { isRecord, json, parseJson, type Reply } from './http';
import { PROVIDERS } from './options';
import type { SandboxState } from './state';
import type { Provider } from './types';

export interface ControlRequest {
  method: string;
  /** The path after '/api/v1', e.g. '/messages/latest'. */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  origin: string;
}

export type ControlHandler = (
  state: SandboxState,
  req: ControlRequest,
  param: (name: string) => string,
) => Reply | Promise<Reply>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

export const NO_CONTENT: Reply = { status: 204 };

export const failure = (status: number, error: string): Reply => json(status, { error });

export function jsonBody(req: ControlRequest): Parsed<Record<string, unknown>> {
  const parsed = parseJson(req.body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return { ok: false, reply: failure(400, 'body must be a JSON object') };
  }
  return { ok: true, value: parsed.value };
}

export function providerOf(raw: string | null): Parsed<Provider | undefined> {
  if (raw === null || raw === '') return { ok: true, value: undefined };
  const provider = PROVIDERS.find((known) => known === raw);
  if (provider) return { ok: true, value: provider };
  return { ok: false, reply: failure(400, `provider must be one of ${PROVIDERS.join(', ')}`) };
}
