import type { GatewayRequest } from '../../gateway.js';
import { json, type Reply } from '../../http.js';
import { isHttpUrl } from '../../webhook-config.js';
import { paramInvalid } from './failures.js';
import { recipientsOf } from './fields.js';
import type { WablasContext } from './state.js';

/**
 * GET /api/device/info: the device's profile in the docs' shape; it answers whether or not the
 * device is connected, since that is what it is for.
 */
export function deviceInfo(context: WablasContext): Reply {
  const store = context.wablas.device;
  const device = store.device;
  return json(200, {
    status: true,
    data: {
      name: device.name,
      serial: device.id,
      sender: device.number,
      quota: store.quotaField(),
      expired_date: device.expiredDate,
      active: device.active,
      status: device.connected ? 'connected' : 'disconnected',
    },
  });
}

/**
 * GET <phone host>/check-phone-number?phones=a,b: `online` for numbers on WhatsApp. The host
 * serves every Wablas server and is told which by the `url` header, which the docs mark required;
 * any http(s) URL is taken, since the sandbox is the only server there is. Unlike every other
 * endpoint it answers `"status": "success"`. Numbers are echoed as given; one that is not a phone
 * number cannot be on WhatsApp and is `offline`.
 */
export function checkPhoneNumber(context: WablasContext, req: GatewayRequest): Reply {
  const url = req.headers.url;
  if (!isHttpUrl(typeof url === 'string' ? url.trim() : undefined)) {
    return paramInvalid('the url header must name your Wablas server, e.g. https://bdg.wablas.com');
  }
  const given = (req.query.get('phones') ?? '')
    .split(',')
    .map((phone) => phone.trim())
    .filter((phone) => phone !== '');
  if (given.length === 0) return paramInvalid('phones is required');
  const device = context.wablas.device;
  const data = given.map((phone) => {
    const number = recipientsOf(phone, false);
    const online = number.ok && number.to.every((to) => device.isOnline(to));
    return { phone, status: online ? 'online' : 'offline' };
  });
  return json(200, { status: 'success', data, message: 'Success' });
}
