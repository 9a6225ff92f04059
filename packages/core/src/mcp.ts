import { KabarError } from './errors.js';
import type { Conversation, ConversationDetail, McpTool } from './resources.js';

/**
 * Kirem's MCP tools answer with `{content: [{type: 'text', text}]}` where `text` is often JSON.
 * These helpers turn those answers into typed values.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toolText(result: unknown, provider: string): string {
  const content = isRecord(result) && Array.isArray(result.content) ? result.content : [];
  const text = content.find((part) => isRecord(part) && part.type === 'text')?.text;
  if (typeof text !== 'string') {
    throw new KabarError('provider_error', `${provider}: MCP answer without text content`, {
      provider,
      details: result,
    });
  }
  return text;
}

function toolJson(result: unknown, provider: string): unknown {
  const text = toolText(result, provider);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new KabarError('provider_error', `${provider}: MCP answer is not JSON`, {
      provider,
      details: text,
      cause,
    });
  }
}

export function parseTools(result: unknown): McpTool[] {
  return isRecord(result) && Array.isArray(result.tools) ? (result.tools as McpTool[]) : [];
}

export function parseConversations(result: unknown, provider: string): Conversation[] {
  const list = toolJson(result, provider);
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((c) => ({
    id: String(c.id),
    status: String(c.status),
    customerPhone: String(c.customer_phone ?? ''),
    updatedAt: String(c.updated_at ?? ''),
  }));
}

export function parseConversation(result: unknown, provider: string): ConversationDetail {
  const value = toolJson(result, provider);
  const session = isRecord(value) && isRecord(value.session) ? value.session : {};
  const messages = isRecord(value) && Array.isArray(value.messages) ? value.messages : [];
  return {
    session: { id: String(session.id ?? ''), status: String(session.status ?? '') },
    messages: messages.filter(isRecord).map((m) => ({
      id: String(m.id),
      sender: String(m.sender ?? ''),
      text: String(m.text ?? ''),
      createdAt: String(m.created_at ?? ''),
    })),
  };
}

/** `send_message` confirms with "… Message ID: msg_abc123". */
export function parseSentMessage(result: unknown, provider: string) {
  const text = toolText(result, provider);
  return { text, messageId: /Message ID:\s*(\S+)/i.exec(text)?.[1] };
}
