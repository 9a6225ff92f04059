import type { Provider } from '@kabar/core';
import {
  type CredentialField,
  createProvider,
  GATEWAY_NAMES,
  type GatewayName,
  gatewayNamed,
  isGatewayName,
  settingEnvName,
} from '@kabar/core/gateways';
import { SheetsConfigError } from './errors.js';

/** The gateways `providerFromEnv` (and the CLI's `--gateway`) can configure: core's registry. */
export const GATEWAYS: readonly GatewayName[] = GATEWAY_NAMES;
/** A gateway name: one of `GATEWAYS`. */
export type Gateway = GatewayName;

/** The environment variable of a setting: `KABAR_` and the key in upper snake case (`apiKey` → `KABAR_API_KEY`). */
export const envName: (key: string) => string = settingEnvName;

/**
 * Names an earlier version read for the same required settings, still honoured so existing setups
 * keep working (Waviro's secret key and bot URL under the generic names).
 */
const FALLBACKS: Readonly<Record<string, string>> = {
  KABAR_SECRET_KEY: 'KABAR_API_KEY',
  KABAR_BOT_URL: 'KABAR_BASE_URL',
};

function envLabel(field: CredentialField): string {
  const name = envName(field.key);
  const fallback = field.required ? FALLBACKS[name] : undefined;
  return fallback ? `${name} (or ${fallback})` : name;
}

/** The environment variables a gateway reads, for usage text and error messages. */
export function gatewayEnv(gateway: Gateway): { required: string[]; optional: string[] } {
  const { credentials } = gatewayNamed(gateway);
  return {
    required: credentials.filter((field) => field.required).map(envLabel),
    optional: credentials.filter((field) => !field.required).map(envLabel),
  };
}

/** Every environment variable that holds a secret of some gateway, so output can blank it out. */
export function secretEnvNames(): string[] {
  const names = GATEWAYS.flatMap((gateway) =>
    gatewayNamed(gateway)
      .credentials.filter((field) => field.secret)
      .map((field) => envName(field.key)),
  );
  const fallbacks = names.flatMap((name) => (FALLBACKS[name] ? [FALLBACKS[name]] : []));
  return [...new Set([...names, ...fallbacks])];
}

/** Whether `name` is one of `GATEWAYS`. */
export function isGateway(name: string): name is Gateway {
  return isGatewayName(name);
}

/**
 * The provider for a gateway, configured from environment variables (never from flags, so keys
 * stay out of shell history and process lists): each of the gateway's settings in core's registry
 * is read from `KABAR_<SETTING>` (`apiKey` from `KABAR_API_KEY`, `sessionId` from
 * `KABAR_SESSION_ID`). Throws `SheetsConfigError` for an unknown gateway or naming the missing
 * variable; a malformed value throws core's `invalid_config` naming the setting.
 *
 * `KABAR_SECRET_KEY` and `KABAR_BOT_URL` may also be given as `KABAR_API_KEY` and
 * `KABAR_BASE_URL` where a gateway requires them. `kabar-sheets --help` lists each gateway's variables.
 */
export function providerFromEnv(
  gateway: string,
  env: Record<string, string | undefined>,
): Provider {
  if (!isGateway(gateway)) {
    throw new SheetsConfigError(`--gateway: '${gateway}' is not one of ${GATEWAYS.join(', ')}`);
  }
  const value = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const settings: Record<string, string | undefined> = {};
  for (const field of gatewayNamed(gateway).credentials) {
    const name = envName(field.key);
    const fallback = field.required ? FALLBACKS[name] : undefined;
    settings[field.key] = value(name) ?? (fallback ? value(fallback) : undefined);
    if (field.required && settings[field.key] === undefined) {
      throw new SheetsConfigError(
        `--gateway ${gateway}: set the environment variable ${envLabel(field)}`,
      );
    }
  }
  return createProvider(gateway, settings);
}

/** Each gateway's default pace, for usage text: `kirem 80/s, waviro 5/min, fonnte 1/5s`. */
export function rateText(): string {
  return GATEWAYS.flatMap((gateway) => {
    const limit = gatewayNamed(gateway).defaultRateLimit;
    if (!limit) return [];
    const per =
      limit.intervalMs === 1000
        ? 's'
        : limit.intervalMs === 60_000
          ? 'min'
          : `${limit.intervalMs / 1000}s`;
    return [`${gateway} ${limit.limit}/${per}`];
  }).join(', ');
}
