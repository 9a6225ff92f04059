import type { AddressInfo } from 'node:net';
import type { Provider } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { kirimy } from '@kabar/core/kirimy';
import { meta } from '@kabar/core/meta';
import { qirim } from '@kabar/core/qirim';
import { waviro } from '@kabar/core/waviro';
import {
  createSandbox,
  type InboundInput,
  type RunningSandbox,
  type SandboxControl,
  type SandboxMessage,
  type SandboxOptions,
  type WebhookDelivery,
} from '@kabar/sandbox';
import type {
  INestApplication,
  ModuleMetadata,
  NestApplicationOptions,
  Type,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Test, type TestingModule, type TestingModuleBuilder } from '@nestjs/testing';
import type { WhatsAppEventDispatcher } from './event-dispatcher.js';
import { moduleClientOf } from './module-client.js';
import type { WhatsAppModuleOptions } from './options.js';
import {
  DEFAULT_WHATSAPP_CLIENT,
  DISPATCHER_METADATA,
  WEBHOOK_PATH_METADATA,
  WHATSAPP_CLIENT,
  WHATSAPP_MODULE_OPTIONS,
} from './tokens.js';

/** How `createWhatsAppTestingApp` builds the app and its sandbox. */
export interface WhatsAppTestingOptions {
  /**
   * The sandbox: options for a new one, started here and closed by `close()` (default: a new one
   * on a free port), or one you already run (`useSandbox()` from `@kabar/sandbox/vitest`), which
   * is left running for you to reset and close.
   */
  sandbox?: SandboxOptions | SandboxControl;
  /**
   * Given to `createNestApplication`. Default `{ rawBody: true, logger: ['error', 'warn'] }`;
   * `rawBody` stays true unless you set it, because the webhook's signature needs it.
   */
  app?: NestApplicationOptions;
  /**
   * Runs before the app listens: repeat what your `main.ts` does to the app here
   * (`useBodyParser`, `useGlobalPipes`, `setGlobalPrefix`, ...).
   */
  configure?: (app: INestApplication) => void | Promise<void>;
  /**
   * Where the webhook endpoint answers, from the server's root. Default: the module's
   * `webhookPath`; set this when a global prefix or versioning moves it. A string is for the app's
   * only `WhatsAppModule` (or its unnamed one); with several, key the paths by module `name`.
   */
  webhookPath?: string | Record<string, string>;
}

/** What the app sent a customer while it handled one of their messages. */
export interface WhatsAppTestReply {
  /**
   * The first message's text, as the sandbox summarises it (the text, a caption, an interactive
   * message's body, a template's rendered body, ...); undefined when the app sent nothing.
   */
  readonly text: string | undefined;
  /** Every message's text, in the order they were sent. */
  readonly texts: string[];
  /** The messages themselves, oldest first: `payload` holds the request as the gateway got it. */
  readonly messages: SandboxMessage[];
  /** The webhook POST that carried the customer's message to the app, with the app's answer. */
  readonly delivery: WebhookDelivery;
}

/** The content of a message a customer sends: one of `InboundInput`'s content fields. */
export type WhatsAppTestMessage = Omit<InboundInput, 'provider' | 'from' | 'userId' | 'username'>;

/** One customer, writing to the app through the sandbox. */
export interface WhatsAppTestCustomer {
  /** Their number, digits only. */
  readonly phone: string;
  /**
   * Sends a text (or any message: `{ location }`, `{ image }`, `{ list: { id, title } }`, ...)
   * as a signed webhook to the app's endpoint, waits until the app's handlers have finished with
   * it, and resolves with what the app sent this customer meanwhile. Rejects when the endpoint
   * does not answer 2xx (a wrong secret, `rawBody` missing), with its answer in the message.
   */
  send(message: string | WhatsAppTestMessage): Promise<WhatsAppTestReply>;
  /** Taps a reply button, as `send({ button: { id, title } })`; the title defaults to the id. */
  tap(id: string, title?: string): Promise<WhatsAppTestReply>;
}

/** A Nest app under test, its WhatsApp client and webhook wired to a sandbox. */
export interface WhatsAppTestingApp {
  /** The app, listening on a free port of 127.0.0.1. */
  readonly app: INestApplication;
  /** The compiled testing module (`get`, `resolve`, ...). */
  readonly module: TestingModule;
  /** The sandbox: what the app sent (`messages`, `latest`), faults, statuses, templates, ... */
  readonly sandbox: SandboxControl;
  /** The app's base URL, e.g. `http://127.0.0.1:53124`, for supertest or `fetch`. */
  readonly url: string;
  /** Shorthand for `app.get(token, { strict: false })`. */
  get<T>(token: Type<T> | string | symbol): T;
  /**
   * A customer writing in from `phone` (international form, e.g. '6281234567890'). `name` is
   * their WhatsApp profile name, which Meta's webhooks carry. `client` is the `name` of the
   * `WhatsAppModule` they write to; it may be left out when the app has one, or an unnamed one.
   */
  customer(phone: string, options?: { name?: string; client?: string }): WhatsAppTestCustomer;
  /**
   * Resolves once the handlers of every webhook the app has already answered, on every module,
   * have finished: for
   * webhooks you caused another way (`sandbox.setMessageStatus`, a redelivery).
   */
  settled(): Promise<void>;
  /** Closes the app (its running handlers finish first), then the sandbox if it started it. */
  close(): Promise<void>;
}

/** The webhook gateways the sandbox can POST a customer's message for, signed as they sign. */
type SignedWebhook = 'kirem' | 'meta';

/** The app's gateway, rebuilt on the sandbox's URL and credentials. */
function sandboxProvider(name: string, sandbox: SandboxControl): Provider {
  switch (name) {
    case 'kirem':
      return kirem(sandbox.kirem);
    case 'meta':
      return meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        businessAccountId: sandbox.meta.wabaId,
        apiVersion: sandbox.meta.apiVersion,
        baseUrl: sandbox.meta.baseUrl,
      });
    case 'qirim':
      return qirim(sandbox.qirim);
    case 'kirimy':
      return kirimy({
        apiKey: sandbox.kirimy.apiKey,
        sessionId: sandbox.kirimy.sessionId,
        baseUrl: sandbox.kirimy.baseUrl,
      });
    case 'waviro':
      return waviro(sandbox.waviro);
    default:
      throw new Error(
        `createWhatsAppTestingApp: the ${name} gateway has no sandbox wiring here; use kirem, meta, qirim, kirimy or waviro`,
      );
  }
}

function isSandboxControl(
  value: SandboxOptions | SandboxControl | undefined,
): value is SandboxControl {
  return typeof (value as SandboxControl | undefined)?.inbound === 'function';
}

function isBuilder(value: ModuleMetadata | TestingModuleBuilder): value is TestingModuleBuilder {
  return typeof (value as TestingModuleBuilder).compile === 'function';
}

/** One `WhatsAppModule` of the app under test. */
interface TestedModule {
  /** Its `name` (`'default'` without one). */
  name: string;
  dispatcher: WhatsAppEventDispatcher;
  /** Where the sandbox posts its customers' messages, signed as its gateway signs them. */
  webhook?: { gateway: SignedWebhook; url: string; secret: string };
}

/** The part of Nest's `Module` read here: a module's own providers and controllers. */
interface NestModule {
  providers: Map<unknown, { instance?: unknown }>;
  controllers: Map<unknown, { metatype?: unknown }>;
}

/**
 * Each `WhatsAppModule` of `app`, found by its dispatcher, with its webhook endpoint. Found by
 * metadata, not by class (see DISPATCHER_METADATA), and read from the dispatcher's own module, as
 * a named module exports nothing under the plain tokens.
 */
function testedModules(
  app: INestApplication,
  url: string,
  webhookPath: WhatsAppTestingOptions['webhookPath'],
): TestedModule[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const dispatchers = discovery
    .getProviders()
    .filter(
      ({ metatype, isAlias }) =>
        !isAlias &&
        typeof metatype === 'function' &&
        Reflect.getMetadata(DISPATCHER_METADATA, metatype) === true,
    );
  return dispatchers.map(({ instance, host }) => {
    const dispatcher = instance as WhatsAppEventDispatcher;
    const name = dispatcher.clientName;
    const { providers, controllers } = host as unknown as NestModule;
    const options = providers.get(WHATSAPP_MODULE_OPTIONS)?.instance as WhatsAppModuleOptions;
    let path =
      typeof webhookPath === 'string'
        ? dispatchers.length === 1 || name === DEFAULT_WHATSAPP_CLIENT
          ? webhookPath
          : undefined
        : webhookPath?.[name];
    for (const controller of controllers.values()) {
      if (path !== undefined || typeof controller.metatype !== 'function') continue;
      path = Reflect.getMetadata(WEBHOOK_PATH_METADATA, controller.metatype);
    }
    const webhook = options.webhook;
    const gateway = webhook?.provider;
    if (path === undefined || !webhook || (gateway !== 'kirem' && gateway !== 'meta')) {
      return { name, dispatcher };
    }
    const at = `${url}/${path.replace(/^\/+/, '')}`;
    return { name, dispatcher, webhook: { gateway, url: at, secret: webhook.secret } };
  });
}

const digits = (phone: string) => phone.replace(/\D/g, '');

/**
 * Compiles a Nest app for a test with its WhatsApp client and webhook wired to the local sandbox
 * (`@kabar/sandbox`, in this process), and lets the test write to it as a customer and read the
 * app's replies. Give it the testing module's metadata, or a `Test.createTestingModule(...)`
 * builder with your own overrides. The app's `WhatsAppModule` (`forRoot` or `forRootAsync`) keeps
 * its options, except that its client sends to the sandbox's gateway of the same name with the
 * sandbox's credentials, and the sandbox signs its webhooks with the module's `webhook.secret`.
 * Customers' messages need a `webhookPath` and a Kirem or Meta `webhook`. One `WhatsAppModule` per
 * app.
 *
 * Rejects as `compile()` does when the app cannot start, and when the module's gateway has no
 * sandbox wiring (Kirem, Meta, Qirim, Kirimy and Waviro have).
 *
 * @example
 * ```ts
 * import { createWhatsAppTestingApp, type WhatsAppTestingApp } from '@kabar/nestjs/testing';
 * import { afterEach, beforeEach, expect, it } from 'vitest';
 * import { AppModule } from './app.module.js';
 *
 * let whatsapp: WhatsAppTestingApp;
 * beforeEach(async () => {
 *   whatsapp = await createWhatsAppTestingApp({ imports: [AppModule] });
 * });
 * afterEach(() => whatsapp.close());
 *
 * it('tells a customer the prices', async () => {
 *   const reply = await whatsapp.customer('6281234567890').send('berapa harga?');
 *   expect(reply.text).toContain('Rp 75.000');
 * });
 * ```
 */
export async function createWhatsAppTestingApp(
  metadata: ModuleMetadata | TestingModuleBuilder,
  options: WhatsAppTestingOptions = {},
): Promise<WhatsAppTestingApp> {
  const owned = !isSandboxControl(options.sandbox);
  const sandbox: SandboxControl = isSandboxControl(options.sandbox)
    ? options.sandbox
    : await createSandbox(options.sandbox);
  let app: INestApplication | undefined;
  let closing: Promise<void> | undefined;
  // The app first: its handlers still running may be sending to the sandbox.
  const shutDown = async () => {
    try {
      await app?.close();
    } finally {
      if (owned) await (sandbox as RunningSandbox).close();
    }
  };
  // Once only: `afterEach` hooks and a test's own cleanup may both call it.
  const close = () => {
    closing ??= shutDown();
    return closing;
  };

  try {
    const builder = isBuilder(metadata) ? metadata : Test.createTestingModule(metadata);
    const module = await builder
      .overrideProvider(WHATSAPP_CLIENT)
      .useFactory({
        factory: (moduleOptions: WhatsAppModuleOptions) =>
          moduleClientOf({
            ...moduleOptions,
            provider: sandboxProvider(moduleOptions.provider.name, sandbox),
          }),
        inject: [WHATSAPP_MODULE_OPTIONS],
      })
      .compile();
    app = module.createNestApplication({
      logger: ['error', 'warn'],
      ...options.app,
      rawBody: options.app?.rawBody ?? true,
    });
    await options.configure?.(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;

    const started = app;
    const modules = testedModules(started, url, options.webhookPath);
    if (modules.length === 0) {
      throw new Error('createWhatsAppTestingApp: the app imports no WhatsAppModule');
    }
    const primary =
      modules.length === 1
        ? modules[0]
        : modules.find((tested) => tested.name === DEFAULT_WHATSAPP_CLIENT);
    // The sandbox posts each gateway's webhooks to one URL: the module a customer last wrote to,
    // and at first the primary module, so status updates reach it.
    const wired = new Map<SignedWebhook, string>();
    const wire = async (tested: TestedModule) => {
      const { webhook } = tested;
      if (!webhook || wired.get(webhook.gateway) === tested.name) return;
      await sandbox.setWebhook(webhook.gateway, { url: webhook.url, secret: webhook.secret });
      wired.set(webhook.gateway, tested.name);
    };
    for (const tested of modules) if (tested !== primary) await wire(tested);
    if (primary) await wire(primary);

    const pick = (client: string | undefined): TestedModule => {
      const names = modules.map((tested) => `'${tested.name}'`).join(', ');
      const found =
        client === undefined ? primary : modules.find((tested) => tested.name === client);
      if (found) return found;
      throw new Error(
        client === undefined
          ? `createWhatsAppTestingApp: the app has several WhatsApp modules (${names}); say which one the customer writes to: customer(phone, { client: 'name' })`
          : `createWhatsAppTestingApp: no WhatsAppModule is named '${client}' (the app has ${names})`,
      );
    };

    const deliver = async (
      tested: TestedModule,
      from: string,
      name: string | undefined,
      content: WhatsAppTestMessage,
    ) => {
      const gateway = tested.webhook?.gateway;
      if (!gateway) {
        throw new Error(
          'createWhatsAppTestingApp: customers can only write to a WhatsAppModule with a Kirem or ' +
            'Meta `webhook` and a `webhookPath`',
        );
      }
      await wire(tested);
      const to = digits(from);
      const earlier = new Set(
        (await sandbox.messages({ to, direction: 'outbound' })).map((message) => message.id),
      );
      const { deliveries } = await sandbox.inbound({ ...content, provider: gateway, from, name });
      const delivery = deliveries[0];
      if (!delivery || delivery.status === null || delivery.status >= 300) {
        throw new Error(
          `createWhatsAppTestingApp: the app's webhook answered ${delivery?.status ?? 'nothing'}` +
            ` (${delivery?.error ?? delivery?.responseBody ?? 'no delivery'})`,
        );
      }
      // The endpoint tracks the handlers' work before it answers, so it is in flight by now.
      await tested.dispatcher.idle();
      const messages = (await sandbox.messages({ to, direction: 'outbound' }))
        .filter((message) => !earlier.has(message.id))
        .reverse();
      const texts = messages.map((message) => message.text);
      return { text: texts[0], texts, messages, delivery };
    };

    return {
      app: started,
      module,
      sandbox,
      url,
      get: <T>(token: Type<T> | string | symbol) => started.get<T>(token, { strict: false }),
      customer(phone, { name, client } = {}) {
        const tested = pick(client);
        const send = (message: string | WhatsAppTestMessage) =>
          deliver(tested, phone, name, typeof message === 'string' ? { text: message } : message);
        return {
          phone: digits(phone),
          send,
          tap: (id, title = id) => send({ button: { id, title } }),
        };
      },
      settled: async () => {
        await Promise.all(modules.map((tested) => tested.dispatcher.idle()));
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
