import { KabarError } from '../errors.js';
import type {
  BusinessNumber,
  CallEvent,
  DeliveryStatus,
  EchoEvent,
  HistoryEvent,
  InboundContent,
  MessageEvent,
  OrderItem,
  Referral,
  SharedContact,
  StatusEvent,
  UnknownEvent,
  UserPreferenceEvent,
  WebhookError,
  WebhookEvent,
  WebhookProvider,
  WhatsAppUser,
} from './events.js';

export interface ParseWebhookOptions {
  /**
   * Who sent a Meta-format envelope: Meta itself (default) or Kirem, which can forward Meta's
   * format unchanged. Only changes the `provider` of the events.
   */
  metaFormatFrom?: 'meta' | 'kirem';
  /** Waviro keyword calls carry `webhookkey`; they are refused unless it matches this. */
  waviroWebhookKey?: string;
}

type Json = Record<string, unknown>;

/** Thrown inside one item's parsing; caught per item and turned into an `unknown` event. */
class ItemError extends Error {}

function notAWebhook(reason: string, provider?: string): KabarError {
  return new KabarError('invalid_payload', `webhook payload: ${reason}`, { provider, status: 400 });
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Json {
  if (!isRecord(value)) throw new ItemError(`${path} must be an object`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ItemError(`${path} must be a non-empty string`);
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function optionalNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function number(value: unknown, path: string): number {
  const result = optionalNumber(value);
  if (result === undefined) throw new ItemError(`${path} must be a number`);
  return result;
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function records(value: unknown): Json[] {
  return array(value).filter(isRecord);
}

/** Unix seconds (as number or string) to a Date; anything else to undefined. */
function unixTime(value: unknown): Date | undefined {
  const seconds = optionalNumber(value);
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}

function errorsOf(value: unknown): WebhookError[] {
  return records(value).map((error) => ({
    code: typeof error.code === 'number' || typeof error.code === 'string' ? error.code : undefined,
    title: optionalString(error.title),
    message: optionalString(error.message),
    details: isRecord(error.error_data) ? optionalString(error.error_data.details) : undefined,
    href: optionalString(error.href),
  }));
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function sharedContact(card: Json): SharedContact {
  const name = isRecord(card.name) ? card.name : {};
  return {
    name:
      optionalString(name.formatted_name) ??
      ([name.first_name, name.last_name].filter((part) => typeof part === 'string').join(' ') ||
        undefined),
    phones: records(card.phones).flatMap((phone) => {
      const value = optionalString(phone.phone) ?? optionalString(phone.wa_id);
      return value
        ? [{ phone: value, waId: optionalString(phone.wa_id), type: optionalString(phone.type) }]
        : [];
    }),
    emails: records(card.emails).flatMap((email) => {
      const value = optionalString(email.email);
      return value ? [{ email: value, type: optionalString(email.type) }] : [];
    }),
    organization: isRecord(card.org) ? optionalString(card.org.company) : undefined,
    vcard: optionalString(card.vcard),
    origin: optionalString(card.origin),
    raw: card,
  };
}

function interactiveContent(message: Json, path: string): InboundContent {
  const interactive = record(message.interactive, `${path}.interactive`);
  const kind = string(interactive.type, `${path}.interactive.type`);
  if (kind === 'button_reply') {
    const reply = record(interactive.button_reply, `${path}.interactive.button_reply`);
    return {
      type: 'button',
      id: string(reply.id, `${path}.interactive.button_reply.id`),
      title: optionalString(reply.title) ?? '',
    };
  }
  if (kind === 'list_reply') {
    const reply = record(interactive.list_reply, `${path}.interactive.list_reply`);
    return {
      type: 'list',
      id: string(reply.id, `${path}.interactive.list_reply.id`),
      title: optionalString(reply.title) ?? '',
      description: optionalString(reply.description),
    };
  }
  if (kind === 'nfm_reply') {
    const reply = record(interactive.nfm_reply, `${path}.interactive.nfm_reply`);
    let response: unknown = reply.response_json;
    if (typeof response === 'string') {
      try {
        response = JSON.parse(response);
      } catch {
        throw new ItemError(`${path}.interactive.nfm_reply.response_json is not JSON`);
      }
    }
    const parsed = record(response, `${path}.interactive.nfm_reply.response_json`);
    return {
      type: 'flow',
      response: parsed,
      flowToken: optionalString(parsed.flow_token),
      name: optionalString(reply.name),
      body: optionalString(reply.body),
    };
  }
  return { type: 'unsupported', originalType: `interactive.${kind}`, errors: [] };
}

/**
 * The content of one message in Meta's shape (which Kirem's `data` follows too). `inEdit`: the
 * message is an edit's new version, which cannot itself be an edit (and must not recurse).
 */
function graphContent(message: Json, path: string, inEdit = false): InboundContent {
  const type = string(message.type ?? 'text', `${path}.type`);
  if (type === 'text') {
    const text = message.text;
    // Kirem's examples sometimes give the body as a plain string.
    const body = isRecord(text) ? text.body : text;
    return {
      type: 'text',
      text: typeof body === 'string' ? body : string(body, `${path}.text.body`),
    };
  }
  if (type === 'interactive') return interactiveContent(message, path);
  if (type === 'button') {
    // A tap on a template's quick-reply button.
    const button = record(message.button, `${path}.button`);
    const title = optionalString(button.text) ?? '';
    return { type: 'button', id: optionalString(button.payload) ?? title, title };
  }
  if (MEDIA_TYPES.has(type)) {
    const media = record(message[type], `${path}.${type}`);
    return {
      type: type as 'image',
      mediaId: optionalString(media.id),
      url: optionalString(media.url),
      link: optionalString(media.link),
      mimeType: optionalString(media.mime_type),
      sha256: optionalString(media.sha256),
      caption: optionalString(media.caption),
      filename: optionalString(media.filename),
      voice: typeof media.voice === 'boolean' ? media.voice : undefined,
      animated: typeof media.animated === 'boolean' ? media.animated : undefined,
    };
  }
  if (type === 'location') {
    const location = record(message.location, `${path}.location`);
    return {
      type: 'location',
      latitude: number(location.latitude, `${path}.location.latitude`),
      longitude: number(location.longitude, `${path}.location.longitude`),
      name: optionalString(location.name),
      address: optionalString(location.address),
      url: optionalString(location.url),
    };
  }
  if (type === 'contacts') {
    if (!Array.isArray(message.contacts)) throw new ItemError(`${path}.contacts must be an array`);
    return { type: 'contacts', contacts: records(message.contacts).map(sharedContact) };
  }
  if (type === 'reaction') {
    const reaction = record(message.reaction, `${path}.reaction`);
    const emoji = typeof reaction.emoji === 'string' ? reaction.emoji : '';
    return {
      type: 'reaction',
      messageId: string(reaction.message_id, `${path}.reaction.message_id`),
      emoji,
      removed: emoji === '',
    };
  }
  if (type === 'order') {
    const order = record(message.order, `${path}.order`);
    return {
      type: 'order',
      catalogId: string(order.catalog_id, `${path}.order.catalog_id`),
      text: optionalString(order.text),
      items: records(order.product_items).map(
        (item, i): OrderItem => ({
          productRetailerId: string(
            item.product_retailer_id,
            `${path}.order.product_items[${i}].product_retailer_id`,
          ),
          quantity: number(item.quantity, `${path}.order.product_items[${i}].quantity`),
          itemPrice: optionalNumber(item.item_price),
          currency: optionalString(item.currency),
        }),
      ),
    };
  }
  if (type === 'system') {
    const system = record(message.system, `${path}.system`);
    return {
      type: 'system',
      event: optionalString(system.type) ?? 'unknown',
      body: optionalString(system.body),
      // On a user id change, `wa_id` is the customer's unchanged number, not a new one.
      newPhone:
        system.type === 'user_changed_user_id'
          ? undefined
          : (optionalString(system.wa_id) ?? optionalString(system.new_wa_id)),
      newUserId: optionalString(system.user_id) ?? optionalString(system.new_user_id),
      newParentUserId: optionalString(system.parent_user_id),
    };
  }
  if (type === 'revoke') {
    const revoke = record(message.revoke, `${path}.revoke`);
    return {
      type: 'revoke',
      messageId: string(revoke.original_message_id, `${path}.revoke.original_message_id`),
    };
  }
  if (type === 'edit') {
    if (inEdit) throw new ItemError(`${path} is an edit inside an edit`);
    const edit = record(message.edit, `${path}.edit`);
    return {
      type: 'edit',
      messageId: string(edit.original_message_id, `${path}.edit.original_message_id`),
      content: graphContent(
        record(edit.message, `${path}.edit.message`),
        `${path}.edit.message`,
        true,
      ),
    };
  }
  // Meta's `unsupported` (with errors saying why), or a type this version does not know.
  const unsupported = isRecord(message.unsupported) ? message.unsupported : undefined;
  return {
    type: 'unsupported',
    originalType: (type === 'unsupported' && optionalString(unsupported?.type)) || type,
    errors: errorsOf(message.errors),
  };
}

/** The change's `contacts`, findable by phone and by business-scoped user id. */
type Contacts = {
  byPhone: Map<string, WhatsAppUser>;
  byUserId: Map<string, WhatsAppUser>;
  only?: WhatsAppUser;
};

function contactsOf(value: Json): Contacts {
  const contacts: Contacts = { byPhone: new Map(), byUserId: new Map() };
  const list = records(value.contacts);
  for (const contact of list) {
    const profile = isRecord(contact.profile) ? contact.profile : {};
    const user: WhatsAppUser = {
      phone: optionalString(contact.wa_id),
      userId: optionalString(contact.user_id),
      parentUserId: optionalString(contact.parent_user_id),
      username: optionalString(profile.username),
      name: optionalString(profile.name),
    };
    if (user.phone) contacts.byPhone.set(user.phone, user);
    if (user.userId) contacts.byUserId.set(user.userId, user);
  }
  if (list.length === 1)
    contacts.only =
      contacts.byPhone.values().next().value ?? contacts.byUserId.values().next().value;
  return contacts;
}

/** A user from an item's own fields, completed by the change's contact for them. */
function userOf(
  phone: string | undefined,
  userId: string | undefined,
  parentUserId: string | undefined,
  contacts: Contacts,
): WhatsAppUser {
  const contact =
    (phone && contacts.byPhone.get(phone)) ||
    (userId && contacts.byUserId.get(userId)) ||
    (!phone && !userId ? contacts.only : undefined);
  return {
    phone: phone ?? contact?.phone,
    userId: userId ?? contact?.userId,
    parentUserId: parentUserId ?? contact?.parentUserId,
    username: contact?.username,
    name: contact?.name,
  };
}

function referralOf(value: unknown): Referral | undefined {
  if (!isRecord(value)) return undefined;
  return {
    sourceUrl: optionalString(value.source_url),
    sourceId: optionalString(value.source_id),
    sourceType: optionalString(value.source_type),
    headline: optionalString(value.headline),
    body: optionalString(value.body),
    mediaType: optionalString(value.media_type),
    imageUrl: optionalString(value.image_url),
    videoUrl: optionalString(value.video_url),
    thumbnailUrl: optionalString(value.thumbnail_url),
    ctwaClid: optionalString(value.ctwa_clid),
    welcomeMessage: isRecord(value.welcome_message)
      ? optionalString(value.welcome_message.text)
      : undefined,
  };
}

interface ChangeScope {
  provider: WebhookProvider;
  business?: BusinessNumber;
  contacts: Contacts;
}

function graphMessage(message: Json, scope: ChangeScope, path: string): MessageEvent {
  const sender = userOf(
    optionalString(message.from),
    optionalString(message.from_user_id),
    optionalString(message.from_parent_user_id),
    scope.contacts,
  );
  const from = sender.phone ?? sender.userId;
  if (from === undefined) throw new ItemError(`${path} names no sender (no from or from_user_id)`);
  const context = isRecord(message.context) ? message.context : undefined;
  const product = isRecord(context?.referred_product) ? context.referred_product : undefined;
  return {
    kind: 'message',
    provider: scope.provider,
    from,
    sender,
    id: optionalString(message.id ?? message.message_id),
    name: sender.name,
    timestamp: unixTime(message.timestamp),
    replyTo: context ? optionalString(context.id ?? context.message_id) : undefined,
    forwarded: context?.forwarded === true ? true : undefined,
    frequentlyForwarded: context?.frequently_forwarded === true ? true : undefined,
    referredProduct: product
      ? {
          catalogId: string(product.catalog_id, `${path}.context.referred_product.catalog_id`),
          productRetailerId: string(
            product.product_retailer_id,
            `${path}.context.referred_product.product_retailer_id`,
          ),
        }
      : undefined,
    referral: referralOf(message.referral),
    groupId: optionalString(message.group_id),
    business: scope.business,
    content: graphContent(message, path),
    raw: message,
  };
}

const STATUSES = new Set<DeliveryStatus>([
  'failed',
  'pending',
  'sent',
  'delivered',
  'read',
  'played',
  'deleted',
]);

function graphStatus(status: Json, scope: ChangeScope, path: string): StatusEvent | CallEvent {
  if (status.type === 'call') return callStatus(status, scope, path);
  const value = string(status.status, `${path}.status`);
  if (!STATUSES.has(value as DeliveryStatus)) {
    throw new ItemError(`${path}.status "${value}" is not a status Kabar knows`);
  }
  // In a group, `recipient_id` is the group; the participant has its own phone and BSUID fields.
  const group = status.recipient_type === 'group';
  const recipientUser = group
    ? userOf(
        optionalString(status.recipient_participant_id),
        optionalString(status.recipient_participant_user_id),
        optionalString(status.recipient_participant_parent_user_id),
        scope.contacts,
      )
    : userOf(
        optionalString(status.recipient_id ?? status.recipient),
        optionalString(status.recipient_user_id),
        optionalString(status.recipient_parent_user_id),
        scope.contacts,
      );
  const errors = errorsOf(status.errors);
  const pricing = isRecord(status.pricing) ? status.pricing : undefined;
  // A conversation without an id (Meta omits the object from v24.0) says nothing worth a status.
  const conversation =
    isRecord(status.conversation) && optionalString(status.conversation.id) !== undefined
      ? status.conversation
      : undefined;
  return {
    kind: 'status',
    provider: scope.provider,
    messageId: string(status.id ?? status.message_id, `${path}.id`),
    status: value as DeliveryStatus,
    recipient: recipientUser.phone ?? recipientUser.userId,
    recipientUser,
    groupId: group ? optionalString(status.recipient_id) : undefined,
    timestamp: unixTime(status.timestamp),
    error: errors[0],
    errors,
    pricing: pricing
      ? {
          billable: typeof pricing.billable === 'boolean' ? pricing.billable : undefined,
          model: optionalString(pricing.pricing_model),
          category: optionalString(pricing.category),
          type: optionalString(pricing.type),
        }
      : undefined,
    conversation: conversation
      ? {
          id: string(conversation.id, `${path}.conversation.id`),
          origin: isRecord(conversation.origin)
            ? optionalString(conversation.origin.type)
            : undefined,
          expiresAt: unixTime(conversation.expiration_timestamp),
        }
      : undefined,
    callbackData: optionalString(status.biz_opaque_callback_data),
    business: scope.business,
    raw: status,
  };
}

/** `errors` when there are some, else undefined (for the fields that are optional). */
function someErrors(value: unknown): WebhookError[] | undefined {
  const errors = errorsOf(value);
  return errors.length > 0 ? errors : undefined;
}

function callStatus(status: Json, scope: ChangeScope, path: string): CallEvent {
  return {
    kind: 'call',
    provider: scope.provider,
    callId: string(status.id, `${path}.id`),
    event: 'status',
    status: optionalString(status.status),
    to: optionalString(status.recipient_id) ?? optionalString(status.recipient_user_id),
    callbackData: optionalString(status.biz_opaque_callback_data),
    errors: someErrors(status.errors),
    timestamp: unixTime(status.timestamp),
    business: scope.business,
    raw: status,
  };
}

function callEvent(call: Json, scope: ChangeScope, path: string): CallEvent {
  const session = isRecord(call.session) ? call.session : undefined;
  return {
    kind: 'call',
    provider: scope.provider,
    callId: string(call.id, `${path}.id`),
    event: string(call.event, `${path}.event`),
    status: optionalString(call.status),
    direction: optionalString(call.direction),
    from: optionalString(call.from) ?? optionalString(call.from_user_id),
    to: optionalString(call.to) ?? optionalString(call.to_user_id),
    duration: optionalNumber(call.duration),
    startedAt: unixTime(call.start_time),
    endedAt: unixTime(call.end_time),
    session: session
      ? { sdpType: optionalString(session.sdp_type), sdp: optionalString(session.sdp) }
      : undefined,
    callbackData: optionalString(call.biz_opaque_callback_data),
    errors: someErrors(call.errors),
    timestamp: unixTime(call.timestamp),
    business: scope.business,
    raw: call,
  };
}

function echoEvent(echo: Json, scope: ChangeScope, path: string): EchoEvent {
  const toUser = userOf(
    optionalString(echo.to),
    optionalString(echo.to_user_id),
    optionalString(echo.to_parent_user_id),
    scope.contacts,
  );
  const to = toUser.phone ?? toUser.userId;
  if (to === undefined) throw new ItemError(`${path} names no recipient (no to or to_user_id)`);
  return {
    kind: 'echo',
    provider: scope.provider,
    id: optionalString(echo.id),
    to,
    toUser,
    timestamp: unixTime(echo.timestamp),
    content: graphContent(echo, path),
    business: scope.business,
    raw: echo,
  };
}

/** One message of a history thread; a part it cannot read becomes `unsupported` content. */
function historyMessage(message: Json, path: string): HistoryEvent['messages'][number] {
  let content: InboundContent;
  try {
    content = graphContent(message, path);
  } catch (error) {
    if (!(error instanceof ItemError)) throw error;
    content = { type: 'unsupported', originalType: String(message.type), errors: [] };
  }
  return {
    id: optionalString(message.id),
    from: optionalString(message.from) ?? optionalString(message.from_user_id),
    to: optionalString(message.to) ?? optionalString(message.to_user_id),
    timestamp: unixTime(message.timestamp),
    status: isRecord(message.history_context)
      ? optionalString(message.history_context.status)
      : undefined,
    content,
  };
}

function historyEvents(history: Json, scope: ChangeScope, path: string): WebhookEvent[] {
  const metadata = isRecord(history.metadata) ? history.metadata : {};
  const errors = errorsOf(history.errors);
  const events: WebhookEvent[] = [];
  // A business that declined to share its history gets errors instead of threads.
  if (errors.length > 0) {
    events.push({
      kind: 'error',
      provider: scope.provider,
      errors,
      business: scope.business,
      raw: history,
    });
  }
  records(history.threads).forEach((thread, t) => {
    const at = `${path}.threads[${t}]`;
    events.push(
      item(scope, 'history', thread, (): HistoryEvent => {
        // With BSUIDs the thread's `id` (the phone) may be missing; `context` names the user.
        const context = isRecord(thread.context) ? thread.context : undefined;
        const user: WhatsAppUser | undefined = context
          ? {
              phone: optionalString(context.wa_id),
              userId: optionalString(context.user_id),
              parentUserId: optionalString(context.parent_user_id),
              username: optionalString(context.username),
            }
          : undefined;
        const threadId = optionalString(thread.id) ?? user?.phone ?? user?.userId;
        if (threadId === undefined) throw new ItemError(`${at} names no user (no id or context)`);
        return {
          kind: 'history',
          provider: scope.provider,
          threadId,
          user,
          phase: optionalNumber(metadata.phase),
          progress: optionalNumber(metadata.progress),
          chunkOrder: optionalNumber(metadata.chunk_order),
          messages: records(thread.messages).map((message, m) =>
            historyMessage(message, `${at}.messages[${m}]`),
          ),
          business: scope.business,
          raw: thread,
        };
      }),
    );
  });
  return events;
}

/**
 * A `history` change that carries a synced media message's contents (`messages` from the
 * customer, `message_echoes` from the business) rather than threads: one history event each.
 */
function historyMedia(value: Json, scope: ChangeScope, path: string): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const [list, side] of [
    ['messages', 'from'],
    ['message_echoes', 'to'],
  ] as const) {
    array(value[list]).forEach((message, m) => {
      const at = `${path}.${list}[${m}]`;
      events.push(
        item(scope, 'history', message, (): HistoryEvent => {
          const entry = historyMessage(record(message, at), at);
          const threadId = side === 'from' ? entry.from : entry.to;
          if (threadId === undefined) throw new ItemError(`${at} names no user (no ${side})`);
          return {
            kind: 'history',
            provider: scope.provider,
            threadId,
            messages: [entry],
            business: scope.business,
            raw: message,
          };
        }),
      );
    });
  }
  return events;
}

function userPreference(preference: Json, scope: ChangeScope, path: string): UserPreferenceEvent {
  const user = userOf(
    optionalString(preference.wa_id),
    optionalString(preference.user_id),
    optionalString(preference.parent_user_id),
    scope.contacts,
  );
  const from = user.phone ?? user.userId;
  if (from === undefined) throw new ItemError(`${path} names no user (no wa_id or user_id)`);
  return {
    kind: 'user_preference',
    provider: scope.provider,
    from,
    user,
    category: string(preference.category, `${path}.category`),
    value: string(preference.value, `${path}.value`),
    detail: optionalString(preference.detail),
    timestamp: unixTime(preference.timestamp),
    business: scope.business,
    raw: preference,
  };
}

/** Builds one event; a malformed item becomes an `unknown` event saying why. */
function item(
  scope: ChangeScope,
  field: string | undefined,
  raw: unknown,
  build: () => WebhookEvent,
): WebhookEvent {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ItemError)) throw error;
    return unknown(scope, field, error.message, raw);
  }
}

function unknown(
  scope: { provider: WebhookProvider; business?: BusinessNumber },
  field: string | undefined,
  reason: string,
  raw: unknown,
): UnknownEvent {
  return {
    kind: 'unknown',
    provider: scope.provider,
    field,
    reason,
    business: scope.business,
    raw,
  };
}

/** The events of one `changes[]` entry, by its `field`. */
function changeEvents(
  field: string | undefined,
  value: Json,
  scope: ChangeScope,
  path: string,
): WebhookEvent[] {
  const { provider, business } = scope;
  switch (field ?? 'messages') {
    case 'messages': {
      const events: WebhookEvent[] = [];
      array(value.messages).forEach((message, m) => {
        const at = `${path}.messages[${m}]`;
        events.push(
          item(scope, field, message, () => graphMessage(record(message, at), scope, at)),
        );
      });
      array(value.statuses).forEach((status, s) => {
        const at = `${path}.statuses[${s}]`;
        events.push(item(scope, field, status, () => graphStatus(record(status, at), scope, at)));
      });
      const errors = errorsOf(value.errors);
      if (errors.length > 0) events.push({ kind: 'error', provider, errors, business, raw: value });
      return events;
    }
    case 'message_template_status_update': {
      // Meta's own quality-update example was long published under this field: a value with a
      // quality score and no event is a quality update, whatever the field says.
      if (value.event === undefined && value.new_quality_score !== undefined) {
        return changeEvents('message_template_quality_update', value, scope, path);
      }
      const info = isRecord(value.other_info) ? value.other_info : undefined;
      const rejection = isRecord(value.rejection_info) ? value.rejection_info : undefined;
      const disabled = isRecord(value.disable_info) ? value.disable_info : undefined;
      return [
        item(scope, field, value, () => ({
          kind: 'template_status',
          provider,
          templateId: string(value.message_template_id, `${path}.message_template_id`),
          name: optionalString(value.message_template_name),
          language: optionalString(value.message_template_language),
          event: string(value.event, `${path}.event`),
          reason: optionalString(value.reason),
          detail: info
            ? [info.title, info.description]
                .filter((part) => typeof part === 'string')
                .join(': ') || undefined
            : undefined,
          category: optionalString(value.message_template_category),
          rejection: rejection
            ? {
                reason: optionalString(rejection.reason),
                recommendation: optionalString(rejection.recommendation),
              }
            : undefined,
          disabledAt: disabled ? unixTime(disabled.disable_date) : undefined,
          business,
          raw: value,
        })),
      ];
    }
    case 'message_template_quality_update':
      return [
        item(scope, 'message_template_quality_update', value, () => ({
          kind: 'template_quality',
          provider,
          templateId: string(value.message_template_id, `${path}.message_template_id`),
          name: optionalString(value.message_template_name),
          language: optionalString(value.message_template_language),
          previousScore: optionalString(value.previous_quality_score),
          newScore: string(value.new_quality_score, `${path}.new_quality_score`),
          business,
          raw: value,
        })),
      ];
    case 'template_category_update':
      return [
        item(scope, field, value, () => ({
          kind: 'template_category',
          provider,
          templateId: string(value.message_template_id, `${path}.message_template_id`),
          name: optionalString(value.message_template_name),
          language: optionalString(value.message_template_language),
          previousCategory: optionalString(value.previous_category),
          newCategory: string(value.new_category, `${path}.new_category`),
          correctCategory: optionalString(value.correct_category),
          scheduledAt: unixTime(value.category_update_timestamp),
          business,
          raw: value,
        })),
      ];
    case 'account_update': {
      const violation = isRecord(value.violation_info) ? value.violation_info : undefined;
      const [restriction] = records(value.restriction_info);
      const ban = isRecord(value.ban_info) ? value.ban_info : undefined;
      return [
        item(scope, field, value, () => ({
          kind: 'account_update',
          provider,
          event: string(value.event, `${path}.event`),
          phoneNumber: optionalString(value.phone_number),
          detail:
            optionalString(violation?.violation_type) ??
            optionalString(restriction?.restriction_type) ??
            optionalString(ban?.waba_ban_state),
          country: optionalString(value.country),
          business,
          raw: value,
        })),
      ];
    }
    case 'phone_number_quality_update':
      return [
        item(scope, field, value, () => ({
          kind: 'phone_number_quality',
          provider,
          displayPhoneNumber: optionalString(value.display_phone_number),
          event: string(value.event, `${path}.event`),
          currentLimit:
            optionalString(value.current_limit) ??
            optionalString(value.max_daily_conversations_per_business),
          previousLimit: optionalString(value.old_limit),
          maxDailyConversations: optionalString(value.max_daily_conversations_per_business),
          business,
          raw: value,
        })),
      ];
    case 'phone_number_name_update':
      return [
        item(scope, field, value, () => ({
          kind: 'phone_number_name',
          provider,
          displayPhoneNumber: optionalString(value.display_phone_number),
          decision: string(value.decision, `${path}.decision`),
          requestedName: optionalString(value.requested_verified_name),
          rejectionReason: optionalString(value.rejection_reason),
          business,
          raw: value,
        })),
      ];
    case 'user_preferences':
      return array(value.user_preferences).map((preference, p) => {
        const at = `${path}.user_preferences[${p}]`;
        return item(scope, field, preference, () =>
          userPreference(record(preference, at), scope, at),
        );
      });
    case 'smb_message_echoes':
      return array(value.message_echoes).map((echo, e) => {
        const at = `${path}.message_echoes[${e}]`;
        return item(scope, field, echo, () => echoEvent(record(echo, at), scope, at));
      });
    case 'history': {
      const events = array(value.history).flatMap((history, h) => {
        const at = `${path}.history[${h}]`;
        return isRecord(history)
          ? historyEvents(history, scope, at)
          : [unknown(scope, field, `${at} must be an object`, history)];
      });
      for (const event of historyMedia(value, scope, path)) events.push(event);
      return events;
    }
    case 'calls': {
      const events = array(value.calls).map((call, c) => {
        const at = `${path}.calls[${c}]`;
        return item(scope, field, call, () => callEvent(record(call, at), scope, at));
      });
      array(value.statuses).forEach((status, s) => {
        const at = `${path}.statuses[${s}]`;
        events.push(item(scope, field, status, () => callStatus(record(status, at), scope, at)));
      });
      const errors = errorsOf(value.errors);
      if (errors.length > 0) events.push({ kind: 'error', provider, errors, business, raw: value });
      return events;
    }
    default:
      return [unknown(scope, field, `the "${field}" field is not one Kabar types`, value)];
  }
}

/** Meta's `entry[].changes[].value` envelope, read item by item. */
function metaEnvelope(body: Json, provider: WebhookProvider): WebhookEvent[] {
  if (!Array.isArray(body.entry)) throw notAWebhook('entry must be an array', provider);
  const events: WebhookEvent[] = [];
  body.entry.forEach((entry, e) => {
    if (!isRecord(entry)) {
      events.push(unknown({ provider }, undefined, `entry[${e}] must be an object`, entry));
      return;
    }
    const accountId = optionalString(entry.id);
    array(entry.changes).forEach((change, c) => {
      const path = `entry[${e}].changes[${c}].value`;
      if (!isRecord(change) || !isRecord(change.value)) {
        const field = isRecord(change) ? optionalString(change.field) : undefined;
        events.push(unknown({ provider }, field, `${path} must be an object`, change));
        return;
      }
      const value = change.value;
      // Some of Meta's examples put `field` beside `changes` or inside `value` instead of in the
      // change: accept it there too.
      const field =
        optionalString(change.field) ?? optionalString(value.field) ?? optionalString(entry.field);
      const metadata = isRecord(value.metadata) ? value.metadata : undefined;
      const business: BusinessNumber | undefined =
        accountId || metadata
          ? {
              accountId,
              phoneNumberId: optionalString(metadata?.phone_number_id),
              displayPhoneNumber: optionalString(metadata?.display_phone_number),
            }
          : undefined;
      const scope: ChangeScope = { provider, business, contacts: contactsOf(value) };
      if (
        field === undefined &&
        value.messages === undefined &&
        value.statuses === undefined &&
        value.errors === undefined
      ) {
        // Without a field, only a value that looks like `messages` can be read.
        events.push(unknown(scope, undefined, `${path} names no field`, value));
        return;
      }
      for (const event of changeEvents(field, value, scope, path)) events.push(event);
    });
  });
  return events;
}

const NO_CONTACTS: Contacts = { byPhone: new Map(), byUserId: new Map() };

/** Kirem's `{event, data}` envelope. */
function kiremEnvelope(body: Json): WebhookEvent[] {
  const scope: ChangeScope = { provider: 'kirem', contacts: NO_CONTACTS };
  const event = String(body.event);
  const data = body.data;
  if (event === 'messages.received') {
    return [item(scope, event, data, () => graphMessage(record(data, 'data'), scope, 'data'))];
  }
  if (event === 'messages.status') {
    return [item(scope, event, data, () => graphStatus(record(data, 'data'), scope, 'data'))];
  }
  return [unknown(scope, event, `the Kirem event "${event}" is not one Kabar types`, data)];
}

const WAVIRO_ACKS: Record<number, DeliveryStatus> = {
  [-1]: 'failed',
  0: 'pending',
  1: 'sent',
  2: 'delivered',
  3: 'read',
};

function waviroAck(body: Json): WebhookEvent {
  const scope: ChangeScope = { provider: 'waviro', contacts: NO_CONTACTS };
  return item(scope, undefined, body, () => {
    const ack = Number(body.ack);
    const status = WAVIRO_ACKS[ack] ?? (ack > 3 ? 'read' : undefined);
    if (status === undefined) throw new ItemError(`ack ${String(body.ack)} is unknown`);
    return {
      kind: 'status',
      provider: 'waviro',
      messageId: string(body.msgid, 'msgid'),
      status,
      errors: [],
      raw: body,
    };
  });
}

function sameKey(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

function waviroKeyword(body: Json, options: ParseWebhookOptions): WebhookEvent {
  const expected = options.waviroWebhookKey;
  if (typeof expected !== 'string' || expected === '') {
    throw new KabarError(
      'invalid_config',
      'waviro webhook: pass waviroWebhookKey to accept keyword calls',
    );
  }
  if (typeof body.webhookkey !== 'string' || !sameKey(body.webhookkey, expected)) {
    throw new KabarError('invalid_signature', 'waviro webhook: webhookkey does not match', {
      provider: 'waviro',
      status: 401,
    });
  }
  const scope: ChangeScope = { provider: 'waviro', contacts: NO_CONTACTS };
  return item(scope, undefined, body, () => {
    const from = string(body.from, 'from');
    return {
      kind: 'message',
      provider: 'waviro',
      from,
      sender: { phone: from },
      content: {
        type: 'keyword',
        keyword: string(body.keyword, 'keyword'),
        data: array(body.data).map((value, i) => string(value, `data[${i}]`)),
      },
      raw: body,
    };
  });
}

const utf8 = new TextDecoder();

function decode(input: unknown): unknown {
  if (
    typeof input !== 'string' &&
    !(input instanceof Uint8Array) &&
    !(input instanceof ArrayBuffer)
  ) {
    return input;
  }
  const text = typeof input === 'string' ? input : utf8.decode(input);
  try {
    return JSON.parse(text);
  } catch {
    throw notAWebhook('not valid JSON');
  }
}

/**
 * Turns any supported gateway's webhook body (raw or parsed) into typed events: Meta's envelope
 * (also when Kirem forwards it) with every field a business subscribes to, Kirem's
 * `{event, data}`, Waviro's `notifyurl` acks and keyword calls. Items are read one by one: one
 * malformed or unfamiliar item becomes an `unknown` event and the others still come through. Only
 * a body that is no webhook at all throws (`invalid_payload`, status 400).
 */
export function parseWebhook(input: unknown, options: ParseWebhookOptions = {}): WebhookEvent[] {
  const body = decode(input);
  if (!isRecord(body)) throw notAWebhook('expected a JSON object');
  if (body.object === 'whatsapp_business_account' || 'entry' in body) {
    return metaEnvelope(body, options.metaFormatFrom ?? 'meta');
  }
  if (typeof body.event === 'string' && 'data' in body) return kiremEnvelope(body);
  if ('msgid' in body && 'ack' in body) return [waviroAck(body)];
  if ('keyword' in body && 'webhookkey' in body) return [waviroKeyword(body, options)];
  throw notAWebhook('not a webhook format Kabar knows (Meta, Kirem or Waviro)');
}
