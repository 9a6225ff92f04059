import { refuseDevSecrets } from '@kabar/core';

/**
 * The example's secrets when none are set, matching `pnpm start`'s sandbox. They are public (this
 * file is on GitHub), so they are good for 127.0.0.1 only.
 */
export const DEV_SECRETS = {
  META_APP_SECRET: 'meta_app_secret',
  OTP_SECRET: 'example-otp-secret-change-me',
  ADMIN_TOKEN: 'example-admin-token-change-me',
} as const;

/** A secret setting from the environment, or its development value. */
export function secretSetting(
  name: keyof typeof DEV_SECRETS,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return env[name] ?? DEV_SECRETS[name];
}

/**
 * Throws `invalid_config` naming the settings to change when `host` is reachable from other
 * machines while a secret still has its public development value.
 */
export function refuseDevSecretsOn(host: string, env: NodeJS.ProcessEnv = process.env): void {
  refuseDevSecrets(
    host,
    Object.entries(DEV_SECRETS).map(([setting, devValue]) => ({
      setting,
      devValue,
      value: secretSetting(setting as keyof typeof DEV_SECRETS, env),
    })),
  );
}
