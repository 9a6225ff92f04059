import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { waviroClient } from './client.js';
import { waviroControlRoutes } from './control.js';
import { receiveWaviroInbound } from './inbound.js';
import { applyKeywordReply } from './keyword-webhooks.js';
import { createWaviroGateway } from './routes.js';
import { createWaviroState, resetWaviroState, type WaviroContext } from './state.js';

/** Waviro: a WhatsApp bot with groups, delivery acks and keyword webhooks, served under /waviro. */
export const waviroDialect: Dialect<'waviro'> = {
  name: 'waviro',
  title: 'Waviro',
  cli: [
    {
      name: 'waviro-key',
      value: '<key>',
      env: 'KABAR_SANDBOX_WAVIRO_KEYS',
      help: 'accepted Waviro secretkey, repeatable (default waviro_test_key)',
      options: (secretKeys) => ({ waviro: { secretKeys } }),
    },
  ],
  inbox: {},
  banner: (c) => `botUrl=${c.botUrl} secretKey=${c.secretKey}`,
  client: waviroClient,
  create(options, state) {
    const waviro = createWaviroState(options, state.options.maxMessages);
    const context: WaviroContext = { ...state, waviro };
    return {
      gateway: createWaviroGateway(context),
      credentials: (url) => ({ botUrl: `${url}/waviro`, secretKey: waviro.options.secretKeys[0] }),
      reset: () => resetWaviroState(waviro),
      controlRoutes: bindRoutes(waviroControlRoutes, context),
      inbound: {
        userIds: false,
        refuse: (field) =>
          field === 'button' || field === 'list'
            ? 'Waviro bots get no button or list replies'
            : undefined,
        receive: (input, content, text) => receiveWaviroInbound(context, input, content, text),
      },
      // A bot answers a keyword every time it is posted, so the replies are sent again too.
      redelivered(delivery) {
        if (delivery.kind === 'keyword') applyKeywordReply(state, delivery);
      },
    };
  },
};
