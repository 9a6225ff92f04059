import { randomUUID } from 'node:crypto';
import type { DeliveryKind, KiremWebhookTarget } from '../../types.js';
import type { RoutedTarget, WebhookRouting } from '../../webhook-dispatch.js';
import { eventFacts, routes } from './routing.js';

/** Kirem's documented exponential backoff: five retries, 1 s after the first failure, doubling. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16000];

/**
 * One sandbox's Kirem webhook routing: the consumer endpoints besides the webhook URL, and when
 * failed deliveries are retried. reset() removes the targets and restores the default schedule.
 */
export class KiremWebhookRouting implements WebhookRouting {
  // A Map keeps insertion order, and replacing a target keeps its place.
  #targets = new Map<string, KiremWebhookTarget>();
  #retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS;

  /** In the order they were added. */
  list(): KiremWebhookTarget[] {
    return [...this.#targets.values()];
  }

  /** Adds a target under its id, or a new UUID; undefined when the id is taken. */
  add(target: Omit<KiremWebhookTarget, 'id'> & { id?: string }): KiremWebhookTarget | undefined {
    const id = target.id ?? randomUUID();
    if (this.#targets.has(id)) return undefined;
    return this.set(id, target).target;
  }

  /** Creates the target with this id or replaces it; `created` says which. */
  set(
    id: string,
    target: Omit<KiremWebhookTarget, 'id'>,
  ): { target: KiremWebhookTarget; created: boolean } {
    const created = !this.#targets.has(id);
    const stored: KiremWebhookTarget = {
      id,
      url: target.url,
      ...(target.secret === undefined ? {} : { secret: target.secret }),
      // No rules and an empty list mean the same, every event; only one of them is shown.
      ...(target.rules?.length ? { rules: target.rules } : {}),
    };
    this.#targets.set(id, stored);
    return { target: stored, created };
  }

  /** False when there is no target with this id. */
  remove(id: string): boolean {
    return this.#targets.delete(id);
  }

  /** Whether any target is configured. */
  get hasTargets(): boolean {
    return this.#targets.size > 0;
  }

  /** The waits before each automatic retry of a failed delivery. */
  get retryDelaysMs(): readonly number[] {
    return this.#retryDelaysMs;
  }

  /** Replaces the schedule; [] turns automatic retries off. */
  setRetryDelays(delaysMs: readonly number[]): void {
    this.#retryDelaysMs = [...delaysMs];
  }

  /** The targets that take this event, in the order they were added. */
  targetsFor(kind: DeliveryKind, event: unknown): RoutedTarget[] {
    const facts = eventFacts(kind, event);
    return this.list().filter((target) => routes(target.rules, facts));
  }

  /** No targets, and the default schedule. */
  reset(): void {
    this.#targets.clear();
    this.#retryDelaysMs = DEFAULT_RETRY_DELAYS_MS;
  }
}
