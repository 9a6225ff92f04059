import { unixSeconds } from '../calendar.js';
import { isRecord, sleep } from '../http.js';
import type { SandboxState } from '../state.js';
import type { MessageStatus, SandboxMessage, StatusError, WebhookDelivery } from '../types.js';
import { deliverWebhooks, hasWebhookReceiver } from '../webhook-dispatch.js';
import type { CloudChannel } from './channel.js';

/** Time between one status and the next, so a receiver sees them arrive in order. */
const STATUS_GAP_MS = 10;
const AUTOMATIC: MessageStatus[] = ['sent', 'delivered', 'read'];

/** What Meta reports when it could not deliver a message and the test gave no reason. */
export const DEFAULT_FAILURE: StatusError = { code: 131026, title: 'Message undeliverable' };

/**
 * Moves a Kirem or Meta send through sent, delivered and read, delivering each status webhook,
 * when the provider has a webhook configured (or, on Kirem, a routed target). Without one the message stays 'accepted', as
 * before, so tests that never configure webhooks see no change.
 */
export function startStatusProgression(
  state: SandboxState,
  channel: CloudChannel,
  message: SandboxMessage,
): void {
  if (!hasWebhookReceiver(state, channel.webhook)) return;
  void progress(state, channel, message);
}

async function progress(
  state: SandboxState,
  channel: CloudChannel,
  message: SandboxMessage,
): Promise<void> {
  const generation = state.deliveries.generation;
  let expected = message.status;
  for (const status of AUTOMATIC) {
    await sleep(STATUS_GAP_MS);
    // A forced status (the message is no longer where this run left it) or a reset ends the run.
    if (generation !== state.deliveries.generation || message.status !== expected) return;
    expected = status;
    await changeStatus(state, channel, message, status);
  }
}

/**
 * A free-form send outside the 24-hour customer service window: the message was accepted and stored
 * already failed with `error` (131047), and, as on Meta, the failed status webhook follows the
 * send's answer (no 'sent' before it). A reset or a status forced meanwhile cancels the webhook.
 */
export function failAfterAcceptance(
  state: SandboxState,
  channel: CloudChannel,
  message: SandboxMessage,
  error: StatusError,
): void {
  message.status = 'failed';
  message.error = error;
  if (!hasWebhookReceiver(state, channel.webhook)) return;
  const generation = state.deliveries.generation;
  void (async () => {
    await sleep(STATUS_GAP_MS);
    const forced = message.status !== 'failed' || message.error !== error;
    if (generation !== state.deliveries.generation || forced) return;
    await deliverMessageStatus(state, channel, message, 'failed', error);
  })();
}

/**
 * Sets the stored status and announces it; a message sent through a Cloud API `channel` (Kirem,
 * Meta) also gets its status webhook, if the provider has one. Other gateways report no statuses.
 */
export async function changeStatus(
  state: SandboxState,
  channel: CloudChannel | undefined,
  message: SandboxMessage,
  status: MessageStatus,
  error?: StatusError,
): Promise<WebhookDelivery[]> {
  message.status = status;
  if (error) message.error = error;
  state.events.emit({ type: 'message.status', data: message });
  if (!channel) return [];
  return deliverMessageStatus(state, channel, message, status, error);
}

async function deliverMessageStatus(
  state: SandboxState,
  channel: CloudChannel,
  message: SandboxMessage,
  status: MessageStatus,
  error?: StatusError,
): Promise<WebhookDelivery[]> {
  // Meta echoes the send's biz_opaque_callback_data on each of its statuses.
  const callbackData = isRecord(message.payload)
    ? message.payload.biz_opaque_callback_data
    : undefined;
  const event = channel.statusEvent({
    messageId: message.id,
    status,
    recipient: message.to,
    ...(message.direction === 'outbound' && message.userId !== undefined
      ? { recipientUserId: message.userId }
      : {}),
    timestamp: unixSeconds(state.clock.now()),
    ...(typeof callbackData === 'string' ? { callbackData } : {}),
    ...(error ? { error } : {}),
  });
  return deliverWebhooks(state, channel.webhook, 'status', event);
}
