import { randomInt } from 'node:crypto';
import { credentialList, type NonEmpty } from '../../options.js';
import type { SandboxState } from '../../state.js';
import type { SandboxOptions } from '../../types.js';
import { FonnteDeviceStore } from './device.js';
import { FonnteSentLog } from './sent-log.js';
import { FonnteStatuses } from './statuses.js';

/**
 * Increasing integers, as Fonnte numbers its message ids, request ids and inbox ids. Each starts
 * at a random nine-digit value like the captured ones, so ids from two sandboxes rarely collide.
 */
export class Counter {
  #next = randomInt(100_000_000, 500_000_000);

  next(): number {
    this.#next += 1;
    return this.#next;
  }

  /** Continues after `id` if it has not got there yet, so no id up to it is handed out again. */
  skipPast(id: number): void {
    this.#next = Math.max(this.#next, id);
  }
}

/** What one sandbox keeps for Fonnte: the tokens it accepts, the device, and sent messages. */
export interface FonnteState {
  readonly options: { tokens: NonEmpty };
  readonly device: FonnteDeviceStore;
  readonly sent: FonnteSentLog;
  readonly statuses: FonnteStatuses;
  readonly messageIds: Counter;
  readonly requestIds: Counter;
  readonly inboxIds: Counter;
  /**
   * Where clients reach the sandbox, learnt when its credentials are reported: Fonnte's incoming
   * webhooks carry an absolute link to a media file, and only that call knows the sandbox's URL.
   */
  publicUrl: string | undefined;
}

/** The shared state with Fonnte's own under `fonnte`, as Fonnte's handlers take it. */
export type FonnteContext = SandboxState & { readonly fonnte: FonnteState };

/** Fonnte's tokens from the options (the default when absent) and a connected device. */
export function createFonnteState(options: SandboxOptions, state: SandboxState): FonnteState {
  const device = new FonnteDeviceStore();
  const sent = new FonnteSentLog(state.options.maxMessages);
  return {
    options: {
      tokens: credentialList('fonnte.tokens', options.fonnte?.tokens, 'fonnte_test_token'),
    },
    device,
    sent,
    statuses: new FonnteStatuses(state, device, sent),
    messageIds: new Counter(),
    requestIds: new Counter(),
    inboxIds: new Counter(),
    publicUrl: undefined,
  };
}

/**
 * Restored messages (a data file, an imported session) carry ids from counters that started
 * elsewhere; new sends and incoming messages continue after the highest of them.
 */
export function continueFonnteIds(fonnte: FonnteState, state: SandboxState): void {
  const { messages } = state.messages.query({ provider: 'fonnte' });
  const highest = messages.reduce((max, message) => {
    const id = Number(message.id);
    return Number.isSafeInteger(id) ? Math.max(max, id) : max;
  }, 0);
  fonnte.messageIds.skipPast(highest);
  fonnte.inboxIds.skipPast(highest);
}

/** Back to a connected device in no groups, with every number on WhatsApp and nothing sent. */
export function resetFonnteState(fonnte: FonnteState): void {
  fonnte.device.reset();
  fonnte.sent.reset();
}
