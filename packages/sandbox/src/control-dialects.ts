import { type ControlHandler, type ControlRequest, failure, jsonBody } from './control-http';
import { json, type Reply, type Route } from './http';
import { normalizeIndonesian } from './phone';
import type { SandboxState } from './state';
import type { KirimySessionPatch } from './types';

/** Control API routes for the state only the Kirimy, Qirim and Waviro dialects keep. */
export const dialectRoutes: Route<ControlHandler>[] = [
  {
    method: 'GET',
    pattern: '/kirimy/sessions',
    handler: (s) => json(200, { sessions: s.kirimy.sessions.list() }),
  },
  { method: 'POST', pattern: '/kirimy/sessions/:id', handler: setKirimySession },
  { method: 'GET', pattern: '/qirim/otp', handler: latestQirimOtp },
  { method: 'POST', pattern: '/qirim/templates', handler: addQirimTemplate },
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
];

const DIGITS = /^[1-9]\d{7,14}$/;

function setKirimySession(
  state: SandboxState,
  req: ControlRequest,
  param: (name: string) => string,
): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { active, dailyQuota } = body.value;
  if (
    (active !== undefined && typeof active !== 'boolean') ||
    (dailyQuota !== undefined && !(Number.isInteger(dailyQuota) && (dailyQuota as number) >= 0))
  ) {
    return failure(400, 'expected { active?: boolean, dailyQuota?: integer >= 0 }');
  }
  const patch: KirimySessionPatch = {};
  if (active !== undefined) patch.active = active;
  if (dailyQuota !== undefined) patch.dailyQuota = dailyQuota as number;
  return json(200, state.kirimy.sessions.set(param('id'), patch));
}

function latestQirimOtp(state: SandboxState, req: ControlRequest): Reply {
  const phone = normalizeIndonesian(req.query.get('phone') ?? '');
  if (!phone) return failure(400, 'phone must be an Indonesian mobile number (08…, +62… or 62…)');
  const otp = state.qirim.otps.latest(phone);
  return otp ? json(200, otp) : failure(404, `no OTP for ${phone}`);
}

function addQirimTemplate(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { name, body: text } = body.value;
  if (typeof name !== 'string' || name === '' || typeof text !== 'string' || text === '') {
    return failure(400, 'expected { name: string, body: string }');
  }
  return json(201, state.qirim.templates.add({ name, body: text }));
}

function addWaviroGroup(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { id, name } = body.value;
  if (typeof id !== 'string' || id === '' || typeof name !== 'string') {
    return failure(400, 'expected { id: string, name: string }');
  }
  return json(201, state.waviro.bot.addGroup(id, name));
}

function setWaviroConnection(state: SandboxState, req: ControlRequest): Reply {
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

function setWaviroNumber(state: SandboxState, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { number, registered } = body.value;
  if (typeof number !== 'string' || !DIGITS.test(number) || typeof registered !== 'boolean') {
    return failure(400, 'expected { number: string of 8 to 15 digits, registered: boolean }');
  }
  state.waviro.bot.setRegistered(number, registered);
  return json(200, { number, registered });
}
