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
  return { sent: true, gateway: gateway.name, to: number, id: result.id, idempotencyKey: key };
}
