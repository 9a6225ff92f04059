import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Gateway } from './tools/define.js';

/** The latest conversation on `gateway` as lines of text, and the customer's number. */
async function latestConversation(
  gateway: Gateway,
): Promise<{ customer: string; transcript: string } | undefined> {
  if (gateway.client.supports('mcp')) {
    const [latest] = await gateway.client.mcp.listConversations({ status: 'open' });
    if (!latest) return undefined;
    const detail = await gateway.client.mcp.getConversation(latest.id);
    const lines = detail.messages.map((m) => `${m.sender}: ${m.text}`);
    return { customer: latest.customerPhone, transcript: lines.join('\n') };
  }
  const [latest] = gateway.inbox?.conversations(1) ?? [];
  if (!latest) return undefined;
  const lines = (gateway.inbox?.conversation(latest.customer) ?? []).map(
    (m) => `${m.direction === 'inbound' ? 'customer' : 'us'}: ${m.text || `(${m.type})`}`,
  );
  return { customer: latest.customer, transcript: lines.join('\n') };
}

const userMessage = (text: string) => ({
  messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
});

/**
 * Prompts for the two tasks agents are asked most: answering the customer who wrote last (where
 * a gateway has conversations to read), and telling a customer their order moved on.
 */
export function registerPrompts(server: McpServer, gateways: readonly Gateway[]): void {
  const readable = gateways.filter(
    (gateway) => gateway.client.supports('mcp') || gateway.inbox !== undefined,
  );
  const [first] = readable;
  if (first) {
    const names = readable.map((gateway) => gateway.name) as [string, ...string[]];
    server.registerPrompt(
      'reply_to_latest',
      {
        title: 'Reply to the latest customer',
        description: 'The most recent conversation, and a request to answer it with send_text',
        argsSchema: { gateway: z.enum(names).optional() },
      },
      async ({ gateway: wanted }) => {
        const gateway = readable.find((g) => g.name === wanted) ?? first;
        const latest = await latestConversation(gateway);
        if (!latest) return userMessage(`No customer has written on ${gateway.name} yet.`);
        return userMessage(
          `This is the latest WhatsApp conversation on ${gateway.name}, with ${latest.customer}:\n\n${latest.transcript}\n\nDraft a short, friendly reply in the customer's language that answers their last message, show it to me, and send it with send_text to ${latest.customer} once I agree.`,
        );
      },
    );
  }
  server.registerPrompt(
    'order_update',
    {
      title: 'Tell a customer about their order',
      description: 'A request to send an order status update through the right tool',
      argsSchema: {
        phone: z.string().describe('The customer’s number'),
        order: z.string().describe('The order number'),
        status: z.string().describe('What happened: shipped, delivered, paid, ...'),
      },
    },
    async ({ phone, order, status }) =>
      userMessage(
        `Tell the customer at ${phone} that order ${order} is now: ${status}. If they wrote to us in the last 24 hours, send a short text with send_text. Otherwise WhatsApp only allows an approved template: find a UTILITY template for order updates with list_templates and send it with send_template, filling its parameters. Do not use a MARKETING template.`,
      ),
  );
}
