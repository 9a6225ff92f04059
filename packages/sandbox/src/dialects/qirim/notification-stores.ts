import type { QirimTemplate, SandboxMessage } from '../../types.js';

const SEEDED_TEMPLATES: QirimTemplate[] = [
  { name: 'invoice', body: 'Invoice {{no}} sebesar {{total}} sudah terbit.' },
];

/** Stored notification templates, seeded with the `invoice` one the docs use. */
export class QirimTemplates {
  #templates = new Map<string, string>();

  constructor() {
    this.reset();
  }

  add(template: QirimTemplate): QirimTemplate {
    this.#templates.set(template.name, template.body);
    return template;
  }

  get(name: string): string | undefined {
    return this.#templates.get(name);
  }

  reset(): void {
    this.#templates = new Map(SEEDED_TEMPLATES.map(({ name, body }) => [name, body]));
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
