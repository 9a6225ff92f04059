/**
 * Fonnte's own word for where a sent message is (its "message status" page): what `/status`
 * answers and what the first status webhook says.
 */
export type FonnteMessageStatus = 'pending' | 'sent' | 'invalid' | 'failed';

/** What Fonnte keeps about one sent message beyond the shared store. */
export interface FonnteSent {
  /** WhatsApp's id for it; later status webhooks name the message by it alone. */
  readonly stateid: string;
  status: FonnteMessageStatus;
}

/** The sent messages' Fonnte records by send id, oldest dropped past the store's capacity. */
export class FonnteSentLog {
  #sent = new Map<string, FonnteSent>();

  constructor(private readonly capacity: number) {}

  add(id: string, sent: FonnteSent): void {
    this.#sent.set(id, sent);
    for (const oldest of this.#sent.keys()) {
      if (this.#sent.size <= this.capacity) break;
      this.#sent.delete(oldest);
    }
  }

  get(id: string): FonnteSent | undefined {
    return this.#sent.get(id);
  }

  reset(): void {
    this.#sent.clear();
  }
}
