import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { qirimClient } from './client.js';
import { qirimControlRoutes } from './control.js';
import { createQirimGateway } from './routes.js';
import { createQirimState, type QirimContext, resetQirimState } from './state.js';

/** Qirim: OTP codes and queued notifications, served under /qirim. */
export const qirimDialect: Dialect<'qirim'> = {
  name: 'qirim',
  title: 'Qirim',
  cli: [
    {
      name: 'qirim-key',
      value: '<key>',
      env: 'KABAR_SANDBOX_QIRIM_KEYS',
      help: 'accepted Qirim API key, repeatable (default qirim_test_key)',
      options: (apiKeys) => ({ qirim: { apiKeys } }),
    },
  ],
  inbox: {},
  banner: (c) => `baseUrl=${c.baseUrl} apiKey=${c.apiKey}`,
  client: qirimClient,
  create(options, state) {
    const qirim = createQirimState(options, state.options.maxMessages);
    const context: QirimContext = { ...state, qirim };
    return {
      gateway: createQirimGateway(context),
      credentials: (url) => ({ baseUrl: `${url}/qirim/api/v1`, apiKey: qirim.options.apiKeys[0] }),
      reset: () => resetQirimState(qirim),
      controlRoutes: bindRoutes(qirimControlRoutes, context),
      templates: qirim.templates,
    };
  },
};
