import { KabarError } from '../errors.js';
import type { Provider } from '../provider.js';
import { fonnteGateway } from './fonnte/gateway.js';
import type { CredentialField, GatewayDefinition, WebhookAuth, WebhookDialect } from './gateway.js';
import { kiremGateway } from './kirem/gateway.js';
import { kirimyGateway } from './kirimy/gateway.js';
import { metaGateway } from './meta/gateway.js';
import { qirimGateway } from './qirim/gateway.js';
import { wablasGateway } from './wablas/gateway.js';
import { waviroGateway } from './waviro/gateway.js';

export type { CredentialField, GatewayDefinition, WebhookAuth, WebhookDialect };

/**
 * Every gateway Kabar speaks. Integrations (the n8n credential, the
 * Sheets CLI, the conformance suite) read this list rather than keeping their own: adding a
 * gateway is its folder under `providers/` and one line here.
 */
export const GATEWAYS = [
  // Meta before Kirem: Kirem also forwards Meta's envelope, and an envelope that arrives without
  // saying who sent it is Meta's.
  metaGateway,
  kiremGateway,
  qirimGateway,
  waviroGateway,
  kirimyGateway,
  fonnteGateway,
  wablasGateway,
] as const;

/** A gateway's name, e.g. `kirem`. */
export type GatewayName = (typeof GATEWAYS)[number]['name'];

/** The gateways' names, in registry order. */
export const GATEWAY_NAMES: readonly GatewayName[] = GATEWAYS.map((gateway) => gateway.name);

/** Whether `name` is a registered gateway. */
export function isGatewayName(name: string): name is GatewayName {
  return (GATEWAY_NAMES as readonly string[]).includes(name);
}

/** The gateway called `name`; `invalid_config` listing the known ones for any other name. */
export function gatewayNamed(name: string): GatewayDefinition<GatewayName> {
  const found = GATEWAYS.find((gateway) => gateway.name === name);
  if (!found) {
    throw new KabarError(
      'invalid_config',
      `unknown gateway ${JSON.stringify(name)}: use one of ${GATEWAY_NAMES.join(', ')}`,
    );
  }
  return found;
}

/**
 * The environment variable integrations read a gateway setting from: `KABAR_` and the key in
 * upper snake case (`apiKey` is `KABAR_API_KEY`, `sessionId` is `KABAR_SESSION_ID`).
 */
export function settingEnvName(key: string): string {
  return `KABAR_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

/**
 * The provider for a gateway from its settings keyed by `CredentialField.key`, as forms and
 * environment variables give them: values are trimmed, and blank or non-string ones count as absent. Throws
 * `invalid_config` for an unknown gateway, or naming a missing or malformed setting.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { createProvider } from '@kabar/core/gateways';
 *
 * const wa = createClient({
 *   provider: createProvider(process.env.WA_GATEWAY ?? 'fonnte', {
 *     token: process.env.WA_TOKEN,
 *     baseUrl: process.env.WA_BASE_URL, // empty: the gateway's own address
 *   }),
 * });
 * ```
 */
export function createProvider(name: string, settings: object): Provider {
  const gateway = gatewayNamed(name);
  // `object` rather than a string record, so a typed settings object (an interface) fits as is.
  const given = settings as Readonly<Record<string, unknown>>;
  const clean: Record<string, string | undefined> = {};
  for (const field of gateway.credentials) {
    const value = given[field.key];
    const text = typeof value === 'string' ? value.trim() : undefined;
    clean[field.key] = text === '' ? undefined : text;
  }
  return gateway.create(clean);
}
