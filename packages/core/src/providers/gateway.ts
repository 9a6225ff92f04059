import type { Feature, Provider, RateLimitDefault } from '../provider.js';
import type { StatusEvent, WebhookEvent } from '../webhooks/events.js';

/**
 * One setting a gateway's provider needs, as integrations ask for it: an n8n credential field, an
 * environment variable of the Sheets CLI (`KABAR_` and the key in upper snake case: `apiKey` is
 * `KABAR_API_KEY`), a settings row.
 */
export interface CredentialField {
  /** The provider option it fills, e.g. `apiKey`; also the n8n credential property's name. */
  key: string;
  /** Shown next to the field, e.g. `API Key`. */
  label: string;
  /** One sentence on where to find the value. */
  description?: string;
  /** An example value shown in an empty field. */
  placeholder?: string;
  /** Whether the value is a secret: masked in forms, never logged. */
  secret: boolean;
  /** Whether the provider cannot be made without it. */
  required: boolean;
}

/**
 * How a gateway proves a webhook came from it. The webhook handler checks each scheme over the
 * request as it arrived, comparing in constant time.
 *
 * - `hmac-sha256`: an HMAC-SHA256 of the raw body, `sha256=<hex>` in `header` (Kirem, Meta).
 * - `body-key`: a shared key in the JSON body's `field`; only items that carry the field are
 *   checked (Waviro's keyword calls carry `webhookkey`; its delivery acks carry nothing).
 * - `shared-secret`: a shared secret in the body's `bodyField` or, since you choose the URL, in
 *   its `queryParam`; at least one must be present and every one present must match (Fonnte).
 * - `url-secret`: the gateway signs nothing, so the secret lives in the URL's `queryParam`
 *   (Wablas).
 */
export type WebhookAuth =
  | { scheme: 'hmac-sha256'; header: string }
  | { scheme: 'body-key'; field: string }
  | { scheme: 'shared-secret'; bodyField: string; queryParam: string }
  | { scheme: 'url-secret'; queryParam: string };

/** How Kabar reads one gateway's webhooks. */
export interface WebhookDialect {
  /** How its requests are authenticated. */
  auth: WebhookAuth;
  /** Whether the gateway checks the endpoint with a GET handshake first (Meta's `hub.challenge`). */
  handshake: boolean;
  /** Whether a JSON body is in this gateway's format, for `parseWebhook` without a provider. */
  detect(body: Record<string, unknown>): boolean;
  /**
   * The body's events. One malformed item becomes an `unknown` event; only a body that is no
   * webhook of this gateway at all throws `invalid_payload`.
   */
  parse(body: Record<string, unknown>): WebhookEvent[];
  /**
   * For a gateway whose later status callbacks name the message by another id than the send's
   * (Fonnte's `stateid`): that other id, with the send id when this callback carries both. The
   * webhook handler remembers the pair and gives later statuses the send id as `messageId`.
   */
  messageAlias?(event: StatusEvent): { alias: string; sendId?: string } | undefined;
}

/**
 * Everything integrations need to know about one gateway, in one place: the provider registry
 * (`@kabar/core/gateways`) holds one of these per gateway.
 */
export interface GatewayDefinition<Name extends string = string> {
  /** The provider's name, as in `SendResult.provider`, e.g. `kirem`. */
  name: Name;
  /** The gateway's display name, e.g. `Meta Cloud API`. */
  label: string;
  /** One line on what the gateway is for. */
  description: string;
  /** The settings its provider takes, in the order a form shows them. */
  credentials: readonly CredentialField[];
  /**
   * Makes the provider from settings keyed by `CredentialField.key` (blank values count as
   * absent). Throws `invalid_config` naming a missing or malformed setting.
   */
  create(settings: Readonly<Record<string, string | undefined>>): Provider;
  /** What its provider can do (as `Provider.capabilities`). */
  capabilities: ReadonlySet<Feature>;
  /** How fast its provider sends by default (as `Provider.defaultRateLimit`). */
  defaultRateLimit?: RateLimitDefault;
  /** Whether the gateway drops duplicate sends itself, so a timed-out send may be retried. */
  deduplicates: boolean;
  /** How its webhooks are read; absent when the gateway sends none Kabar reads. */
  webhook?: WebhookDialect;
}
