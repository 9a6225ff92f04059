import { randomUUID } from 'node:crypto';
import type { GatewayRequest } from '../../gateway.js';
import { isRecord, type Reply } from '../../http.js';
import { newWebMessageId } from '../../ids.js';
import { normalizeIndonesian } from '../../phone.js';
import type { SandboxMessage } from '../../types.js';
import { invalidPhone, jsonObject, qirimError, qirimOk, validationError } from './reply.js';
import type { QirimContext } from './state.js';

/**
 * How long a queued notification waits before the (emulated) worker sends it: long enough that a
 * client on a busy machine still sees `queued` right after its send, short enough for tests.
 */
const SEND_DELAY_MS = 250;

const MEDIA_TYPES = ['image', 'video', 'document', 'audio'];

type Content = { ok: true; type: string; text: string } | { ok: false; reply: Reply };

/** Turns the body into what the recipients will read, or the validation error. */
function contentOf(state: QirimContext, body: Record<string, unknown>): Content {
  const fail = (fields: Record<string, string>): Content => ({
    ok: false,
    reply: validationError(fields),
  });
  switch (body.type) {
    case 'text': {
      const { text } = body;
      if (typeof text !== 'string' || text.trim() === '') return fail({ text: 'is required' });
      if (text.length > 4096) return fail({ text: 'must be at most 4096 characters' });
      return { ok: true, type: 'text', text };
    }
    case 'media': {
      const { media_url, mediatype, caption } = body;
      const fields: Record<string, string> = {};
      if (typeof media_url !== 'string' || !/^https?:\/\/\S+$/.test(media_url)) {
        fields.media_url = 'must be an http(s) URL';
      }
      if (!MEDIA_TYPES.includes(mediatype as string)) {
        fields.mediatype = `must be one of ${MEDIA_TYPES.join(', ')}`;
      }
      if (caption !== undefined && typeof caption !== 'string') fields.caption = 'must be a string';
      if (typeof caption === 'string' && caption.length > 1024) {
        fields.caption = 'must be at most 1024 characters';
      }
      if (Object.keys(fields).length > 0) return fail(fields);
      const type = mediatype as string;
      return { ok: true, type, text: caption ? (caption as string) : `[${type}]` };
    }
    case 'template': {
      const { template, vars = {} } = body;
      if (typeof template !== 'string' || template === '') return fail({ template: 'is required' });
      const templateBody = state.qirim.templates.get(template);
      if (templateBody === undefined) return fail({ template: `unknown template '${template}'` });
      if (!isRecord(vars)) return fail({ vars: 'must be an object' });
      const fields: Record<string, string> = {};
      const text = templateBody.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
        const value = vars[name];
        if (typeof value === 'string' || typeof value === 'number') return String(value);
        fields[`vars.${name}`] = `is required by template '${template}'`;
        return '';
      });
      if (Object.keys(fields).length > 0) return fail(fields);
      return { ok: true, type: 'template', text };
    }
    default:
      return fail({ type: "must be 'text', 'media' or 'template'" });
  }
}

/** POST /notifications/send: queues one message per valid recipient and answers 202 at once. */
export function sendNotification(state: QirimContext, req: GatewayRequest): Reply {
  const body = jsonObject(req);
  if (!body.ok) return body.reply;
  const { to } = body.value;
  const recipients = typeof to === 'string' ? [to] : to;
  if (
    !Array.isArray(recipients) ||
    recipients.length === 0 ||
    !recipients.every((recipient) => typeof recipient === 'string')
  ) {
    return validationError({ to: 'must be a phone number or a non-empty list of them' });
  }
  const content = contentOf(state, body.value);
  if (!content.ok) return content.reply;

  const numbers = recipients.flatMap((recipient: string) => normalizeIndonesian(recipient) ?? []);
  if (numbers.length === 0) return invalidPhone();

  const createdAt = new Date().toISOString();
  const messages = numbers.map((number): SandboxMessage => {
    const message: SandboxMessage = {
      id: newWebMessageId(),
      provider: 'qirim',
      direction: 'outbound',
      to: number,
      type: content.type,
      text: content.text,
      payload: body.value,
      status: 'queued',
      createdAt,
    };
    state.messages.add(message);
    return message;
  });
  const batchId = randomUUID();
  state.qirim.batches.add(batchId, messages);
  // The queue worker sends a moment later; unref'd so a pending send never holds the process open.
  setTimeout(() => {
    for (const message of messages) {
      message.status = 'sent';
      state.events.emit({ type: 'message.status', data: message });
    }
  }, SEND_DELAY_MS).unref();

  return qirimOk(202, {
    batch_id: batchId,
    accepted: messages.length,
    queued: messages.length,
    rejected: recipients.length - messages.length,
  });
}

/** GET /notifications/:batch_id */
export function notificationStatus(
  state: QirimContext,
  _req: GatewayRequest,
  param: (name: string) => string,
): Reply {
  const batchId = param('batchId');
  const messages = state.qirim.batches.get(batchId);
  if (!messages) return qirimError(404, 'not_found', `Batch '${batchId}' tidak ditemukan`);
  const counts: Record<string, number> = {};
  for (const message of messages) counts[message.status] = (counts[message.status] ?? 0) + 1;
  return qirimOk(200, {
    batch_id: batchId,
    counts,
    messages: messages.map((message) => ({
      to: message.to,
      status: message.status,
      evolution_message_id: message.id,
    })),
  });
}
