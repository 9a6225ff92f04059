/**
 * Tells whoever keeps a copy of a store (the `dataFile`, see persistence.ts) that its contents
 * changed. Stores call `notify()` from every method that changes them, so no copy goes stale.
 */
export class ChangeSignal {
  #listeners = new Set<() => void>();

  /** Calls `listener` after each change; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The store changed. */
  notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
