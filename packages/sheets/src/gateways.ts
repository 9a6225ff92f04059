import type { Provider } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { kirimy } from '@kabar/core/kirimy';
import { meta } from '@kabar/core/meta';
import { qirim } from '@kabar/core/qirim';
import { waviro } from '@kabar/core/waviro';
import { SheetsConfigError } from './errors.js';

/** The gateways `providerFromEnv` (and the CLI's `--gateway`) can configure. */
export const GATEWAYS = ['kirem', 'meta', 'qirim', 'waviro', 'kirimy'] as const;
/** A gateway name: one of `GATEWAYS`. */
export type Gateway = (typeof GATEWAYS)[number];

/** The environment variables each gateway reads, for usage text and error messages. */
export const GATEWAY_ENV: Record<Gateway, { required: string[]; optional: string[] }> = {
  kirem: { required: ['KABAR_API_KEY'], optional: ['KABAR_BASE_URL', 'KABAR_PHONE_NUMBER_ID'] },
  meta: {
    required: ['KABAR_ACCESS_TOKEN', 'KABAR_PHONE_NUMBER_ID'],
    optional: ['KABAR_BASE_URL', 'KABAR_API_VERSION'],
  },
  qirim: { required: ['KABAR_API_KEY'], optional: ['KABAR_BASE_URL'] },
  waviro: {
    required: ['KABAR_SECRET_KEY (or KABAR_API_KEY)', 'KABAR_BOT_URL (or KABAR_BASE_URL)'],
    optional: [],
  },
  kirimy: {
    required: ['KABAR_API_KEY', 'KABAR_SESSION_ID (comma-separated for fallbacks)'],
    optional: ['KABAR_BASE_URL'],
  },
};

export function isGateway(name: string): name is Gateway {
  return (GATEWAYS as readonly string[]).includes(name);
}

/**
 * The provider for a gateway, configured from environment variables (never from flags, so keys
 * stay out of shell history and process lists). Throws `SheetsConfigError` for an unknown gateway
 * or naming the missing variable.
 *
 * - `kirem`: `KABAR_API_KEY`; optional `KABAR_BASE_URL`, `KABAR_PHONE_NUMBER_ID`.
 * - `meta`: `KABAR_ACCESS_TOKEN`, `KABAR_PHONE_NUMBER_ID`; optional `KABAR_BASE_URL`,
 *   `KABAR_API_VERSION`.
 * - `qirim`: `KABAR_API_KEY`; optional `KABAR_BASE_URL`.
 * - `waviro`: `KABAR_SECRET_KEY` (or `KABAR_API_KEY`), `KABAR_BOT_URL` (or `KABAR_BASE_URL`).
 * - `kirimy`: `KABAR_API_KEY`, `KABAR_SESSION_ID` (comma-separated for fallback sessions);
 *   optional `KABAR_BASE_URL`.
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
  const need = (name: string, alternative?: string) => {
    const found = value(name) ?? (alternative ? value(alternative) : undefined);
    if (found === undefined) {
      throw new SheetsConfigError(
        `--gateway ${gateway}: set the environment variable ${name}${alternative ? ` (or ${alternative})` : ''}`,
      );
    }
    return found;
  };
  const baseUrl = value('KABAR_BASE_URL');
  switch (gateway) {
    case 'kirem':
      return kirem({
        apiKey: need('KABAR_API_KEY'),
        ...(baseUrl ? { baseUrl } : {}),
        ...(value('KABAR_PHONE_NUMBER_ID')
          ? { phoneNumberId: value('KABAR_PHONE_NUMBER_ID') }
          : {}),
      });
    case 'meta':
      return meta({
        accessToken: need('KABAR_ACCESS_TOKEN'),
        phoneNumberId: need('KABAR_PHONE_NUMBER_ID'),
        ...(baseUrl ? { baseUrl } : {}),
        ...(value('KABAR_API_VERSION') ? { apiVersion: value('KABAR_API_VERSION') } : {}),
      });
    case 'qirim':
      return qirim({ apiKey: need('KABAR_API_KEY'), ...(baseUrl ? { baseUrl } : {}) });
    case 'waviro':
      return waviro({
        secretKey: need('KABAR_SECRET_KEY', 'KABAR_API_KEY'),
        botUrl: need('KABAR_BOT_URL', 'KABAR_BASE_URL'),
      });
    case 'kirimy': {
      const sessions = need('KABAR_SESSION_ID')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      return kirimy({
        apiKey: need('KABAR_API_KEY'),
        sessionIds: sessions,
        ...(baseUrl ? { baseUrl } : {}),
      });
    }
  }
}
