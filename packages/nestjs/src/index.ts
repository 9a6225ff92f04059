export { ConsentService } from './consent.service.js';
export {
  Hears,
  OnButton,
  OnListReply,
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  type Pattern,
} from './decorators.js';
export { WhatsAppEventDispatcher, type WhatsAppMessageContext } from './event-dispatcher.js';
export {
  WhatsAppHealthCheckError,
  WhatsAppHealthIndicator,
  type WhatsAppHealthResult,
} from './health.js';
export type { WhatsAppModuleAsyncOptions, WhatsAppModuleSyncOptions } from './module-definition.js';
export type {
  WhatsAppLocalOtpOptions,
  WhatsAppModuleExtras,
  WhatsAppModuleOptions,
  WhatsAppOtpHttpOptions,
  WhatsAppOtpOptions,
  WhatsAppPolicyOptions,
  WhatsAppWebhookOptions,
} from './options.js';
export { type OtpHttpContract, OtpService } from './otp.service.js';
export {
  InjectWhatsAppClient,
  WHATSAPP_CLIENT,
  WHATSAPP_MODULE_OPTIONS,
  WHATSAPP_TRACKER,
} from './tokens.js';
export { RAW_BODY_MISSING } from './webhook.controller.js';
export { WhatsAppModule } from './whatsapp.module.js';
export { WhatsAppService } from './whatsapp.service.js';
