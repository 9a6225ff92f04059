export { ConsentService } from './consent.service.js';
export {
  Hears,
  On,
  OnButton,
  OnListReply,
  OnTemplateStatus,
  OnWhatsAppEvent,
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  type Pattern,
  type WhatsAppEventKind,
  WhatsAppHandlers,
  type WhatsAppHandlersOptions,
  type WhatsAppMessageKind,
} from './decorators.js';
export { WhatsAppEventDispatcher } from './event-dispatcher.js';
export {
  getWhatsAppContext,
  type WhatsAppHandlerArguments,
  type WhatsAppMessageContext,
} from './execution-context.js';
export {
  WhatsAppHealthCheckError,
  WhatsAppHealthIndicator,
  type WhatsAppHealthResult,
} from './health.js';
export type { WhatsAppModuleAsyncOptions, WhatsAppModuleSyncOptions } from './module-definition.js';
export {
  getWhatsAppToken,
  InjectWhatsApp,
  InjectWhatsAppClient,
  type WhatsAppExport,
} from './named.js';
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
export { ButtonId, Ctx, Event, Message, Sender, Text } from './param-decorators.js';
export {
  DEFAULT_WHATSAPP_CLIENT,
  WHATSAPP_CLIENT,
  WHATSAPP_MODULE_OPTIONS,
  WHATSAPP_TRACKER,
} from './tokens.js';
export { RAW_BODY_MISSING } from './webhook.controller.js';
export { WhatsAppModule } from './whatsapp.module.js';
export { WhatsAppService } from './whatsapp.service.js';
