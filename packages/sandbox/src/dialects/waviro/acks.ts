import { sleep } from '../../http.js';
import type { WaviroAck } from '../../types.js';

/** Time between one ack and the next, so a receiver sees them arrive in order. */
const ACK_GAP_MS = 10;
const ACK_TIMEOUT_MS = 5000;

/** The delivery acks POSTed to notifyurls, oldest first. */
export class WaviroAcks {
  #acks: WaviroAck[] = [];
  #generation = 0;

  constructor(private readonly capacity: number) {}

  list(): WaviroAck[] {
    return [...this.#acks];
  }

  /** Posts `{ msgid, ack }` for each ack code in turn, recording every attempt. */
  async deliver(url: string, msgid: string, codes: number[]): Promise<void> {
    const generation = this.#generation;
    for (const ack of codes) {
      await sleep(ACK_GAP_MS);
      // After a reset the test that sent the message is over; its acks must not leak into the next.
      if (generation !== this.#generation) return;
      const payload = { msgid, ack };
      const at = new Date().toISOString();
      let attempt: WaviroAck;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
        });
        // Only the status counts; the body is not worth reading, however long it is.
        await response.body?.cancel();
        attempt = { url, payload, status: response.status, at };
      } catch (error) {
        attempt = { url, payload, status: null, error: String(error), at };
      }
      if (generation !== this.#generation) return;
      this.#acks.push(attempt);
      if (this.#acks.length > this.capacity) this.#acks.shift();
    }
  }

  reset(): void {
    this.#acks = [];
    this.#generation += 1;
  }
}
