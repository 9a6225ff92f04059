import { ValidationError } from './errors.js';
import { LIMITS } from './limits.js';
import type {
  Contact,
  ContentByKind,
  MediaKind,
  MessageCategory,
  MessageKind,
  OutgoingMessage,
  PreparedMessage,
  RecipientType,
} from './message.js';
import { MESSAGE_KINDS } from './message.js';
import { type NormalizePhoneOptions, normalizePhone } from './phone.js';
import {
  checkMediaSource,
  optionalString,
  requireHttpUrl,
  requireObject,
  requireString,
} from './validate-fields.js';
import { checkInteractive } from './validate-interactive.js';
import { carriesOtp, checkTemplate } from './validate-template.js';

export { LIMITS } from './limits.js';

/**
 * A business-scoped user id: a two-letter country code, a dot, `ENT.` for a parent id shared by
 * several portfolios, then up to 128 letters and digits.
 */
const USER_ID = new RegExp(`^[A-Z]{2}\\.(?:ENT\\.)?[A-Za-z0-9]{1,${LIMITS.userId}}$`);

const CATEGORIES: readonly MessageCategory[] = ['marketing', 'utility', 'authentication'];

function contentKinds(message: OutgoingMessage): MessageKind[] {
  const record = message as unknown as Record<string, unknown>;
  return MESSAGE_KINDS.filter((kind) => record[kind] !== undefined);
}

function checkMedia(kind: MediaKind, media: ContentByKind[MediaKind]): void {
  checkMediaSource(media, kind);
  const { caption, filename } = media as { caption?: unknown; filename?: unknown };
  optionalString(caption, `${kind}.caption`, LIMITS.caption);
  optionalString(filename, `${kind}.filename`, LIMITS.filename);
  if ((kind === 'audio' || kind === 'sticker') && caption !== undefined) {
    throw new ValidationError(`${kind}.caption`, `${kind} messages cannot have a caption`);
  }
}

function checkCoordinate(value: unknown, field: string, limit: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw new ValidationError(field, `must be a number from -${limit} to ${limit}`);
  }
}

function checkContacts(contacts: Contact[]): void {
  if (!Array.isArray(contacts) || contacts.length === 0) {
    throw new ValidationError('contacts', 'needs at least one contact');
  }
  contacts.forEach((contact, i) => {
    requireString(contact?.name?.formattedName, `contacts[${i}].name.formattedName`);
    contact.phones?.forEach((p, j) => {
      requireString(p.phone, `contacts[${i}].phones[${j}].phone`);
    });
    contact.emails?.forEach((e, j) => {
      requireString(e.email, `contacts[${i}].emails[${j}].email`);
    });
    contact.urls?.forEach((u, j) => {
      requireString(u.url, `contacts[${i}].urls[${j}].url`);
    });
  });
}

/** Checks one prepared message's content; the switch names every kind, so none slips through. */
function checkContent(prepared: PreparedMessage): void {
  switch (prepared.kind) {
    case 'text':
      requireString(prepared.content, 'text', LIMITS.textBody);
      return;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      checkMedia(prepared.kind, prepared.content);
      return;
    case 'template':
      checkTemplate(prepared.content);
      return;
    case 'interactive':
      checkInteractive(prepared.content);
      return;
    case 'location': {
      const location = requireObject(prepared.content, 'location');
      checkCoordinate(location.latitude, 'location.latitude', 90);
      checkCoordinate(location.longitude, 'location.longitude', 180);
      optionalString(location.name, 'location.name', 1000);
      optionalString(location.address, 'location.address', 1000);
      return;
    }
    case 'contacts':
      checkContacts(prepared.content);
      return;
    case 'reaction': {
      const reaction = requireObject(prepared.content, 'reaction');
      requireString(reaction.messageId, 'reaction.messageId');
      if (typeof reaction.emoji !== 'string') {
        throw new ValidationError(
          'reaction.emoji',
          'must be a string (empty removes the reaction)',
        );
      }
      return;
    }
    default: {
      const unknown: never = prepared;
      throw new ValidationError(
        'message',
        `unknown kind ${String((unknown as { kind: unknown }).kind)}`,
      );
    }
  }
}

function recipients(
  to: OutgoingMessage['to'] | undefined,
  phoneOptions: NormalizePhoneOptions,
): { to: string; recipients: string[]; recipientType: RecipientType } {
  if (Array.isArray(to)) {
    if (to.length === 0) throw new ValidationError('to', 'needs at least one recipient');
    const numbers = to.map((number) => normalizePhone(number, phoneOptions));
    return { to: numbers[0] as string, recipients: numbers, recipientType: 'phone' };
  }
  if (typeof to === 'object' && to !== null) {
    if ('userId' in to) {
      const userId = requireString(to.userId, 'to.userId');
      if (!USER_ID.test(userId)) {
        throw new ValidationError(
          'to.userId',
          'must be a business-scoped user id such as US.13491208655302741918',
        );
      }
      return { to: userId, recipients: [userId], recipientType: 'user' };
    }
    const group = requireString(to.group, 'to.group');
    return { to: group, recipients: [group], recipientType: 'group' };
  }
  if (to === undefined) throw new ValidationError('to', 'is required');
  const number = normalizePhone(to, phoneOptions);
  return { to: number, recipients: [number], recipientType: 'phone' };
}

/**
 * Checks a message against WhatsApp's rules and normalises the recipient.
 * Throws `ValidationError` naming the field, or `InvalidPhoneError`.
 */
export function prepareMessage(
  message: OutgoingMessage,
  phoneOptions: NormalizePhoneOptions = {},
): PreparedMessage {
  if (typeof message !== 'object' || message === null) {
    throw new ValidationError('message', 'must be an object');
  }
  const kinds = contentKinds(message);
  if (kinds.length !== 1) {
    throw new ValidationError(
      'message',
      kinds.length === 0
        ? `needs one of ${MESSAGE_KINDS.join(', ')}`
        : `has several contents (${kinds.join(', ')}); send one per message`,
    );
  }
  const kind = kinds[0] as MessageKind;
  const content = (message as unknown as Record<string, unknown>)[kind];
  // The cast pairs `kind` with its own content key, which `contentKinds` just read.
  const prepared = {
    kind,
    content,
    ...recipients(message.to, phoneOptions),
    message,
  } as PreparedMessage;
  checkContent(prepared);
  if (message.replyTo !== undefined) requireString(message.replyTo, 'replyTo');
  if (message.notifyUrl !== undefined) requireHttpUrl(message.notifyUrl, 'notifyUrl');
  if (message.sendAt !== undefined) requireFutureDate(message.sendAt, 'sendAt');
  if (message.idempotencyKey !== undefined) {
    requireString(message.idempotencyKey, 'idempotencyKey', 255);
  }
  optionalString(message.callbackData, 'callbackData', LIMITS.callbackData);
  if (message.category !== undefined && !CATEGORIES.includes(message.category)) {
    throw new ValidationError('category', `must be one of ${CATEGORIES.join(', ')}`);
  }
  if (
    prepared.recipientType === 'user' &&
    prepared.kind === 'template' &&
    carriesOtp(prepared.content)
  ) {
    // Meta answers 131062: one-time passwords go to phone numbers only.
    throw new ValidationError(
      'to.userId',
      'authentication templates can only be sent to a phone number',
    );
  }
  return prepared;
}

function requireFutureDate(value: unknown, field: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(field, 'must be a valid Date');
  }
  if (value.getTime() <= Date.now()) throw new ValidationError(field, 'must be in the future');
}
