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

/** Injects the raw `WhatsAppClient` from `@kabar/core`. */
export const InjectWhatsAppClient = (): ParameterDecorator & PropertyDecorator =>
  Inject(WHATSAPP_CLIENT);
