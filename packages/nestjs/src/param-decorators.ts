import { assignMetadata, type PipeTransform, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA, WhatsAppParamtype } from './params-factory.js';

function param(type: number, pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  return (target, key, index) => {
    const owner = target.constructor;
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, owner, key as string) ?? {};
    Reflect.defineMetadata(
      ROUTE_ARGS_METADATA,
      assignMetadata(args, type, index, undefined, ...pipes),
      owner,
      key as string,
    );
  };
}

/**
 * The bot context (`WhatsAppMessageContext`: `reply`, `state`, `match`, ...) of a message
 * handler; undefined in status and other event handlers (`@OnWhatsAppStatus`, `@OnTemplateStatus`,
 * `@OnWhatsAppEvent`). Pipes given here run on it.
 */
export function Ctx(...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  return param(WhatsAppParamtype.CONTEXT, pipes);
}

/**
 * The webhook event: a `MessageEvent` in message handlers, the `StatusEvent` in `@OnWhatsAppStatus`
 * handlers, the `TemplateStatusEvent` in `@OnTemplateStatus` handlers, and so on. Pipes given here
 * run on it.
 */
export function Event(...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  return param(WhatsAppParamtype.EVENT, pipes);
}

/** `@Event()` under the name that reads better in message handlers: the `MessageEvent`. */
export const Message: typeof Event = Event;

/**
 * Who wrote: the sender's phone digits, or their business-scoped user id when the webhook carries
 * no phone (the event's `from`). Undefined in status and other event handlers. Pipes given here run
 * on it.
 */
export function Sender(...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  return param(WhatsAppParamtype.SENDER, pipes);
}

/**
 * The text `@Hears` matches against: a text message's text, or a Waviro keyword call's keyword.
 * Undefined for other messages (buttons, media, ...). Pipes given here run on it:
 * `@Text(new ParseIntPipe()) quantity: number`.
 */
export function Text(...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  return param(WhatsAppParamtype.TEXT, pipes);
}

/**
 * The id of the reply button or list row tapped; undefined for other messages. Pipes given here
 * run on it.
 */
export function ButtonId(...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator {
  return param(WhatsAppParamtype.BUTTON_ID, pipes);
}
