import type { SandboxEvent } from '../../events.js';
import { sleep } from '../../http.js';
import type { SandboxState } from '../../state.js';
import type { MessageStatus, SandboxMessage } from '../../types.js';
import { deliverWebhook } from '../../webhook-dispatch.js';
import type { FonnteDeviceStore } from './device.js';
import type { FonnteSent, FonnteSentLog } from './sent-log.js';
import { FONNTE_WEBHOOK, fonnteFirstStatus, fonnteLaterStatus } from './webhook-format.js';

/** Time between one status and the next, so a receiver sees them arrive in order. */
const STATUS_GAP_MS = 10;

/** The WhatsApp states after 'sent'; a group reports none, as WhatsApp gives groups no receipts. */
const LATER_STATES: MessageStatus[] = ['delivered', 'read'];

/**
 * Fonnte's status callbacks for sent messages: each send's own run (`sent`, or `invalid` for a
 * number not on WhatsApp, then delivered and read), and a status a test forces through the control
 * API (`POST /api/v1/messages/:id/status`). Without a webhook nothing is posted and a send's stored
 * status stays 'accepted', as the other gateways' do.
 */
export class FonnteStatuses {
  /** Set while this class changes a status itself, so its own events are not posted twice. */
  #announcing = false;

  constructor(
    private readonly state: SandboxState,
    private readonly device: FonnteDeviceStore,
    private readonly sent: FonnteSentLog,
  ) {
    state.events.subscribe((event) => this.#forced(event));
  }

  /** Starts the callbacks of a message Fonnte sent now (not a scheduled one). */
  start(message: SandboxMessage, sent: FonnteSent): void {
    if (!this.state.webhooks.get('fonnte')) return;
    void this.#run(message, sent);
  }

  async #run(message: SandboxMessage, sent: FonnteSent): Promise<void> {
    const { state } = this;
    const generation = state.deliveries.generation;
    let expected = message.status;
    // A status forced meanwhile, or a reset, ends the run.
    const interrupted = () =>
      generation !== state.deliveries.generation || message.status !== expected;

    await sleep(STATUS_GAP_MS);
    if (interrupted()) return;
    const failed = sent.status === 'invalid';
    expected = failed ? 'failed' : 'sent';
    await this.#announce(message, expected, this.#first(message, sent, failed ? '' : 'sent'));
    if (failed || message.groupId !== undefined) return;

    for (const status of LATER_STATES) {
      await sleep(STATUS_GAP_MS);
      if (interrupted()) return;
      expected = status;
      await this.#announce(message, status, this.#later(sent, status));
    }
  }

  /** The first callback names the send's `id` with WhatsApp's `stateid`, and Fonnte's `status`. */
  #first(message: SandboxMessage, sent: FonnteSent, state: string): Record<string, unknown> {
    const device = this.device.view().number;
    return fonnteFirstStatus(device, Number(message.id), sent.stateid, sent.status, state);
  }

  #later(sent: FonnteSent, state: string): Record<string, unknown> {
    return fonnteLaterStatus(this.device.view().number, sent.stateid, state);
  }

  async #announce(
    message: SandboxMessage,
    status: MessageStatus,
    event: Record<string, unknown>,
  ): Promise<void> {
    this.#announcing = true;
    try {
      message.status = status;
      this.state.events.emit({ type: 'message.status', data: message });
    } finally {
      this.#announcing = false;
    }
    await deliverWebhook(this.state, FONNTE_WEBHOOK, 'status', event);
  }

  /**
   * A status the control API forced: 'failed' is Fonnte's own `failed` status, named by the
   * send's id; delivered and read are WhatsApp states, named by `stateid` like the later callbacks.
   */
  #forced(event: SandboxEvent): void {
    if (this.#announcing || event.type !== 'message.status') return;
    const message = event.data;
    if (message.provider !== 'fonnte' || message.direction !== 'outbound') return;
    const sent = this.sent.get(message.id);
    if (!sent) return;
    if (message.status === 'failed') {
      sent.status = 'failed';
      void deliverWebhook(this.state, FONNTE_WEBHOOK, 'status', this.#first(message, sent, ''));
    } else if (message.status === 'delivered' || message.status === 'read') {
      void deliverWebhook(this.state, FONNTE_WEBHOOK, 'status', this.#later(sent, message.status));
    }
  }
}
