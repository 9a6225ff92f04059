import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConsentService, trackerOf } from './consent.service.js';
import { WhatsAppEventDispatcher } from './event-dispatcher.js';
import { WhatsAppHealthIndicator } from './health.js';
import { moduleClientOf } from './module-client.js';
import { ConfigurableWhatsAppModule } from './module-definition.js';
import { OtpService } from './otp.service.js';
import { WHATSAPP_CLIENT, WHATSAPP_MODULE_OPTIONS, WHATSAPP_TRACKER } from './tokens.js';
import { WhatsAppService } from './whatsapp.service.js';

/**
 * WhatsApp for a Nest app: provides `WhatsAppService` (and the raw client as `WHATSAPP_CLIENT`),
 * runs the decorated handlers (`@Hears`, `@OnButton`, `@OnWhatsAppMessage`, ...), and, when asked,
 * mounts the webhook endpoint and the OTP routes. Register it with
 * `forRoot(options: WhatsAppModuleSyncOptions)`, or with
 * `forRootAsync(options: WhatsAppModuleAsyncOptions)` to build the options from injected config.
 * The extras `isGlobal` (default false), `name`, `webhookPath`, `otpPath` and `trustedOtpPath` go
 * next to the options in both. Register it once per gateway, each with its own `name` and
 * `webhookPath`, to serve several in one app. With the `policy` option, every send follows the send policy (the 24-hour
 * window, marketing consent), the webhook endpoint keeps its stores current, and `ConsentService`
 * records opt-ins and opt-outs.
 *
 * The app fails to start with `KabarError` `invalid_config` when the client options are invalid,
 * when `webhookPath` is set and `webhook.secret` is missing or short, or when `otpPath` /
 * `trustedOtpPath` is set without the `otp` options they need (`otp.trusted.apiKey` for the
 * latter).
 *
 * @example
 * ```ts
 * import { kirem } from '@kabar/core/kirem';
 * import { WhatsAppModule } from '@kabar/nestjs';
 * import { Module } from '@nestjs/common';
 *
 * @Module({
 *   imports: [
 *     WhatsAppModule.forRoot({
 *       provider: kirem({ apiKey: process.env.KIREM_API_KEY ?? '' }),
 *       webhook: { provider: 'kirem', secret: process.env.KIREM_WEBHOOK_SECRET ?? '' },
 *       isGlobal: true,
 *       webhookPath: 'whatsapp/webhook',
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 *
 * @example
 * ```ts
 * import { meta } from '@kabar/core/meta';
 * import { WhatsAppModule } from '@kabar/nestjs';
 * import { Module } from '@nestjs/common';
 * import { ConfigModule, ConfigService } from '@nestjs/config';
 *
 * @Module({
 *   imports: [
 *     WhatsAppModule.forRootAsync({
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         provider: meta({
 *           accessToken: config.getOrThrow('META_ACCESS_TOKEN'),
 *           phoneNumberId: config.getOrThrow('META_PHONE_NUMBER_ID'),
 *         }),
 *         webhook: {
 *           provider: 'meta',
 *           secret: config.getOrThrow('META_APP_SECRET'),
 *           verifyToken: config.getOrThrow('META_VERIFY_TOKEN'),
 *         },
 *       }),
 *       isGlobal: true,
 *       webhookPath: 'whatsapp/webhook',
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: WHATSAPP_CLIENT,
      useFactory: moduleClientOf,
      inject: [WHATSAPP_MODULE_OPTIONS],
    },
    {
      provide: WHATSAPP_TRACKER,
      useFactory: trackerOf,
      inject: [WHATSAPP_MODULE_OPTIONS, WHATSAPP_CLIENT],
    },
    WhatsAppService,
    ConsentService,
    WhatsAppEventDispatcher,
    OtpService,
    WhatsAppHealthIndicator,
  ],
  // Exports depend on the `name` extra: see `namedParts` in module-definition.ts.
})
export class WhatsAppModule extends ConfigurableWhatsAppModule {}
