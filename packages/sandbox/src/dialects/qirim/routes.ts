import { STATUS_CODES } from 'node:http';
import type { Gateway, GatewayRequest, GatewayRequestHead } from '../../gateway.js';
import { bearerToken, matchRoute, type Reply, type Route } from '../../http.js';
import { notificationStatus, sendNotification } from './notifications.js';
import { requestOtp, verifyOtp } from './otp.js';
import { qirimError, qirimOk } from './reply.js';
import type { QirimContext } from './state.js';

type Feature = 'otp' | 'notif';

type Handler = (state: QirimContext, req: GatewayRequest, param: (name: string) => string) => Reply;

interface Endpoint {
  /** The key must have this feature; /health needs none. */
  feature?: Feature;
  run: Handler;
}

const routes: Route<Endpoint>[] = [
  {
    method: 'GET',
    pattern: '/api/v1/health',
    handler: { run: () => qirimOk(200, { status: 'ok' }) },
  },
  { method: 'POST', pattern: '/api/v1/otp/request', handler: { feature: 'otp', run: requestOtp } },
  { method: 'POST', pattern: '/api/v1/otp/resend', handler: { feature: 'otp', run: requestOtp } },
  { method: 'POST', pattern: '/api/v1/otp/verify', handler: { feature: 'otp', run: verifyOtp } },
  {
    method: 'POST',
    pattern: '/api/v1/notifications/send',
    handler: { feature: 'notif', run: sendNotification },
  },
  {
    method: 'GET',
    pattern: '/api/v1/notifications/:batchId',
    handler: { feature: 'notif', run: notificationStatus },
  },
];

const HEALTH_PATH = '/api/v1/health';

/** Qirim's HTTP API: OTP codes and notifications, each behind a feature the API key must have. */
export function createQirimGateway(state: QirimContext): Gateway {
  const featuresOf = (req: GatewayRequestHead): Feature[] | undefined => {
    const key = apiKey(req);
    if (key === undefined) return undefined;
    if (state.qirim.options.apiKeys.includes(key)) return ['otp', 'notif'];
    if (state.qirim.options.notifOnlyKeys.includes(key)) return ['notif'];
    return undefined;
  };
  return {
    provider: 'qirim',
    authenticate(req) {
      if (req.path === HEALTH_PATH || featuresOf(req)) return undefined;
      return qirimError(401, 'unauthenticated', 'API key salah / hilang');
    },
    handle(req) {
      const match = matchRoute(routes, req.method, req.path);
      if (!match) return qirimError(404, 'not_found', `${req.method} ${req.path} tidak ada`);
      const { feature, run } = match.handler;
      if (feature && !featuresOf(req)?.includes(feature)) {
        return qirimError(403, 'feature_disabled', `Fitur ${feature} belum aktif untuk key ini`);
      }
      return run(state, req, match.param);
    },
    errorFor(status) {
      if (status === 401) return qirimError(401, 'unauthenticated', 'API key salah / hilang');
      const message = STATUS_CODES[status] ?? 'Error';
      return qirimError(status, message.toLowerCase().replace(/\W+/g, '_'), message);
    },
  };
}

/** `X-Api-Key: <key>` or `Authorization: Bearer <key>`. */
function apiKey(req: GatewayRequestHead): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  return bearerToken(req.headers);
}
