import { GATEWAYS, type GatewayDefinition, type GatewayName } from '@kabar/core/gateways';
import type { REGISTRY_FIELDS } from '../build.mjs';

/**
 * The part of a `@kabar/core/gateways` entry the bundle reads. Core's registry module brings every
 * async provider, which this synchronous script never runs, so build.mjs gives the bundle a
 * plain-data copy of the registry holding only these fields (its `REGISTRY_FIELDS`).
 * Reading any other field here would compile and then find `undefined` in Apps Script.
 */
export type RegistryEntry = Pick<GatewayDefinition<GatewayName>, (typeof REGISTRY_FIELDS)[number]>;

/** Core's gateway registry, as far as the bundle may read it. */
export const REGISTRY: readonly RegistryEntry[] = GATEWAYS;

/** The registry entry of `name`, or undefined for a name core does not know. */
export function registryEntry(name: string): RegistryEntry | undefined {
  return REGISTRY.find((entry) => entry.name === name);
}

/** The gateway's display name from the registry (`Meta Cloud API`); the name itself if unknown. */
export function gatewayLabel(name: string): string {
  return registryEntry(name)?.label ?? name;
}

/**
 * The registry's default rate as messages per second: Kirem 80, Fonnte and Wablas 0.2 (one every
 * 5 s). A gateway without one gets a slow `fallback`, since sending too fast can get a WhatsApp
 * Web number banned while sending too slowly only takes longer.
 */
export function defaultRatePerSecond(name: string, fallback = 1): number {
  const limit = registryEntry(name)?.defaultRateLimit;
  if (!limit || !(limit.limit > 0) || !(limit.intervalMs > 0)) return fallback;
  return Math.round(((limit.limit * 1000) / limit.intervalMs) * 10_000) / 10_000;
}
