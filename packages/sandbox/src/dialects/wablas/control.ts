import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import type { WablasDevicePatch } from '../../types.js';
import type { WablasContext } from './state.js';
import { deliverDeviceEvent } from './webhooks.js';

/** Control API routes for the Wablas device and what its number check answers. */
export const wablasControlRoutes: Route<ContextHandler<WablasContext>>[] = [
  {
    method: 'GET',
    pattern: '/wablas/device',
    handler: (s) => json(200, s.wablas.device.device),
  },
  { method: 'PUT', pattern: '/wablas/device', handler: setWablasDevice },
  { method: 'PUT', pattern: '/wablas/numbers', handler: setWablasNumber },
];

const DIGITS = /^[1-9]\d{7,14}$/;
const DEVICE_SHAPE =
  'expected { connected?: boolean, active?: boolean, secretKeyRequired?: boolean, quota?: integer >= 0 or null, number?: string of 8 to 15 digits, name?: non-empty string }';

/**
 * Changes the device. Connecting or disconnecting it posts Wablas' device callback before the
 * answer, so the delivery is in the log once the call returns.
 */
async function setWablasDevice(state: WablasContext, req: ControlRequest): Promise<Reply> {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { connected, active, secretKeyRequired, quota, number, name, ...rest } = body.value;
  const optional = (value: unknown, valid: (value: unknown) => boolean) =>
    value === undefined || valid(value);
  const isBoolean = (value: unknown) => typeof value === 'boolean';
  const valid =
    Object.keys(rest).length === 0 &&
    optional(connected, isBoolean) &&
    optional(active, isBoolean) &&
    optional(secretKeyRequired, isBoolean) &&
    optional(quota, (value) => value === null || (Number.isInteger(value) && Number(value) >= 0)) &&
    optional(number, (value) => typeof value === 'string' && DIGITS.test(value)) &&
    optional(name, (value) => typeof value === 'string' && value.trim() !== '');
  if (!valid) return failure(400, DEVICE_SHAPE);
  const patch = Object.fromEntries(
    Object.entries({ connected, active, secretKeyRequired, quota, number, name }).filter(
      ([, value]) => value !== undefined,
    ),
  ) as WablasDevicePatch;
  const store = state.wablas.device;
  const before = store.device.connected;
  const device = store.update(patch);
  if (device.connected !== before) await deliverDeviceEvent(state, device.connected);
  return json(200, device);
}

function setWablasNumber(state: WablasContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { number, online } = body.value;
  if (typeof number !== 'string' || !DIGITS.test(number) || typeof online !== 'boolean') {
    return failure(400, 'expected { number: string of 8 to 15 digits, online: boolean }');
  }
  state.wablas.device.setOnline(number, online);
  return json(200, { number, online });
}
