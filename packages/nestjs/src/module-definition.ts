import {
  type ConfigurableModuleAsyncOptions,
  ConfigurableModuleBuilder,
  type DynamicModule,
  type InjectionToken,
  type Provider,
  type Type,
} from '@nestjs/common';
import { getWhatsAppToken, WHATSAPP_EXPORTS, whatsAppClientName } from './named.js';
import type { WhatsAppModuleExtras, WhatsAppModuleOptions } from './options.js';
import { createOtpController } from './otp.controller.js';
import {
  DEFAULT_WHATSAPP_CLIENT,
  WHATSAPP_CLIENT_NAME,
  WHATSAPP_MODULE_OPTIONS,
} from './tokens.js';
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
    return {
      ...definition,
      ...namedParts(definition, extras.name),
      global: extras.isGlobal,
      controllers,
    };
  })
  .build();

/**
 * Inside, every module provides its parts under the plain tokens, so its own controllers and
 * dispatcher find them. Outside, an unnamed module exports those; a named one exports only
 * aliases under `getWhatsAppToken(token, name)`, so two modules in one app never export the same
 * token (global ones would otherwise answer each other's injections).
 */
function namedParts(
  definition: DynamicModule,
  extra: unknown,
): { providers: Provider[]; exports: InjectionToken[] } {
  const name = whatsAppClientName(extra);
  const providers: Provider[] = [
    ...(definition.providers ?? []),
    { provide: WHATSAPP_CLIENT_NAME, useValue: name },
  ];
  if (name === DEFAULT_WHATSAPP_CLIENT) return { providers, exports: [...WHATSAPP_EXPORTS] };
  const exports = WHATSAPP_EXPORTS.map((token) => {
    const alias = getWhatsAppToken(token as symbol, name);
    providers.push({ provide: alias, useExisting: token });
    return alias;
  });
  return { providers, exports };
}

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
