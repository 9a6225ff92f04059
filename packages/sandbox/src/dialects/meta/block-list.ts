/** The most users one business number may block, as Meta documents it (error 139101 past it). */
export const BLOCKLIST_LIMIT = 64_000;

/**
 * The users each Meta business number has blocked through the Block Users API, in the order they
 * were blocked. Keyed by the phone number id; each list is capped at {@link BLOCKLIST_LIMIT}.
 */
export class BlockLists {
  #lists = new Map<string, Set<string>>();

  constructor(private readonly limit = BLOCKLIST_LIMIT) {}

  /** Every WhatsApp id `owner` has blocked, oldest first. */
  list(owner: string): string[] {
    return [...(this.#lists.get(owner) ?? [])];
  }

  has(owner: string, waId: string): boolean {
    return this.#lists.get(owner)?.has(waId) ?? false;
  }

  /** Blocks `waId`; false when the list is full (blocking someone already blocked succeeds). */
  add(owner: string, waId: string): boolean {
    let list = this.#lists.get(owner);
    if (!list) {
      list = new Set();
      this.#lists.set(owner, list);
    }
    if (list.has(waId)) return true;
    if (list.size >= this.limit) return false;
    list.add(waId);
    return true;
  }

  /** Unblocks `waId`; unblocking someone who is not blocked is not an error. */
  remove(owner: string, waId: string): void {
    this.#lists.get(owner)?.delete(waId);
  }

  reset(): void {
    this.#lists.clear();
  }
}
