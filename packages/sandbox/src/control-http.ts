import { isRecord, json, parseJson, type Reply, type Route } from './http.js';
import type { SandboxState } from './state.js';
import type { Provider } from './types.js';

/** A request to the control API, body read. */
export interface ControlRequest {
  method: string;
  /** The path after '/api/v1', e.g. '/messages/latest'. */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  origin: string;
}

/** A control API handler that works on `context`: the shared state, or a dialect's state on top of it. */
export type ContextHandler<Context> = (
  context: Context,
  req: ControlRequest,
  param: (name: string) => string,
) => Reply | Promise<Reply>;

/** A control API handler as the control API calls it, with the shared state. */
export type ControlHandler = ContextHandler<SandboxState>;

/**
 * A dialect's routes bound to its own context, so the control API can call them with the shared
 * state alone; the context was made from that same state.
 */
export function bindRoutes<Context>(
  routes: readonly Route<ContextHandler<Context>>[],
  context: Context,
): Route<ControlHandler>[] {
  return routes.map((route) => ({
    ...route,
    handler: (_state, req, param) => route.handler(context, req, param),
  }));
}

/** A parsed request part, or the error answer to give instead. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** The answer to a control call that has nothing to return. */
export const NO_CONTENT: Reply = { status: 204 };

/** The control API's error answer: `{ error }` with the status. */
export const failure = (status: number, error: string): Reply => json(status, { error });

/** The request body as a JSON object, or a 400 saying it must be one. */
export function jsonBody(req: ControlRequest): Parsed<Record<string, unknown>> {
  const parsed = parseJson(req.body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return { ok: false, reply: failure(400, 'body must be a JSON object') };
  }
  return { ok: true, value: parsed.value };
}

/** A `provider` query parameter: one of `providers`, or undefined when it is absent or empty. */
export function providerOf(
  raw: string | null,
  providers: readonly Provider[],
): Parsed<Provider | undefined> {
  if (raw === null || raw === '') return { ok: true, value: undefined };
  const provider = providers.find((known) => known === raw);
  if (provider) return { ok: true, value: provider };
  return { ok: false, reply: failure(400, `provider must be one of ${providers.join(', ')}`) };
}

/** Names for an error message: "'a'", "'a' or 'b'", "'a', 'b' or 'c'". */
export function oneOf(names: readonly string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  const last = quoted.pop();
  return quoted.length === 0 ? (last ?? '') : `${quoted.join(', ')} or ${last}`;
}
