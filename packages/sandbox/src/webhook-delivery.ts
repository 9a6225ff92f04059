import { createHmac, randomUUID } from 'node:crypto';
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

/**
 * Every webhook POST, oldest first. A failure is recorded, never retried: redeliver() is the
 * explicit way to try again.
 */
export class WebhookDeliveries {
  #deliveries: WebhookDelivery[] = [];
  #generation = 0;

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
    }
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

  reset(): void {
    this.#deliveries = [];
    this.#generation += 1;
  }
}

/** fetch's own message ('fetch failed') hides the reason; the cause names it (ECONNREFUSED, ...). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}
