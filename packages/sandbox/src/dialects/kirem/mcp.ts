import { acceptMessage } from '../../cloud-api/accept-message.js';
import { isRecord, json, parseJson, type Reply } from '../../http.js';
import type { KiremContext } from './state.js';

/** The seed's tools/list result, verbatim. */
const TOOLS = [
  {
    name: 'send_message',
    description: 'Kirim pesan WhatsApp ke session chat/percakapan tertentu.',
    inputSchema: {
      type: 'object',
      properties: {
        session_id: { type: 'string', description: 'ID dari chat session/percakapan.' },
        text: { type: 'string', description: 'Isi pesan teks yang ingin dikirim.' },
      },
      required: ['session_id', 'text'],
    },
  },
  {
    name: 'list_conversations',
    description: 'Dapatkan daftar percakapan (chat sessions) aktif dalam proyek.',
    inputSchema: {
      type: 'object',
      properties: {
        status: {
          type: 'string',
          description:
            'Saring berdasarkan status percakapan (open, pending, resolved, on_hold). Opsional.',
        },
      },
    },
  },
  {
    name: 'get_conversation',
    description: 'Dapatkan detail percakapan (chat session) beserta riwayat timeline pesannya.',
    inputSchema: {
      type: 'object',
      properties: {
        session_id: { type: 'string', description: 'ID dari chat session/percakapan.' },
      },
      required: ['session_id'],
    },
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Id = string | number | null;
type Outcome = { result: unknown } | { error: { code: number; message: string } };

const invalidParams = (message: string): Outcome => ({ error: { code: -32602, message } });
const textResult = (text: string): Outcome => ({ result: { content: [{ type: 'text', text }] } });

/** Kirem's MCP endpoint: JSON-RPC 2.0 over POST, always HTTP 200 (errors travel in the envelope). */
export function handleMcp(state: KiremContext, body: Buffer): Reply {
  const parsed = parseJson(body);
  if (!parsed.ok) return envelope(null, { error: { code: -32700, message: 'Parse error' } });
  const request = parsed.value;
  const id = isRecord(request) && isId(request.id) ? request.id : null;
  if (!isRecord(request) || request.jsonrpc !== '2.0' || typeof request.method !== 'string') {
    return envelope(id, { error: { code: -32600, message: 'Invalid Request' } });
  }
  switch (request.method) {
    case 'tools/list':
      return envelope(id, { result: { tools: TOOLS } });
    case 'tools/call':
      return envelope(id, callTool(state, request.params));
    default:
      return envelope(id, {
        error: { code: -32601, message: `Method not found: ${request.method}` },
      });
  }
}

function isId(value: unknown): value is Id {
  return typeof value === 'string' || typeof value === 'number' || value === null;
}

function envelope(id: Id, outcome: Outcome): Reply {
  return json(200, { jsonrpc: '2.0', ...outcome, id });
}

function callTool(state: KiremContext, params: unknown): Outcome {
  if (!isRecord(params) || typeof params.name !== 'string') {
    return invalidParams('params.name is required');
  }
  const args = params.arguments ?? {};
  if (!isRecord(args)) return invalidParams('params.arguments must be an object');

  if (params.name === 'list_conversations') {
    if (args.status !== undefined && typeof args.status !== 'string') {
      return invalidParams('status must be a string');
    }
    const conversations = state.kirem.conversations.list(args.status);
    return textResult(
      JSON.stringify(
        conversations.map(({ id, status, customer_phone, updated_at }) => ({
          id,
          status,
          customer_phone,
          updated_at,
        })),
      ),
    );
  }
  if (params.name !== 'get_conversation' && params.name !== 'send_message') {
    return invalidParams(`Unknown tool: ${params.name}`);
  }

  if (typeof args.session_id !== 'string' || !UUID.test(args.session_id)) {
    return invalidParams('session_id must be a valid UUID');
  }
  const conversation = state.kirem.conversations.get(args.session_id);
  if (
    params.name === 'send_message' &&
    (typeof args.text !== 'string' || args.text.trim() === '')
  ) {
    return invalidParams('text must be a non-empty string');
  }
  if (!conversation) return invalidParams('Conversation not found');

  if (params.name === 'get_conversation') {
    const { id, status, messages } = conversation;
    return textResult(JSON.stringify({ session: { id, status }, messages }));
  }

  const text = String(args.text);
  const accepted = acceptMessage(state, state.kirem.channel, {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: conversation.customer_phone,
    type: 'text',
    text: { body: text },
  });
  if (!accepted.ok) return invalidParams('text or the conversation phone number is not sendable');
  state.kirem.conversations.append(conversation, {
    id: accepted.message.id,
    sender: 'agent',
    text,
  });
  return textResult(`Pesan berhasil dikirim. Message ID: ${accepted.message.id}`);
}
