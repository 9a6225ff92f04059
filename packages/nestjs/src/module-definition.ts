import {
  type ConfigurableModuleAsyncOptions,
  ConfigurableModuleBuilder,
  type Type,
} from '@nestjs/common';
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

// The two interfaces below are the builder's OPTIONS_TYPE and ASYNC_OPTIONS_TYPE spelled out by
// name. Those are type carriers only (undefined at runtime), so they are not exported as values.

/**
 * What `WhatsAppModule.forRoot` takes: the module's options (`WhatsAppModuleOptions`) and the
 * extras that shape the module (`isGlobal`, `webhookPath`, `otpPath`, `trustedOtpPath`) in one
 * object.
 */
export interface WhatsAppModuleSyncOptions extends WhatsAppModuleOptions, WhatsAppModuleExtras {}

/**
 * What `WhatsAppModule.forRootAsync` takes: how to make the options (`useFactory` with `inject`
 * and `imports`, or `useClass` / `useExisting` with a class implementing
 * `createWhatsAppOptions()`), and beside them the extras, which must be known when the module is
 * declared.
 */
export interface WhatsAppModuleAsyncOptions
  extends ConfigurableModuleAsyncOptions<WhatsAppModuleOptions, 'createWhatsAppOptions'>,
    WhatsAppModuleExtras {}
