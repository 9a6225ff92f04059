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
import type { WaviroReplyItem } from '../providers/waviro/webhook-reply.js';
import { contentText } from '../webhooks/content-text.js';
import type { MessageEvent, WebhookEvent } from '../webhooks/events.js';
import { recipientOf } from '../webhooks/recipient.js';
import { type ChatStateStore, memoryChatStateStore } from './chat-state.js';

/** A message to the chat the event came from. */
export type ReplyMessage = Omit<MessageEnvelope, 'to'> & MessageContent;

/**
 * How a handler answers the chat its message came from. Each method sends through the bot's client
 * and resolves with the send's result, or rejects with its `KabarError` (`validation` for a message
 * over WhatsApp's limits, `unsupported_feature` for content the gateway cannot send).
 *
 * In a Waviro keyword call handled with the webhook handler's delivery, nothing is sent: the reply
 * becomes part of the call's answer and resolves with an empty `id`. Only text, a location, and an
 * image, audio or document by link fit there; anything else rejects with `unsupported_feature`.
 */
export interface Replies {
  /** Sends a text (at most 4096 characters). */
  text(body: string): Promise<SendResult>;
  /**
   * Sends `body` with up to three reply buttons (titles of at most 20 characters). A string is
   * both the button's id and its title. The tap arrives as a `button` message for `onButton`.
   */
  buttons(
    body: string,
    buttons: (ReplyButton | string)[],
    extras?: { header?: string; footer?: string },
  ): Promise<SendResult>;
  /**
   * Sends a list: `button` is the label that opens it (at most 20 characters); the sections hold
   * at most 10 rows in all. The pick arrives as a `list` message for `onList`.
   */
  list(
    body: string,
    button: string,
    sections: ListSection[],
    extras?: { header?: string; footer?: string },
  ): Promise<SendResult>;
  /**
   * Sends an approved template by name and language code (`'id'`, `'en_US'`), with `params` as its
   * body's positional parameters. Needed to write first or after the 24-hour service window.
   */
  template(name: string, language: string, params?: TemplateParameter[]): Promise<SendResult>;
  /** Any message to the same chat. */
  send(message: ReplyMessage): Promise<SendResult>;
}

/**
 * The state of the chat being handled, for multi-step flows. It is kept in the bot's
 * `ChatStateStore` under the gateway and the customer's id, so each customer has their own.
 */
export interface ChatState<State> {
  /** The stored state, or `undefined` when none was set, it was cleared, or it expired. */
  get(): Promise<State | undefined>;
  /**
   * Replaces the stored state. `ttlMs`: milliseconds until it is forgotten; without it, the state
   * stays until cleared (or as long as the store keeps it).
   */
  set(state: State, ttlMs?: number): Promise<void>;
  /** Forgets the state, as when a flow ends. */
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

/** What a handler gets for one customer message (`chat` in the examples). */
export interface BotContext<State = unknown, Locals = unknown> {
  /** The message event, with everything the webhook said about it. */
  event: MessageEvent;
  /** The customer: phone digits, or the business-scoped user id when there is no phone. */
  from: string;
  /** The text typed, the title of the button or row tapped, or a media caption. */
  text: string | undefined;
  /** What the matching RegExp captured. */
  match: RegExpExecArray | undefined;
  /** Answers to this chat. */
  reply: Replies;
  /** This chat's state, kept between messages. */
  state: ChatState<State>;
  /** What the caller passed as `locals` to `handle`. */
  locals: Locals | undefined;
}

/**
 * A route's handler. It may return a promise, which `handle` waits for. If it throws or rejects,
 * `handle` rejects with that error and the rest of the events passed to that call are not handled.
 */
export type BotHandler<State = unknown, Locals = unknown> = (
  context: BotContext<State, Locals>,
) => unknown;

/**
 * What a route matches. For `hears`, a string is a keyword found as a whole word in any case
 * (`'harga'` matches "berapa harga?"), and a RegExp is tested against the text, its captures
 * becoming `chat.match`. For `onButton` and `onList`, a string must equal the id, and a RegExp is
 * tested against it.
 */
export type Pattern = string | RegExp;

interface Route<State, Locals> {
  accepts(event: MessageEvent): RegExpExecArray | true | undefined;
  handler: BotHandler<State, Locals>;
}

/** What `createBot` takes. */
export interface BotOptions {
  /** Replies go out through this client. */
  client: WhatsAppClient;
  /**
   * Where per-chat state lives. Default: `memoryChatStateStore()`, which one process keeps and a
   * restart loses.
   */
  store?: ChatStateStore;
  /** Passed to every reply (an AbortSignal for shutdown, say). */
  callOptions?: CallOptions;
}

/**
 * A router for customer messages, made by `createBot`. Each route method adds a route and returns
 * the bot, so calls chain. `State` is the type of the per-chat state, `Locals` of what `handle`
 * passes on as `chat.locals`.
 */
export interface Bot<State = unknown, Locals = unknown> {
  /**
   * Text messages (and Waviro keyword calls) matching a keyword (a whole word, any case) or a
   * RegExp; with several patterns, any of them.
   */
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

/**
 * A keyword and button router for WhatsApp chatbots, framework-agnostic: feed it the events of
 * `parseWebhook` or the webhook handler's `onEvents`, and its handlers answer through `client`.
 * Throws `invalid_config` when `client` is not a client from `createClient()`.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { createBot } from '@kabar/core/bot';
 * import { kirem } from '@kabar/core/kirem';
 * import { createWebhookHandler } from '@kabar/core/webhooks';
 *
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 * });
 *
 * const bot = createBot<{ step: 'ask_order' }>({ client: wa })
 *   .hears(['halo', 'hai'], (chat) => chat.reply.text('Halo! Ketik *Lacak* atau *Bantuan*.'))
 *   .hears('lacak', async (chat) => {
 *     await chat.state.set({ step: 'ask_order' }, 10 * 60_000); // forgotten after 10 minutes
 *     return chat.reply.text('Nomor pesanan Anda?');
 *   })
 *   .hears(/^order (\d+)$/i, (chat) => chat.reply.text(`Pesanan ${chat.match?.[1]} sedang dikirim.`))
 *   .hears('bantuan', (chat) =>
 *     chat.reply.buttons('Pilih:', [{ id: 'cs', title: 'Bicara dengan CS' }]),
 *   )
 *   .onButton('cs', (chat) => chat.reply.text('CS kami segera menghubungi Anda.'))
 *   .fallback(async (chat) => {
 *     if ((await chat.state.get())?.step === 'ask_order') {
 *       await chat.state.clear();
 *       return chat.reply.text(`Pesanan ${chat.text} sedang kami cek.`);
 *     }
 *     return chat.reply.text('Maaf, saya belum mengerti.');
 *   });
 *
 * const webhook = createWebhookHandler({
 *   provider: 'kirem',
 *   secret: process.env.KIREM_WEBHOOK_SECRET!,
 *   onEvents: (events, delivery) => bot.handle(events, delivery),
 * });
 * ```
 */
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
    const to = recipientOf(event.sender, event.from);
    const answerInResponse = event.content.type === 'keyword' && call?.replies;
    const send = answerInResponse
      ? async (message: ReplyMessage): Promise<SendResult> => {
          const item = waviroItem(message);
          answerInResponse.push(item);
          // Nothing is sent now: Waviro sends the call's answer itself, so there is no message id.
          return { id: '', to: event.from, provider: 'waviro', raw: item };
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
