import type { GatewayDefinition } from '../gateway.js';
import { KIRIMY_CAPABILITIES, KIRIMY_RATE_LIMIT, kirimy } from './index.js';

/** Kirimy in the gateway registry: its settings and its provider (it sends no webhooks). */
export const kirimyGateway: GatewayDefinition<'kirimy'> = {
  name: 'kirimy',
  label: 'Kirimy',
  description: 'Text through WhatsApp sessions',
  credentials: [
    { key: 'apiKey', label: 'API Key', secret: true, required: true },
    {
      key: 'sessionId',
      label: 'Session ID',
      description: 'The WhatsApp session that sends; several, comma-separated, fall back in order',
      secret: false,
      required: true,
    },
    { key: 'baseUrl', label: 'Base URL', secret: false, required: false },
  ],
  create: (settings) =>
    kirimy({
      apiKey: settings.apiKey ?? '',
      sessionIds: (settings.sessionId ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
      baseUrl: settings.baseUrl,
    }),
  capabilities: KIRIMY_CAPABILITIES,
  defaultRateLimit: KIRIMY_RATE_LIMIT,
  deduplicates: false,
};
