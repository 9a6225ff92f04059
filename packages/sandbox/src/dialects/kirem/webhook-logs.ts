import { randomUUID } from 'node:crypto';
import type { WebhookLog, WebhookLogInput } from '../../types.js';

/** Kirem's webhook delivery log: the sandbox's own Kirem deliveries, plus entries added through the control API. */
export class WebhookLogStore {
  #logs: WebhookLog[] = [];

  constructor(private readonly capacity: number) {}

  add(input: WebhookLogInput): WebhookLog {
    const log: WebhookLog = { id: randomUUID(), ...input, created_at: new Date().toISOString() };
    this.#logs.unshift(log);
    if (this.#logs.length > this.capacity) this.#logs.length = this.capacity;
    return log;
  }

  /** Newest first. */
  list(isSuccess?: boolean): WebhookLog[] {
    return this.#logs.filter((log) => isSuccess === undefined || log.is_success === isSuccess);
  }

  reset(): void {
    this.#logs = [];
  }
}
