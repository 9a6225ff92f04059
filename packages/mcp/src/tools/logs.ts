import { z } from 'zod';
import { defineTool, needs } from './define.js';

const limit = z.number().int().min(1).max(100).optional().describe('At most this many (100)');
const offset = z.number().int().min(0).optional();

/** The gateway's message and webhook logs (Kirem). */
export const LOG_TOOLS = [
  defineTool({
    name: 'message_logs',
    title: 'Read the message log',
    description:
      'Messages sent and received, newest first, filtered by status, direction or number.',
    offered: needs('logs.messages'),
    effect: 'read',
    input: {
      status: z.string().max(32).optional().describe('e.g. failed, delivered, read'),
      direction: z.enum(['inbound', 'outbound']).optional(),
      recipient: z.string().max(32).optional().describe('Only messages to this number'),
      limit,
      offset,
    },
    run: (filter, { gateway }) => gateway.client.logs.messages(filter),
  }),
  defineTool({
    name: 'webhook_logs',
    title: 'Read the webhook delivery log',
    description: 'The gateway’s deliveries to your webhook, with whether each succeeded.',
    offered: needs('logs.webhooks'),
    effect: 'read',
    input: { isSuccess: z.boolean().optional(), limit, offset },
    run: (filter, { gateway }) => gateway.client.logs.webhooks(filter),
  }),
];
