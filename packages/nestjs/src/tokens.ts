/** The options given to `forRoot` / produced by `forRootAsync`. */
export const WHATSAPP_MODULE_OPTIONS = Symbol.for('kabar.nestjs.WHATSAPP_MODULE_OPTIONS');

/** The `WhatsAppClient` from `@kabar/core`, built once from the module's options. */
export const WHATSAPP_CLIENT = Symbol.for('kabar.nestjs.WHATSAPP_CLIENT');

/**
 * The `ConversationTracker` built from the `policy` option (undefined without it): the webhook
 * endpoint feeds it every new event. Call its `observe(events)` for events that reach the app
 * another way.
 */
export const WHATSAPP_TRACKER = Symbol.for('kabar.nestjs.WHATSAPP_TRACKER');

/**
 * The module's name: the `name` extra of `forRoot` / `forRootAsync`, or `'default'` without one.
 * Each module's webhook endpoint hands its events only to the handlers bound to that name (and to
 * those bound to none).
 */
export const WHATSAPP_CLIENT_NAME = Symbol.for('kabar.nestjs.WHATSAPP_CLIENT_NAME');

/** The name a `WhatsAppModule` registered without `name` has. */
export const DEFAULT_WHATSAPP_CLIENT = 'default';

/** The context of the module's log lines: `WhatsApp`, or `WhatsApp:kirem` for a named module. */
export function loggerContext(name: string): string {
  return name === DEFAULT_WHATSAPP_CLIENT ? 'WhatsApp' : `WhatsApp:${name}`;
}

/** On a handler class: the name of the module it serves, from `@WhatsAppHandlers({ client })`. */
export const HANDLERS_CLIENT_METADATA = 'kabar:whatsapp:handlers-client';

// Metadata keys that mark the module's classes for `@kabar/nestjs/testing`. Its CommonJS build
// bundles its own copy of them, so it finds them by these keys rather than by class.

/** On `WhatsAppEventDispatcher`: true. */
export const DISPATCHER_METADATA = 'kabar:whatsapp:dispatcher';

/** On each webhook controller class: the path it is mounted at. */
export const WEBHOOK_PATH_METADATA = 'kabar:whatsapp:webhook-path';
