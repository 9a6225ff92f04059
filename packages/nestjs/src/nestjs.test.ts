import type { AddressInfo } from 'node:net';
import { KabarError, memoryConsentStore, memoryWindowStore } from '@kabar/core';
import type { ReplyMessage } from '@kabar/core/bot';
import { kirem } from '@kabar/core/kirem';
import { meta } from '@kabar/core/meta';
import { waviro } from '@kabar/core/waviro';
import type { MessageEvent, StatusEvent, TemplateStatusEvent } from '@kabar/core/webhooks';
import { computeSignature, contentText } from '@kabar/core/webhooks';
import { redisDedupeStore, redisOtpStore, redisRequestLimiter } from '@kabar/redis';
import { testRedis } from '@kabar/redis/testing';
import {
  metaWebhookStatus,
  metaWebhookTextRawBody,
  metaWebhookTextSignature,
  waviroKeywordPayload,
} from '@kabar/sandbox/seed-examples';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import {
  type ArgumentsHost,
  BadRequestException,
  type CallHandler,
  type CanActivate,
  Catch,
  Controller,
  createParamDecorator,
  type DynamicModule,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  Inject,
  Injectable,
  Logger,
  Module,
  type NestInterceptor,
  ParseIntPipe,
  Scope,
  type Type,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { APP_GUARD, REQUEST } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { map, of } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ButtonId,
  ConsentService,
  Ctx,
  Event,
  getWhatsAppContext,
  Hears,
  InjectWhatsAppClient,
  Message,
  On,
  OnButton,
  OnTemplateStatus,
  OnWhatsAppEvent,
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  OtpService,
  RAW_BODY_MISSING,
  Sender,
  Text,
  WHATSAPP_CLIENT,
  WHATSAPP_MODULE_OPTIONS,
  WHATSAPP_TRACKER,
  WhatsAppEventDispatcher,
  WhatsAppHandlers,
  WhatsAppHealthIndicator,
  type WhatsAppMessageContext,
  WhatsAppModule,
  type WhatsAppModuleOptions,
  WhatsAppService,
  type WhatsAppWebhookOptions,
} from './index.js';

const { url: REDIS_URL, runnable: redisRunnable } = await testRedis('the Redis OTP test');

const sandbox = useSandbox();
const customer = '6281234567890';
const KIREM_SECRET = 'kirem_webhook_secret';

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function kiremOptions(extra: Partial<WhatsAppModuleOptions> = {}): WhatsAppModuleOptions {
  return {
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    webhook: { provider: 'kirem', secret: KIREM_SECRET },
    ...extra,
  };
}

/** A Nest app on a free port, as `NestFactory.create(AppModule, { rawBody })` would make it. */
async function boot(
  imports: (DynamicModule | object)[],
  {
    rawBody = true,
    jsonLimit,
    bodyParser,
  }: { rawBody?: boolean; jsonLimit?: string; bodyParser?: boolean } = {},
) {
  const testing = await Test.createTestingModule({ imports: imports as DynamicModule[] }).compile();
  app = testing.createNestApplication<NestExpressApplication>({
    rawBody,
    bodyParser,
    logger: false,
  });
  if (jsonLimit) (app as NestExpressApplication).useBodyParser('json', { limit: jsonLimit });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/**
 * Why the module would not compile, or undefined when it did. Caught by hand: a module that
 * compiles after all is too big for vitest to print.
 */
function startupError(module: object): Promise<Error | undefined> {
  return Test.createTestingModule({ imports: [module as DynamicModule] })
    .compile()
    .then(
      () => undefined,
      (caught: Error) => caught,
    );
}

const replies = () => sandbox.messages({ to: customer, direction: 'outbound' });

/** Signed like Kirem signs it; sent straight to the app. */
function postWebhook(url: string, body: unknown, secret = KIREM_SECRET) {
  const raw = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kirem-signature': computeSignature(raw, secret),
    },
    body: raw,
  });
}

@Injectable()
class ShopBot {
  readonly statuses: StatusEvent[] = [];

  @Hears('harga')
  prices(context: WhatsAppMessageContext) {
    return context.reply.text('Harga mulai Rp 50.000');
  }

  @Hears(/^pesan (\d+)$/i)
  order(context: WhatsAppMessageContext) {
    return context.reply.text(`Pesanan ${context.match?.[1]} dicatat`);
  }

  @OnButton('bantuan_tagihan')
  billing(context: WhatsAppMessageContext) {
    return context.reply.text('Tim tagihan akan menghubungi Anda');
  }

  @OnWhatsAppStatus('read')
  read(event: StatusEvent) {
    this.statuses.push(event);
  }
}

describe('WhatsAppModule.forRoot', () => {
  it('gives a WhatsAppService and the raw client that send through the gateway', async () => {
    @Injectable()
    class Notifier {
      constructor(
        @Inject(WhatsAppService) readonly whatsapp: WhatsAppService,
        @InjectWhatsAppClient() readonly client: WhatsAppService['client'],
      ) {}
    }
    @Module({ imports: [WhatsAppModule.forRoot(kiremOptions())], providers: [Notifier] })
    class AppModule {}
    const { app } = await boot([AppModule]);
    const notifier = app.get(Notifier);
    expect(notifier.client).toBe(notifier.whatsapp.client);

    const sent = await notifier.whatsapp.send({ to: '0812-3456-7890', text: 'Pesanan dikirim' });
    expect(sent.id).toBeTruthy();
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: 'Pesanan dikirim' });
    expect(notifier.whatsapp.supports('templates.list')).toBe(true);
    expect((await notifier.whatsapp.templates.list()).length).toBeGreaterThan(0);
  });

  it('broadcasts one message per row through the service', async () => {
    @Module({ imports: [WhatsAppModule.forRoot(kiremOptions())] })
    class AppModule {}
    const { app } = await boot([AppModule]);
    const rows = [
      { phone: '081234567890', name: 'Budi' },
      { phone: '081298765432', name: 'Sari' },
    ];
    const summary = await app
      .get(WhatsAppService)
      .broadcast(rows, { message: (row) => ({ to: row.phone, text: `Halo ${row.name}` }) })
      .done();
    expect(summary).toMatchObject({ sent: 2, failed: 0 });
    expect((await sandbox.messages({ direction: 'outbound' })).map((m) => m.text).sort()).toEqual([
      'Halo Budi',
      'Halo Sari',
    ]);
  });

  it('reports a missing option clearly when the app starts', async () => {
    @Module({ imports: [WhatsAppModule.forRoot({} as WhatsAppModuleOptions)] })
    class AppModule {}
    await expect(Test.createTestingModule({ imports: [AppModule] }).compile()).rejects.toThrow(
      /provider/,
    );
  });
});

describe('WhatsAppModule.forRootAsync', () => {
  @Injectable()
  class Config {
    readonly apiKey = sandbox.kirem.apiKey;
  }
  @Module({ providers: [Config], exports: [Config] })
  class ConfigModule {}

  @Injectable()
  class Elsewhere {
    constructor(@Inject(WhatsAppService) readonly whatsapp: WhatsAppService) {}
  }
  // A module that does not import WhatsAppModule: only `isGlobal` lets it inject the service.
  @Module({ providers: [Elsewhere] })
  class FeatureModule {}

  it('builds the options from injected config, and isGlobal reaches other modules', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [Config],
          useFactory: (config: Config) => ({
            provider: kirem({ apiKey: config.apiKey, baseUrl: sandbox.kirem.baseUrl }),
          }),
        }),
        FeatureModule,
      ],
    })
    class AppModule {}
    const { app } = await boot([AppModule]);
    await app.get(Elsewhere).whatsapp.send({ to: customer, text: 'dari modul lain' });
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: 'dari modul lain' });
    expect(app.get(WHATSAPP_MODULE_OPTIONS)).toHaveProperty('provider');
  });

  it('takes useClass and useExisting option factories', async () => {
    @Injectable()
    class WhatsAppConfig {
      createWhatsAppOptions(): WhatsAppModuleOptions {
        return kiremOptions();
      }
    }
    @Module({ providers: [WhatsAppConfig], exports: [WhatsAppConfig] })
    class WhatsAppConfigModule {}

    for (const async of [
      { useClass: WhatsAppConfig },
      { useExisting: WhatsAppConfig, imports: [WhatsAppConfigModule] },
    ]) {
      @Module({ imports: [WhatsAppModule.forRootAsync(async)] })
      class AppModule {}
      const { app } = await boot([AppModule]);
      await app.get(WhatsAppService).send({ to: customer, text: 'opsi dari kelas' });
      await app.close();
    }
    expect(await replies()).toHaveLength(2);
  });

  it('without isGlobal, a module that does not import it cannot inject the service', async () => {
    @Module({
      imports: [WhatsAppModule.forRootAsync({ useFactory: () => kiremOptions() }), FeatureModule],
    })
    class AppModule {}
    await expect(Test.createTestingModule({ imports: [AppModule] }).compile()).rejects.toThrow(
      /WhatsAppService/,
    );
  });
});

describe('the webhook controller', () => {
  async function bootBot(options: { rawBody?: boolean; extra?: object[] } = {}) {
    @Module({
      imports: [WhatsAppModule.forRoot({ ...kiremOptions(), webhookPath: 'whatsapp/webhook' })],
      providers: [ShopBot, ...((options.extra ?? []) as never[])],
    })
    class AppModule {}
    const booted = await boot([AppModule], { rawBody: options.rawBody ?? true });
    const url = `${booted.url}/whatsapp/webhook`;
    await sandbox.setWebhook('kirem', { url, secret: KIREM_SECRET });
    return { ...booted, url };
  }

  it('routes signed messages to @Hears and @OnButton handlers, which reply', async () => {
    await bootBot();
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'berapa harga?' });
    await eventually(replies, (m) => m.length === 1);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'pesan 42' });
    await eventually(replies, (m) => m.length === 2);
    await sandbox.inbound({
      provider: 'kirem',
      from: customer,
      button: { id: 'bantuan_tagihan', title: 'Tagihan' },
    });
    await eventually(replies, (m) => m.length === 3);
    expect((await replies()).map((m) => m.text).reverse()).toEqual([
      'Harga mulai Rp 50.000',
      'Pesanan 42 dicatat',
      'Tim tagihan akan menghubungi Anda',
    ]);
    const deliveries = await sandbox.deliveries({ provider: 'kirem' });
    const messages = deliveries.filter((d) => d.kind === 'message');
    expect(messages.map((d) => d.status)).toEqual([200, 200, 200]);
  });

  it('hands status updates to @OnWhatsAppStatus, filtered by status', async () => {
    const { app } = await bootBot();
    const sent = await app.get(WhatsAppService).send({ to: customer, text: 'Pesanan dikirim' });
    await sandbox.setMessageStatus(sent.id, 'read');
    const bot = app.get(ShopBot);
    await eventually(
      async () => bot.statuses,
      (s) => s.length > 0,
    );
    expect(bot.statuses.map((s) => [s.messageId, s.status])).toEqual([[sent.id, 'read']]);
  });

  it('answers 401 to a bad signature and runs no handler', async () => {
    const { url } = await bootBot();
    const response = await postWebhook(url, { event: 'message.received' }, 'not-the-secret');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_signature' });
    expect(await replies()).toHaveLength(0);
  });

  it('answers 415 to a body that is not JSON, without naming the setup, a stack or a log line', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { url } = await bootBot();
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'harga',
      });
      expect(response.status).toBe(415);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ error: 'unsupported_media_type' });
      expect(text).not.toMatch(/rawBody|NestFactory|\bat \w/);
    }
    expect(errors).not.toHaveBeenCalled();
    expect(await replies()).toHaveLength(0);
    errors.mockRestore();
  });

  it('refuses to start with a missing, empty or short webhook secret, without echoing it', async () => {
    for (const secret of [undefined, '', 'short-sec']) {
      @Module({
        imports: [
          WhatsAppModule.forRoot({
            ...kiremOptions({ webhook: { provider: 'kirem', secret: secret as string } }),
            webhookPath: 'whatsapp/webhook',
          }),
        ],
      })
      class AppModule {}
      const error = await startupError(AppModule);
      expect(error?.message).toMatch(/webhook\.secret/);
      if (secret) expect(error?.message).not.toContain(secret);
    }
  });

  it('answers 400 to a signed body that is not a webhook', async () => {
    const { url } = await bootBot();
    const response = await postWebhook(url, ['not', 'an', 'event']);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_payload' });
  });

  it('tells the developer to enable rawBody instead of checking a re-serialised body', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { url } = await bootBot({ rawBody: false });
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'harga' });
    const [delivery] = await eventually(
      () => sandbox.deliveries({ provider: 'kirem' }),
      (d) => d.length > 0 && d[0]?.status !== null,
    );
    expect(delivery?.status).toBe(500);
    expect(JSON.parse(delivery?.responseBody ?? '{}').message).toBe(RAW_BODY_MISSING);
    expect(RAW_BODY_MISSING).toMatch(/rawBody: true/);
    expect(errors.mock.calls.flat().join(' ')).toContain('rawBody: true');
    expect(await replies()).toHaveLength(0);
    expect((await postWebhook(url, {})).status).toBe(500);
    errors.mockRestore();
  });

  it('logs a failing handler and still runs the others', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    @Injectable()
    class Broken {
      @OnWhatsAppMessage()
      explode() {
        throw new Error('database is down');
      }
    }
    await bootBot({ extra: [Broken] });
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'harga' });
    await eventually(replies, (m) => m.length === 1);
    await eventually(
      async () => errors.mock.calls,
      (calls) => calls.length > 0,
    );
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/Broken\.explode failed.*database is down/s);
    expect((await replies())[0]?.text).toBe('Harga mulai Rp 50.000');
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('gives request-scoped handlers a fresh instance per event, with the event as REQUEST', async () => {
    const seen: { instance: object; request: unknown }[] = [];
    @Injectable({ scope: Scope.REQUEST })
    class PerEvent {
      constructor(@Inject(REQUEST) readonly request: unknown) {}
      @OnWhatsAppMessage()
      record() {
        seen.push({ instance: this, request: this.request });
      }
    }
    await bootBot({ extra: [PerEvent] });
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'satu' });
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'dua' });
    await eventually(
      async () => seen,
      (s) => s.length === 2,
    );
    expect(seen[0]?.instance).not.toBe(seen[1]?.instance);
    expect(seen.map((s) => (s.request as { content: { text: string } }).content.text)).toEqual([
      'satu',
      'dua',
    ]);
  });

  it('answers Meta’s GET handshake with the challenge, and 403 to a wrong token', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          provider: meta({
            accessToken: sandbox.meta.accessToken,
            phoneNumberId: sandbox.meta.phoneNumberId,
            baseUrl: sandbox.meta.baseUrl,
          }),
          webhook: { provider: 'meta', secret: 'meta_app_secret', verifyToken: 'token-rahasia' },
          webhookPath: 'meta/webhook',
        }),
      ],
      providers: [ShopBot],
    })
    class AppModule {}
    const { url } = await boot([AppModule]);
    await sandbox.setWebhook('meta', { url: `${url}/meta/webhook`, secret: 'meta_app_secret' });
    expect(await sandbox.verifyMetaWebhook('token-rahasia')).toMatchObject({ verified: true });
    expect(await sandbox.verifyMetaWebhook('salah')).toMatchObject({
      verified: false,
      status: 403,
    });
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'harga' });
    await eventually(replies, (m) => m.length === 1);
    expect((await replies())[0]?.text).toBe('Harga mulai Rp 50.000');
  });

  it('lets a running handler finish before the app closes', async () => {
    const finished: string[] = [];
    @Injectable()
    class Slow {
      @OnWhatsAppMessage()
      async save(context: WhatsAppMessageContext) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        finished.push(context.text ?? '');
      }
    }
    const { app } = await bootBot({ extra: [Slow] });
    const { deliveries } = await sandbox.inbound({
      provider: 'kirem',
      from: customer,
      text: 'simpan ini',
    });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    await app.close();
    expect(finished).toEqual(['simpan ini']);
  });

  it('lists the handlers it found', async () => {
    const { app } = await bootBot();
    expect(app.get(WhatsAppEventDispatcher).handlerNames).toEqual([
      'ShopBot.prices',
      'ShopBot.order',
      'ShopBot.billing',
      'ShopBot.read',
    ]);
  });
});

describe('the webhook controller on the core handler', () => {
  const META_SECRET = 'meta_app_secret';

  @Injectable()
  class Recorder {
    readonly messages: WhatsAppMessageContext[] = [];
    readonly statuses: StatusEvent[] = [];

    @OnWhatsAppMessage()
    message(context: WhatsAppMessageContext) {
      this.messages.push(context);
    }

    @OnWhatsAppStatus(['played', 'deleted'])
    status(event: StatusEvent) {
      this.statuses.push(event);
    }
  }

  function metaModule(webhook: Partial<WhatsAppWebhookOptions> = {}) {
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          provider: meta({
            accessToken: sandbox.meta.accessToken,
            phoneNumberId: sandbox.meta.phoneNumberId,
            baseUrl: sandbox.meta.baseUrl,
          }),
          webhook: { provider: 'meta', secret: META_SECRET, ...webhook },
          webhookPath: 'meta/webhook',
        }),
      ],
      providers: [Recorder],
    })
    class MetaAppModule {}
    return MetaAppModule;
  }

  async function bootMeta(webhook: Partial<WhatsAppWebhookOptions> = {}) {
    const booted = await boot([metaModule(webhook)]);
    return { ...booted, url: `${booted.url}/meta/webhook`, recorder: booted.app.get(Recorder) };
  }

  /** Signed as Meta signs it, over these exact bytes. */
  function postMeta(url: string, raw: string, signature = computeSignature(raw, META_SECRET)) {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: raw,
    });
  }

  it('takes a real signed Meta webhook, escaped as Meta sends it, and refuses forged ones', async () => {
    const { app, url, recorder } = await bootMeta();
    const tampered = metaWebhookTextRawBody.replace('pesanan 12', 'pesanan 13');
    expect(tampered).not.toBe(metaWebhookTextRawBody);
    for (const forged of [
      await postMeta(url, tampered, metaWebhookTextSignature),
      await postMeta(
        url,
        metaWebhookTextRawBody,
        computeSignature(metaWebhookTextRawBody, 'x'.repeat(16)),
      ),
      await postMeta(url, metaWebhookTextRawBody, ''),
    ]) {
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ error: 'invalid_signature' });
    }
    const response = await postMeta(url, metaWebhookTextRawBody, metaWebhookTextSignature);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 1 });
    await app.close();
    expect(recorder.messages).toHaveLength(1);
    expect(recorder.messages[0]).toMatchObject({
      from: customer,
      text: 'Halo 👋 pesanan 12/05 sudah dikirim?',
      event: { sender: { phone: customer, name: 'Budi' } },
    });
  });

  it('hands a redelivery to no handler and still answers it 200', async () => {
    const { app, url, recorder } = await bootMeta();
    await sandbox.setWebhook('meta', { url, secret: META_SECRET });
    const { deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: customer,
      text: 'halo',
    });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    const again = await sandbox.redeliver(deliveries[0]?.id ?? '');
    expect(again).toMatchObject({ status: 200, attempt: 2 });
    const first = await postMeta(url, metaWebhookTextRawBody);
    const second = await postMeta(url, metaWebhookTextRawBody);
    expect([first.status, second.status]).toEqual([200, 200]);
    await app.close();
    expect(recorder.messages.map((context) => context.text)).toEqual([
      'halo',
      'Halo 👋 pesanan 12/05 sudah dikirim?',
    ]);
  });

  it('answers 413 past webhook.bodyLimit, without running a handler', async () => {
    const { app, url, recorder } = await bootMeta({ bodyLimit: 1024 });
    const oversized = JSON.stringify({
      ...JSON.parse(metaWebhookTextRawBody),
      pad: 'x'.repeat(2000),
    });
    const response = await postMeta(url, oversized);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    expect((await postMeta(url, metaWebhookTextRawBody)).status).toBe(200);
    await app.close();
    expect(recorder.messages).toHaveLength(1);
  });

  it('reads the body itself when no parser took it: bodyParser: false, or a +json type', async () => {
    const played = JSON.stringify(metaWebhookStatus).replace('"delivered"', '"played"');
    const withParser = await bootMeta();
    const typed = await fetch(withParser.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/vnd.whatsapp+json',
        'x-hub-signature-256': computeSignature(played, META_SECRET),
      },
      body: played,
    });
    expect(typed.status).toBe(200);
    await withParser.app.close();
    expect(withParser.recorder.statuses.map((event) => event.status)).toEqual(['played']);

    const booted = await boot([metaModule()], { rawBody: false, bodyParser: false });
    const response = await postMeta(
      `${booted.url}/meta/webhook`,
      metaWebhookTextRawBody,
      metaWebhookTextSignature,
    );
    expect(response.status).toBe(200);
    await booted.app.close();
    expect(booted.app.get(Recorder).messages.map((context) => context.text)).toEqual([
      'Halo 👋 pesanan 12/05 sudah dikirim?',
    ]);
  });

  it('hands played and deleted statuses to @OnWhatsAppStatus', async () => {
    const { app, url, recorder } = await bootMeta();
    for (const status of ['played', 'deleted', 'read']) {
      const raw = JSON.stringify(metaWebhookStatus).replace('"delivered"', `"${status}"`);
      expect((await postMeta(url, raw)).status).toBe(200);
    }
    await app.close();
    expect(recorder.statuses.map((event) => [event.status, event.errors])).toEqual([
      ['played', []],
      ['deleted', []],
    ]);
  });

  it('answers 405 to other methods, and to a GET without a verifyToken', async () => {
    const { url } = await bootMeta();
    const get = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const put = await fetch(url, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it.runIf(redisRunnable)(
    'lets instances sharing a Redis dedupe store handle a delivery once',
    async () => {
      const redis = new Redis(REDIS_URL);
      const prefix = `kabar-nest-dedupe-test:${process.pid}:${Date.now()}:`;
      const first = await bootMeta({ dedupe: redisDedupeStore({ redis, prefix }) });
      const second = await bootMeta({ dedupe: redisDedupeStore({ redis, prefix }) });
      try {
        expect((await postMeta(first.url, metaWebhookTextRawBody)).status).toBe(200);
        expect((await postMeta(second.url, metaWebhookTextRawBody)).status).toBe(200);
        await first.app.close();
        await second.app.close();
        expect(first.recorder.messages.length + second.recorder.messages.length).toBe(1);
      } finally {
        await first.app.close();
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    },
  );

  describe('Waviro keyword calls', () => {
    @Injectable()
    class OfferBot {
      readonly calls: WhatsAppMessageContext[] = [];

      @Hears('penawaran#')
      offer(context: WhatsAppMessageContext) {
        this.calls.push(context);
        const { content } = context.event;
        const [name, email] = content.type === 'keyword' ? content.data : [];
        return context.reply.text(`Halo ${name}, penawaran kami dikirim ke ${email}`);
      }
    }

    async function bootWaviro(bot: Type = OfferBot) {
      @Module({
        imports: [
          WhatsAppModule.forRoot({
            provider: waviro(sandbox.waviro),
            webhook: { provider: 'waviro', secret: waviroKeywordPayload.webhookkey },
            webhookPath: 'waviro/keyword',
          }),
        ],
        providers: [bot],
      })
      class AppModule {}
      const booted = await boot([AppModule]);
      return {
        ...booted,
        url: `${booted.url}/waviro/keyword`,
        bot: booted.app.get(bot) as OfferBot,
      };
    }

    function postKeyword(url: string, body: unknown) {
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    }

    it('answers the call with the replies of @Hears handlers, sending nothing itself', async () => {
      const { url, bot } = await bootWaviro();
      const response = await postKeyword(url, waviroKeywordPayload);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        success: true,
        message: {
          reply: [
            {
              type: 'message',
              content: `Halo Jhon Doe, penawaran kami dikirim ke ${waviroKeywordPayload.data[1]}`,
            },
          ],
        },
      });
      expect(bot.calls.map((context) => context.from)).toEqual([waviroKeywordPayload.from]);
      expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
    });

    it('answers the call with what a handler returns, and its parameter decorators', async () => {
      @Injectable()
      class ReturningOfferBot {
        @Hears('penawaran#')
        offer(@Message() message: MessageEvent, @Text() keyword: string) {
          const [name] = message.content.type === 'keyword' ? message.content.data : [];
          return [`Halo ${name}`, { text: `Kata kunci: ${keyword}` }];
        }
      }
      const { url } = await bootWaviro(ReturningOfferBot);
      const response = await postKeyword(url, waviroKeywordPayload);
      expect(await response.json()).toEqual({
        success: true,
        message: {
          reply: [
            { type: 'message', content: 'Halo Jhon Doe' },
            { type: 'message', content: 'Kata kunci: penawaran#' },
          ],
        },
      });
      expect(await sandbox.messages({ direction: 'outbound' })).toHaveLength(0);
    });

    it('refuses a call with the wrong webhookkey and runs no handler', async () => {
      const { url, bot } = await bootWaviro();
      const response = await postKeyword(url, { ...waviroKeywordPayload, webhookkey: 'salah' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_signature' });
      expect(bot.calls).toHaveLength(0);
    });

    it('gets the reply to the customer through Waviro', async () => {
      const { url } = await bootWaviro();
      await sandbox.addWaviroKeyword({
        keyword: 'penawaran#',
        url,
        webhookKey: waviroKeywordPayload.webhookkey,
      });
      const { deliveries } = await sandbox.inbound({
        provider: 'waviro',
        from: customer,
        text: 'penawaran#Budi#budi@toko.id',
      });
      expect(deliveries.map((d) => d.status)).toEqual([200]);
      await eventually(replies, (m) => m.length === 1);
      expect((await replies())[0]?.text).toBe('Halo Budi, penawaran kami dikirim ke budi@toko.id');
    });
  });
});

describe("handlers in Nest's pipeline", () => {
  const stranger = '6281111111111';

  async function bootHandlers(providers: unknown[], controllers: unknown[] = []) {
    @Module({
      imports: [WhatsAppModule.forRoot({ ...kiremOptions(), webhookPath: 'whatsapp/webhook' })],
      providers: providers as never[],
      controllers: controllers as never[],
    })
    class AppModule {}
    const booted = await boot([AppModule]);
    await sandbox.setWebhook('kirem', {
      url: `${booted.url}/whatsapp/webhook`,
      secret: KIREM_SECRET,
    });
    return booted;
  }

  const textsTo = async (to: string) =>
    (await sandbox.messages({ to, direction: 'outbound' })).map((m) => m.text).reverse();

  /** Sends each text in turn, waiting for the replies to reach `replyCount` after each. */
  async function converse(turns: [text: string, replyCount: number][]) {
    for (const [text, count] of turns) {
      await sandbox.inbound({ provider: 'kirem', from: customer, text });
      await eventually(replies, (m) => m.length === count);
    }
    return textsTo(customer);
  }

  it('runs a class guard: a sender it refuses reaches no handler and gets no reply', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const types: string[] = [];
    @Injectable()
    class BlockList implements CanActivate {
      canActivate(context: ExecutionContext) {
        types.push(context.getType<'whatsapp'>());
        const { event } = getWhatsAppContext(context);
        return event.kind !== 'message' || event.from !== stranger;
      }
    }
    const served: string[] = [];
    @Injectable()
    @UseGuards(BlockList)
    class BalanceBot {
      @Hears('saldo')
      balance(@Sender() sender: string) {
        served.push(sender);
        return 'Saldo Anda Rp 10.000';
      }
    }
    const { app } = await bootHandlers([BalanceBot]);
    await sandbox.inbound({ provider: 'kirem', from: stranger, text: 'saldo' });
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'saldo' });
    await app.close();
    expect(served).toEqual([customer]);
    expect(types).toEqual(['whatsapp', 'whatsapp']);
    expect(await textsTo(customer)).toEqual(['Saldo Anda Rp 10.000']);
    expect(await textsTo(stranger)).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('runs global guards too, whose host tells the webhook route (http) from a handler (whatsapp)', async () => {
    const types: string[] = [];
    @Injectable()
    class Audit implements CanActivate {
      canActivate(context: ExecutionContext) {
        types.push(context.getType());
        return true;
      }
    }
    const { app } = await bootHandlers([ShopBot, { provide: APP_GUARD, useClass: Audit }]);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'harga' });
    await app.close();
    expect(types).toEqual(['http', 'whatsapp']);
    expect(await textsTo(customer)).toEqual(['Harga mulai Rp 50.000']);
  });

  it('runs an interceptor around the handler: it times the call and wraps what it returned', async () => {
    const observed: { type: string; handler: string; value: unknown; ms: number }[] = [];
    @Injectable()
    class Timing implements NestInterceptor {
      intercept(context: ExecutionContext, next: CallHandler) {
        const started = performance.now();
        return next.handle().pipe(
          map((value) => {
            const handler = `${context.getClass().name}.${context.getHandler().name}`;
            const ms = performance.now() - started;
            observed.push({ type: context.getType(), handler, value, ms });
            return `${value} (dicek)`;
          }),
        );
      }
    }
    @Injectable()
    class PingBot {
      @Hears('ping')
      @UseInterceptors(Timing)
      async ping() {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return 'pong';
      }
    }
    await bootHandlers([PingBot]);
    expect(await converse([['ping', 1]])).toEqual(['pong (dicek)']);
    expect(observed).toMatchObject([{ type: 'whatsapp', handler: 'PingBot.ping', value: 'pong' }]);
    expect(observed[0]?.ms).toBeGreaterThanOrEqual(45);
  });

  it('runs pipes on parameters: ParseIntPipe turns "42" into 42, and its refusal goes to a filter', async () => {
    @Catch(BadRequestException)
    class NotANumber implements ExceptionFilter {
      catch(exception: BadRequestException, host: ArgumentsHost) {
        const { event } = getWhatsAppContext(host);
        return `"${event.kind === 'message' ? contentText(event.content) : ''}" bukan angka (${exception.getStatus()})`;
      }
    }
    const received: unknown[] = [];
    @Injectable()
    @UseFilters(NotANumber)
    class Calculator {
      @OnWhatsAppMessage()
      double(@Text(new ParseIntPipe()) quantity: number) {
        received.push(quantity);
        return `${quantity} x 2 = ${quantity * 2}`;
      }
    }
    await bootHandlers([Calculator]);
    expect(
      await converse([
        ['42', 1],
        ['empat', 2],
      ]),
    ).toEqual(['42 x 2 = 84', '"empat" bukan angka (400)']);
    expect(received).toEqual([42]);
  });

  it('hands a handler’s error to its @Catch() filter instead of the log, whatever the filter returns', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const caught: unknown[] = [];
    @Catch()
    class Apology implements ExceptionFilter {
      catch(exception: Error, host: ArgumentsHost) {
        caught.push([host.getType(), exception.message]);
        return 'Maaf, sistem sedang gangguan';
      }
    }
    @Catch()
    class Quiet implements ExceptionFilter {
      catch(exception: Error) {
        caught.push(['quiet', exception.message]);
      }
    }
    @Injectable()
    @UseFilters(new Apology())
    class StockBot {
      @Hears('stok')
      stock() {
        throw new Error('database is down');
      }

      @Hears('diam')
      @UseFilters(Quiet)
      async silent() {
        throw new Error('nobody needs to know');
      }
    }
    await bootHandlers([StockBot]);
    expect(await converse([['stok', 1]])).toEqual(['Maaf, sistem sedang gangguan']);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'diam' });
    await eventually(
      async () => caught,
      (c) => c.length === 2,
    );
    expect(caught).toEqual([
      ['whatsapp', 'database is down'],
      ['quiet', 'nobody needs to know'],
    ]);
    expect(await replies()).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('sends what a handler returns: a text, a message, an array in order, an Observable', async () => {
    @Injectable()
    class ReturningBot {
      @Hears('halo')
      greet() {
        return 'Halo juga!';
      }

      @Hears('lokasi')
      where(): ReplyMessage {
        return { location: { latitude: -6.2, longitude: 106.8166, name: 'Toko Kabar' } };
      }

      @Hears('jam')
      async hours() {
        return ['Buka 08.00', { text: 'Tutup 17.00' }];
      }

      @Hears('cepat')
      fast() {
        return of('dari Observable');
      }

      @OnWhatsAppStatus()
      status() {
        return 'status handlers reply nothing';
      }
    }
    const { app } = await bootHandlers([ReturningBot]);
    const texts = await converse([
      ['halo', 1],
      ['lokasi', 2],
      ['jam', 4],
      ['cepat', 5],
    ]);
    expect(texts.filter((_, index) => index !== 1)).toEqual([
      'Halo juga!',
      'Buka 08.00',
      'Tutup 17.00',
      'dari Observable',
    ]);
    const location = (await replies()).reverse()[1];
    expect(location?.type).toBe('location');
    const sent = await app.get(WhatsAppService).send({ to: customer, text: 'Pesanan dikirim' });
    await sandbox.setMessageStatus(sent.id, 'read');
    await app.close();
    expect(await replies()).toHaveLength(6);
  });

  it('gives parameter decorators the context, event, sender, text and button id', async () => {
    const Provider = createParamDecorator(
      (_data: unknown, context: ExecutionContext) => getWhatsAppContext(context).event.provider,
    );
    const seen: unknown[] = [];
    @Injectable()
    class Inspector {
      @OnWhatsAppMessage()
      message(
        @Ctx() context: WhatsAppMessageContext,
        @Event() event: MessageEvent,
        @Message() message: MessageEvent,
        @Sender() sender: string,
        @Text() text: string | undefined,
        @ButtonId() buttonId: string | undefined,
        @Provider() provider: string,
      ) {
        expect(context.event).toBe(event);
        expect(message).toBe(event);
        seen.push({ kind: event.kind, sender, text, buttonId, provider });
      }

      @OnWhatsAppStatus()
      status(@Event() event: StatusEvent, @Ctx() context: unknown, @Sender() sender: unknown) {
        seen.push({ kind: event.kind, status: event.status, context, sender });
      }
    }
    const { app } = await bootHandlers([Inspector]);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'halo' });
    await sandbox.inbound({
      provider: 'kirem',
      from: customer,
      button: { id: 'bantuan_tagihan', title: 'Tagihan' },
    });
    await eventually(
      async () => seen,
      (s) => s.length === 2,
    );
    const sent = await app.get(WhatsAppService).send({ to: customer, text: 'Pesanan dikirim' });
    await sandbox.setMessageStatus(sent.id, 'read');
    await eventually(
      async () => seen,
      (s) => s.some((entry) => (entry as { status?: string }).status === 'read'),
    );
    expect(seen.slice(0, 2)).toEqual([
      { kind: 'message', sender: customer, text: 'halo', buttonId: undefined, provider: 'kirem' },
      {
        kind: 'message',
        sender: customer,
        text: undefined,
        buttonId: 'bantuan_tagihan',
        provider: 'kirem',
      },
    ]);
    expect(seen).toContainEqual({
      kind: 'status',
      status: 'read',
      context: undefined,
      sender: undefined,
    });
  });

  it('runs the guards of a handler in a controller, resolved from its module', async () => {
    @Injectable()
    class Refuse implements CanActivate {
      canActivate() {
        return false;
      }
    }
    const ran: string[] = [];
    @Controller()
    @UseGuards(Refuse)
    class GuardedController {
      @OnWhatsAppMessage()
      message(@Text() text: string) {
        ran.push(text);
      }
    }
    const { app } = await bootHandlers([ShopBot], [GuardedController]);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'harga' });
    await app.close();
    expect(ran).toEqual([]);
    expect(await textsTo(customer)).toEqual(['Harga mulai Rp 50.000']);
  });
});

describe('@On, event decorators and include', () => {
  async function bootKirem(module: Type) {
    const booted = await boot([module]);
    const url = `${booted.url}/whatsapp/webhook`;
    await sandbox.setWebhook('kirem', { url, secret: KIREM_SECRET });
    return booted;
  }

  it('hands images and locations to @On, which replies by return, and not to text handlers', async () => {
    @WhatsAppHandlers()
    class Places {
      readonly texts: string[] = [];

      @On(['image', 'location'])
      place(@Message() event: MessageEvent) {
        const { content } = event;
        return content.type === 'location'
          ? `Lokasi ${content.latitude},${content.longitude} dicatat`
          : `Foto ${content.type} diterima`;
      }

      @On('text')
      text(@Text() text: string) {
        this.texts.push(text);
      }

      @Hears('foto')
      hears(@Text() text: string) {
        this.texts.push(text);
      }
    }
    // Never registered: only here so the compiler checks the kinds.
    class Typed {
      // @ts-expect-error 'picture' is no kind of message content
      @On('picture')
      picture() {}

      // @ts-expect-error customer messages are @On's, not @OnWhatsAppEvent's
      @OnWhatsAppEvent('message')
      message() {}
    }
    expect(Typed).toBeDefined();

    @Module({
      imports: [WhatsAppModule.forRoot({ ...kiremOptions(), webhookPath: 'whatsapp/webhook' })],
      providers: [Places],
    })
    class AppModule {}
    const { app } = await bootKirem(AppModule);
    await sandbox.inbound({
      provider: 'kirem',
      from: customer,
      location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas' },
    });
    await eventually(replies, (m) => m.length === 1);
    await sandbox.inbound({ provider: 'kirem', from: customer, image: { caption: 'foto' } });
    await eventually(replies, (m) => m.length === 2);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'halo' });
    await eventually(
      async () => app.get(Places).texts,
      (texts) => texts.length === 1,
    );
    expect((await replies()).map((m) => m.text).reverse()).toEqual([
      'Lokasi -6.175392,106.827153 dicatat',
      'Foto image diterima',
    ]);
    expect(app.get(Places).texts).toEqual(['halo']);
  });

  it('hands template status updates to @OnTemplateStatus and @OnWhatsAppEvent, not to status handlers', async () => {
    @WhatsAppHandlers()
    class Templates {
      readonly approved: TemplateStatusEvent[] = [];
      readonly rejected: TemplateStatusEvent[] = [];
      readonly events: string[] = [];
      readonly statuses: StatusEvent[] = [];

      @OnTemplateStatus('APPROVED')
      approvedTemplate(@Event() event: TemplateStatusEvent) {
        this.approved.push(event);
      }

      @OnTemplateStatus(['REJECTED', 'PAUSED'])
      rejectedTemplate(event: TemplateStatusEvent) {
        this.rejected.push(event);
      }

      @OnWhatsAppEvent(['template_status', 'template_quality'])
      anyTemplate(@Event() event: TemplateStatusEvent, @Ctx() context: unknown) {
        this.events.push(`${event.kind} ${event.event} ${context}`);
      }

      @OnWhatsAppStatus()
      status(event: StatusEvent) {
        this.statuses.push(event);
      }
    }
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          provider: meta({
            accessToken: sandbox.meta.accessToken,
            phoneNumberId: sandbox.meta.phoneNumberId,
            baseUrl: sandbox.meta.baseUrl,
          }),
          webhook: { provider: 'meta', secret: 'meta_app_secret' },
          webhookPath: 'meta/webhook',
        }),
      ],
      providers: [Templates],
    })
    class AppModule {}
    const booted = await boot([AppModule]);
    await sandbox.setWebhook('meta', {
      url: `${booted.url}/meta/webhook`,
      secret: 'meta_app_secret',
    });
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'APPROVED');
    await sandbox.setTemplateStatus('meta', 'promo_diskon_baru', 'PAUSED');
    const templates = booted.app.get(Templates);
    await eventually(
      async () => templates.events,
      (events) => events.length === 2,
    );
    expect(templates.events).toEqual([
      'template_status APPROVED undefined',
      'template_status PAUSED undefined',
    ]);
    expect(templates.approved.map((e) => [e.name, e.event, e.templateId])).toEqual([
      ['promo_diskon_baru', 'APPROVED', '194819481948194'],
    ]);
    expect(templates.rejected.map((e) => e.event)).toEqual(['PAUSED']);
    expect(templates.statuses).toEqual([]);
  });

  it('with include, scans only the listed modules: a handler in another module never runs', async () => {
    @WhatsAppHandlers()
    class Included {
      readonly heard: string[] = [];

      @Hears('halo')
      hello(@Text() text: string) {
        this.heard.push(text);
        return 'Halo dari modul yang dipilih';
      }
    }
    @Injectable()
    class Excluded {
      readonly heard: string[] = [];

      @OnWhatsAppMessage()
      any(@Text() text: string) {
        this.heard.push(text);
        return 'tidak boleh terkirim';
      }
    }
    @Module({ providers: [Included] })
    class ChatModule {}
    @Module({ providers: [Excluded] })
    class OtherModule {}
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          ...kiremOptions(),
          include: [ChatModule],
          webhookPath: 'whatsapp/webhook',
        }),
        ChatModule,
        OtherModule,
      ],
    })
    class AppModule {}
    const { app } = await bootKirem(AppModule);
    expect(app.get(WhatsAppEventDispatcher).handlerNames).toEqual(['Included.hello']);
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'halo' });
    await eventually(replies, (m) => m.length === 1);
    await app.close();
    expect((await replies()).map((m) => m.text)).toEqual(['Halo dari modul yang dipilih']);
    expect(app.get(Included).heard).toEqual(['halo']);
    expect(app.get(Excluded).heard).toEqual([]);
  });
});

describe('OtpService and its controller', () => {
  const otp = {
    secret: 'otp-secret-0123456789abcdef',
    template: { name: 'otp_verification', language: 'id', button: 'none' as const },
  };

  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  it('logs a number in over HTTP with the Express router’s contract', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          ...kiremOptions({
            otp: {
              ...otp,
              purposes: ['login'],
              allowedCountries: ['ID'],
              onVerified: (phone) => ({ session: `sesi-${phone}` }),
            },
          }),
          otpPath: 'otp',
        }),
      ],
    })
    class AppModule {}
    const { url } = await boot([AppModule]);

    const requested = await post(`${url}/otp/request`, { phone: '0812-3456-7890' });
    expect(requested).toMatchObject({
      status: 201,
      body: { success: true, data: { phone: customer, expires_in: 300 } },
    });
    const again = await post(`${url}/otp/request`, { phone: '0812-3456-7890', purpose: 'login' });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('resend_cooldown');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);

    const wrong = await post(`${url}/otp/verify`, { phone: customer, code: '000000' });
    const neverAsked = await post(`${url}/otp/verify`, { phone: '081298765432', code: '000000' });
    for (const refused of [wrong, neverAsked]) {
      expect(refused).toMatchObject({ status: 422 });
      expect(refused.body).toEqual({
        success: false,
        error: {
          code: 'otp_invalid',
          message: 'the code is wrong or has expired; request a new one',
        },
      });
    }
    const code = /\d{6}/.exec((await sandbox.latest({ to: customer }))?.text ?? '')?.[0];
    const verified = await post(`${url}/otp/verify`, { phone: customer, code });
    expect(verified).toMatchObject({
      status: 200,
      body: {
        success: true,
        data: { verified: true, phone: customer, session: `sesi-${customer}` },
      },
    });
    expect((await post(`${url}/otp/request`, { phone: 'bukan nomor' })).body.error.code).toBe(
      'invalid_phone',
    );
    expect((await post(`${url}/otp/nothing`, {})).status).toBe(404);
  });

  it('refuses what only the server may set: code_length, ttl, other purposes, foreign numbers', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          ...kiremOptions({ otp: { ...otp, purposes: ['login'], allowedCountries: ['ID'] } }),
          otpPath: 'otp',
        }),
      ],
    })
    class AppModule {}
    const { url } = await boot([AppModule]);
    for (const [body, field] of [
      [{ phone: customer, code_length: 4 }, 'code_length'],
      [{ phone: customer, ttl: 1800 }, 'ttl'],
      [{ phone: customer, purpose: 'reset_password' }, 'purpose'],
      [{ phone: '+1 202 555 0123' }, 'phone'],
    ] as const) {
      const refused = await post(`${url}/otp/request`, body);
      expect(refused).toMatchObject({ status: 422, body: { error: { code: 'validation_error' } } });
      expect(Object.keys(refused.body.error.fields)).toEqual([field]);
    }
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('caps OTP bodies at 10 KiB with a 413 and no stack, even behind a 3 MB JSON parser', async () => {
    @Module({
      imports: [WhatsAppModule.forRoot({ ...kiremOptions({ otp }), otpPath: 'otp' })],
    })
    class AppModule {}
    for (const rawBody of [true, false]) {
      const { url } = await boot([AppModule], { rawBody, jsonLimit: '3mb' });
      for (const size of [20_000, 2_000_000]) {
        const response = await fetch(`${url}/otp/request`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone: customer, pad: 'x'.repeat(size) }),
        });
        expect(response.status).toBe(413);
        const text = await response.text();
        expect(JSON.parse(text)).toMatchObject({
          success: false,
          error: { code: 'validation_error', message: 'body over 10240 bytes' },
        });
        expect(text).not.toMatch(/\bat \w/);
      }
      await app?.close();
    }
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('serves Qirim’s detailed contract at trustedOtpPath, only to callers with the API key', async () => {
    const apiKey = 'trusted-backend-key-0123456789';
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          ...kiremOptions({ otp: { ...otp, trusted: { apiKey } } }),
          otpPath: 'otp',
          trustedOtpPath: 'internal/otp',
        }),
      ],
    })
    class AppModule {}
    const { url } = await boot([AppModule]);
    const body = { phone: customer, purpose: 'withdrawal', code_length: 8, ttl: 120 };
    expect((await post(`${url}/internal/otp/request`, body)).status).toBe(401);
    expect((await post(`${url}/otp/request`, body)).status).toBe(422);
    const requested = await post(`${url}/internal/otp/request`, body, { 'x-api-key': apiKey });
    expect(requested).toMatchObject({ status: 201, body: { data: { expires_in: 120 } } });
    const code = /\d{8}/.exec((await sandbox.latest({ to: customer }))?.text ?? '')?.[0];
    const wrong = await post(
      `${url}/internal/otp/verify`,
      {
        phone: customer,
        purpose: 'withdrawal',
        code: code === '00000000' ? '11111111' : '00000000',
      },
      { authorization: `Bearer ${apiKey}` },
    );
    expect(wrong).toMatchObject({
      status: 422,
      body: { error: { code: 'otp_incorrect', attempts_remaining: 4 } },
    });
  });

  it('refuses to start a trustedOtpPath without a key, or a short key', async () => {
    for (const trusted of [undefined, { apiKey: 'short-key' }]) {
      @Module({
        imports: [
          WhatsAppModule.forRoot({
            ...kiremOptions({ otp: { ...otp, trusted } }),
            trustedOtpPath: 'internal/otp',
          }),
        ],
      })
      class AppModule {}
      expect((await startupError(AppModule))?.message).toMatch(/apiKey/);
    }
  });

  it.runIf(redisRunnable)('shares codes between instances through the Redis store', async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = `kabar-nest-test:${process.pid}:${Date.now()}:`;
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          ...kiremOptions({
            otp: {
              ...otp,
              store: redisOtpStore({ redis, prefix }),
              limits: { store: redisRequestLimiter({ redis, prefix }) },
            },
          }),
          otpPath: 'otp',
        }),
      ],
    })
    class AppModule {}
    const first = await boot([AppModule]);
    const firstApp = first.app;
    const second = await boot([AppModule]);
    try {
      expect((await post(`${first.url}/otp/request`, { phone: customer })).status).toBe(201);
      // The other instance knows the cooldown, and checks the code the first one sent.
      expect((await post(`${second.url}/otp/request`, { phone: customer })).status).toBe(429);
      const code = /\d{6}/.exec((await sandbox.latest({ to: customer }))?.text ?? '')?.[0];
      const verified = await post(`${second.url}/otp/verify`, { phone: customer, code });
      expect(verified).toMatchObject({ status: 200, body: { data: { verified: true } } });
    } finally {
      await firstApp.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('says what is missing when the module has no otp options', async () => {
    @Module({ imports: [WhatsAppModule.forRoot(kiremOptions())] })
    class AppModule {}
    const { app } = await boot([AppModule]);
    await expect(app.get(OtpService).request({ phone: customer })).rejects.toThrow(
      /give WhatsAppModule an `otp` option/,
    );
  });
});

describe('the send policy and ConsentService', () => {
  const META_SECRET = 'meta_policy_secret';
  const freeForm = { to: customer, text: 'Pesanan Anda sudah dikirim' };

  /** Counts the messages the handlers saw: the tracker has noted each one before they run. */
  @Injectable()
  class Heard {
    count = 0;

    @OnWhatsAppMessage()
    message() {
      this.count += 1;
    }
  }

  function metaPolicyOptions(policy: WhatsAppModuleOptions['policy']): WhatsAppModuleOptions {
    return {
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        baseUrl: sandbox.meta.baseUrl,
      }),
      rateLimit: false,
      webhook: { provider: 'meta', secret: META_SECRET },
      policy,
    };
  }

  /** Boots the module, points the sandbox's signed Meta webhooks at it. */
  async function bootPolicy(module: DynamicModule) {
    @Module({ imports: [module], providers: [Heard] })
    class AppModule {}
    const booted = await boot([AppModule]);
    const url = `${booted.url}/meta/webhook`;
    await sandbox.setWebhook('meta', { url, secret: META_SECRET });
    const heard = booted.app.get(Heard);
    /** The customer writes; resolves once the app has handled it. */
    const customerWrites = async (text: string) => {
      const before = heard.count;
      await sandbox.inbound({ provider: 'meta', from: customer, text });
      await eventually(
        async () => heard.count,
        (count) => count > before,
      );
    };
    return {
      app: booted.app,
      whatsapp: booted.app.get(WhatsAppService),
      consent: booted.app.get(ConsentService),
      customerWrites,
    };
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('the send went through'),
      (error: KabarError) => error,
    );

  it('opts out on STOP, confirms once, then refuses marketing while utility goes', async () => {
    const { whatsapp, consent, customerWrites } = await bootPolicy(
      WhatsAppModule.forRoot({
        ...metaPolicyOptions({
          window: { store: memoryWindowStore() },
          consent: memoryConsentStore(),
          confirm: true,
        }),
        webhookPath: 'meta/webhook',
      }),
    );
    await customerWrites('STOP');
    expect(await consent.get('0812-3456-7890')).toMatchObject({
      status: 'opted_out',
      source: 'keyword',
    });
    const confirmations = async () =>
      (await replies()).filter((message) => /Reply START/.test(message.text));
    await eventually(confirmations, (list) => list.length === 1);
    await customerWrites('stop');
    expect(await confirmations()).toHaveLength(1);

    const before = (await replies()).length;
    const refused = await failure(whatsapp.send({ ...freeForm, category: 'marketing' }));
    expect(refused).toBeInstanceOf(KabarError);
    expect(refused).toMatchObject({ code: 'opted_out', provider: 'meta' });
    expect(refused.message).not.toContain(customer);
    expect(await replies()).toHaveLength(before);
    await whatsapp.send({ ...freeForm, category: 'utility' });
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: freeForm.text });

    // A checkout box opts them back in.
    await consent.optIn('0812-3456-7890', 'checkout');
    expect(await consent.get(customer)).toMatchObject({ status: 'opted_in', source: 'checkout' });
    expect(await consent.isOptedOut(customer)).toBe(false);
    await whatsapp.send({ ...freeForm, text: 'Diskon 50%', category: 'marketing' });
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: 'Diskon 50%' });
  });

  it('refuses a free-form message outside the 24-hour window with outside_window (forRootAsync)', async () => {
    const window = memoryWindowStore();
    const { app, whatsapp, consent, customerWrites } = await bootPolicy(
      WhatsAppModule.forRootAsync({
        useFactory: () => metaPolicyOptions({ window: { store: window } }),
        webhookPath: 'meta/webhook',
      }),
    );
    const refused = await failure(whatsapp.send(freeForm));
    expect(refused).toMatchObject({ code: 'outside_window', provider: 'meta' });
    expect(refused.message).toMatch(/template/);
    // The raw client and @Hears replies follow the same policy.
    const client = app.get<WhatsAppService['client']>(WHATSAPP_CLIENT);
    expect(await failure(client.send(freeForm))).toMatchObject({ code: 'outside_window' });
    expect(await replies()).toHaveLength(0);
    await whatsapp.send({
      to: customer,
      template: { name: 'otp_verification', language: 'id', params: ['1'] },
    });

    await customerWrites('halo, pesanan saya di mana?');
    await whatsapp.send(freeForm);
    expect(await sandbox.latest({ to: customer })).toMatchObject({ text: freeForm.text });
    // Without `policy.consent` there is no ledger to write to.
    await expect(consent.optOut(customer)).rejects.toThrow(/policy\.consent/);
  });

  it('leaves sends alone and ConsentService unconfigured without a policy', async () => {
    @Module({ imports: [WhatsAppModule.forRoot(kiremOptions())] })
    class AppModule {}
    const { app } = await boot([AppModule]);
    expect(app.get(WHATSAPP_TRACKER)).toBeUndefined();
    await app.get(WhatsAppService).send({ ...freeForm, category: 'marketing' });
    const error = await app
      .get(ConsentService)
      .get(customer)
      .catch((caught: KabarError) => caught);
    expect(error).toMatchObject({ code: 'invalid_config' });
  });
});

describe('WhatsAppHealthIndicator under terminus', () => {
  async function check(options: WhatsAppModuleOptions) {
    @Module({ imports: [WhatsAppModule.forRoot(options), TerminusModule] })
    class AppModule {}
    const { app } = await boot([AppModule]);
    const indicator = app.get(WhatsAppHealthIndicator);
    return app
      .get(HealthCheckService)
      .check([() => indicator.isHealthy('whatsapp')])
      .then(
        (result) => result,
        (error: { response: unknown }) => error.response,
      );
  }

  it('is up when the Waviro session is logged in, and down with the reason when it is not', async () => {
    const options = { provider: waviro(sandbox.waviro) };
    expect(await check(options)).toMatchObject({
      status: 'ok',
      info: { whatsapp: { status: 'up', provider: 'waviro', check: 'session' } },
    });
    await app?.close();
    await sandbox.setWaviroConnection({ authenticated: false });
    expect(await check(options)).toMatchObject({
      status: 'error',
      error: { whatsapp: { status: 'down', authenticated: false, message: /logged out/ } },
    });
  });

  it('is down when the gateway refuses the key, without echoing the key', async () => {
    const result = await check({
      provider: kirem({ apiKey: 'kirem_wrong_key_123', baseUrl: sandbox.kirem.baseUrl }),
    });
    expect(result).toMatchObject({
      status: 'error',
      error: { whatsapp: { status: 'down', check: 'profile', error: 'unauthenticated' } },
    });
    expect(JSON.stringify(result)).not.toContain('kirem_wrong_key_123');
  });
});
