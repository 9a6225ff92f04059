import type { GatewayDefinition } from '../gateway.js';
import { META_CAPABILITIES, META_RATE_LIMIT, meta } from './index.js';
import { metaWebhook } from './webhook/dialect.js';

/** Meta's Cloud API in the gateway registry: its settings, its provider, its webhooks. */
export const metaGateway: GatewayDefinition<'meta'> = {
  name: 'meta',
  label: 'Meta Cloud API',
  description: "Meta's WhatsApp Cloud API directly",
  credentials: [
    {
      key: 'accessToken',
      label: 'Access Token',
      description: 'A system-user access token with whatsapp_business_messaging',
      secret: true,
      required: true,
    },
    {
      key: 'phoneNumberId',
      label: 'Phone Number ID',
      description: "The sending number's id in WhatsApp Manager",
      secret: false,
      required: true,
    },
    {
      key: 'businessAccountId',
      label: 'Business Account ID',
      description: "WhatsApp Business Account ID, for templates and the account's number list",
      secret: false,
      required: false,
    },
    {
      key: 'appId',
      label: 'App ID',
      description: "Your Meta app's id, for uploading a profile photo",
      secret: false,
      required: false,
    },
    {
      key: 'apiVersion',
      label: 'API Version',
      description: 'Graph API version; empty for the one Kabar pins',
      placeholder: 'v21.0',
      secret: false,
      required: false,
    },
    { key: 'baseUrl', label: 'Base URL', secret: false, required: false },
  ],
  create: (settings) =>
    meta({
      accessToken: settings.accessToken ?? '',
      phoneNumberId: settings.phoneNumberId ?? '',
      businessAccountId: settings.businessAccountId,
      appId: settings.appId,
      apiVersion: settings.apiVersion,
      baseUrl: settings.baseUrl,
    }),
  capabilities: META_CAPABILITIES,
  defaultRateLimit: META_RATE_LIMIT,
  deduplicates: false,
  webhook: metaWebhook,
};
