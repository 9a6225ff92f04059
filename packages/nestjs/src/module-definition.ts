import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { WhatsAppModuleExtras, WhatsAppModuleOptions } from './options.js';
import { createOtpController } from './otp.controller.js';
import { WHATSAPP_MODULE_OPTIONS } from './tokens.js';
import { createWebhookController } from './webhook.controller.js';

export const {
  ConfigurableModuleClass: ConfigurableWhatsAppModule,
  OPTIONS_TYPE: WHATSAPP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: WHATSAPP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WhatsAppModuleOptions>({
  // The builder would derive WHATS_APP_MODULE_OPTIONS from the class name.
  optionsInjectionToken: WHATSAPP_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createWhatsAppOptions')
  .setExtras<WhatsAppModuleExtras>({ isGlobal: false }, (definition, extras) => {
    const controllers: Type[] = [...(definition.controllers ?? [])];
    if (extras.webhookPath !== undefined)
      controllers.push(createWebhookController(extras.webhookPath));
    if (extras.otpPath !== undefined) {
      controllers.push(createOtpController(extras.otpPath, 'browser'));
    }
    if (extras.trustedOtpPath !== undefined) {
      controllers.push(createOtpController(extras.trustedOtpPath, 'trusted'));
    }
    return { ...definition, global: extras.isGlobal, controllers };
  })
  .build();

export type WhatsAppModuleSyncOptions = typeof WHATSAPP_OPTIONS_TYPE;
export type WhatsAppModuleAsyncOptions = typeof WHATSAPP_ASYNC_OPTIONS_TYPE;
