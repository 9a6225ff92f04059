import type { GatewayDefinition } from '../gateway.js';
import { WABLAS_CAPABILITIES, WABLAS_RATE_LIMIT, wablas } from './index.js';
import { wablasWebhook } from './webhook.js';

/** Wablas in the provider registry: its settings, capabilities and webhook dialect. */
export const wablasGateway: GatewayDefinition<'wablas'> = {
  name: 'wablas',
  label: 'Wablas',
  description:
    'WhatsApp Web gateway with a host per server: text, media, locations, groups, batches and scheduled messages',
  credentials: [
    {
      key: 'token',
      label: 'Token',
      description: "The device's token, from Device Settings on the Wablas dashboard.",
      secret: true,
      required: true,
    },
    {
      key: 'secretKey',
      label: 'Secret Key',
      description: "The device's secret key; leave empty for accounts without one.",
      secret: true,
      required: false,
    },
    {
      key: 'server',
      label: 'Server',
      description:
        "Your account's server as on the dashboard, e.g. bdg for bdg.wablas.com; or set Base URL.",
      placeholder: 'bdg',
      secret: false,
      required: false,
    },
    {
      key: 'baseUrl',
      label: 'Base URL',
      description: 'The API host, e.g. https://bdg.wablas.com; wins over Server.',
      placeholder: 'https://bdg.wablas.com',
      secret: false,
      required: false,
    },
    {
      key: 'phoneCheckUrl',
      label: 'Number Check URL',
      description: 'Leave empty for https://phone.wablas.com; set it for a sandbox',
      secret: false,
      required: false,
    },
  ],
  create: (settings) =>
    wablas({
      token: settings.token ?? '',
      secretKey: settings.secretKey,
      server: settings.server,
      baseUrl: settings.baseUrl,
      phoneCheckUrl: settings.phoneCheckUrl,
    }),
  capabilities: WABLAS_CAPABILITIES,
  defaultRateLimit: WABLAS_RATE_LIMIT,
  deduplicates: false,
  webhook: wablasWebhook,
};
