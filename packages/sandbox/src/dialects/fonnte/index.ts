import { bindRoutes } from '../../control-http.js';
import type { Dialect } from '../../dialect.js';
import { fonnteClient } from './client.js';
import { fonnteControlRoutes } from './control.js';
import { receiveFonnteInbound } from './inbound.js';
import { createFonnteGateway } from './routes.js';
import {
  continueFonnteIds,
  createFonnteState,
  type FonnteContext,
  resetFonnteState,
} from './state.js';
import { FONNTE_WEBHOOK } from './webhook-format.js';

/**
 * Fonnte: an Indonesian gateway driving one WhatsApp Web session per device token, with sends to
 * several numbers and groups, schedules, polls and webhooks in its own format, served under /fonnte.
 */
export const fonnteDialect: Dialect<'fonnte'> = {
  name: 'fonnte',
  title: 'Fonnte',
  webhook: FONNTE_WEBHOOK,
  cli: [
    {
      name: 'fonnte-token',
      value: '<token>',
      env: 'KABAR_SANDBOX_FONNTE_TOKENS',
      help: 'accepted Fonnte device token, repeatable (default fonnte_test_token)',
      options: (tokens) => ({ fonnte: { tokens } }),
    },
  ],
  inbox: {},
  banner: (c) => `baseUrl=${c.baseUrl} token=${c.token}`,
  client: fonnteClient,
  create(options, state) {
    const fonnte = createFonnteState(options, state);
    const context: FonnteContext = { ...state, fonnte };
    return {
      gateway: createFonnteGateway(context),
      credentials: (url) => {
        // The links in incoming-message webhooks point here (see FonnteState.publicUrl).
        fonnte.publicUrl = url;
        return { baseUrl: `${url}/fonnte`, token: fonnte.options.tokens[0] };
      },
      reset: () => resetFonnteState(fonnte),
      restored: () => continueFonnteIds(fonnte, state),
      controlRoutes: bindRoutes(fonnteControlRoutes, context),
      inbound: {
        userIds: false,
        // Fonnte stopped button messages on 10 May 2023, so no customer can answer one.
        refuse: (field) =>
          field === 'button' || field === 'list'
            ? 'Fonnte carries no button or list replies (buttons ended in May 2023)'
            : undefined,
        receive: (input, content, text) => receiveFonnteInbound(context, input, content, text),
      },
    };
  },
};
