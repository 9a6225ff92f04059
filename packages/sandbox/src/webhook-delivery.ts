import { createHmac, randomUUID } from 'node:crypto';
import { ChangeSignal } from './change-signal.js';
import { readLimited } from './limited-fetch.js';
import type { DeliveryFilter, DeliveryKind, Provider, WebhookDelivery } from './types.js';

const DELIVERY_TIMEOUT_MS = 5000;
/** Enough of a receiver's answer to debug it without keeping whole pages in memory. */
const RESPONSE_BODY_LIMIT = 10_000;

/** A webhook POST to make: the body exactly as signed, and whose delivery it is. */
export interface DeliveryRequest {
  provider: Provider;
  kind: DeliveryKind;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** 'sha256=' and the HMAC-SHA256 of the raw body, as both Kirem and Meta sign webhooks. */
export function hmacSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether the receiver took the delivery: it answered with a 2xx status. */
export function succeeded(delivery: WebhookDelivery): boolean {
  return delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
}

/**
 * Every webhook POST, oldest first. A failure is recorded and retried only when the sender asks
 * for it (sendWithRetries, Kirem's automatic retries); redeliver() is the explicit way to try again.
 */
export class WebhookDeliveries {
  #deliveries: WebhookDelivery[] = [];
  #generation = 0;
  /** Retries waiting for their turn, so reset() and close() can cancel them. */
  #pendingRetries = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;
  /** Fires after every change of the log. */
  readonly changes = new ChangeSignal();

  constructor(
    private readonly capacity: number,
    private readonly onRecorded: (delivery: WebhookDelivery) => void,
  ) {}

  /** Changes on reset, so work scheduled before it can tell that its test is over. */
  get generation(): number {
    return this.#generation;
  }

  /** Posts the body and records the outcome; the receiver's reply is kept for callers that act on it. */
  async send(request: DeliveryRequest, attempt = 1): Promise<WebhookDelivery> {
    const generation = this.#generation;
    const at = new Date().toISOString();
    const started = performance.now();
    const outcome: Pick<WebhookDelivery, 'status' | 'responseBody' | 'error'> = {
      status: null,
      responseBody: '',
    };
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      outcome.status = response.status;
      const { bytes } = await readLimited(response.body, RESPONSE_BODY_LIMIT);
      outcome.responseBody = new TextDecoder().decode(bytes);
    } catch (error) {
      outcome.error = describe(error);
    }
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      ...request,
      ...outcome,
      durationMs: Math.round(performance.now() - started),
      attempt,
      at,
    };
    // After a reset the test that caused this delivery is over; it must not leak into the next.
    if (generation === this.#generation) {
      this.#deliveries.push(delivery);
      if (this.#deliveries.length > this.capacity) this.#deliveries.shift();
      this.onRecorded(delivery);
      this.changes.notify();
    }
    return delivery;
  }

  /**
   * Posts like send(), and while an attempt fails (no answer, or not 2xx) posts the same request
   * again after each of `delaysMs` in turn, each retry logged as its own entry with `attempt` one
   * higher. Resolves with the first attempt; the retries run in the background.
   */
  async sendWithRetries(
    request: DeliveryRequest,
    delaysMs: readonly number[],
    attempt = 1,
  ): Promise<WebhookDelivery> {
    const generation = this.#generation;
    const delivery = await this.send(request, attempt);
    const [delay, ...later] = delaysMs;
    // A reset or close while the attempt was in flight ends its test or its sandbox: no retry.
    const over = generation !== this.#generation || this.#closed;
    if (delay === undefined || succeeded(delivery) || over) return delivery;
    const timer = setTimeout(() => {
      this.#pendingRetries.delete(timer);
      void this.sendWithRetries(request, later, attempt + 1);
    }, delay);
    // A retry is never a reason for the process to stay alive.
    timer.unref();
    this.#pendingRetries.add(timer);
    return delivery;
  }

  /** The same raw body and headers again, as a new entry; undefined when there is no such delivery. */
  redeliver(id: string): Promise<WebhookDelivery> | undefined {
    const original = this.#deliveries.find((delivery) => delivery.id === id);
    if (!original) return undefined;
    const { provider, kind, url, headers, body } = original;
    const attempts = this.#deliveries
      .filter((delivery) => delivery.url === url && delivery.body === body)
      .map((delivery) => delivery.attempt);
    return this.send({ provider, kind, url, headers, body }, Math.max(...attempts) + 1);
  }

  list(filter: DeliveryFilter = {}): WebhookDelivery[] {
    return this.#deliveries.filter(
      (delivery) => filter.provider === undefined || delivery.provider === filter.provider,
    );
  }

  /** Empties the log and cancels pending retries; a delivery still in flight is not recorded. */
  reset(): void {
    this.#deliveries = [];
    this.#generation += 1;
    this.#cancelRetries();
    this.changes.notify();
  }

  /** Every delivery, oldest first: the log's own objects, for serializing at once. */
  snapshot(): WebhookDelivery[] {
    return [...this.#deliveries];
  }

  /** Replaces the log with these (oldest first), keeping the newest up to the capacity. */
  restore(deliveries: readonly WebhookDelivery[]): void {
    this.#deliveries = deliveries.slice(-this.capacity);
    this.changes.notify();
  }

  /** The sandbox is closing: pending retries are cancelled and no new ones are scheduled. */
  close(): void {
    this.#closed = true;
    this.#cancelRetries();
  }

  #cancelRetries(): void {
    for (const timer of this.#pendingRetries) clearTimeout(timer);
    this.#pendingRetries.clear();
  }
}

/** fetch's own message ('fetch failed') hides the reason; the cause names it (ECONNREFUSED, ...). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}
