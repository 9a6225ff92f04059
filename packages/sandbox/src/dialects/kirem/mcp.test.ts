import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import * as seed from '../../seed-examples.js';
import { type CallOptions, call } from '../../test-helpers.js';
import { eventually, useSandbox } from '../../vitest.js';

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
  it('lists the seed tools verbatim, then the two the docs only name', async () => {
    const answer = await mcp(seed.mcpToolsList);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      jsonrpc: '2.0',
      result: {
        tools: [
          ...SEED_TOOLS,
          expect.objectContaining({ name: 'list_templates' }),
          expect.objectContaining({ name: 'view_analytics' }),
        ],
      },
      id: 1,
    });
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

describe('Kirem MCP over Streamable HTTP', () => {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  /** The official SDK client on the sandbox, and every request it made with the status it got. */
  function sdkClient(token = sandbox.kirem.apiKey) {
    const requests: { method: string; status: number }[] = [];
    const errors: Error[] = [];
    const transport = new StreamableHTTPClientTransport(
      new URL(`${sandbox.kirem.baseUrl}/v1/mcp`),
      {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
        fetch: async (url, init) => {
          const response = await fetch(url, init);
          requests.push({ method: init?.method ?? 'GET', status: response.status });
          return response;
        },
      },
    );
    const client = new Client({ name: 'sandbox-test', version: '1.0.0' });
    client.onerror = (error) => errors.push(error);
    clients.push(client);
    return { client, transport, requests, errors };
  }

  async function connected() {
    const sdk = sdkClient();
    await sdk.client.connect(sdk.transport);
    return sdk;
  }

  async function toolJson(client: Client, name: string, args: Record<string, unknown> = {}) {
    const result = await client.callTool({ name, arguments: args });
    const [content] = result.content as { type: string; text: string }[];
    expect(content?.type).toBe('text');
    return JSON.parse(content?.text ?? '');
  }

  it('lets the SDK client connect: initialize, initialized, the refused GET stream, ping', async () => {
    const { client, transport, requests, errors } = await connected();
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(client.getServerVersion()).toMatchObject({ name: 'kabar-sandbox-kirem' });
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: false } });
    expect(client.getInstructions()).toContain('sandbox');
    expect(await client.ping()).toEqual({});

    // After `notifications/initialized` (202) the client asks for an SSE stream; 405 means none.
    const seen = await eventually(
      async () => requests,
      (all) => all.some((request) => request.method === 'GET'),
    );
    expect(seen).toEqual([
      { method: 'POST', status: 200 },
      { method: 'POST', status: 202 },
      { method: 'GET', status: 405 },
      { method: 'POST', status: 200 },
    ]);
    expect(errors).toEqual([]);
  });

  it('lists the five tools', async () => {
    const { client } = await connected();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'send_message',
      'list_conversations',
      'get_conversation',
      'list_templates',
      'view_analytics',
    ]);
  });

  it('sends a message with send_message, which the sandbox stores as outbound', async () => {
    const { client } = await connected();
    const result = await client.callTool({
      name: 'send_message',
      arguments: { session_id: SESSION, text: 'Ready stock, kak!' },
    });
    const [content] = result.content as { type: string; text: string }[];
    const id = /^Pesan berhasil dikirim\. Message ID: (wamid\.\S+)$/.exec(content?.text ?? '')?.[1];
    expect(id).toBeDefined();
    expect(await sandbox.messages({ provider: 'kirem', direction: 'outbound' })).toMatchObject([
      { id, to: '62812345678', type: 'text', text: 'Ready stock, kak!' },
    ]);
    const conversation = await toolJson(client, 'get_conversation', { session_id: SESSION });
    expect(conversation.messages.at(-1)).toMatchObject({ id, sender: 'agent' });
  });

  it('rejects an unknown tool and bad arguments with McpError -32602', async () => {
    const { client } = await connected();
    const unknown = await client.callTool({ name: 'hapus_semua', arguments: {} }).catch((e) => e);
    expect(unknown).toBeInstanceOf(McpError);
    expect(unknown).toMatchObject({
      code: -32602,
      message: expect.stringContaining('hapus_semua'),
    });
    const badArgs = await client
      .callTool({ name: 'send_message', arguments: { session_id: 'abc', text: 'x' } })
      .catch((e) => e);
    expect(badArgs).toMatchObject({ code: -32602 });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('lists the project templates with list_templates, as GET /v1/templates does', async () => {
    const { client } = await connected();
    const all = await toolJson(client, 'list_templates');
    expect(all.map((t: { name: string; status: string }) => [t.name, t.status])).toEqual([
      ['otp_verification', 'APPROVED'],
      ['promo_diskon_baru', 'PENDING'],
    ]);
    const rest = await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
      token: sandbox.kirem.apiKey,
    });
    expect(all).toEqual(rest.body.data);
    const pending = await toolJson(client, 'list_templates', { status: 'PENDING' });
    expect(pending.map((t: { name: string }) => t.name)).toEqual(['promo_diskon_baru']);
  });

  it('counts the stored messages with view_analytics', async () => {
    const { client } = await connected();
    expect(await toolJson(client, 'view_analytics')).toEqual({
      total: 0,
      by_direction: { inbound: 0, outbound: 0 },
      by_status: {},
    });
    await sandbox.inbound({ provider: 'kirem', from: '62812345678', text: 'Masih ada?' });
    for (const text of ['Masih, kak.', 'Ada warna lain juga.']) {
      await client.callTool({ name: 'send_message', arguments: { session_id: SESSION, text } });
    }
    expect(await toolJson(client, 'view_analytics')).toEqual({
      total: 3,
      by_direction: { inbound: 1, outbound: 2 },
      by_status: { received: 1, sent: 2 },
    });
  });

  it('refuses a wrong Bearer token', async () => {
    const { client, transport, requests } = sdkClient('kirem_wrong_key');
    await expect(client.connect(transport)).rejects.toMatchObject({ code: 401 });
    expect(requests).toEqual([{ method: 'POST', status: 401 }]);
  });
});

describe('Kirem MCP: the Streamable HTTP wire', () => {
  const initialize = (protocolVersion?: string, id = 1) => ({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
  });

  it('echoes a protocol version it speaks, and offers its newest for any other', async () => {
    for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
      const answer = await mcp(initialize(version));
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.body.result.protocolVersion).toBe(version);
    }
    expect((await mcp(initialize('2024-11-05'))).body.result.protocolVersion).toBe('2025-11-25');
    expect((await mcp(initialize('2099-01-01'))).body.result.protocolVersion).toBe('2025-11-25');
    expect((await mcp(initialize(undefined, 9))).body).toMatchObject({
      error: { code: -32602 },
      id: 9,
    });
  });

  it('answers notifications and client responses with 202 and no body', async () => {
    const initialized = await mcp({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(initialized.status).toBe(202);
    expect(initialized.headers.get('content-length')).toBe('0');
    expect(initialized.body).toBeUndefined();
    const response = await mcp({ jsonrpc: '2.0', id: 'server-1', result: {} });
    expect(response.status).toBe(202);
    expect(response.body).toBeUndefined();
  });

  it('answers ping without initialize', async () => {
    expect((await mcp({ jsonrpc: '2.0', id: 'p', method: 'ping' })).body).toEqual({
      jsonrpc: '2.0',
      result: {},
      id: 'p',
    });
  });

  it('refuses GET and DELETE with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const answer = await call(`${sandbox.kirem.baseUrl}/v1/mcp`, {
        method,
        token: sandbox.kirem.apiKey,
        headers: { accept: 'text/event-stream' },
      });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
    }
  });

  it('refuses an MCP-Protocol-Version it does not speak with 400', async () => {
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const old = await mcp(ping, { headers: { 'mcp-protocol-version': '2024-11-05' } });
    expect(old.status).toBe(400);
    expect(old.body.error.message).toContain('2024-11-05');
    const current = await mcp(ping, { headers: { 'mcp-protocol-version': '2025-06-18' } });
    expect(current.status).toBe(200);
    expect(current.body.result).toEqual({});
  });

  it('answers a 2025-03-26 batch with one response per request', async () => {
    const answer = await mcp([
      initialize('2025-03-26', 1),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { jsonrpc: '2.0', id: 3, method: 'prompts/list' },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject([
      { id: 1, result: { protocolVersion: '2025-03-26' } },
      { id: 2, result: { tools: expect.any(Array) } },
      { id: 3, error: { code: -32601 } },
    ]);
    const onlyNotifications = await mcp([{ jsonrpc: '2.0', method: 'notifications/initialized' }]);
    expect(onlyNotifications.status).toBe(202);
    expect((await mcp([])).body.error.code).toBe(-32600);
  });
});
