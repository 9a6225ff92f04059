import type { DeliveryStatus } from '@kabar/core/webhooks';

/**
 * What a handler decorator matches. For `@Hears`, a string is a keyword found as a whole word in any
 * case (`'harga'` matches "berapa harga?"), and a RegExp is tested against the text, its captures
 * in `context.match`. For `@OnButton` and `@OnListReply`, a string must equal the id, and a RegExp
 * is tested against it.
 */
export type Pattern = string | RegExp;

/** What a decorated method listens to; one method may carry several. */
export type HandlerRoute =
  | { on: 'message' }
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

export function handlerRoutes(method: unknown): HandlerRoute[] {
  return typeof method === 'function' ? (Reflect.getMetadata(HANDLER_ROUTES, method) ?? []) : [];
}
