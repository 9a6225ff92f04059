/**
 * The sandbox's clock: real time plus an offset tests move forward (`POST /api/v1/clock`), so a
 * window can close without waiting a day. Kirem's and Meta's message times, webhook timestamps and
 * the window itself read it; `reset()` puts it back to real time.
 */
export class Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
