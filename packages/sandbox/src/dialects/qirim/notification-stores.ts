import { ChangeSignal } from '../../change-signal.js';
import type { KeptTemplates } from '../../dialect.js';
import { isRecord } from '../../http.js';
import type { QirimTemplate, SandboxMessage } from '../../types.js';

const SEEDED_TEMPLATES: QirimTemplate[] = [
  { name: 'invoice', body: 'Invoice {{no}} sebesar {{total}} sudah terbit.' },
];

/** Stored notification templates, seeded with the `invoice` one the docs use. */
export class QirimTemplates implements KeptTemplates<QirimTemplate> {
  #templates = new Map<string, string>();
  /** Fires after every change. */
  readonly changes = new ChangeSignal();

  constructor() {
    this.reset();
  }

  add(template: QirimTemplate): QirimTemplate {
    this.#templates.set(template.name, template.body);
    this.changes.notify();
    return template;
  }

  get(name: string): string | undefined {
    return this.#templates.get(name);
  }

  reset(): void {
    this.restore(SEEDED_TEMPLATES);
  }

  /** Every template, in the order they were added. */
  snapshot(): QirimTemplate[] {
    return [...this.#templates].map(([name, body]) => ({ name, body }));
  }

  check(value: unknown, at: string): string | undefined {
    if (!isRecord(value)) return `${at} must be an object`;
    if (typeof value.name !== 'string' || value.name === '') {
      return `${at}.name must be a non-empty string`;
    }
    return typeof value.body === 'string' ? undefined : `${at}.body must be a string`;
  }

  /** Replaces every template with these, the seeded one included. */
  restore(templates: readonly QirimTemplate[]): void {
    this.#templates = new Map(templates.map(({ name, body }) => [name, body]));
    this.changes.notify();
  }
}

/** Which stored messages each batch produced, so its status can be read back. */
export class QirimBatches {
  #batches = new Map<string, SandboxMessage[]>();

  constructor(private readonly capacity: number) {}

  add(id: string, messages: SandboxMessage[]): void {
    this.#batches.set(id, messages);
    // Maps iterate in insertion order, so the first key is the oldest batch.
    if (this.#batches.size > this.capacity) {
      this.#batches.delete(this.#batches.keys().next().value as string);
    }
  }

  get(id: string): SandboxMessage[] | undefined {
    return this.#batches.get(id);
  }

  reset(): void {
    this.#batches.clear();
  }
}
