import type { SandboxState } from './state.js';
import type { DeliveryKind, WebhookDelivery } from './types.js';
import type { WebhookDefault } from './webhook-config.js';
import { hmacSignature } from './webhook-delivery.js';

/**
 * How one gateway's webhooks travel: the header its HMAC-SHA256 signature goes in and the exact
 * bytes the event is sent (and signed) as. Receivers check both, so each gateway keeps its own.
 */
export interface WebhookWire extends WebhookDefault {
  /** Absent for a gateway that signs nothing and carries its secret in the body (Fonnte). */
  readonly signatureHeader?: string;
  /** `secret` is the webhook's secret, for a gateway that puts it in the payload itself. */
  serialize(event: unknown, secret: string): string;
}

/** Serialises and signs the event the provider's way and POSTs it, if the provider has a webhook. */
export async function deliverWebhook(
  state: SandboxState,
  wire: WebhookWire,
  kind: DeliveryKind,
  event: unknown,
): Promise<WebhookDelivery | undefined> {
  const target = state.webhooks.get(wire.provider);
  if (!target) return undefined;
  const body = wire.serialize(event, target.secret);
  return state.deliveries.send({
    provider: wire.provider,
    kind,
    url: target.url,
    headers: {
      'content-type': 'application/json',
      ...(wire.signatureHeader
        ? { [wire.signatureHeader]: hmacSignature(target.secret, body) }
        : {}),
    },
    body,
  });
}
