import { kiremMessageEvent, kiremStatusEvent } from './kirem-webhook-format';
import {
  type MetaAccount,
  type MetaUser,
  metaJson,
  metaMessage,
  metaMessageEvent,
  metaStatusEvent,
  metaTemplateStatusEvent,
  metaUserPreferencesEvent,
  type WireContent,
  type WireStatus,
} from './meta-webhook-format';
import { BUSINESS_PHONE_NUMBER } from './options';
import type { SandboxState } from './state';
import type { DeliveryKind, Template, WebhookDelivery, WebhookProvider } from './types';
import { hmacSignature } from './webhook-delivery';

export interface InboundEvent {
  content: WireContent;
  /** The customer's number; always there for Kirem and Waviro, optional on Meta with `userId`. */
  from?: string;
  /** Meta's business-scoped user id. */
  userId?: string;
  username?: string;
  name: string;
  messageId: string;
  timestamp: string;
  replyTo?: string;
}

function metaAccount(state: SandboxState): MetaAccount {
  return {
    wabaId: state.options.meta.wabaIds[0],
    phoneNumberId: state.options.meta.phoneNumberIds[0],
    displayPhoneNumber: BUSINESS_PHONE_NUMBER,
  };
}

/** The message as the provider's webhook carries it, which is also what the store keeps. */
export function wireMessage(provider: WebhookProvider, event: InboundEvent): unknown {
  if (provider === 'kirem') {
    return kiremMessageEvent(event.content, {
      // parseInbound only lets a sender without a number through for Meta.
      from: event.from ?? '',
      messageId: event.messageId,
      timestamp: event.timestamp,
      ...(event.replyTo ? { context: { id: event.replyTo } } : {}),
    });
  }
  return metaMessage(event.content, {
    ...(event.from === undefined ? {} : { from: event.from }),
    ...(event.userId === undefined ? {} : { fromUserId: event.userId }),
    id: event.messageId,
    timestamp: event.timestamp,
    ...(event.replyTo ? { context: { from: BUSINESS_PHONE_NUMBER, id: event.replyTo } } : {}),
  });
}

export function deliverInbound(
  state: SandboxState,
  provider: WebhookProvider,
  event: InboundEvent,
): Promise<WebhookDelivery | undefined> {
  const message = wireMessage(provider, event);
  const body =
    provider === 'kirem'
      ? message
      : metaMessageEvent(metaAccount(state), metaUser(event), message as Record<string, unknown>);
  return deliverEvent(state, provider, 'message', body);
}

function metaUser(user: {
  name: string;
  from?: string;
  userId?: string;
  username?: string;
}): MetaUser {
  return {
    name: user.name,
    ...(user.from === undefined ? {} : { waId: user.from }),
    ...(user.userId === undefined ? {} : { userId: user.userId }),
    ...(user.username === undefined ? {} : { username: user.username }),
  };
}

/** Meta's user_preferences webhook: the customer stopped or resumed marketing messages. */
export function deliverUserPreference(
  state: SandboxState,
  user: { name: string; from?: string; userId?: string },
  value: 'stop' | 'resume',
): Promise<WebhookDelivery | undefined> {
  const body = metaUserPreferencesEvent(
    metaAccount(state),
    metaUser(user),
    value,
    Number(unixSeconds()),
  );
  return deliverEvent(state, 'meta', 'preference', body);
}

/** Meta's message_template_status_update webhook for one template (one language) and its status. */
export function deliverTemplateStatus(
  state: SandboxState,
  template: Template,
  reason: string,
): Promise<WebhookDelivery | undefined> {
  const body = metaTemplateStatusEvent(
    state.options.meta.wabaIds[0],
    template,
    reason,
    Number(unixSeconds()),
  );
  return deliverEvent(state, 'meta', 'template', body);
}

export function deliverStatus(
  state: SandboxState,
  provider: WebhookProvider,
  status: WireStatus,
): Promise<WebhookDelivery | undefined> {
  const body =
    provider === 'kirem' ? kiremStatusEvent(status) : metaStatusEvent(metaAccount(state), status);
  return deliverEvent(state, provider, 'status', body);
}

/** Serialises and signs the event the provider's way and POSTs it, if the provider has a webhook. */
async function deliverEvent(
  state: SandboxState,
  provider: WebhookProvider,
  kind: DeliveryKind,
  event: unknown,
): Promise<WebhookDelivery | undefined> {
  const target = state.webhooks.get(provider);
  if (!target) return undefined;
  const body = provider === 'meta' ? metaJson(event) : JSON.stringify(event);
  const signatureHeader = provider === 'meta' ? 'x-hub-signature-256' : 'x-kirem-signature';
  return state.deliveries.send({
    provider,
    kind,
    url: target.url,
    headers: {
      'content-type': 'application/json',
      [signatureHeader]: hmacSignature(target.secret, body),
    },
    body,
  });
}

export function unixSeconds(ms = Date.now()): string {
  return String(Math.floor(ms / 1000));
}
