import { describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { type CallOptions, call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();

const mcp = (json: unknown, options: CallOptions = {}) =>
  call(`${sandbox.kirem.baseUrl}/v1/mcp`, { token: sandbox.kirem.apiKey, json, ...options });

const SESSION = '8a3d12d4-1a9b-4bfa-a7b3-c123456789ab';

/** The seed's tools/list response, copied from the docs (not from mcp.ts). */
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

function contentText(answer: { body: { result: { content: { type: string; text: string }[] } } }) {
  const [content] = answer.body.result.content;
  expect(content?.type).toBe('text');
  return content?.text ?? '';
}

describe('Kirem MCP', () => {
  it('lists the seed tools', async () => {
    const answer = await mcp(seed.mcpToolsList);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ jsonrpc: '2.0', result: { tools: SEED_TOOLS }, id: 1 });
  });

  it('lists conversations like the seed example', async () => {
    const answer = await mcp(seed.mcpListConversations);
    expect(answer.body.id).toBe(2);
    expect(JSON.parse(contentText(answer))).toEqual([
      {
        id: SESSION,
        status: 'open',
        customer_phone: '62812345678',
        updated_at: '2026-06-28T16:00:00Z',
      },
    ]);
    const resolved = await mcp({
      ...seed.mcpListConversations,
      params: { name: 'list_conversations', arguments: { status: 'resolved' } },
    });
    expect(JSON.parse(contentText(resolved))).toEqual([]);
  });

  it('gets a conversation with its messages', async () => {
    const answer = await mcp(seed.mcpGetConversation);
    expect(answer.body.id).toBe(3);
    expect(JSON.parse(contentText(answer))).toEqual({
      session: { id: SESSION, status: 'open' },
      messages: [
        {
          id: 'msg_1',
          sender: 'customer',
          text: 'Halo, apakah produk X ready?',
          created_at: expect.any(String),
        },
      ],
    });
  });

  it('sends a message: replies with its id, stores it and appends it to the conversation', async () => {
    const answer = await mcp(seed.mcpSendMessage);
    expect(answer.body.id).toBe(4);
    const text = contentText(answer);
    const id = /^Pesan berhasil dikirim\. Message ID: (wamid\.\S+)$/.exec(text)?.[1];
    expect(id).toBeDefined();

    expect(await sandbox.latest({ provider: 'kirem' })).toMatchObject({
      id,
      to: '62812345678',
      type: 'text',
      text: seed.mcpSendMessage.params.arguments.text,
    });
    const conversation = JSON.parse(contentText(await mcp(seed.mcpGetConversation)));
    expect(conversation.messages.at(-1)).toMatchObject({
      id,
      sender: 'agent',
      text: seed.mcpSendMessage.params.arguments.text,
    });
  });

  it('serves conversations added through the control API', async () => {
    const added = await sandbox.addConversation({
      customer_phone: '6281100002222',
      status: 'pending',
      messages: [{ text: 'Apakah bisa COD?' }],
    });
    const pending = await mcp({
      ...seed.mcpListConversations,
      params: { name: 'list_conversations', arguments: { status: 'pending' } },
    });
    expect(JSON.parse(contentText(pending))).toEqual([
      {
        id: added.id,
        status: 'pending',
        customer_phone: '6281100002222',
        updated_at: added.updated_at,
      },
    ]);
  });

  it('answers JSON-RPC errors with HTTP 200', async () => {
    const parseError = await mcp(undefined, {
      body: '{"jsonrpc": "2.0", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(parseError.status).toBe(200);
    expect(parseError.body).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
    expect((await mcp({ method: 'tools/list', id: 5 })).body.error.code).toBe(-32600);
    expect((await mcp({ jsonrpc: '2.0', method: 'resources/list', id: 6 })).body).toMatchObject({
      error: { code: -32601 },
      id: 6,
    });
  });

  it('answers invalid params with -32602', async () => {
    const withArgs = (name: string, args: Record<string, unknown>) =>
      mcp({ jsonrpc: '2.0', method: 'tools/call', params: { name, arguments: args }, id: 7 });

    const badUuid = await withArgs('get_conversation', { session_id: 'abc' });
    expect(badUuid.body.error).toEqual({
      code: -32602,
      message: 'session_id must be a valid UUID',
    });
    const emptyText = await withArgs('send_message', { session_id: SESSION, text: '  ' });
    expect(emptyText.body.error.code).toBe(-32602);
    const unknown = await withArgs('get_conversation', {
      session_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.body.error).toEqual({ code: -32602, message: 'Conversation not found' });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('needs the same Bearer key as the REST API', async () => {
    const answer = await call(`${sandbox.kirem.baseUrl}/v1/mcp`, { json: seed.mcpToolsList });
    expect(answer.status).toBe(401);
  });
});
