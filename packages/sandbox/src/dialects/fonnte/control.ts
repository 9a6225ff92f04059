import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import type { FonnteDevicePatch } from '../../types.js';
import { setFonnteConnection } from './connection.js';
import type { FonnteContext } from './state.js';

/** Control API routes for the Fonnte device: its profile and connection, groups and numbers. */
export const fonnteControlRoutes: Route<ContextHandler<FonnteContext>>[] = [
  {
    method: 'GET',
    pattern: '/fonnte/device',
    handler: (s) => json(200, s.fonnte.device.view()),
  },
  { method: 'PUT', pattern: '/fonnte/device', handler: setDevice },
  {
    method: 'GET',
    pattern: '/fonnte/groups',
    handler: (s) => json(200, { groups: s.fonnte.device.groups() }),
  },
  { method: 'POST', pattern: '/fonnte/groups', handler: addGroup },
  {
    method: 'GET',
    pattern: '/fonnte/unregistered',
    handler: (s) => json(200, { numbers: s.fonnte.device.unregistered() }),
  },
  { method: 'PUT', pattern: '/fonnte/unregistered', handler: setUnregistered },
];

const DIGITS = /^[1-9]\d{7,14}$/;
const GROUP_ID = /^\d[\d-]*@g\.us$/;

const DEVICE_SHAPE =
  'expected { connected?: boolean, number?: 8 to 15 digits, name?: string, package?: string, ' +
  'expired?: string, quota?: integer >= 0, reason?: string }';

async function setDevice(state: FonnteContext, req: ControlRequest): Promise<Reply> {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { connected, number, name, package: plan, expired, quota, reason, ...rest } = body.value;
  const text = (value: unknown) => value === undefined || typeof value === 'string';
  const valid =
    Object.keys(rest).length === 0 &&
    (connected === undefined || typeof connected === 'boolean') &&
    (number === undefined || (typeof number === 'string' && DIGITS.test(number))) &&
    [name, plan, expired, reason].every(text) &&
    (quota === undefined || (Number.isSafeInteger(quota) && (quota as number) >= 0));
  if (!valid) return failure(400, DEVICE_SHAPE);
  const patch = Object.fromEntries(
    Object.entries({ connected, number, name, package: plan, expired, quota, reason }).filter(
      ([, value]) => value !== undefined,
    ),
  ) as FonnteDevicePatch;
  return json(200, await setFonnteConnection(state, patch));
}

function addGroup(state: FonnteContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { id, name } = body.value;
  if (typeof id !== 'string' || !GROUP_ID.test(id) || typeof name !== 'string') {
    return failure(400, "expected { id: e.g. '120363000000000001@g.us', name: string }");
  }
  return json(201, state.fonnte.device.addGroup({ id, name }));
}

function setUnregistered(state: FonnteContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { numbers } = body.value;
  if (
    !Array.isArray(numbers) ||
    !numbers.every((number) => typeof number === 'string' && DIGITS.test(number))
  ) {
    return failure(400, 'expected { numbers: strings of 8 to 15 digits, country code first }');
  }
  return json(200, { numbers: state.fonnte.device.setUnregistered(numbers) });
}
