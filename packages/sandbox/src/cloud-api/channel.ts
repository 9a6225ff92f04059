import type { Template, TemplateProvider } from '../types.js';
import type { WebhookWire } from '../webhook-dispatch.js';
import type { TemplateStore } from './templates.js';
import type { InboundEvent, WireStatus } from './wire.js';

/** The business's own number: where inbound Kirem and Meta messages go, and Meta's display_phone_number. */
export const BUSINESS_PHONE_NUMBER = '6281100001234';

/**
 * What a Meta-compatible dialect (Kirem, Meta) hands the code they share: sending, templates,
 * statuses, inbound messages and the service window all work the same, only the wrapping differs.
 */
export interface CloudChannel {
  readonly provider: TemplateProvider;
  /** How its webhooks are signed and serialised. */
  readonly webhook: WebhookWire;
  readonly templates: TemplateStore;
  /** The phone number a send that names none goes from, and inbound messages come to. */
  readonly defaultPhoneNumberId: string;
  /** A customer's message: what the store keeps as its payload, and the webhook event carrying it. */
  messageEvent(event: InboundEvent): { payload: unknown; event: unknown };
  /** The status webhook event for one status of a sent message. */
  statusEvent(status: WireStatus): unknown;
  /** The webhook event for a template's new review status, where the gateway sends one (Meta). */
  templateStatusEvent?(template: Template, reason: string): unknown;
}
