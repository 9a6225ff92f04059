import { STATUS_CODES } from 'node:http';
import { isoSeconds } from '../../calendar.js';
import type { Gateway, GatewayRequest } from '../../gateway.js';
import { json, type Reply, readMultipart } from '../../http.js';
import { newWebMessageId } from '../../ids.js';
import type { SandboxMessage } from '../../types.js';
import type { KirimyContext } from './state.js';

const SEND_PATH = '/v1/send-message';

/** Kirimy's docs: "Gunakan format nomor Indonesia dengan kode negara 62 (contoh: 62812345678)". */
const RECEIVE = /^62\d{8,13}$/;

const MAX_MESSAGE_LENGTH = 4096;

/**
 * HTTP status for each error_code. The seed lists the codes without statuses; these follow their
 * meaning. SESSION_INACTIVE is 409: the session exists but is in the wrong state for sending.
 * INVALID_REQUEST, MESSAGE_TOO_LONG and TOO_MANY_REQUESTS cover rules the docs state without a code.
 */
const STATUS_OF = {
  INVALID_API_KEY: 401,
  SESSION_NOT_FOUND: 404,
  SESSION_INACTIVE: 409,
  INVALID_PHONE_NUMBER: 400,
  MESSAGE_EMPTY: 400,
  QUOTA_EXCEEDED: 429,
  INVALID_REQUEST: 400,
  MESSAGE_TOO_LONG: 400,
  TOO_MANY_REQUESTS: 429,
  NOT_FOUND: 404,
} as const;

type KirimyErrorCode = keyof typeof STATUS_OF;

/** Kirimy's HTTP API: one multipart send endpoint, per-key rate limits and per-session quotas. */
export function createKirimyGateway(state: KirimyContext): Gateway {
  return {
    provider: 'kirimy',
    authenticate(req) {
      const key = req.headers['api-key'];
      if (typeof key === 'string' && state.kirimy.options.apiKeys.includes(key)) return undefined;
      return kirimyError('INVALID_API_KEY', 'API key tidak valid atau sudah expired');
    },
    handle(req) {
      const retryAfter = state.kirimy.rate.hit(String(req.headers['api-key']));
      if (retryAfter !== undefined) {
        const reply = kirimyError('TOO_MANY_REQUESTS', 'Too Many Requests');
        return { ...reply, headers: { 'retry-after': String(retryAfter) } };
      }
      if (req.method === 'POST' && req.path === SEND_PATH) return sendMessage(state, req);
      return kirimyError('NOT_FOUND', `${req.method} ${req.path} does not exist`);
    },
    errorFor(status) {
      const message = STATUS_CODES[status] ?? 'Error';
      const code = status === 401 ? 'INVALID_API_KEY' : message.toUpperCase().replace(/\W+/g, '_');
      return json(status, { success: false, message, error_code: code });
    },
  };
}

function kirimyError(code: KirimyErrorCode, message: string): Reply {
  return json(STATUS_OF[code], { success: false, message, error_code: code });
}

async function sendMessage(state: KirimyContext, req: GatewayRequest): Promise<Reply> {
  const form = await readMultipart(req.body, req.headers['content-type']);
  if (!form.ok) return kirimyError('INVALID_REQUEST', `Request body ${form.reason}`);
  const field = (name: string) => {
    const value = form.fields.get(name);
    return typeof value === 'string' ? value : '';
  };
  const sessionId = field('session_id');
  const receive = field('receive');
  // Form encoding turns every line break into CRLF; the recipient sees plain line breaks.
  const text = field('message').replace(/\r\n/g, '\n');

  if (sessionId === '') return kirimyError('INVALID_REQUEST', 'session_id is required');
  if (!RECEIVE.test(receive)) {
    return kirimyError('INVALID_PHONE_NUMBER', 'Format nomor WhatsApp tidak valid');
  }
  if (text.trim() === '') return kirimyError('MESSAGE_EMPTY', 'Pesan tidak boleh kosong');
  if (text.length > MAX_MESSAGE_LENGTH) {
    return kirimyError('MESSAGE_TOO_LONG', `Pesan maksimal ${MAX_MESSAGE_LENGTH} karakter`);
  }

  switch (state.kirimy.sessions.send(sessionId)) {
    case 'not-found':
      return kirimyError('SESSION_NOT_FOUND', 'Session ID tidak ditemukan');
    case 'inactive':
      return kirimyError('SESSION_INACTIVE', 'Session tidak dalam kondisi aktif');
    case 'quota-exceeded':
      return kirimyError('QUOTA_EXCEEDED', 'Kuota pengiriman API telah habis');
    case 'ok':
      break;
  }

  const now = Date.now();
  const message: SandboxMessage = {
    id: newWebMessageId(),
    provider: 'kirimy',
    direction: 'outbound',
    to: receive,
    type: 'text',
    text,
    payload: { session_id: sessionId, receive, message: text },
    status: 'accepted',
    createdAt: new Date(now).toISOString(),
    sessionId,
  };
  state.messages.add(message);
  return json(200, {
    success: true,
    message: 'Message sent successfully',
    data: { message_id: message.id, session_id: sessionId, receive, timestamp: isoSeconds(now) },
  });
}
