import type {
  DeliveryStatus,
  InboundContent,
  WebhookEvent,
  WebhookEventKind,
} from '@kabar/core/webhooks';
import { Injectable } from '@nestjs/common';
import { HANDLERS_CLIENT_METADATA } from './tokens.js';

/**
 * What a handler decorator matches. For `@Hears`, a string is a keyword found as a whole word in any
 * case (`'harga'` matches "berapa harga?"), and a RegExp is tested against the text, its captures
 * in `context.match`. For `@OnButton` and `@OnListReply`, a string must equal the id, and a RegExp
 * is tested against it.
 */
export type Pattern = string | RegExp;

/**
 * What a customer's message can hold, `InboundContent['type']` of `@kabar/core/webhooks`: `'text'`,
 * `'image'`, `'location'`, `'order'`, `'reaction'`, `'flow'` (a completed WhatsApp Flow), ...
 */
export type WhatsAppMessageKind = InboundContent['type'];

/**
 * The webhook events that are not customer messages, `WebhookEventKind` of `@kabar/core/webhooks`
 * without `'message'`: `'status'`, `'template_status'`, `'template_quality'`, `'call'`, ...
 */
export type WhatsAppEventKind = Exclude<WebhookEventKind, 'message'>;

/** What a decorated method listens to; one method may carry several. */
export type HandlerRoute =
  | { on: 'message' }
  | { on: 'content'; kinds: WhatsAppMessageKind[] }
  | { on: 'event'; kinds: WhatsAppEventKind[]; accepts?: (event: WebhookEvent) => boolean }
  | { on: 'hears'; patterns: Pattern[] }
  | { on: 'button'; id: Pattern }
  | { on: 'list'; id: Pattern }
  | { on: 'status'; statuses: DeliveryStatus[] | undefined };

export const HANDLER_ROUTES = Symbol.for('kabar.nestjs.handlerRoutes');

function route(entry: HandlerRoute): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const routes: HandlerRoute[] = Reflect.getMetadata(HANDLER_ROUTES, method) ?? [];
    // Decorators apply bottom-up; unshift keeps them in the order they are written.
    Reflect.defineMetadata(HANDLER_ROUTES, [entry, ...routes], method);
    return descriptor;
  };
}

/**
 * Every incoming message. The method gets a `WhatsAppMessageContext`, or what its parameter
 * decorators (`@Ctx()`, `@Text()`, ...) ask for; what it returns is sent as the reply.
 */
export const OnWhatsAppMessage = (): MethodDecorator => route({ on: 'message' });

/**
 * Text messages matching a keyword (a whole word, any case: 'harga' matches "berapa harga?") or
 * a RegExp (its captures are in `context.match`).
 */
export const Hears = (pattern: Pattern | Pattern[]): MethodDecorator =>
  route({ on: 'hears', patterns: Array.isArray(pattern) ? pattern : [pattern] });

/** Taps on a reply button (or a template's quick reply) with this id. */
export const OnButton = (id: Pattern): MethodDecorator => route({ on: 'button', id });

/** Picks of a list row with this id. */
export const OnListReply = (id: Pattern): MethodDecorator => route({ on: 'list', id });

/**
 * Delivery updates for messages you sent, all or only these statuses. The method gets the
 * `StatusEvent` (or what its parameter decorators ask for); what it returns is ignored.
 */
export const OnWhatsAppStatus = (status?: DeliveryStatus | DeliveryStatus[]): MethodDecorator =>
  route({
    on: 'status',
    statuses: status === undefined ? undefined : Array.isArray(status) ? status : [status],
  });

/**
 * Customer messages holding this kind of content, or any of these kinds: `@On('image')`,
 * `@On(['location', 'order'])`, `@On('flow')` for a completed WhatsApp Flow. An unknown kind does
 * not compile. The method gets a `WhatsAppMessageContext` (or what its parameter decorators ask
 * for); what it returns is sent as the reply, as with `@Hears`.
 */
export const On = (kind: WhatsAppMessageKind | WhatsAppMessageKind[]): MethodDecorator =>
  route({ on: 'content', kinds: Array.isArray(kind) ? kind : [kind] });

/**
 * Webhook events other than customer messages, of this kind or any of these kinds:
 * `@OnWhatsAppEvent('template_quality')`, `@OnWhatsAppEvent(['call', 'account_update'])`. The
 * method gets the event (`@Event()`), not a bot context; what it returns is ignored. Not named
 * `OnEvent`, which is `@nestjs/event-emitter`'s.
 */
export const OnWhatsAppEvent = (kind: WhatsAppEventKind | WhatsAppEventKind[]): MethodDecorator =>
  route({ on: 'event', kinds: Array.isArray(kind) ? kind : [kind] });

/**
 * A template was approved, rejected, paused, ... (`TemplateStatusEvent`), any or only these of its
 * `event`s (`'APPROVED'`, `'REJECTED'`, `'PAUSED'`, ...). The method gets the event; what it
 * returns is ignored.
 */
export const OnTemplateStatus = (event?: string | string[]): MethodDecorator => {
  const events = event === undefined ? undefined : Array.isArray(event) ? event : [event];
  return route({
    on: 'event',
    kinds: ['template_status'],
    accepts: events
      ? (update) => update.kind === 'template_status' && events.includes(update.event)
      : undefined,
  });
};

/** What `@WhatsAppHandlers` takes. */
export interface WhatsAppHandlersOptions {
  /**
   * Binds the class's handlers to the `WhatsAppModule` registered with this `name`: they run for
   * the events of its webhook only, and reply through its client. Without it they run for every
   * module's events, each time replying through the module the message came to. A name that no
   * module has stops the app at start (`invalid_config`).
   */
  client?: string;
}

/**
 * Marks a class whose methods handle WhatsApp events, as nestjs-telegraf's `@Update()` does; it is
 * `@Injectable()` too, so it takes that decorator's place. Handlers are found without it (every
 * provider and controller is scanned, or those of the modules in the `include` option): it tells
 * readers where the handlers are, binds them to one gateway with `{ client: name }`, and the class
 * still has to be a provider of a module.
 */
export const WhatsAppHandlers =
  (options: WhatsAppHandlersOptions = {}): ClassDecorator =>
  (target) => {
    if (options.client !== undefined) {
      Reflect.defineMetadata(HANDLERS_CLIENT_METADATA, options.client, target);
    }
    Injectable()(target);
  };

export function handlerRoutes(method: unknown): HandlerRoute[] {
  return typeof method === 'function' ? (Reflect.getMetadata(HANDLER_ROUTES, method) ?? []) : [];
}
