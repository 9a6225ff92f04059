import type { ChangeSignal } from './change-signal.js';
import type { CloudChannel } from './cloud-api/channel.js';
import type { WireContent } from './cloud-api/wire.js';
import type { ControlCalls } from './control-calls.js';
import type { ControlHandler } from './control-http.js';
import type { Gateway } from './gateway.js';
import type { Route } from './http.js';
import type { InboundContentField } from './inbound-input.js';
import type { SandboxState } from './state.js';
import type {
  DeliveredMessage,
  DialectControls,
  InboundInput,
  Provider,
  SandboxInfo,
  SandboxOptions,
  TemplateProvider,
  WebhookDelivery,
  WebhookProvider,
} from './types.js';
import type { WebhookWire } from './webhook-dispatch.js';

/** The gateways a test's customer can write to through POST /api/v1/inbound. */
export type InboundProvider = InboundInput['provider'];

/** What /api/v1/info reports for one gateway, and what its clients are configured with. */
export type Credentials<P extends Provider> = SandboxInfo['credentials'][P];

/**
 * One repeatable CLI flag that sets a dialect's credentials, with a comma-list environment variable
 * behind it, e.g. `--kirem-key <key>` and KABAR_SANDBOX_KIREM_KEYS.
 */
export interface CliFlag {
  /** Without the dashes, e.g. 'kirem-key'. */
  readonly name: string;
  /** What the help shows it takes, e.g. '<key>'. */
  readonly value: string;
  readonly env: string;
  /** The help line, e.g. 'accepted Kirem API key, repeatable (default kirem_test_key)'. */
  readonly help: string;
  /** The options the given values stand for. */
  options(values: string[]): SandboxOptions;
}

/** What the inbox page needs to show a dialect's messages; JSON, since the page's script reads it. */
export interface InboxLabels {
  /** Where an inbound message sits in its stored payload when not at the top (Kirem's 'data'). */
  readonly inboundPayload?: string;
  /**
   * How the page fetches media sent by id: a path under the credentials' baseUrl with '{id}' in it,
   * and which credential goes in the bearer token.
   */
  readonly mediaDownload?: { readonly path: string; readonly token: string };
}

/** What a dialect that customers can write to does with their messages. */
export interface InboundReceiver {
  /** Whether a customer may be named by business-scoped user id (Meta's BSUID). */
  readonly userIds: boolean;
  /** Why the gateway cannot carry a content field, e.g. a button reply to a Waviro bot. */
  refuse?(field: InboundContentField): string | undefined;
  /**
   * Stores the customer's message and delivers what the gateway sends for it. `content` is the
   * message in Cloud API form with its media already stored; `text` is its line in the inbox.
   */
  receive(input: InboundInput, content: WireContent, text: string): Promise<DeliveredMessage>;
}

/**
 * A dialect's own template store as the data file and session export keep it (see session.ts):
 * Kirem's and Meta's Meta-style templates, Qirim's notification templates.
 */
export interface KeptTemplates<T = unknown> {
  /** Fires after every change of its templates. */
  readonly changes: ChangeSignal;
  /** Every template, in the store's order, as JSON-safe values. */
  snapshot(): T[];
  /** Why `value` cannot be one of its templates, naming it by `at`; undefined when it can. */
  check(value: unknown, at: string): string | undefined;
  /**
   * Replaces every template with these, each of which passed `check`. A method, so a store of
   * `Template`s still fits the `KeptTemplates<unknown>` the shared code works with.
   */
  restore(templates: readonly T[]): void;
}

/**
 * A capability the gateways in `Having` must have and the others must not, so that the table in
 * dialects/index.ts and the public unions in types.ts cannot drift apart without a compile error.
 */
type Capability<P, Having, Shape> = P extends Having
  ? Shape
  : { readonly [Key in keyof Shape]?: never };

/**
 * One dialect in one running sandbox: its routes and its own stores, created by `Dialect.create`.
 * Methods close over those stores, so the shared code never sees their types.
 */
export type DialectInstance<P extends Provider = Provider> = DialectInstanceBase<P> &
  Capability<P, TemplateProvider, { readonly channel: CloudChannel }> &
  Capability<P, InboundProvider, { readonly inbound: InboundReceiver }>;

interface DialectInstanceBase<P extends Provider> {
  /** The emulated HTTP API, served under `<sandbox url>/<name>`. */
  readonly gateway: Gateway;
  /** The first credential of each kind, for a sandbox at `url`. */
  credentials(url: string): Credentials<P>;
  /** Back to the contents `create` gave its stores (POST /api/v1/reset). */
  reset(): void;
  /** Control API routes for its own stores, under /api/v1; they must not overlap another's. */
  readonly controlRoutes: readonly Route<ControlHandler>[];
  /** A delivery of its was posted again (POST /api/v1/webhooks/deliveries/:id/redeliver). */
  redelivered?(delivery: WebhookDelivery): void;
  /** Its template store, when it has one: kept in the data file and in session exports. */
  readonly templates?: KeptTemplates;
  /**
   * The shared stores were just restored from a data file or an imported session: ids it hands out
   * from now on must not repeat those of the restored messages.
   */
  restored?(): void;
}

/**
 * Everything the shared code needs about one emulated gateway. Each dialects/<name>/ folder exports
 * one, and dialects/index.ts lists them; nothing else names a dialect.
 */
export type Dialect<P extends Provider = Provider> = DialectBase<P> &
  Capability<P, WebhookProvider, { readonly webhook: WebhookWire }>;

// banner is a method, not a function property, so its parameter is compared bivariantly and a
// Dialect<'kirem'> still fits the Dialect<Provider> list the shared code iterates.
interface DialectBase<P extends Provider> {
  /** The provider name and URL prefix: the gateway is served under `<sandbox url>/<name>`. */
  readonly name: P;
  /** The gateway's name for people, e.g. 'Meta Cloud API'. */
  readonly title: string;
  readonly cli: readonly CliFlag[];
  readonly inbox: InboxLabels;
  /** Its line in the CLI's startup banner, after the name: the credentials a client needs. */
  banner(credentials: Credentials<P>): string;
  /**
   * Its own methods of `SandboxControl` (its `DialectControls` entry), each a request to its
   * `controlRoutes`; `{}` when it has none. createControlClient merges every dialect's, so a new
   * dialect's control methods need no edit there.
   */
  client(calls: ControlCalls): DialectControls[P];
  /**
   * Reads its own options (defaults filled in; a RangeError when they are invalid) and creates its
   * stores and routes on top of the shared state.
   */
  create(options: SandboxOptions, state: SandboxState): DialectInstance<P>;
}
