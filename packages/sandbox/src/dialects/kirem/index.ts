import { receiveCloudInbound } from '../../cloud-api/inbound.js';
import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { kiremClient } from './client.js';
import { kiremControlRoutes } from './control.js';
import { createKiremGateway } from './routes.js';
import { createKiremState, type KiremContext, resetKiremState } from './state.js';
import { KIREM_WEBHOOK } from './webhook-format.js';

/** Kirem: a Meta-compatible WhatsApp Business API in its own envelope, served under /kirem. */
export const kiremDialect: Dialect<'kirem'> = {
  name: 'kirem',
  title: 'Kirem',
  webhook: KIREM_WEBHOOK,
  cli: [
    {
      name: 'kirem-key',
      value: '<key>',
      env: 'KABAR_SANDBOX_KIREM_KEYS',
      help: 'accepted Kirem API key, repeatable (default kirem_test_key)',
      options: (apiKeys) => ({ kirem: { apiKeys } }),
    },
  ],
  inbox: {
    inboundPayload: 'data',
    mediaDownload: { path: '/v1/media/{id}/download', token: 'apiKey' },
  },
  banner: (c) =>
    `baseUrl=${c.baseUrl} apiKey=${c.apiKey} phoneNumberId=${c.phoneNumberId} channelId=${c.channelId}`,
  client: kiremClient,
  create(options, state) {
    const kirem = createKiremState(options, state.options.maxMessages);
    const context: KiremContext = { ...state, kirem };
    // Kirem's analytics API lists its webhook deliveries, so each one is logged there too.
    state.events.subscribe((event) => {
      if (event.type !== 'delivery.created' || event.data.provider !== 'kirem') return;
      const delivery = event.data;
      kirem.webhookLogs.add({
        url: delivery.url,
        event: delivery.kind === 'status' ? 'messages.status' : 'messages.received',
        status_code: delivery.status ?? 0,
        is_success: delivery.status !== null && delivery.status >= 200 && delivery.status < 300,
        duration_ms: delivery.durationMs,
      });
    });
    return {
      gateway: createKiremGateway(context),
      credentials: (url) => ({
        baseUrl: `${url}/kirem`,
        apiKey: kirem.options.apiKeys[0],
        phoneNumberId: kirem.options.phoneNumberIds[0],
        channelId: kirem.options.channelIds[0],
      }),
      reset: () => resetKiremState(kirem),
      controlRoutes: bindRoutes(kiremControlRoutes, context),
      channel: kirem.channel,
      templates: kirem.templates,
      inbound: {
        userIds: false,
        receive: (input, content, text) =>
          receiveCloudInbound(context, kirem.channel, input, content, text),
      },
    };
  },
};
