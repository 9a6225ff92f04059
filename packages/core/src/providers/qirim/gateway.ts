import type { GatewayDefinition } from '../gateway.js';
import { QIRIM_CAPABILITIES, qirim } from './index.js';

/** Qirim in the gateway registry: its settings and its provider (it sends no webhooks Kabar reads). */
export const qirimGateway: GatewayDefinition<'qirim'> = {
  name: 'qirim',
  label: 'Qirim',
  description: 'Notifications and OTP',
  credentials: [
    { key: 'apiKey', label: 'API Key', secret: true, required: true },
    { key: 'baseUrl', label: 'Base URL', secret: false, required: false },
  ],
  create: (settings) => qirim({ apiKey: settings.apiKey ?? '', baseUrl: settings.baseUrl }),
  capabilities: QIRIM_CAPABILITIES,
  deduplicates: false,
};
