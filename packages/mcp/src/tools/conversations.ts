import { z } from 'zod';
import { defineTool } from './define.js';

/** The gateway's inbox, through its own MCP endpoint (Kirem). */
export const CONVERSATION_TOOLS = [
  defineTool({
    name: 'list_conversations',
    title: 'List conversations',
    description: 'Conversations in the gateway’s inbox, optionally only those in one status.',
    feature: 'mcp',
    effect: 'read',
    input: {
      status: z.enum(['open', 'pending', 'resolved', 'on_hold']).optional(),
    },
    run: ({ status }, { gateway }) => gateway.client.mcp.listConversations({ status }),
  }),
  defineTool({
    name: 'get_conversation',
    title: 'Read a conversation',
    description: 'One conversation with its messages, oldest first.',
    feature: 'mcp',
    effect: 'read',
    input: { sessionId: z.uuid().describe('The conversation’s id from list_conversations') },
    run: ({ sessionId }, { gateway }) => gateway.client.mcp.getConversation(sessionId),
  }),
];
