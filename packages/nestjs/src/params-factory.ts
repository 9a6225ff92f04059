import type { InboundContent } from '@kabar/core/webhooks';
import { argumentsOf } from './execution-context.js';

/**
 * Where Nest's own parameter decorators keep their metadata (`ROUTE_ARGS_METADATA`, exported only
 * from @nestjs/common's internals). Sharing it lets Nest's scanner create the pipe classes given
 * to ours, and makes `createParamDecorator` decorators work on handlers, as in microservices.
 */
export const ROUTE_ARGS_METADATA = '__routeArguments__';

/** What each parameter decorator asks for; the numbers are its metadata's keys. */
export const WhatsAppParamtype = {
  CONTEXT: 0,
  EVENT: 1,
  SENDER: 2,
  TEXT: 3,
  BUTTON_ID: 4,
} as const;

// What @Hears matches against: typed text, and Waviro's keyword calls.
function textOf(content: InboundContent): string | undefined {
  if (content.type === 'text') return content.text;
  return content.type === 'keyword' ? content.keyword : undefined;
}

/** Nest's `ParamsFactory` for the WhatsApp parameter decorators, over a handler's arguments. */
export const whatsAppParamsFactory = {
  exchangeKeyForValue(type: number, _data: unknown, args: unknown[]): unknown {
    const { event, context } = argumentsOf(args);
    if (type === WhatsAppParamtype.CONTEXT) return context;
    if (type === WhatsAppParamtype.EVENT) return event;
    if (event.kind !== 'message') return undefined;
    const { content } = event;
    if (type === WhatsAppParamtype.SENDER) return event.from;
    if (type === WhatsAppParamtype.TEXT) return textOf(content);
    if (type === WhatsAppParamtype.BUTTON_ID) {
      return content.type === 'button' || content.type === 'list' ? content.id : undefined;
    }
    return undefined;
  },
};
