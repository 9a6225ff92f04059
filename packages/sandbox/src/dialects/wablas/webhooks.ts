import type { SandboxEvent } from '../../events.js';
import { sleep } from '../../http.js';
import type { MessageStatus, SandboxMessage, WebhookDelivery } from '../../types.js';
import { deliverWebhook, type WebhookWire } from '../../webhook-dispatch.js';
import type { WablasContext } from './state.js';

/**
 * Wablas posts plain JSON and signs nothing (B13): a receiver protects its URL with a secret of
 * its own in the query string, which the sandbox posts to as it is.
 */
export const WABLAS_WEBHOOK: WebhookWire = {
  provider: 'wablas',
  defaultSecret: '',
  serialize: (event) => JSON.stringify(event),
};

/** Time between one tracking callback and the next, so a receiver sees them arrive in order. */
const TRACKING_GAP_MS = 10;

/**
 * Tracking's own words for the sandbox's statuses. Wablas lists pending, delivered, received,
 * sent, read, cancel and rejected; a forced failure is a message Wablas would not send.
 */
const TRACKING_STATUS: Partial<Record<MessageStatus, string>> = {
  accepted: 'pending',
  queued: 'pending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'rejected',
};

/** What a connected device's callback says; the docs give it as the example note. */
const READY_NOTE = 'ready to use';
/** What a disconnected device's callback says, in the docs' example wording. */
const NOT_CONNECTED_NOTE = 'whatsapp sender not connected, need scan qr code again';

/**
 * Sends Wablas' tracking callbacks: a send's own run (pending, sent, then delivered and read for
 * a person; a group gets no receipts), and a status a test forces through the control API.
 */
export class WablasTracking {
  /** Set while this class announces a status itself, so its own events are not posted twice. */
  #announcing = false;

  constructor(private readonly context: WablasContext) {
    context.events.subscribe((event) => this.#forced(event));
  }

  /** Starts a sent message's callbacks when a webhook is configured; nothing to do otherwise. */
  start(message: SandboxMessage): void {
    if (!this.context.webhooks.get('wablas')) return;
    void this.#run(
      message,
      message.groupId === undefined ? ['sent', 'delivered', 'read'] : ['sent'],
    );
  }

  async #run(message: SandboxMessage, steps: MessageStatus[]): Promise<void> {
    const generation = this.context.deliveries.generation;
    let expected = message.status;
    await sleep(TRACKING_GAP_MS);
    if (generation !== this.context.deliveries.generation || message.status !== expected) return;
    await this.#deliver(message, 'pending');
    for (const status of steps) {
      await sleep(TRACKING_GAP_MS);
      // A status forced meanwhile, or a reset (the test is over), ends the run.
      if (generation !== this.context.deliveries.generation || message.status !== expected) return;
      expected = status;
      this.#announce(message, status);
      await this.#deliver(message, TRACKING_STATUS[status] ?? status);
    }
  }

  #announce(message: SandboxMessage, status: MessageStatus): void {
    message.status = status;
    this.#announcing = true;
    try {
      this.context.events.emit({ type: 'message.status', data: message });
    } finally {
      this.#announcing = false;
    }
  }

  /** A status the control API set on a Wablas message (setMessageStatus) is posted too. */
  #forced(event: SandboxEvent): void {
    if (this.#announcing || event.type !== 'message.status') return;
    const message = event.data;
    if (message.provider !== 'wablas' || message.direction !== 'outbound') return;
    const status = TRACKING_STATUS[message.status];
    if (status === undefined) return;
    const note =
      message.status === 'failed' ? (message.error?.message ?? message.error?.title) : '';
    void this.#deliver(message, status, note ?? '');
  }

  #deliver(
    message: SandboxMessage,
    status: string,
    note = '',
  ): Promise<WebhookDelivery | undefined> {
    const device = this.context.wablas.device.device;
    return deliverWebhook(this.context, WABLAS_WEBHOOK, 'status', {
      id: message.id,
      phone: message.to,
      status,
      note,
      sender: device.number,
      deviceId: device.id,
    });
  }
}

/** Posts the device callback for a connection change, when a webhook is configured. */
export function deliverDeviceEvent(
  context: WablasContext,
  connected: boolean,
): Promise<WebhookDelivery | undefined> {
  const device = context.wablas.device.device;
  return deliverWebhook(context, WABLAS_WEBHOOK, 'connection', {
    deviceId: device.id,
    deviceName: device.name,
    sender: device.number,
    status: connected ? 'connected' : 'disconnected',
    note: connected ? READY_NOTE : NOT_CONNECTED_NOTE,
    timestamp: new Date().toISOString(),
  });
}
