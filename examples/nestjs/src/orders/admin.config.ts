import { registerAs } from '@nestjs/config';
import { secretSetting } from '../dev-secrets.js';

/** Who may call the shop's back-office routes: whoever holds `ADMIN_TOKEN`. */
export const adminConfig = registerAs('admin', () => ({ token: secretSetting('ADMIN_TOKEN') }));

/** The resolved admin settings, as `adminConfig.KEY` injects them. */
export type AdminConfig = ReturnType<typeof adminConfig>;
