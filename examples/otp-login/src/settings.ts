import { refuseDevSecrets, requireSecret } from '@kabar/core';
import type { LoginAppOptions } from './app.js';

/**
 * The demo's secrets when none are set. They are public (this file is on GitHub), so they are
 * good for 127.0.0.1 only.
 */
export const DEV_SECRETS = {
  OTP_SECRET: 'example-otp-secret-change-me',
  TOKEN_SECRET: 'example-token-secret-change-me',
} as const;

/** Where the example listens and how it is configured. */
export interface LoginSettings {
  host: string;
  port: number;
  app: LoginAppOptions;
}

/**
 * Reads the settings from the environment, with defaults for the local demo against `pnpm start`'s
 * sandbox. Throws `invalid_config` naming the settings to change when a secret is empty or short,
 * or when `HOST` is reachable from other machines while a secret still has its public
 * development value.
 */
export function loginSettings(env: NodeJS.ProcessEnv = process.env): LoginSettings {
  const host = env.HOST ?? '127.0.0.1';
  // Checked here as well as by the libraries, so the error names the variable to set.
  const otpSecret = requireSecret(env.OTP_SECRET ?? DEV_SECRETS.OTP_SECRET, 'OTP_SECRET', 16);
  const tokenSecret = requireSecret(env.TOKEN_SECRET ?? DEV_SECRETS.TOKEN_SECRET, 'TOKEN_SECRET');
  refuseDevSecrets(host, [
    { setting: 'OTP_SECRET', value: otpSecret, devValue: DEV_SECRETS.OTP_SECRET },
    { setting: 'TOKEN_SECRET', value: tokenSecret, devValue: DEV_SECRETS.TOKEN_SECRET },
  ]);
  return {
    host,
    port: Number(env.PORT ?? 4030),
    app: {
      kiremApiKey: env.KIREM_API_KEY ?? 'kirem_test_key',
      kiremBaseUrl: env.KIREM_BASE_URL ?? 'http://127.0.0.1:4010/kirem',
      otpSecret,
      tokenSecret,
    },
  };
}
