import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import { isHttpUrl } from '../../webhook-config.js';
import type { WaviroContext } from './state.js';

/** Control API routes for the Waviro bot's session, groups, numbers, acks and keywords. */
export const waviroControlRoutes: Route<ContextHandler<WaviroContext>>[] = [
  { method: 'POST', pattern: '/waviro/groups', handler: addWaviroGroup },
  {
    method: 'GET',
    pattern: '/waviro/groups',
    handler: (s) => json(200, { groups: s.waviro.bot.groups() }),
  },
  { method: 'POST', pattern: '/waviro/connection', handler: setWaviroConnection },
  { method: 'POST', pattern: '/waviro/numbers', handler: setWaviroNumber },
  {
    method: 'GET',
    pattern: '/waviro/acks',
    handler: (s) => json(200, { acks: s.waviro.acks.list() }),
  },
  {
    method: 'GET',
    pattern: '/waviro/keywords',
    handler: (s) => json(200, { keywords: s.waviro.keywords.list() }),
  },
  { method: 'POST', pattern: '/waviro/keywords', handler: addWaviroKeyword },
];

const DIGITS = /^[1-9]\d{7,14}$/;

function addWaviroGroup(state: WaviroContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { id, name } = body.value;
  if (typeof id !== 'string' || id === '' || typeof name !== 'string') {
    return failure(400, 'expected { id: string, name: string }');
  }
  return json(201, state.waviro.bot.addGroup(id, name));
}

function setWaviroConnection(state: WaviroContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { authenticated, number } = body.value;
  if (
    typeof authenticated !== 'boolean' ||
    (number !== undefined && !(typeof number === 'string' && DIGITS.test(number)))
  ) {
    return failure(400, 'expected { authenticated: boolean, number?: string of 8 to 15 digits }');
  }
  const bot = state.waviro.bot;
  bot.connection = {
    authenticated,
    number: (number as string | undefined) ?? bot.connection.number,
  };
  return json(200, bot.connection);
}

function setWaviroNumber(state: WaviroContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { number, registered } = body.value;
  if (typeof number !== 'string' || !DIGITS.test(number) || typeof registered !== 'boolean') {
    return failure(400, 'expected { number: string of 8 to 15 digits, registered: boolean }');
  }
  state.waviro.bot.setRegistered(number, registered);
  return json(200, { number, registered });
}

function addWaviroKeyword(state: WaviroContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { keyword, url, webhookKey } = body.value;
  if (
    typeof keyword !== 'string' ||
    keyword === '' ||
    !isHttpUrl(url) ||
    typeof webhookKey !== 'string'
  ) {
    return failure(
      400,
      "expected { keyword: e.g. 'penawaran#', url: http(s) URL, webhookKey: string }",
    );
  }
  return json(201, state.waviro.keywords.add({ keyword, url, webhookKey }));
}
