import { acceptMessage } from '../../cloud-api/accept-message.js';
import type { GatewayRequest } from '../../gateway.js';
import { isRecord, json, parseJson, type Reply } from '../../http.js';
import { VERSION } from '../../options.js';
import type { Conversation } from '../../types.js';
import { logStatus } from './message-log.js';
import type { KiremContext } from './state.js';

/** The seed's tools/list result, verbatim. */
const SEED_TOOLS = [
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

/**
 * Kirem's docs name these two tools without a schema or an example answer, so their descriptions,
 * schemas and answers are the sandbox's own, built on the same state as the REST API.
 */
const UNDOCUMENTED_TOOLS = [
  {
    name: 'list_templates',
    description: 'Dapatkan daftar templat pesan WhatsApp dalam proyek.',
    inputSchema: {
      type: 'object',
      properties: {
        status: {
          type: 'string',
          description:
            'Saring berdasarkan status templat (APPROVED, PENDING, REJECTED, PAUSED). Opsional.',
        },
      },
    },
  },
  {
    name: 'view_analytics',
    description: 'Lihat jumlah pesan proyek, per arah (inbound, outbound) dan per status.',
    inputSchema: { type: 'object', properties: {} },
  },
];

const TOOLS = [...SEED_TOOLS, ...UNDOCUMENTED_TOOLS];

/**
 * The MCP revisions the endpoint speaks, newest first. Streamable HTTP arrived in 2025-03-26 (whose
 * batches are accepted too); 2024-11-05 used the older HTTP+SSE transport, which Kirem's single
 * POST endpoint cannot be.
 */
const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];

const INSTRUCTIONS =
  "Kabar sandbox emulating Kirem's MCP server. The tools read and change the sandbox's own " +
  'conversations, templates and stored messages; nothing reaches WhatsApp.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Id = string | number | null;
type RpcError = { code: number; message: string };
type Outcome = { result: unknown } | { error: RpcError };
type RpcResponse = { jsonrpc: '2.0'; id: Id } & Outcome;
type ToolArguments = Record<string, unknown>;

const invalidParams = (message: string) => ({ error: { code: -32602, message } });
const textResult = (text: string): Outcome => ({ result: { content: [{ type: 'text', text }] } });

/**
 * What a notification or a client's response gets: accepted, nothing to say back. The explicit
 * length keeps Node from framing the empty answer as a chunked body.
 */
const ACCEPTED: Reply = { status: 202, headers: { 'content-length': '0' } };

/**
 * Kirem's MCP endpoint over Streamable HTTP: each POST carries one JSON-RPC message (or, as
 * 2025-03-26 allows, a batch). Requests are answered as `application/json`, with HTTP 200 even for
 * JSON-RPC errors; notifications and responses get 202 and no body. `initialize` is optional:
 * Kirem's docs call `tools/list` and `tools/call` directly, so every method works without it.
 */
export function handleMcp(state: KiremContext, req: GatewayRequest): Reply {
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && !PROTOCOL_VERSIONS.includes(String(version))) {
    // The spec's answer to a revision the server does not speak (Protocol Version Header).
    const supported = PROTOCOL_VERSIONS.join(', ');
    const message = `Unsupported MCP-Protocol-Version: ${version} (supported: ${supported})`;
    return json(400, { jsonrpc: '2.0', error: { code: -32600, message } });
  }
  const parsed = parseJson(req.body);
  if (!parsed.ok) return json(200, failure(null, -32700, 'Parse error'));
  if (Array.isArray(parsed.value)) return handleBatch(state, parsed.value);
  const response = handleMessage(state, parsed.value);
  return response ? json(200, response) : ACCEPTED;
}

/** GET (a server-initiated SSE stream) and DELETE (ending a session): the sandbox offers neither. */
export function mcpMethodNotAllowed(): Reply {
  return {
    status: 405,
    headers: { allow: 'POST' },
    body: { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: use POST' } },
  };
}

function handleBatch(state: KiremContext, messages: unknown[]): Reply {
  if (messages.length === 0) {
    return json(200, failure(null, -32600, 'Invalid Request'));
  }
  const responses = messages.flatMap((message) => handleMessage(state, message) ?? []);
  return responses.length > 0 ? json(200, responses) : ACCEPTED;
}

/** The response to one JSON-RPC message, or undefined when it is a notification or a response. */
function handleMessage(state: KiremContext, message: unknown): RpcResponse | undefined {
  if (!isRecord(message)) return invalidRequest(null);
  const id = isId(message.id) ? message.id : null;
  if (message.jsonrpc !== '2.0') return invalidRequest(id);
  // The sandbox never asks the client anything, so a response from it has nothing to answer.
  if (!('method' in message) && ('result' in message || 'error' in message)) return undefined;
  if (typeof message.method !== 'string') return invalidRequest(id);
  // Notifications (no id) are never answered, and none of them changes anything here.
  if (!('id' in message)) return undefined;
  if (!isId(message.id)) return invalidRequest(null);
  return respond(message.id, handleRequest(state, message.method, message.params));
}

function handleRequest(state: KiremContext, method: string, params: unknown): Outcome {
  switch (method) {
    case 'initialize':
      return initialize(params);
    case 'ping':
      return { result: {} };
    case 'tools/list':
      return { result: { tools: TOOLS } };
    case 'tools/call':
      return callTool(state, params);
    default:
      return { error: { code: -32601, message: `Method not found: ${method}` } };
  }
}

function isId(value: unknown): value is Id {
  return typeof value === 'string' || typeof value === 'number' || value === null;
}

function respond(id: Id, outcome: Outcome): RpcResponse {
  return { jsonrpc: '2.0', ...outcome, id };
}

function failure(id: Id, code: number, message: string): RpcResponse {
  return respond(id, { error: { code, message } });
}

function invalidRequest(id: Id): RpcResponse {
  return failure(id, -32600, 'Invalid Request');
}

/** Version negotiation: the client's revision when the sandbox speaks it, else the newest it does. */
function initialize(params: unknown): Outcome {
  if (!isRecord(params) || typeof params.protocolVersion !== 'string') {
    return invalidParams('params.protocolVersion is required');
  }
  const requested = params.protocolVersion;
  return {
    result: {
      protocolVersion: PROTOCOL_VERSIONS.includes(requested) ? requested : PROTOCOL_VERSIONS[0],
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: 'kabar-sandbox-kirem', version: VERSION },
      instructions: INSTRUCTIONS,
    },
  };
}

type Tool = (state: KiremContext, args: ToolArguments) => Outcome;

// A Map, not an object: a tool name such as 'toString' must not find a prototype method.
const TOOL_HANDLERS = new Map<string, Tool>([
  ['send_message', sendMessage],
  ['list_conversations', listConversations],
  ['get_conversation', getConversation],
  ['list_templates', listTemplates],
  ['view_analytics', viewAnalytics],
]);

function callTool(state: KiremContext, params: unknown): Outcome {
  if (!isRecord(params) || typeof params.name !== 'string') {
    return invalidParams('params.name is required');
  }
  const args = params.arguments ?? {};
  if (!isRecord(args)) return invalidParams('params.arguments must be an object');
  const tool = TOOL_HANDLERS.get(params.name);
  if (!tool) return invalidParams(`Unknown tool: ${params.name}`);
  return tool(state, args);
}

/** The optional `status` filter of the list tools, or the error for a non-string one. */
function statusFilter(args: ToolArguments): { status: string | undefined } | { error: RpcError } {
  if (args.status !== undefined && typeof args.status !== 'string') {
    return invalidParams('status must be a string');
  }
  return { status: args.status };
}

/** The conversation `session_id` names; the seed requires a valid UUID. */
function conversationOf(
  state: KiremContext,
  args: ToolArguments,
): { conversation: Conversation } | { error: RpcError } {
  if (typeof args.session_id !== 'string' || !UUID.test(args.session_id)) {
    return invalidParams('session_id must be a valid UUID');
  }
  const conversation = state.kirem.conversations.get(args.session_id);
  if (!conversation) return invalidParams('Conversation not found');
  return { conversation };
}

function listConversations(state: KiremContext, args: ToolArguments): Outcome {
  const filter = statusFilter(args);
  if ('error' in filter) return filter;
  const conversations = state.kirem.conversations.list(filter.status);
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

function getConversation(state: KiremContext, args: ToolArguments): Outcome {
  const found = conversationOf(state, args);
  if ('error' in found) return found;
  const { id, status, messages } = found.conversation;
  return textResult(JSON.stringify({ session: { id, status }, messages }));
}

function sendMessage(state: KiremContext, args: ToolArguments): Outcome {
  if (typeof args.text !== 'string' || args.text.trim() === '') {
    return invalidParams('text must be a non-empty string');
  }
  const found = conversationOf(state, args);
  if ('error' in found) return found;
  const { conversation } = found;
  const text = args.text;
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

/** The templates as `GET /v1/templates` lists them in `data`. */
function listTemplates(state: KiremContext, args: ToolArguments): Outcome {
  const filter = statusFilter(args);
  if ('error' in filter) return filter;
  return textResult(JSON.stringify(state.kirem.templates.list(filter.status)));
}

/**
 * The stored Kirem messages counted per direction and per status, the status as
 * `GET /v1/analytics/messages` reports it; a status no message has is left out.
 */
function viewAnalytics(state: KiremContext): Outcome {
  const { messages } = state.messages.query({ provider: 'kirem' });
  const byDirection = { inbound: 0, outbound: 0 };
  const byStatus: Record<string, number> = {};
  for (const message of messages) {
    byDirection[message.direction] += 1;
    const status = logStatus(message.status);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return textResult(
    JSON.stringify({ total: messages.length, by_direction: byDirection, by_status: byStatus }),
  );
}
