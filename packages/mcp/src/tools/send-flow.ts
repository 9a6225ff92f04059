import { randomUUID } from 'node:crypto';
import type { MessageContent, OutgoingMessage } from '@kabar/core';
import { dryRunSend } from '../dry-run.js';
import { admitRecipient, countWrite } from '../safety.js';
import type { ToolContext } from './define.js';

/**
 * The one way a tool sends: the allowlist admits the recipient, a dry run stops at the request
 * it would make, otherwise the write is counted against the rate limits and the message goes
 * out with an idempotency key (the caller's, or a new one), which the answer repeats so a retry
 * can reuse it.
 */
export async function sendMessage(
  content: MessageContent,
  to: string,
  idempotencyKey: string | undefined,
  { gateway, safety, sessionId }: ToolContext,
): Promise<Record<string, unknown>> {
  const number = admitRecipient(to, safety);
  const key = idempotencyKey ?? randomUUID();
  const message = { ...content, to: number, idempotencyKey: key } as OutgoingMessage;
  if (safety.dryRun) {
    const request = await dryRunSend(gateway.provider, message);
    return { dryRun: true, sent: false, gateway: gateway.name, to: number, request };
  }
  await countWrite(safety, sessionId);
  const result = await gateway.client.send(message);
  gateway.inbox?.sent({ id: result.id, customer: number, ...summaryOf(content) });
  return { sent: true, gateway: gateway.name, to: number, id: result.id, idempotencyKey: key };
}

/** What the inbox shows of a sent message: its kind and its words. */
function summaryOf(content: MessageContent): { type: string; text: string } {
  if ('text' in content) return { type: 'text', text: content.text };
  if ('template' in content) return { type: 'template', text: content.template.name };
  if ('interactive' in content) {
    const { interactive } = content;
    return { type: 'interactive', text: 'body' in interactive ? String(interactive.body) : '' };
  }
  if ('location' in content) return { type: 'location', text: content.location.name ?? '' };
  const [type, value] = Object.entries(content)[0] ?? ['message', undefined];
  const caption = (value as { caption?: string } | undefined)?.caption;
  return { type, text: caption ?? '' };
}
