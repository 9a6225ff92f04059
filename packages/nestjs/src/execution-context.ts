import type { BotContext } from '@kabar/core/bot';
import type { MessageEvent, WebhookEvent } from '@kabar/core/webhooks';
import type { ArgumentsHost } from '@nestjs/common';

/** What a message handler receives: the event, the text, RegExp captures, reply helpers, chat state. */
export type WhatsAppMessageContext<State = unknown> = BotContext<State>;

/** `getType()` of a WhatsApp handler's execution context, as Nest's own are 'http', 'rpc', 'ws'. */
export const WHATSAPP_CONTEXT_TYPE = 'whatsapp';

/**
 * What `getWhatsAppContext` finds: the webhook event, for message handlers the bot context, and
 * which module's webhook brought it. Status and other event handlers (`@OnWhatsAppStatus`,
 * `@OnTemplateStatus`, `@OnWhatsAppEvent`) have no context.
 */
export type WhatsAppHandlerArguments = (
  | { event: MessageEvent; context: WhatsAppMessageContext }
  | { event: Exclude<WebhookEvent, MessageEvent>; context: undefined }
) & {
  /** The name of the `WhatsAppModule` whose webhook brought the event (`'default'` without one). */
  client: string;
};

// Nest passes these arguments to a handler without parameter decorators as they are, so the first
// is what handlers received before the pipeline existed: the bot context, or the event.
export function messageArgs(context: WhatsAppMessageContext, client: string): unknown[] {
  return [context, context.event, client];
}

export function eventArgs(event: Exclude<WebhookEvent, MessageEvent>, client: string): unknown[] {
  return [event, event, client];
}

export function argumentsOf(args: readonly unknown[]): WhatsAppHandlerArguments {
  const event = args[1] as WebhookEvent;
  const client = args[2] as string;
  return event.kind === 'message'
    ? { event, context: args[0] as WhatsAppMessageContext, client }
    : { event, context: undefined, client };
}

/**
 * The webhook event and, for message handlers, the bot context (`WhatsAppMessageContext`, with
 * `reply`), from the `ExecutionContext` or `ArgumentsHost` that guards, interceptors, exception
 * filters and `createParamDecorator` factories get while a WhatsApp handler runs. Throws a
 * `TypeError` for any other context: an enhancer that also serves HTTP routes checks
 * `host.getType() === 'whatsapp'` first.
 *
 * @example
 * ```ts
 * import { getWhatsAppContext } from '@kabar/nestjs';
 * import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
 *
 * @Injectable()
 * export class BlockList implements CanActivate {
 *   private readonly blocked = new Set(['6281111111111']);
 *
 *   canActivate(context: ExecutionContext): boolean {
 *     if (context.getType<'whatsapp'>() !== 'whatsapp') return true;
 *     const { event } = getWhatsAppContext(context);
 *     return event.kind !== 'message' || !this.blocked.has(event.from);
 *   }
 * }
 * ```
 */
export function getWhatsAppContext(host: ArgumentsHost): WhatsAppHandlerArguments {
  const type = host.getType<string>();
  if (type !== WHATSAPP_CONTEXT_TYPE) {
    throw new TypeError(
      `getWhatsAppContext: this is a '${type}' context, not a WhatsApp handler's ('whatsapp')`,
    );
  }
  return argumentsOf(host.getArgs());
}

/**
 * The host exception filters get. Nest builds its own for guards and interceptors, but does not
 * export that class from @nestjs/core, and the filters run outside its pipeline (see pipeline.ts).
 */
export class WhatsAppFilterHost implements ArgumentsHost {
  constructor(private readonly args: unknown[]) {}

  getType<T extends string>(): T {
    return WHATSAPP_CONTEXT_TYPE as T;
  }

  getArgs<T extends unknown[]>(): T {
    return this.args as T;
  }

  getArgByIndex<T>(index: number): T {
    return this.args[index] as T;
  }

  switchToRpc() {
    return {
      getData: <T>() => this.args[0] as T,
      getContext: <T>() => this.args[1] as T,
    };
  }

  switchToHttp() {
    return {
      getRequest: <T>() => this.args[0] as T,
      getResponse: <T>() => this.args[1] as T,
      getNext: <T>() => this.args[2] as T,
    };
  }

  switchToWs() {
    return {
      getClient: <T>() => this.args[0] as T,
      getData: <T>() => this.args[1] as T,
      getPattern: () => this.args[this.args.length - 1] as string,
    };
  }
}
