import type { AddressInfo } from 'node:net';
import type { WhatsAppClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { meta } from '@kabar/core/meta';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import {
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  type INestApplication,
  Inject,
  Injectable,
  Logger,
  Module,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  getWhatsAppContext,
  getWhatsAppToken,
  Hears,
  InjectWhatsApp,
  InjectWhatsAppClient,
  OtpService,
  Text,
  WHATSAPP_CLIENT,
  WhatsAppEventDispatcher,
  WhatsAppHandlers,
  WhatsAppModule,
  WhatsAppService,
} from './index.js';
import { createWhatsAppTestingApp, type WhatsAppTestingApp } from './testing.js';

const sandbox = useSandbox();
const customer = '6281234567890';
const KIREM_SECRET = 'kirem_webhook_secret';
const META_SECRET = 'meta_app_secret_for_tests';

let app: INestApplication | undefined;
let testing: WhatsAppTestingApp | undefined;
afterEach(async () => {
  await app?.close();
  await testing?.close();
  app = undefined;
  testing = undefined;
});

const kiremModule = (extra: { name?: string; webhookPath?: string; isGlobal?: boolean } = {}) =>
  WhatsAppModule.forRoot({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    webhook: { provider: 'kirem', secret: KIREM_SECRET },
    ...extra,
  });

const metaModule = (extra: { name?: string; webhookPath?: string; isGlobal?: boolean } = {}) =>
  WhatsAppModule.forRootAsync({
    useFactory: () => ({
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        apiVersion: sandbox.meta.apiVersion,
        baseUrl: sandbox.meta.baseUrl,
      }),
      webhook: { provider: 'meta' as const, secret: META_SECRET },
    }),
    ...extra,
  });

/** Two gateways in one app, each with its own name and webhook path. */
const twoGateways = () => [
  kiremModule({ name: 'kirem', webhookPath: 'webhooks/kirem', isGlobal: true }),
  metaModule({ name: 'meta', webhookPath: 'webhooks/meta', isGlobal: true }),
];

async function boot(imports: unknown[]) {
  const compiled = await Test.createTestingModule({
    imports: imports as DynamicModule[],
  }).compile();
  app = compiled.createNestApplication({ rawBody: true, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  await sandbox.setWebhook('kirem', { url: `${url}/webhooks/kirem`, secret: KIREM_SECRET });
  await sandbox.setWebhook('meta', { url: `${url}/webhooks/meta`, secret: META_SECRET });
  return Object.assign(app, { url });
}

/** Why the app would not start, or undefined when it did. */
async function startupError(imports: unknown[]): Promise<Error | undefined> {
  try {
    const compiled = await Test.createTestingModule({
      imports: imports as DynamicModule[],
    }).compile();
    const started = compiled.createNestApplication({ logger: false });
    await started.init();
    await started.close();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

const replies = () => sandbox.messages({ to: customer, direction: 'outbound' });

describe('several gateways: named WhatsAppModules', () => {
  it('injects each client and service by name, and each sends through its own gateway', async () => {
    @Injectable()
    class Notifier {
      constructor(
        @InjectWhatsAppClient('kirem') readonly kiremClient: WhatsAppClient,
        @InjectWhatsApp(WhatsAppService, 'meta') readonly metaService: WhatsAppService,
        @InjectWhatsApp(WhatsAppService, 'kirem') readonly kiremService: WhatsAppService,
      ) {}
    }
    @Module({ providers: [Notifier] })
    class Orders {}
    const started = await boot([...twoGateways(), Orders]);
    const notifier = started.get(Notifier);
    expect(notifier.kiremClient.provider).toBe('kirem');
    expect(notifier.kiremService.client).toBe(notifier.kiremClient);
    expect(notifier.metaService.provider).toBe('meta');

    await notifier.kiremClient.send({ to: customer, text: 'lewat Kirem' });
    await notifier.metaService.send({ to: customer, text: 'lewat Meta' });
    const sent = (await replies()).reverse();
    expect(sent.map((m) => [m.provider, m.text])).toEqual([
      ['kirem', 'lewat Kirem'],
      ['meta', 'lewat Meta'],
    ]);
    expect(started.get(getWhatsAppToken(OtpService, 'meta'))).toBeInstanceOf(OtpService);
  });

  it('exports a named module’s parts only under its names, never by plain class or token', async () => {
    @Injectable()
    class WantsTheUnnamedService {
      constructor(@Inject(WhatsAppService) readonly whatsapp: WhatsAppService) {}
    }
    @Module({ providers: [WantsTheUnnamedService] })
    class Feature {}
    const error = await startupError([...twoGateways(), Feature]);
    expect(error?.message).toMatch(/WhatsAppService/);

    @Injectable()
    class WantsTheRawClient {
      constructor(@Inject(WHATSAPP_CLIENT) readonly client: WhatsAppClient) {}
    }
    @Module({ providers: [WantsTheRawClient] })
    class Other {}
    expect(await startupError([...twoGateways(), Other])).toBeInstanceOf(Error);
  });

  it('serves an unnamed module next to a named one: plain injection gets the unnamed', async () => {
    @Injectable()
    class Notifier {
      constructor(
        readonly whatsapp: WhatsAppService,
        @InjectWhatsApp(WhatsAppService, 'meta') readonly meta: WhatsAppService,
      ) {}
    }
    @Module({ providers: [Notifier] })
    class Orders {}
    // WhatsAppService's constructor parameter has no @Inject: Nest reads its type.
    Reflect.defineMetadata('design:paramtypes', [WhatsAppService, WhatsAppService], Notifier);
    const started = await boot([
      kiremModule({ isGlobal: true, webhookPath: 'webhooks/kirem' }),
      metaModule({ name: 'meta', isGlobal: true, webhookPath: 'webhooks/meta' }),
      Orders,
    ]);
    const notifier = started.get(Notifier);
    expect(notifier.whatsapp.provider).toBe('kirem');
    expect(notifier.meta.provider).toBe('meta');
    expect(getWhatsAppToken(WhatsAppService)).toBe(WhatsAppService);
    expect(getWhatsAppToken(WhatsAppService, 'default')).toBe(WhatsAppService);
  });

  it('runs bound handlers only for their gateway’s webhook, and shared ones for both, replying where the message came', async () => {
    @WhatsAppHandlers({ client: 'kirem' })
    class KiremBot {
      readonly heard: string[] = [];

      @Hears('harga')
      prices(@Text() text: string) {
        this.heard.push(text);
        return 'Harga dari toko Kirem';
      }
    }
    @WhatsAppHandlers({ client: 'meta' })
    class MetaBot {
      readonly heard: string[] = [];

      @Hears('harga')
      prices(@Text() text: string) {
        this.heard.push(text);
        return 'Harga dari toko Meta';
      }
    }
    /** Seen by both modules' dispatchers: answers each on its own gateway. */
    @WhatsAppHandlers()
    class Shared {
      @Hears('jam')
      hours() {
        return 'Buka 08.00–17.00';
      }
    }
    @Module({ providers: [KiremBot, MetaBot, Shared] })
    class Bots {}
    const started = await boot([...twoGateways(), Bots]);
    const dispatchers = (['kirem', 'meta'] as const).map((name) =>
      started.get<WhatsAppEventDispatcher>(getWhatsAppToken(WhatsAppEventDispatcher, name)),
    );
    expect(dispatchers.map((d) => [d.clientName, d.handlerNames])).toEqual([
      ['kirem', ['KiremBot.prices', 'Shared.hours']],
      ['meta', ['MetaBot.prices', 'Shared.hours']],
    ]);

    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'harga kaos?' });
    await eventually(replies, (m) => m.length === 1);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'harga celana?' });
    await eventually(replies, (m) => m.length === 2);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'jam buka?' });
    await eventually(replies, (m) => m.length === 3);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'jam buka?' });
    await eventually(replies, (m) => m.length === 4);
    await Promise.all(dispatchers.map((d) => d.idle()));

    expect((await replies()).reverse().map((m) => [m.provider, m.text])).toEqual([
      ['kirem', 'Harga dari toko Kirem'],
      ['meta', 'Harga dari toko Meta'],
      ['meta', 'Buka 08.00–17.00'],
      ['kirem', 'Buka 08.00–17.00'],
    ]);
    expect(started.get(KiremBot).heard).toEqual(['harga kaos?']);
    expect(started.get(MetaBot).heard).toEqual(['harga celana?']);
  });

  it('checks each webhook against its own secret', async () => {
    const { url } = await boot(twoGateways());
    // The Meta endpoint must refuse a body signed with the Kirem secret.
    await sandbox.setWebhook('meta', { url: `${url}/webhooks/meta`, secret: KIREM_SECRET });
    const { deliveries } = await sandbox.inbound({ provider: 'meta', from: customer, text: 'x' });
    expect(deliveries.map((d) => d.status)).toEqual([401]);
    const kiremCall = await sandbox.inbound({ provider: 'kirem', from: customer, text: 'x' });
    expect(kiremCall.deliveries.map((d) => d.status)).toEqual([200]);
  });

  it('tells a guard which module’s webhook brought the event', async () => {
    const seen: string[] = [];
    @Injectable()
    class OnlyKirem implements CanActivate {
      canActivate(host: ExecutionContext) {
        const { client, event } = getWhatsAppContext(host);
        seen.push(`${client}:${event.kind}`);
        return client === 'kirem';
      }
    }
    @WhatsAppHandlers()
    @UseGuards(OnlyKirem)
    class Guarded {
      @Hears('halo')
      hello() {
        return 'Halo dari Kirem saja';
      }
    }
    @Module({ providers: [Guarded, OnlyKirem] })
    class Bots {}
    const started = await boot([...twoGateways(), Bots]);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'halo' });
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'halo' });
    await eventually(replies, (m) => m.length === 1);
    await started.get(getWhatsAppToken(WhatsAppEventDispatcher, 'meta')).idle();
    expect(seen).toEqual(['meta:message', 'kirem:message']);
    expect((await replies()).map((m) => [m.provider, m.text])).toEqual([
      ['kirem', 'Halo dari Kirem saja'],
    ]);
  });

  it('logs a bound handler’s failure under its module’s name', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    @WhatsAppHandlers({ client: 'meta' })
    class Broken {
      @Hears('halo')
      explode() {
        throw new Error('database is down');
      }
    }
    @Module({ providers: [Broken] })
    class Bots {}
    const started = await boot([...twoGateways(), Bots]);
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'halo' });
    await started.get(getWhatsAppToken(WhatsAppEventDispatcher, 'meta')).idle();
    await eventually(
      async () => errors.mock.calls,
      (calls) => calls.length > 0,
    );
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/Broken\.explode failed.*database is down/s);
    // The logger the message went through: its context prefixes the line.
    expect(errors.mock.contexts[0]).toMatchObject({ context: 'WhatsApp:meta' });
    errors.mockRestore();
  });
});

describe('named modules that would clash stop the app at start', () => {
  it('two modules with one name, or two unnamed ones', async () => {
    const named = await startupError([
      kiremModule({ name: 'toko', webhookPath: 'a' }),
      metaModule({ name: 'toko', webhookPath: 'b' }),
    ]);
    expect(named?.message).toMatch(/two modules are named 'toko'/);
    @Module({ imports: [kiremModule({ webhookPath: 'a' })] })
    class One {}
    @Module({ imports: [metaModule({ webhookPath: 'b' })] })
    class Two {}
    expect((await startupError([One, Two]))?.message).toMatch(/two modules are named 'default'/);
  });

  it('two webhook endpoints on one path', async () => {
    const error = await startupError([
      kiremModule({ name: 'kirem', webhookPath: 'whatsapp/webhook' }),
      metaModule({ name: 'meta', webhookPath: '/whatsapp/webhook/' }),
    ]);
    expect(error?.message).toMatch(/two modules mount their webhook at 'whatsapp\/webhook'/);
  });

  it('handlers bound to a name no module has', async () => {
    @WhatsAppHandlers({ client: 'kirim' })
    class Typo {
      @Hears('halo')
      hello() {
        return 'halo';
      }
    }
    @Module({ providers: [Typo] })
    class Bots {}
    const error = await startupError([...twoGateways(), Bots]);
    expect(error?.message).toBe(
      "Typo: @WhatsAppHandlers({ client: 'kirim' }) names no WhatsAppModule (the app has 'kirem', 'meta')",
    );
  });

  it('a name that is not a word, and a token the module does not provide', () => {
    expect(() => kiremModule({ name: '' })).toThrow(/name must be letters, digits/);
    expect(() => kiremModule({ name: 'toko utama' })).toThrow(/got "toko utama"/);
    expect(() => getWhatsAppToken(Test as never, 'kirem')).toThrow(
      /WhatsAppModule does not provide Test/,
    );
  });
});

describe('createWhatsAppTestingApp with several gateways', () => {
  @WhatsAppHandlers({ client: 'kirem' })
  class KiremBot {
    @Hears('harga')
    prices() {
      return 'Harga Kirem';
    }
  }
  @WhatsAppHandlers({ client: 'meta' })
  class MetaBot {
    @Hears('harga')
    prices() {
      return 'Harga Meta';
    }
  }
  // Production settings: the testing app rebuilds both clients on the sandbox.
  @Module({
    imports: [
      WhatsAppModule.forRoot({
        name: 'kirem',
        provider: kirem({ apiKey: 'kirem_live_not_for_tests' }),
        webhook: { provider: 'kirem', secret: 'kirem-production-secret' },
        webhookPath: 'webhooks/kirem',
      }),
      WhatsAppModule.forRoot({
        name: 'meta',
        provider: meta({ accessToken: 'EAAG-production', phoneNumberId: '555' }),
        webhook: { provider: 'meta', secret: 'meta-production-app-secret' },
        webhookPath: 'webhooks/meta',
      }),
    ],
    providers: [KiremBot, MetaBot],
  })
  class TwoShops {}

  it('lets a customer write to each module by name, and rebuilds both clients on the sandbox', async () => {
    testing = await createWhatsAppTestingApp({ imports: [TwoShops] }, { sandbox });
    const viaKirem = await testing.customer(customer, { client: 'kirem' }).send('harga');
    expect(viaKirem.messages.map((m) => [m.provider, m.text])).toEqual([['kirem', 'Harga Kirem']]);
    const viaMeta = await testing.customer(customer, { client: 'meta' }).send('harga');
    expect(viaMeta.messages.map((m) => [m.provider, m.text])).toEqual([['meta', 'Harga Meta']]);
    const again = await testing.customer(customer, { client: 'kirem' }).send('harga');
    expect(again.text).toBe('Harga Kirem');
  });

  it('asks which module when there are several and none is unnamed', async () => {
    testing = await createWhatsAppTestingApp({ imports: [TwoShops] }, { sandbox });
    expect(() => testing?.customer(customer)).toThrow(
      /several WhatsApp modules \('kirem', 'meta'\).*\{ client: 'name' \}/,
    );
    expect(() => testing?.customer(customer, { client: 'wablas' })).toThrow(
      /no WhatsAppModule is named 'wablas'/,
    );
  });
});
