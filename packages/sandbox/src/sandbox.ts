import type { Dialect, DialectInstance } from './dialect.js';
import { DIALECTS } from './dialects/index.js';
import { resolveOptions, VERSION } from './options.js';
import { createState, resetState, type SandboxState } from './state.js';
import type { Provider, SandboxInfo, SandboxOptions, WebhookProvider } from './types.js';
import type { WebhookWire } from './webhook-dispatch.js';

/** The dialects in table order, each seen through the shape the shared code works with. */
export const DIALECT_LIST: readonly Dialect[] = Object.values(DIALECTS);

/** Every provider the sandbox serves, in table order. */
export const PROVIDERS: readonly Provider[] = DIALECT_LIST.map((dialect) => dialect.name);

/** How each gateway that has a webhook signs and sends it, in table order. */
export const WEBHOOK_WIRES: readonly WebhookWire[] = DIALECT_LIST.flatMap(
  (dialect) => dialect.webhook ?? [],
);

/** The gateways that have a webhook URL of their own, in table order. */
export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = WEBHOOK_WIRES.map(
  (wire) => wire.provider,
);

/** Each dialect's instance in one sandbox, by name. */
export type DialectInstances = { readonly [P in Provider]: DialectInstance<P> };

/** One sandbox: the shared state, and every dialect's routes and stores built on it. */
export interface Sandbox extends SandboxState {
  readonly dialects: DialectInstances;
}

/**
 * A sandbox's state from the options every entry point takes. Throws a RangeError naming the first
 * invalid option, shared ones first, then each dialect's in table order.
 */
export function createSandboxState(options: SandboxOptions = {}): Sandbox {
  const state = createState(resolveOptions(options, WEBHOOK_PROVIDERS), WEBHOOK_WIRES);
  // Object.fromEntries loses which instance belongs to which name; each entry is made by the
  // dialect of that name, so the mapped type holds.
  const dialects = Object.fromEntries(
    DIALECT_LIST.map((dialect) => [dialect.name, dialect.create(options, state)]),
  ) as DialectInstances;
  return { ...state, dialects };
}

/** Back to the initial state: shared stores emptied, each dialect's reset, and listeners told. */
export function resetSandbox(sandbox: Sandbox): void {
  resetState(sandbox);
  for (const dialect of Object.values<DialectInstance>(sandbox.dialects)) dialect.reset();
  sandbox.events.emit({ type: 'sandbox.reset', data: {} });
}

/** What /api/v1/info reports: the first configured credential of each kind, at `url`. */
export function sandboxInfo(sandbox: Sandbox, url: string): SandboxInfo {
  const credentials = Object.fromEntries(
    PROVIDERS.map((provider) => [provider, sandbox.dialects[provider].credentials(url)]),
  ) as SandboxInfo['credentials'];
  return { name: 'kabar-sandbox', version: VERSION, providers: [...PROVIDERS], credentials };
}
