import type {
  EchoEvent,
  HistoryEvent,
  InboundContent,
  WebhookEvent,
  WhatsAppUser,
} from '../../../webhooks/events.js';
import {
  array,
  errorsOf,
  ItemError,
  isRecord,
  type Json,
  optionalNumber,
  optionalString,
  record,
  records,
  unixTime,
} from '../../../webhooks/parse/json.js';
import { type ChangeScope, item, userOf } from '../../../webhooks/parse/scope.js';
import { graphContent } from './content.js';

/** One `smb_message_echoes` item: a message the business sent from the WhatsApp Business app. */
export function echoEvent(echo: Json, scope: ChangeScope, path: string): EchoEvent {
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

/** One `history` chunk: an event per thread, and its errors. */
export function historyEvents(history: Json, scope: ChangeScope, path: string): WebhookEvent[] {
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
export function historyMedia(value: Json, scope: ChangeScope, path: string): WebhookEvent[] {
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
