import type { CallOptions, WhatsAppClient } from '../client.js';
import { invalidConfig, UnsupportedFeatureError } from '../errors.js';
import type {
  ListSection,
  MessageContent,
  MessageEnvelope,
  OutgoingMessage,
  ReplyButton,
  SendResult,
  TemplateParameter,
} from '../message.js';
import { contentText } from '../webhooks/content-text.js';
import type { MessageEvent, WebhookEvent } from '../webhooks/events.js';
import type { WaviroReplyItem } from '../webhooks/waviro-reply.js';
import { type ChatStateStore, memoryChatStateStore } from './chat-state.js';

/** A message to the chat the event came from. */
export type ReplyMessage = Omit<MessageEnvelope, 'to'> & MessageContent;

export interface Replies {
  text(body: string): Promise<SendResult>;
  buttons(
    body: string,
    buttons: (ReplyButton | string)[],
    extras?: { header?: string; footer?: string },
  ): Promise<SendResult>;
  list(
    body: string,
    button: string,
    sections: ListSection[],
    extras?: { header?: string; footer?: string },
  ): Promise<SendResult>;
  template(name: string, language: string, params?: TemplateParameter[]): Promise<SendResult>;
  /** Any message to the same chat. */
  send(message: ReplyMessage): Promise<SendResult>;
}

export interface ChatState<State> {
  get(): Promise<State | undefined>;
  set(state: State, ttlMs?: number): Promise<void>;
  clear(): Promise<void>;
}

/**
 * What one `handle` call carries besides its events: the webhook handler's delivery (`onEvents`'
 * second argument) fits as it is.
 */
export interface BotCall<Locals = unknown> {
  /**
   * Waviro keyword calls: replies are added here (the call's answer) instead of being sent, as
   * Waviro expects. The webhook handler provides it.
   */
  replies?: WaviroReplyItem[];
  /** Anything handlers of this call need (a request scope, a trace id); `context.locals`. */
  locals?: Locals;
}

export interface BotContext<State = unknown, Locals = unknown> {
  event: MessageEvent;
  /** The customer: phone digits, or the business-scoped user id when there is no phone. */
  from: string;
  /** The text typed, the title of the button or row tapped, or a media caption. */
  text: string | undefined;
  /** What the matching RegExp captured. */
  match: RegExpExecArray | undefined;
  reply: Replies;
  state: ChatState<State>;
  /** What the caller passed as `locals` to `handle`. */
  locals: Locals | undefined;
}

export type BotHandler<State = unknown, Locals = unknown> = (
  context: BotContext<State, Locals>,
) => unknown;

type Pattern = string | RegExp;

interface Route<State, Locals> {
  accepts(event: MessageEvent): RegExpExecArray | true | undefined;
  handler: BotHandler<State, Locals>;
}

export interface BotOptions {
  /** Replies go out through this client. */
  client: WhatsAppClient;
  /** Default: in memory. */
  store?: ChatStateStore;
  /** Passed to every reply (an AbortSignal for shutdown, say). */
  callOptions?: CallOptions;
}

export interface Bot<State = unknown, Locals = unknown> {
  /** Text messages matching a keyword (a whole word, any case) or a RegExp. */
  hears(pattern: Pattern | Pattern[], handler: BotHandler<State, Locals>): Bot<State, Locals>;
  /** Taps on a reply button (or a template's quick reply) with this id. */
  onButton(id: Pattern, handler: BotHandler<State, Locals>): Bot<State, Locals>;
  /** Picks of a list row with this id. */
  onList(id: Pattern, handler: BotHandler<State, Locals>): Bot<State, Locals>;
  /** Images, videos, audio, documents and stickers. */
  onMedia(handler: BotHandler<State, Locals>): Bot<State, Locals>;
  /** Any message no other route took. */
  fallback(handler: BotHandler<State, Locals>): Bot<State, Locals>;
  /**
   * Routes each customer message to the first route that accepts it (in the order they were
   * added; the fallback last). Other events (statuses, echoes of the business's own messages,
   * template updates) are ignored. Resolves with how many events were handled.
   */
  handle(events: WebhookEvent | WebhookEvent[], call?: BotCall<Locals>): Promise<number>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A keyword matches as a whole word, the way people type it into a sentence: "berapa harga?".
function keywordPattern(pattern: Pattern): RegExp {
  if (pattern instanceof RegExp) return pattern;
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(pattern.trim())}($|[^\\p{L}\\p{N}])`, 'iu');
}

function idMatches(pattern: Pattern, id: string): RegExpExecArray | true | undefined {
  if (typeof pattern === 'string') return pattern === id ? true : undefined;
  return pattern.exec(id) ?? undefined;
}

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** A reply as Waviro's keyword answer can carry it: text, a location, or media by URL. */
function waviroItem(message: ReplyMessage): WaviroReplyItem {
  const content = message as MessageContent;
  if ('text' in content && typeof content.text === 'string') {
    return { type: 'message', content: content.text };
  }
  if ('location' in content && content.location) {
    return {
      type: 'location',
      latitude: content.location.latitude,
      longitude: content.location.longitude,
    };
  }
  for (const type of ['image', 'audio', 'document'] as const) {
    const media = (content as Record<string, unknown>)[type] as { link?: unknown } | undefined;
    if (media && typeof media.link === 'string') return { type, url: media.link };
  }
  throw new UnsupportedFeatureError(
    'waviro',
    'a keyword reply other than text, a location, or an image, audio or document by link',
  );
}

/** A keyword and button router for WhatsApp chatbots, framework-agnostic. */
export function createBot<State = unknown, Locals = unknown>(
  options: BotOptions,
): Bot<State, Locals> {
  if (!options?.client || typeof options.client.send !== 'function') {
    throw invalidConfig('bot', 'client', 'must be a client from createClient()');
  }
  const { client, callOptions } = options;
  const store = options.store ?? memoryChatStateStore();
  const routes: Route<State, Locals>[] = [];
  let fallbackHandler: BotHandler<State, Locals> | undefined;

  function replies(event: MessageEvent, call: BotCall<Locals> | undefined): Replies {
    const to = event.from;
    const answerInResponse = event.content.type === 'keyword' && call?.replies;
    const send = answerInResponse
      ? async (message: ReplyMessage): Promise<SendResult> => {
          const item = waviroItem(message);
          answerInResponse.push(item);
          // Nothing is sent now: Waviro sends the call's answer itself, so there is no message id.
          return { id: '', to, provider: 'waviro', raw: item };
        }
      : (message: ReplyMessage) => client.send({ ...message, to } as OutgoingMessage, callOptions);
    return {
      send,
      text: (body) => send({ text: body }),
      buttons: (body, buttons, extras = {}) =>
        send({
          interactive: {
            type: 'buttons',
            body,
            ...extras,
            buttons: buttons.map((b) => (typeof b === 'string' ? { id: b, title: b } : b)),
          },
        }),
      list: (body, button, sections, extras = {}) =>
        send({ interactive: { type: 'list', body, button, sections, ...extras } }),
      template: (name, language, params) => send({ template: { name, language, params } }),
    };
  }

  function chatState(chatId: string): ChatState<State> {
    return {
      get: async () => (await store.get(chatId)) as State | undefined,
      set: (state, ttlMs) => store.set(chatId, state, ttlMs),
      clear: () => store.delete(chatId),
    };
  }

  async function handleOne(
    event: MessageEvent,
    call: BotCall<Locals> | undefined,
  ): Promise<boolean> {
    for (const route of routes) {
      const accepted = route.accepts(event);
      if (accepted === undefined) continue;
      await route.handler(context(event, accepted === true ? undefined : accepted, call));
      return true;
    }
    if (!fallbackHandler) return false;
    await fallbackHandler(context(event, undefined, call));
    return true;
  }

  function context(
    event: MessageEvent,
    match: RegExpExecArray | undefined,
    call: BotCall<Locals> | undefined,
  ): BotContext<State, Locals> {
    return {
      event,
      from: event.from,
      text: contentText(event.content),
      match,
      reply: replies(event, call),
      state: chatState(`${event.provider}:${event.from}`),
      locals: call?.locals,
    };
  }

  const bot: Bot<State, Locals> = {
    hears(pattern, handler) {
      const patterns = (Array.isArray(pattern) ? pattern : [pattern]).map(keywordPattern);
      routes.push({
        accepts(event) {
          const { content } = event;
          const text =
            content.type === 'text'
              ? content.text
              : content.type === 'keyword'
                ? content.keyword
                : undefined;
          if (text === undefined) return undefined;
          for (const regex of patterns) {
            regex.lastIndex = 0;
            const match = regex.exec(text);
            if (match) return match;
          }
          return undefined;
        },
        handler,
      });
      return bot;
    },
    onButton(id, handler) {
      routes.push({
        accepts: (event) =>
          event.content.type === 'button' ? idMatches(id, event.content.id) : undefined,
        handler,
      });
      return bot;
    },
    onList(id, handler) {
      routes.push({
        accepts: (event) =>
          event.content.type === 'list' ? idMatches(id, event.content.id) : undefined,
        handler,
      });
      return bot;
    },
    onMedia(handler) {
      routes.push({
        accepts: (event) => (MEDIA.has(event.content.type) ? true : undefined),
        handler,
      });
      return bot;
    },
    fallback(handler) {
      fallbackHandler = handler;
      return bot;
    },
    async handle(events, call) {
      let handled = 0;
      for (const event of Array.isArray(events) ? events : [events]) {
        if (event.kind === 'message' && (await handleOne(event, call))) handled += 1;
      }
      return handled;
    },
  };
  return bot;
}
