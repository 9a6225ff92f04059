import { isRecord } from './http';
import { newMessageId } from './ids';
import { type FieldErrors, validateMessage } from './message-validation';
import { digitsOnly } from './phone';
import type { SandboxState } from './state';
import { startStatusProgression } from './status-progression';
import { prepareTemplateSend, type TemplateSendError } from './templates';
import type { SandboxMessage, TemplateProvider } from './types';

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
  provider: TemplateProvider,
  payload: unknown,
  extra: { phoneNumberId?: string; idempotencyKey?: string } = {},
): Acceptance {
  const errors = validateMessage(payload);
  if (Object.keys(errors).length > 0 || !isRecord(payload)) return { ok: false, errors };

  const type = typeof payload.type === 'string' ? payload.type : 'text';
  const content = payload[type];
  const message: SandboxMessage = {
    id: newMessageId(),
    provider,
    direction: 'outbound',
    to: digitsOnly(String(payload.to)),
    type,
    text: '',
    payload,
    status: 'accepted',
    createdAt: new Date().toISOString(),
  };
  if (extra.idempotencyKey !== undefined) message.idempotencyKey = extra.idempotencyKey;
  if (extra.phoneNumberId !== undefined) message.phoneNumberId = extra.phoneNumberId;

  if (type === 'template' && isRecord(content)) {
    const prepared = prepareTemplateSend(state.templates[provider], content);
    if (!prepared.ok) return { ok: false, templateError: prepared.error };
    const { name, language, status } = prepared.template;
    message.template = { name, language, status };
    message.text = prepared.text;
  } else {
    message.text = summarize(type, content);
  }

  state.messages.add(message);
  startStatusProgression(state, message);
  return { ok: true, message };
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
      return isRecord(content.body) ? String(content.body.text) : '';
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
