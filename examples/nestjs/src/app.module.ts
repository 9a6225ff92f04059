import { meta } from '@kabar/core/meta';
import { WhatsAppModule } from '@kabar/nestjs';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { OrdersModule } from './orders/orders.module.js';
import { ShopModule } from './shop/shop.module.js';
import { type WhatsAppConfig, whatsappConfig } from './whatsapp.config.js';

export const whatsappModule = WhatsAppModule.forRootAsync({
  // Global: OrdersModule and ShopModule inject WhatsAppService without importing the module.
  isGlobal: true,
  imports: [ConfigModule.forFeature(whatsappConfig)],
  inject: [whatsappConfig.KEY],
  useFactory: (config: WhatsAppConfig) => ({
    provider: meta({
      accessToken: config.accessToken,
      phoneNumberId: config.phoneNumberId,
      baseUrl: config.baseUrl,
    }),
    webhook: { provider: 'meta', secret: config.appSecret, verifyToken: config.verifyToken },
    otp: {
      secret: config.otpSecret,
      template: { name: 'otp_verification', language: 'id', button: 'none' },
      allowedCountries: ['ID'],
    },
  }),
  webhookPath: 'whatsapp/webhook',
  otpPath: 'otp',
});

@Module({
  imports: [whatsappModule, TerminusModule, OrdersModule, ShopModule],
  controllers: [HealthController],
})
export class AppModule {}
