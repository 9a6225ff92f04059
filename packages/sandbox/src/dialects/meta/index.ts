import { receiveCloudInbound } from '../../cloud-api/inbound.js';
import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { metaClient } from './client.js';
import { metaControlRoutes } from './control.js';
import { createMetaGateway } from './routes.js';
import { createMetaState, META_API_VERSION, type MetaContext, resetMetaState } from './state.js';
import { META_WEBHOOK } from './webhook-format.js';

/** Meta's WhatsApp Cloud API (Graph), served under /meta. */
export const metaDialect: Dialect<'meta'> = {
  name: 'meta',
  title: 'Meta Cloud API',
  webhook: META_WEBHOOK,
  cli: [
    {
      name: 'meta-token',
      value: '<token>',
      env: 'KABAR_SANDBOX_META_TOKENS',
      help: 'accepted Meta access token, repeatable (default meta_test_token)',
      options: (accessTokens) => ({ meta: { accessTokens } }),
    },
  ],
  inbox: { mediaDownload: { path: '/media-download/{id}', token: 'accessToken' } },
  banner: (c) =>
    `baseUrl=${c.baseUrl} accessToken=${c.accessToken} phoneNumberId=${c.phoneNumberId} wabaId=${c.wabaId} apiVersion=${c.apiVersion}`,
  client: metaClient,
  create(options, state) {
    const meta = createMetaState(options, state.options);
    const context: MetaContext = { ...state, meta };
    return {
      gateway: createMetaGateway(context),
      credentials: (url) => ({
        baseUrl: `${url}/meta`,
        accessToken: meta.options.accessTokens[0],
        phoneNumberId: meta.options.phoneNumberIds[0],
        wabaId: meta.options.wabaIds[0],
        businessAccountId: meta.options.wabaIds[0],
        apiVersion: META_API_VERSION,
      }),
      reset: () => resetMetaState(meta),
      controlRoutes: bindRoutes(metaControlRoutes, context),
      channel: meta.channel,
      templates: meta.templates,
      inbound: {
        userIds: true,
        receive: (input, content, text) =>
          receiveCloudInbound(context, meta.channel, input, content, text),
      },
    };
  },
};
