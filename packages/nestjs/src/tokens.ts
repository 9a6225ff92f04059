import { Inject } from '@nestjs/common';

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

// Metadata keys that mark the module's classes for `@kabar/nestjs/testing`. Its CommonJS build
// bundles its own copy of them, so it finds them by these keys rather than by class.

/** On `WhatsAppEventDispatcher`: true. */
export const DISPATCHER_METADATA = 'kabar:whatsapp:dispatcher';

/** On each webhook controller class: the path it is mounted at. */
export const WEBHOOK_PATH_METADATA = 'kabar:whatsapp:webhook-path';

/** Injects the raw `WhatsAppClient` from `@kabar/core`. */
export const InjectWhatsAppClient = (): ParameterDecorator & PropertyDecorator =>
  Inject(WHATSAPP_CLIENT);
