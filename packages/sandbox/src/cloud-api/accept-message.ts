import { isRecord } from '../http.js';
import { newMessageId } from '../ids.js';
import { digitsOnly } from '../phone.js';
import type { SandboxState } from '../state.js';
import type { SandboxMessage } from '../types.js';
import type { CloudChannel } from './channel.js';
import { type FieldErrors, validateMessage } from './message-validation.js';
import { REENGAGEMENT_FAILURE } from './service-window.js';
import { failAfterAcceptance, startStatusProgression } from './status-progression.js';
import { prepareTemplateSend, type TemplateSendError } from './templates.js';

/** The stored message, or why the send was refused (the dialect words its own error). */
export type Acceptance =
  | { ok: true; message: SandboxMessage }
  | { ok: false; errors: FieldErrors }
  | { ok: false; templateError: TemplateSendError };

/**
 * The part of sending both dialects share: validate, check the template, store. The caller turns the
 * result into its own dialect's response.
 */
export function acceptMessage(
  state: SandboxState,
  channel: CloudChannel,
  payload: unknown,
  extra: { phoneNumberId?: string; idempotencyKey?: string } = {},
): Acceptance {
  const errors = validateMessage(payload);
  if (Object.keys(errors).length > 0 || !isRecord(payload)) return { ok: false, errors };

  const type = typeof payload.type === 'string' ? payload.type : 'text';
  const content = payload[type];
  // `to` wins over `recipient`; without `to` the business-scoped user id addresses the customer.
  const userId = payload.to === undefined ? String(payload.recipient) : undefined;
  const message: SandboxMessage = {
    id: newMessageId(),
    provider: channel.provider,
    direction: 'outbound',
    to: userId === undefined ? digitsOnly(String(payload.to)) : '',
    ...(userId === undefined ? {} : { userId }),
    type,
    text: '',
    payload,
    status: 'accepted',
    createdAt: new Date(state.clock.now()).toISOString(),
  };
  if (extra.idempotencyKey !== undefined) message.idempotencyKey = extra.idempotencyKey;
  if (extra.phoneNumberId !== undefined) message.phoneNumberId = extra.phoneNumberId;

  if (type === 'template' && isRecord(content)) {
    const prepared = prepareTemplateSend(channel.templates, content, {
      toUserId: userId !== undefined,
    });
    if (!prepared.ok) return { ok: false, templateError: prepared.error };
    message.template = prepared.sent;
    message.text = prepared.text;
  } else {
    message.text = summarize(type, content);
  }

  // Meta takes a free-form message outside the customer service window and fails it afterwards.
  if (type !== 'template' && state.windows.enforced && !windowOpen(state, channel, message)) {
    failAfterAcceptance(state, channel, message, { ...REENGAGEMENT_FAILURE });
    state.messages.add(message);
  } else {
    state.messages.add(message);
    startStatusProgression(state, channel, message);
  }
  return { ok: true, message };
}

/** Whether the customer wrote to the sending number in the last 24 hours (by number or BSUID). */
function windowOpen(state: SandboxState, channel: CloudChannel, message: SandboxMessage) {
  const phoneNumberId = message.phoneNumberId ?? channel.defaultPhoneNumberId;
  const payload = message.payload as Record<string, unknown>;
  // A send with both `to` and `recipient` reaches the customer by either.
  const userId =
    message.userId ?? (typeof payload.recipient === 'string' ? payload.recipient : undefined);
  const customer = { from: message.to || undefined, userId };
  return state.windows.isOpen(channel.provider, phoneNumberId, customer, state.clock.now());
}

/**
 * The send response's `contacts[0]`: the address as given, and `wa_id` for a phone number or
 * `user_id` for a send addressed only by business-scoped user id.
 */
export function sentContact(message: SandboxMessage, payload: unknown): Record<string, string> {
  if (message.userId !== undefined) return { input: message.userId, user_id: message.userId };
  const input = isRecord(payload) ? String(payload.to) : '';
  return { input, wa_id: message.to };
}

/** One line a person can scan in the inbox; `content` has passed validation. */
function summarize(type: string, content: unknown): string {
  if (Array.isArray(content)) {
    // contacts
    return content
      .map((contact) =>
        isRecord(contact) && isRecord(contact.name) ? contact.name.formatted_name : '',
      )
      .join(', ');
  }
  if (!isRecord(content)) return '';
  switch (type) {
    case 'text':
      return String(content.body);
    case 'interactive':
      // A single-product message may have no body.
      return isRecord(content.body) ? String(content.body.text) : `[${String(content.type)}]`;
    case 'location': {
      const place = [content.name, content.address].filter(
        (part) => typeof part === 'string' && part,
      );
      return place.length > 0 ? place.join(', ') : `${content.latitude},${content.longitude}`;
    }
    case 'reaction':
      return String(content.emoji);
    default:
      // media
      return typeof content.caption === 'string' && content.caption !== ''
        ? content.caption
        : `[${type}]`;
  }
}
