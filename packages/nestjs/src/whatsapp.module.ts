import { createClient } from '@kabar/core';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WhatsAppEventDispatcher } from './event-dispatcher.js';
import { WhatsAppHealthIndicator } from './health.js';
import { ConfigurableWhatsAppModule } from './module-definition.js';
import type { WhatsAppModuleOptions } from './options.js';
import { OtpService } from './otp.service.js';
import { WHATSAPP_CLIENT, WHATSAPP_MODULE_OPTIONS } from './tokens.js';
import { WhatsAppService } from './whatsapp.service.js';

/**
 * `WhatsAppModule.forRoot({ provider: kirem({ apiKey }) })`, or `forRootAsync({ useFactory,
 * inject })` to read the key from ConfigService. Extras: `isGlobal`, `webhookPath`, `otpPath`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: WHATSAPP_CLIENT,
      useFactory: ({
        webhook: _webhook,
        otp: _otp,
        chatState: _chatState,
        ...client
      }: WhatsAppModuleOptions) => createClient(client),
      inject: [WHATSAPP_MODULE_OPTIONS],
    },
    WhatsAppService,
    WhatsAppEventDispatcher,
    OtpService,
    WhatsAppHealthIndicator,
  ],
  exports: [
    WHATSAPP_CLIENT,
    WHATSAPP_MODULE_OPTIONS,
    WhatsAppService,
    WhatsAppEventDispatcher,
    OtpService,
    WhatsAppHealthIndicator,
  ],
})
export class WhatsAppModule extends ConfigurableWhatsAppModule {}
