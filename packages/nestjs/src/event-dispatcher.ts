import type { WhatsAppClient } from '@kabar/core';
import { type Bot, type BotContext, createBot, memoryChatStateStore } from '@kabar/core/bot';
import type { WebhookDelivery, WebhookEvent } from '@kabar/core/webhooks';
import {
  type BeforeApplicationShutdown,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  SetMetadata,
} from '@nestjs/common';
import {
  type ContextId,
  ContextIdFactory,
  DiscoveryService,
  ExternalContextCreator,
  MetadataScanner,
  ModuleRef,
} from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { type HandlerRoute, handlerRoutes } from './decorators.js';
import { eventArgs, messageArgs } from './execution-context.js';
import { checkWhatsAppModules } from './module-check.js';
import type { WhatsAppModuleOptions } from './options.js';
import { createPipeline } from './pipeline.js';
import { sendReturned } from './reply.js';
import {
  DISPATCHER_METADATA,
  HANDLERS_CLIENT_METADATA,
  loggerContext,
  WHATSAPP_CLIENT,
  WHATSAPP_CLIENT_NAME,
  WHATSAPP_MODULE_OPTIONS,
} from './tokens.js';

interface Handler {
  name: string;
  /** Runs the method if its route takes the event; resolves true when it ran. */
  run(
    event: WebhookEvent,
    scope: EventScope,
    delivery: WebhookDelivery | undefined,
  ): Promise<boolean>;
}

/** One event's request scope, made only if a request-scoped handler needs it. */
interface EventScope {
  contextId(): ContextId;
}

/**
 * Finds the methods decorated with `@OnWhatsAppMessage`, `@Hears`, `@OnButton`, `@OnListReply`,
 * `@On`, `@OnWhatsAppStatus`, `@OnTemplateStatus` and `@OnWhatsAppEvent` in every provider and
 * controller (only those of the modules in the `include` option, when given), and runs them for
 * each webhook event through Nest's pipeline (guards, interceptors, pipes, exception filters;
 * context type `'whatsapp'`). What a message handler returns is sent as its reply. Each
 * `WhatsAppModule` has its own: it skips the classes `@WhatsAppHandlers({ client })` binds to
 * another module's name.
 */
@Injectable()
@SetMetadata(DISPATCHER_METADATA, true)
export class WhatsAppEventDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly handlers: Handler[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(WHATSAPP_CLIENT) private readonly client: WhatsAppClient,
    @Inject(WHATSAPP_MODULE_OPTIONS) private readonly options: WhatsAppModuleOptions,
    @Inject(ExternalContextCreator) private readonly contextCreator: ExternalContextCreator,
    /** The name of the module whose events this dispatcher runs (`'default'` without one). */
    @Inject(WHATSAPP_CLIENT_NAME) readonly clientName: string,
  ) {
    this.logger = new Logger(loggerContext(clientName));
  }

  /**
   * Collects the decorated methods once every module is initialised; Nest calls it. Throws
   * `invalid_config` when the app's WhatsApp modules clash (see `checkWhatsAppModules`).
   */
  onApplicationBootstrap(): void {
    checkWhatsAppModules(this.discovery, (dispatcher) => (dispatcher as this).clientName);
    const store = this.options.chatState ?? memoryChatStateStore();
    const { include } = this.options;
    // Not `{ include: undefined }`: Nest reads any `include` key as a list, and throws on that.
    const scanned = include ? { include } : {};
    const wrappers = [
      ...this.discovery.getProviders(scanned),
      ...this.discovery.getControllers(scanned),
    ];
    for (const wrapper of wrappers) {
      if (!wrapper.instance || wrapper.isAlias || !wrapper.metatype) continue;
      const boundTo: unknown = Reflect.getMetadata(HANDLERS_CLIENT_METADATA, wrapper.metatype);
      if (boundTo !== undefined && boundTo !== this.clientName) continue;
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        for (const route of handlerRoutes(prototype[methodName])) {
          this.handlers.push(this.handlerFor(wrapper, methodName, route, store));
        }
      }
    }
  }

  /** Names of the discovered handlers, `Class.method`, in discovery order. */
  get handlerNames(): string[] {
    return this.handlers.map((handler) => handler.name);
  }

  /**
   * Runs every matching handler for each event, in event order. Never rejects: a handler's error
   * that no exception filter caught is logged and the other handlers still run; a guard's refusal
   * is not an error. For a Waviro keyword call, pass the webhook handler's `delivery`: replies then
   * go into `delivery.replies`, the call's answer.
   */
  dispatch(events: WebhookEvent[], delivery?: WebhookDelivery): Promise<void> {
    return this.track(this.dispatchAll(events, delivery));
  }

  /**
   * Holds the app's shutdown until `work` settles. The webhook endpoint passes each delivery's
   * `done`, which covers the moment between the answer and the handlers' start.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Resolves once the work under way now has settled: the handlers of every webhook already
   * answered, and every `dispatch` already started. Work that starts later is not waited for, so a
   * steady stream of webhooks cannot keep it pending. Never rejects.
   */
  async idle(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }

  /** Lets handlers already running finish before the app closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.idle();
  }

  private async dispatchAll(
    events: WebhookEvent[],
    delivery: WebhookDelivery | undefined,
  ): Promise<void> {
    for (const event of events) {
      let contextId: ContextId | undefined;
      const scope: EventScope = {
        contextId: () => {
          if (!contextId) {
            contextId = ContextIdFactory.create();
            // Request-scoped handlers can inject REQUEST and get the event.
            this.moduleRef.registerRequestByContextId(event, contextId);
          }
          return contextId;
        },
      };
      await Promise.all(
        this.handlers.map((handler) =>
          handler.run(event, scope, delivery).catch((error: unknown) => {
            // What a guard returning false becomes: the handler was not meant to run.
            if (error instanceof ForbiddenException) {
              this.logger.debug(`${handler.name} skipped a ${event.kind} event: ${error.message}`);
              return;
            }
            const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
            this.logger.error(`${handler.name} failed on a ${event.kind} event: ${reason}`);
          }),
        ),
      );
    }
  }

  private handlerFor(
    wrapper: InstanceWrapper,
    methodName: string,
    route: HandlerRoute,
    store: ReturnType<typeof memoryChatStateStore>,
  ): Handler {
    const name = `${wrapper.metatype?.name ?? String(wrapper.token)}.${methodName}`;
    const { clientName } = this;
    const requestScoped = !wrapper.isDependencyTreeStatic();
    const target = {
      methodName,
      moduleKey: wrapper.host?.token ?? '',
      inquirerId: wrapper.id,
    };
    const staticPipeline = requestScoped
      ? undefined
      : createPipeline(this.contextCreator, { ...target, instance: wrapper.instance as object });
    const call = async (scope: EventScope, args: unknown[]) => {
      if (staticPipeline) return staticPipeline(args);
      const contextId = scope.contextId();
      const instance = await this.moduleRef.resolve(wrapper.token, contextId, { strict: false });
      return createPipeline(this.contextCreator, { ...target, instance, contextId })(args);
    };

    if (route.on === 'status') {
      return {
        name,
        async run(event, scope) {
          if (event.kind !== 'status') return false;
          if (route.statuses && !route.statuses.includes(event.status)) return false;
          await call(scope, eventArgs(event, clientName));
          return true;
        },
      };
    }
    if (route.on === 'event') {
      return {
        name,
        async run(event, scope) {
          if (event.kind === 'message' || !route.kinds.includes(event.kind)) return false;
          if (route.accepts && !route.accepts(event)) return false;
          await call(scope, eventArgs(event, clientName));
          return true;
        },
      };
    }

    // The core bot router does the matching and builds the reply helpers; one bot per route. The
    // event's scope travels with the call as `context.locals`.
    const bot: Bot<unknown, EventScope> = createBot({ client: this.client, store });
    const handle = async (context: BotContext<unknown, EventScope>) =>
      sendReturned(
        context,
        await call(context.locals as EventScope, messageArgs(context, clientName)),
      );
    if (route.on === 'hears') bot.hears(route.patterns, handle);
    else if (route.on === 'button') bot.onButton(route.id, handle);
    else if (route.on === 'list') bot.onList(route.id, handle);
    // `@On` and `@OnWhatsAppMessage`: the kind is checked below, as the bot has no route for it.
    else bot.fallback(handle);
    const kinds = route.on === 'content' ? route.kinds : undefined;
    return {
      name,
      async run(event, scope, delivery) {
        if (event.kind !== 'message') return false;
        if (kinds && !kinds.includes(event.content.type)) return false;
        return (await bot.handle(event, { locals: scope, replies: delivery?.replies })) > 0;
      },
    };
  }
}
