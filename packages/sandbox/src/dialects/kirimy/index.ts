import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { kirimyClient } from './client.js';
import { kirimyControlRoutes } from './control.js';
import { createKirimyGateway } from './routes.js';
import { KIRIMY_SESSIONS } from './sessions.js';
import { createKirimyState, type KirimyContext, resetKirimyState } from './state.js';

/** Kirimy: plain-text sends through named WhatsApp sessions, served under /kirimy. */
export const kirimyDialect: Dialect<'kirimy'> = {
  name: 'kirimy',
  title: 'Kirimy',
  cli: [
    {
      name: 'kirimy-key',
      value: '<key>',
      env: 'KABAR_SANDBOX_KIRIMY_KEYS',
      help: 'accepted Kirimy api-key, repeatable (default kirimy_test_key)',
      options: (apiKeys) => ({ kirimy: { apiKeys } }),
    },
  ],
  inbox: {},
  banner: (c) =>
    `baseUrl=${c.baseUrl} apiKey=${c.apiKey} sessionId=${c.sessionId} fallbackSessionId=${c.fallbackSessionId}`,
  client: kirimyClient,
  create(options, state) {
    const kirimy = createKirimyState(options);
    const context: KirimyContext = { ...state, kirimy };
    return {
      gateway: createKirimyGateway(context),
      credentials: (url) => ({
        baseUrl: `${url}/kirimy/v1`,
        apiKey: kirimy.options.apiKeys[0],
        sessionId: KIRIMY_SESSIONS[0],
        fallbackSessionId: KIRIMY_SESSIONS[1],
      }),
      reset: () => resetKirimyState(kirimy),
      controlRoutes: bindRoutes(kirimyControlRoutes, context),
    };
  },
};
