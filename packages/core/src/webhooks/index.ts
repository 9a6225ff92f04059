export {
  type WaviroReplyBody,
  type WaviroReplyItem,
  waviroReply,
} from '../providers/waviro/webhook-reply.js';
export { type BodySource, DEFAULT_WEBHOOK_BODY_LIMIT, readRawBody } from './body.js';
export { contentText } from './content-text.js';
export {
  DEFAULT_DEDUPE_TTL_MS,
  type DedupeStore,
  dedupeKey,
  memoryDedupeStore,
} from './dedupe.js';
export type {
  AccountUpdateEvent,
  BusinessNumber,
  CallEvent,
  ConnectionEvent,
  Conversation,
  DeliveryStatus,
  EchoEvent,
  ErrorEvent,
  HistoryEvent,
  InboundContent,
  MessageEvent,
  OrderItem,
  PhoneNumberNameEvent,
  PhoneNumberQualityEvent,
  Pricing,
  Referral,
  SharedContact,
  StatusEvent,
  TemplateCategoryEvent,
  TemplateQualityEvent,
  TemplateStatusEvent,
  UnknownEvent,
  UserPreferenceEvent,
  WebhookError,
  WebhookEvent,
  WebhookEventKind,
  WebhookProvider,
  WhatsAppUser,
} from './events.js';
export {
  createWebhookHandler,
  isJsonContentType,
  type WebhookDelivery,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookLogger,
  type WebhookRequest,
  type WebhookResult,
} from './handler.js';
export { type HandshakeQuery, verifyMetaHandshake } from './handshake.js';
export {
  DEFAULT_MESSAGE_ID_TTL_MS,
  type MessageIdStore,
  memoryMessageIdStore,
} from './message-ids.js';
export { type ParseWebhookOptions, parseWebhook, WEBHOOK_PROVIDERS } from './parse.js';
export { recipientOf } from './recipient.js';
export {
  computeSignature,
  isValidSignature,
  type RawBody,
  SIGNATURE_HEADERS,
  type SignedProvider,
  type VerifySignatureInput,
  verifySignature,
} from './signature.js';
