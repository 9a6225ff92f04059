import { registerAs } from '@nestjs/config';
import { secretSetting } from './dev-secrets.js';

/**
 * Everything the app needs to reach WhatsApp, from the environment. The defaults point at
 * `pnpm start`'s sandbox, so the example runs with no account anywhere.
 */
export const whatsappConfig = registerAs('whatsapp', () => ({
  baseUrl: process.env.META_BASE_URL ?? 'http://127.0.0.1:4010/meta',
  accessToken: process.env.META_ACCESS_TOKEN ?? 'meta_test_token',
  phoneNumberId: process.env.META_PHONE_NUMBER_ID ?? '1234567890',
  appSecret: secretSetting('META_APP_SECRET'),
  verifyToken: process.env.META_VERIFY_TOKEN ?? 'kabar-verify-token',
  otpSecret: secretSetting('OTP_SECRET'),
}));

/** The resolved WhatsApp settings, as `whatsappConfig.KEY` injects them. */
export type WhatsAppConfig = ReturnType<typeof whatsappConfig>;
