import { randomUUID } from 'node:crypto';
import { broadcast } from '@kabar/core/broadcast';
import { z } from 'zod';
import { confirmWithUser } from '../confirm.js';
import { dryRunSend } from '../dry-run.js';
import { admitRecipient, countWrite } from '../safety.js';
import { recipient, textBody } from '../schemas.js';
import { defineTool, needs } from './define.js';

/** The most recipients one broadcast call may name. */
export const MAX_BROADCAST = 500;

/** One text to many customers, confirmed by a person first. */
export const BROADCAST_TOOLS = [
  defineTool({
    name: 'broadcast',
    title: 'Broadcast a text to many customers',
    description: `Sends the same text to up to ${MAX_BROADCAST} customers, one message each, under the gateway’s rate limit. A person at the client must confirm it first; every number must be on the allowlist. Marketing texts reach only customers who opted in.`,
    offered: needs('text'),
    effect: 'send',
    input: {
      to: z.array(recipient).min(1).max(MAX_BROADCAST),
      text: textBody,
      category: z
        .enum(['marketing', 'utility'])
        .describe('marketing for promotions; utility for updates the customer expects'),
    },
    async run({ to, text, category }, context) {
      const { gateway, safety } = context;
      // Every number is checked before anything is sent: a list with one stranger goes nowhere.
      const numbers = [...new Set(to.map((number) => admitRecipient(number, safety)))];
      const batch = randomUUID();
      const message = (number: string, index: number) => ({
        to: number,
        text,
        category,
        idempotencyKey: `${batch}:${index}`,
      });
      if (safety.dryRun) {
        const first = await dryRunSend(gateway.provider, message(numbers[0] as string, 0));
        return { dryRun: true, sent: 0, recipients: numbers.length, firstRequest: first };
      }
      await confirmWithUser(
        context.server,
        `send this ${category} text to ${numbers.length} customers on ${gateway.name}: "${text.slice(0, 120)}${text.length > 120 ? '…' : ''}"`,
      );
      await countWrite(safety, context.sessionId);
      const run = broadcast(gateway.client, numbers, { message, category });
      const failed: { to: string; error: string }[] = [];
      for await (const result of run) {
        if (result.status === 'failed')
          failed.push({ to: result.row, error: result.error.message });
      }
      const summary = await run.done();
      return {
        sent: summary.sent,
        skipped: summary.skipped,
        failed: summary.failed,
        failures: failed,
        gateway: gateway.name,
      };
    },
  }),
];
