import { normalizePhone } from '@kabar/core';
import { z } from 'zod';
import { defineTool, type Gateway } from './define.js';

// The gateway's own inbox through its MCP endpoint (Kirem), or else the one Kabar keeps from the
// webhooks this server receives: the same two tools either way.
const hasInbox = (gateway: Gateway) =>
  gateway.client.supports('mcp') || gateway.inbox !== undefined;

/** Reading conversations: the gateway's inbox, or Kabar's own. */
export const CONVERSATION_TOOLS = [
  defineTool({
    name: 'list_conversations',
    title: 'List conversations',
    description:
      'Recent conversations, newest first, each with the id get_conversation takes (Kirem: its session id; other gateways: the customer’s number).',
    offered: hasInbox,
    effect: 'read',
    input: {
      status: z
        .enum(['open', 'pending', 'resolved', 'on_hold'])
        .optional()
        .describe('Kirem only: conversations in this status'),
    },
    async run({ status }, { gateway }) {
      if (gateway.client.supports('mcp')) return gateway.client.mcp.listConversations({ status });
      return (gateway.inbox?.conversations() ?? []).map(({ customer, name, messages, last }) => ({
        id: customer,
        customer,
        name,
        messages,
        last,
      }));
    },
  }),
  defineTool({
    name: 'get_conversation',
    title: 'Read a conversation',
    description: 'One conversation’s messages, oldest first.',
    offered: hasInbox,
    effect: 'read',
    input: {
      conversation: z.string().min(1).max(64).describe('The id list_conversations gave'),
    },
    async run({ conversation }, { gateway, safety }) {
      if (gateway.client.supports('mcp')) return gateway.client.mcp.getConversation(conversation);
      const customer = normalizePhone(conversation, {
        defaultRegion: safety.defaultRegion ?? 'ID',
      });
      return { customer, messages: gateway.inbox?.conversation(customer) ?? [] };
    },
  }),
];
