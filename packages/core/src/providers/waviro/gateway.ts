import type { GatewayDefinition } from '../gateway.js';
import { WAVIRO_CAPABILITIES, WAVIRO_RATE_LIMIT, waviro } from './index.js';
import { waviroWebhook } from './webhook.js';

/** Waviro in the gateway registry: its settings, its provider, its webhooks. */
export const waviroGateway: GatewayDefinition<'waviro'> = {
  name: 'waviro',
  label: 'Waviro',
  description: 'A WhatsApp bot with groups',
  credentials: [
    {
      key: 'botUrl',
      label: 'Bot URL',
      placeholder: 'https://yourbot.waviro.com',
      secret: false,
      required: true,
    },
    { key: 'secretKey', label: 'Secret Key', secret: true, required: true },
  ],
  create: (settings) =>
    waviro({ botUrl: settings.botUrl ?? '', secretKey: settings.secretKey ?? '' }),
  capabilities: WAVIRO_CAPABILITIES,
  defaultRateLimit: WAVIRO_RATE_LIMIT,
  deduplicates: false,
  webhook: waviroWebhook,
};
