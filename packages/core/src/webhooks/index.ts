export { type BodySource, DEFAULT_WEBHOOK_BODY_LIMIT, readRawBody } from './body.js';
export type {
  DeliveryStatus,
  InboundContent,
  MessageEvent,
  StatusEvent,
  WebhookEvent,
  WebhookProvider,
} from './events.js';
export { type HandshakeQuery, verifyMetaHandshake } from './handshake.js';
export { type ParseWebhookOptions, parseWebhook } from './parse.js';
export {
  computeSignature,
  isValidSignature,
  type RawBody,
  SIGNATURE_HEADERS,
  type SignedProvider,
  type VerifySignatureInput,
  verifySignature,
} from './signature.js';
export { type WaviroReplyBody, type WaviroReplyItem, waviroReply } from './waviro-reply.js';
