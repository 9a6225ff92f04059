import { Clock } from './clock.js';
import { ServiceWindows } from './cloud-api/service-window.js';
import { SandboxEvents } from './events.js';
import { FaultStore } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { MediaStore } from './media.js';
import type { ResolvedOptions } from './options.js';
import { MessageStore, ReadLog } from './store.js';
import { type WebhookDefault, WebhookTargets } from './webhook-config.js';
import { WebhookDeliveries } from './webhook-delivery.js';

/**
 * What one sandbox remembers across its gateways. Each gateway's own stores live with its dialect
 * (dialects/<name>/state.ts), so this module knows no dialect. Each store's reset() returns it to
 * its initial contents. The fields themselves never change after creation, so a dialect may spread
 * the state into a context of its own and still share every store.
 */
export interface SandboxState {
  readonly options: ResolvedOptions;
  readonly startedAt: number;
  /** Real time plus what tests advanced it by (Kirem's and Meta's messages, webhooks, windows). */
  readonly clock: Clock;
  /** WhatsApp's 24-hour customer service windows on Kirem and Meta, and whether they are enforced. */
  readonly windows: ServiceWindows;
  readonly events: SandboxEvents;
  readonly messages: MessageStore;
  readonly reads: ReadLog;
  /** Uploaded and inbound media of every gateway, each file tagged with its own. */
  readonly media: MediaStore;
  readonly webhooks: WebhookTargets;
  readonly deliveries: WebhookDeliveries;
  readonly faults: FaultStore;
  readonly idempotency: IdempotencyStore;
}

/** The shared stores, empty; `webhooks` lists the gateways that have a webhook, with their default secrets. */
export function createState(
  options: ResolvedOptions,
  webhooks: readonly WebhookDefault[],
): SandboxState {
  const events = new SandboxEvents();
  const clock = new Clock();
  const messages = new MessageStore(
    options.maxMessages,
    (message) => events.emit({ type: 'message.created', data: message }),
    () => clock.now(),
  );
  // Gateways change a stored message's status in place and announce it; the store keeps the
  // message's status history from those announcements.
  events.subscribe((event) => {
    if (event.type === 'message.status') messages.noteStatus(event.data);
  });
  return {
    options,
    startedAt: Date.now(),
    clock,
    windows: new ServiceWindows(options.enforceWindow),
    events,
    messages,
    reads: new ReadLog(options.maxMessages, (read) =>
      events.emit({ type: 'read.created', data: read }),
    ),
    media: new MediaStore(options.maxMediaBytes, options.maxMessages),
    webhooks: new WebhookTargets(options.webhooks, webhooks),
    deliveries: new WebhookDeliveries(options.maxMessages, (delivery) =>
      events.emit({ type: 'delivery.created', data: delivery }),
    ),
    faults: new FaultStore(),
    idempotency: new IdempotencyStore(options.maxMessages),
  };
}

/** Empties the shared stores; the sandbox resets each dialect's own and then announces the reset. */
export function resetState(state: SandboxState): void {
  state.clock.reset();
  state.windows.reset();
  state.messages.reset();
  state.reads.reset();
  state.media.reset();
  state.webhooks.reset();
  state.deliveries.reset();
  state.faults.reset();
  state.idempotency.reset();
}
