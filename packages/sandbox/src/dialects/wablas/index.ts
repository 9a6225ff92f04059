import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { wablasClient } from './client.js';
import { wablasControlRoutes } from './control.js';
import { receiveWablasInbound } from './inbound.js';
import { createWablasGateway } from './routes.js';
import type { SendContext } from './send.js';
import { createWablasState, resetWablasState } from './state.js';
import { WABLAS_WEBHOOK, WablasTracking } from './webhooks.js';

/**
 * Wablas: a WhatsApp Web gateway with one device, served under /wablas in place of
 * `https://{server}.wablas.com`, with its number check under /wablas/phone.
 */
export const wablasDialect: Dialect<'wablas'> = {
  name: 'wablas',
  title: 'Wablas',
  webhook: WABLAS_WEBHOOK,
  cli: [
    {
      name: 'wablas-token',
      value: '<token>',
      env: 'KABAR_SANDBOX_WABLAS_TOKENS',
      help: 'accepted Wablas device token, repeatable (default wablas_test_token)',
      options: (tokens) => ({ wablas: { tokens } }),
    },
    {
      name: 'wablas-secret-key',
      value: '<key>',
      env: 'KABAR_SANDBOX_WABLAS_SECRET_KEYS',
      help: "the Wablas device's secret key, repeatable (default wablas_test_secret)",
      options: (secretKeys) => ({ wablas: { secretKeys } }),
    },
  ],
  inbox: {},
  banner: (c) =>
    `baseUrl=${c.baseUrl} token=${c.token}${c.secretKey === undefined ? '' : ` secretKey=${c.secretKey}`} phoneCheckUrl=${c.phoneCheckUrl}`,
  client: wablasClient,
  create(options, state) {
    const wablas = createWablasState(options, state.startedAt);
    const base = { ...state, wablas };
    const context: SendContext = { ...base, tracking: new WablasTracking(base) };
    return {
      gateway: createWablasGateway(context),
      credentials(url) {
        // Until a client calls the gateway, inbound media links point at the sandbox's own URL.
        wablas.publicUrl ??= `${url}/wablas`;
        const [secretKey] = wablas.options.secretKeys;
        return {
          baseUrl: `${url}/wablas`,
          token: wablas.options.tokens[0],
          ...(secretKey === undefined ? {} : { secretKey }),
          phoneCheckUrl: `${url}/wablas/phone`,
        };
      },
      reset: () => resetWablasState(wablas),
      controlRoutes: bindRoutes(wablasControlRoutes, context),
      inbound: {
        userIds: false,
        refuse: (field) =>
          field === 'button' || field === 'list'
            ? 'Wablas documents no button or list replies in its incoming webhook'
            : undefined,
        receive: (input, content, text) => receiveWablasInbound(context, input, content, text),
      },
    };
  },
};
