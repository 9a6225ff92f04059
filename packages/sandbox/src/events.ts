import type { Read, SandboxMessage, WebhookDelivery } from './types.js';

/** What the live inbox hears about, as Server-Sent Events named by `type`. */
export type SandboxEvent =
  | { type: 'message.created'; data: SandboxMessage }
  | { type: 'message.status'; data: SandboxMessage }
  /** A read receipt, perhaps with a typing indicator the inbox shows on the conversation. */
  | { type: 'read.created'; data: Read }
  | { type: 'delivery.created'; data: WebhookDelivery }
  | { type: 'sandbox.reset'; data: Record<string, never> };

/** A fan-out to whoever is listening (open event streams); nothing is buffered. */
export class SandboxEvents {
  #listeners = new Set<(event: SandboxEvent) => void>();

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: SandboxEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: SandboxEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
