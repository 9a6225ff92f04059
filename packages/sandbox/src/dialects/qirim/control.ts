import { type ContextHandler, type ControlRequest, failure, jsonBody } from '../../control-http.js';
import { json, type Reply, type Route } from '../../http.js';
import { normalizeIndonesian } from '../../phone.js';
import type { QirimContext } from './state.js';

/** Control API routes that read Qirim's OTP codes and add notification templates. */
export const qirimControlRoutes: Route<ContextHandler<QirimContext>>[] = [
  { method: 'GET', pattern: '/qirim/otp', handler: latestQirimOtp },
  { method: 'POST', pattern: '/qirim/templates', handler: addQirimTemplate },
];

function latestQirimOtp(state: QirimContext, req: ControlRequest): Reply {
  const phone = normalizeIndonesian(req.query.get('phone') ?? '');
  if (!phone) return failure(400, 'phone must be an Indonesian mobile number (08…, +62… or 62…)');
  const otp = state.qirim.otps.latest(phone);
  return otp ? json(200, otp) : failure(404, `no OTP for ${phone}`);
}

function addQirimTemplate(state: QirimContext, req: ControlRequest): Reply {
  const body = jsonBody(req);
  if (!body.ok) return body.reply;
  const { name, body: text } = body.value;
  if (typeof name !== 'string' || name === '' || typeof text !== 'string' || text === '') {
    return failure(400, 'expected { name: string, body: string }');
  }
  return json(201, state.qirim.templates.add({ name, body: text }));
}
