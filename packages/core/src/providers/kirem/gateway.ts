import type { GatewayDefinition } from '../gateway.js';
import { KIREM_CAPABILITIES, KIREM_RATE_LIMIT, kirem } from './index.js';
import { kiremWebhook } from './webhook.js';

/** Kirem in the gateway registry: its settings, its provider, its webhooks. */
export const kiremGateway: GatewayDefinition<'kirem'> = {
  name: 'kirem',
  label: 'Kirem',
  description: 'Meta Cloud API compatible gateway',
  credentials: [
    { key: 'apiKey', label: 'API Key', secret: true, required: true },
    {
      key: 'phoneNumberId',
      label: 'Phone Number ID',
      description: 'The sending number; empty sends through the first active channel',
      secret: false,
      required: false,
    },
    {
      key: 'channelId',
      label: 'Channel ID',
      description: 'The channel whose business profile is read and changed',
      secret: false,
      required: false,
    },
    { key: 'baseUrl', label: 'Base URL', secret: false, required: false },
  ],
  create: (settings) =>
    kirem({
      apiKey: settings.apiKey ?? '',
      baseUrl: settings.baseUrl,
      phoneNumberId: settings.phoneNumberId,
      channelId: settings.channelId,
    }),
  capabilities: KIREM_CAPABILITIES,
  defaultRateLimit: KIREM_RATE_LIMIT,
  deduplicates: true,
  webhook: kiremWebhook,
};
