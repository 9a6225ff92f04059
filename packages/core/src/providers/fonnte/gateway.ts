import type { GatewayDefinition } from '../gateway.js';
import { FONNTE_CAPABILITIES, FONNTE_RATE_LIMIT, fonnte } from './index.js';
import { fonnteWebhook } from './webhook.js';

/** Fonnte in the gateway registry: its settings, its provider, its webhooks. */
export const fonnteGateway: GatewayDefinition<'fonnte'> = {
  name: 'fonnte',
  label: 'Fonnte',
  description:
    'Indonesian WhatsApp gateway on your own number (WhatsApp Web session): text, media, groups, scheduled sends.',
  credentials: [
    {
      key: 'token',
      label: 'Token',
      secret: true,
      required: true,
      description: "The device token from Fonnte's device list",
    },
    {
      key: 'baseUrl',
      label: 'Base URL',
      secret: false,
      required: false,
      description: 'Leave empty for https://api.fonnte.com; set it to a sandbox for tests',
      placeholder: 'https://api.fonnte.com',
    },
  ],
  create: (settings) => fonnte({ token: settings.token ?? '', baseUrl: settings.baseUrl }),
  capabilities: FONNTE_CAPABILITIES,
  defaultRateLimit: FONNTE_RATE_LIMIT,
  deduplicates: false,
  webhook: fonnteWebhook,
};
