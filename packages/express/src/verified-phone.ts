import { createHmac, timingSafeEqual } from 'node:crypto';
import { requireSecret } from '@kabar/core';
import { type Middleware, sendJson } from './http.js';

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * A short-lived token saying "this client proved it controls this number". Throws
 * `invalid_config` for a missing or short secret: a token signed with an empty key is forgeable.
 */
export function signVerifiedPhone(phone: string, secret: string, ttlSeconds: number): string {
  const key = requireSecret(secret, 'signVerifiedPhone secret');
  const payload = Buffer.from(
    JSON.stringify({ phone, exp: Date.now() + ttlSeconds * 1000 }),
  ).toString('base64url');
  return `${payload}.${mac(payload, key)}`;
}

/**
 * The phone in a valid, unexpired token; undefined for anything else. Throws `invalid_config`
 * for a missing or short secret rather than checking tokens against it.
 */
export function readVerifiedPhone(token: string, secret: string): string | undefined {
  return readWithKey(token, requireSecret(secret, 'readVerifiedPhone secret'));
}

function readWithKey(token: string, secret: string): string | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { phone, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof phone === 'string' && typeof exp === 'number' && exp > Date.now()
      ? phone
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lets a request through only with `Authorization: Bearer <token>` from `otpRouter`'s verify;
 * sets `req.verifiedPhone`. Anything else gets 401 `unauthenticated`. Throws `invalid_config` at
 * once when `secret` is missing or short; use the same secret as `otpRouter`'s `token.secret`.
 *
 * @example
 * ```ts
 * import { requireVerifiedPhone } from '@kabar/express';
 * import express from 'express';
 *
 * const app = express();
 * app.get('/me', requireVerifiedPhone({ secret: process.env.TOKEN_SECRET ?? '' }), (req, res) => {
 *   res.json({ phone: req.verifiedPhone });
 * });
 * ```
 */
export function requireVerifiedPhone(options: { secret: string }): Middleware {
  const secret = requireSecret(options?.secret, 'requireVerifiedPhone option "secret"');
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const phone = token ? readWithKey(token, secret) : undefined;
    if (!phone) {
      sendJson(res, 401, {
        success: false,
        error: { code: 'unauthenticated', message: 'a verified phone token is required' },
      });
      return;
    }
    req.verifiedPhone = phone;
    next();
  };
}
