import type { SandboxState } from './state.js';
import type { DeliveryKind, WebhookDelivery } from './types.js';
import type { WebhookDefault } from './webhook-config.js';
import { hmacSignature } from './webhook-delivery.js';

/** A receiver an event goes to besides the gateway's webhook URL; without a secret, the webhook's. */
export interface RoutedTarget {
  readonly url: string;
  readonly secret?: string;
}

/**
 * One sandbox's extras for a gateway's webhooks (Kirem's rule-based routing): more receivers chosen
 * per event, and automatic retries of failed deliveries.
 */
export interface WebhookRouting {
  /** The receivers this event goes to besides the gateway's webhook URL, in order. */
  targetsFor(kind: DeliveryKind, event: unknown): readonly RoutedTarget[];
  /** Whether any receiver is configured, so events are worth making at all. */
  readonly hasTargets: boolean;
  /** The waits in milliseconds before each automatic retry of a failed delivery; empty for none. */
  readonly retryDelaysMs: readonly number[];
}

/**
 * How one gateway's webhooks travel: the header its HMAC-SHA256 signature goes in and the exact
 * bytes the event is sent (and signed) as. Receivers check both, so each gateway keeps its own.
 */
export interface WebhookWire extends WebhookDefault {
  /** Absent for a gateway that signs nothing and carries its secret in the body (Fonnte). */
  readonly signatureHeader?: string;
  /** `secret` is the webhook's secret, for a gateway that puts it in the payload itself. */
  serialize(event: unknown, secret: string): string;
  /**
   * Set only on a sandbox's own copy of Kirem's wire (its CloudChannel's), since the targets and
   * the retry schedule belong to one sandbox; without it an event is POSTed once, to the one URL.
   */
  readonly routing?: WebhookRouting;
}

/**
 * Serialises and signs the event the provider's way and POSTs it to the provider's webhook, if it
 * has one, and to each routed target that takes the event, all at once. Resolves once every first
 * attempt has an answer, with those deliveries in target order (the webhook URL first); the log has
 * them in the order they finished.
 */
export async function deliverWebhooks(
  state: SandboxState,
  wire: WebhookWire,
  kind: DeliveryKind,
  event: unknown,
): Promise<WebhookDelivery[]> {
  const webhook = state.webhooks.get(wire.provider);
  const webhookSecret = webhook?.secret ?? wire.defaultSecret;
  const routed = (wire.routing?.targetsFor(kind, event) ?? []).map((target) => ({
    url: target.url,
    secret: target.secret ?? webhookSecret,
  }));
  const targets = webhook ? [{ url: webhook.url, secret: webhook.secret }, ...routed] : routed;
  const retryDelaysMs = wire.routing?.retryDelaysMs ?? [];
  return Promise.all(
    targets.map(({ url, secret }) => {
      const body = wire.serialize(event, secret);
      const signature = wire.signatureHeader
        ? { [wire.signatureHeader]: hmacSignature(secret, body) }
        : {};
      const headers = { 'content-type': 'application/json', ...signature };
      return state.deliveries.sendWithRetries(
        { provider: wire.provider, kind, url, headers, body },
        retryDelaysMs,
      );
    }),
  );
}

/**
 * Whether the gateway's events go anywhere: its webhook URL, or a routed target. Statuses are only
 * worth making when they do.
 */
export function hasWebhookReceiver(state: SandboxState, wire: WebhookWire): boolean {
  return state.webhooks.get(wire.provider) !== undefined || wire.routing?.hasTargets === true;
}

/**
 * deliverWebhooks for callers that report one delivery: the webhook URL's, or the first routed
 * target's when only targets took the event; undefined when nothing was sent.
 */
export async function deliverWebhook(
  state: SandboxState,
  wire: WebhookWire,
  kind: DeliveryKind,
  event: unknown,
): Promise<WebhookDelivery | undefined> {
  const [first] = await deliverWebhooks(state, wire, kind, event);
  return first;
}
