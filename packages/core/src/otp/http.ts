import { KabarError, ValidationError } from '../errors.js';
import { type CountryCode, isPhoneRegion, normalizePhone, regionOfPhone } from '../phone.js';
import {
  hitInOrder,
  memoryRequestLimiter,
  type RequestLimiter,
  type RequestLimitHit,
} from '../request-limiter.js';
import { requireSecret, secretMatches } from '../secret.js';
import type { OtpEngine } from './engine.js';
import { type OtpContract, type OtpIssueCall, type OtpRoute, readOtpBody } from './http-body.js';
import {
  codeRefusedResponse,
  issuedResponse,
  type OtpHttpResponse,
  otpErrorResponse,
  unauthenticatedResponse,
  verifiedResponse,
} from './http-response.js';

/**
 * OTP login over HTTP with Qirim's API shape, for any framework: the Express router and the NestJS
 * controller both answer through this, so a front end written against one works with the other.
 */

/** At most `limit` calls per fixed window of `windowMs`. */
export interface Limit {
  /** Calls allowed per window. */
  limit: number;
  /** The window's length in milliseconds; it starts at the first call for the key. */
  windowMs: number;
}

/** Caps against SMS-pumping style abuse; 429 with Retry-After past them. */
export interface OtpHttpLimits {
  /** Default: in memory. Pass `redisRequestLimiter` when several instances serve the routes. */
  store?: RequestLimiter;
  /** Every OTP call from one IP. Default 30 per 10 minutes. */
  perIp?: Limit;
  /**
   * Codes asked for one number from one IP, checked before `perNumber`, so one address can spend
   * only its share of a number's budget and cannot lock the real user out alone. Default on the
   * browser contract: 4 per day (fewer than `perNumber` and than the engine's daily limit). Off on
   * the trusted contract, whose calls all come from one backend.
   */
  perNumberPerIp?: Limit;
  /** Codes asked for one number, from anywhere. Default 5 per 10 minutes. */
  perNumber?: Limit;
}

/** What both contracts take. */
export interface OtpHttpCommonOptions {
  /** Makes, sends and checks the codes: `createOtpEngine(...)` or `qirimOtpEngine(client)`. */
  engine: OtpEngine;
  /** Per-address and per-number caps; each has a default. */
  limits?: OtpHttpLimits;
  /**
   * Countries whose numbers may ask for a code (ISO 3166 codes, e.g. `['ID']`); others get 422
   * naming `phone` before anything is sent. Default: any country.
   */
  allowedCountries?: readonly CountryCode[];
}

/** The browser contract: code length, lifetime and purposes are the server's to set. */
export interface OtpHttpOptions extends OtpHttpCommonOptions {
  /**
   * The purposes a body may name in `purpose`; the first is used when it names none. Default
   * `['default']`, so a body needs no purpose. Each purpose has its own live code and cooldown.
   */
  purposes?: readonly string[];
}

/** The trusted contract: Qirim's backend-to-backend API, for servers holding the API key. */
export interface TrustedOtpHttpOptions extends OtpHttpCommonOptions {
  /** What callers present as `X-Api-Key` or `Authorization: Bearer`; at least 24 characters. */
  apiKey: string;
}

/** One call to the OTP routes, as any framework sees it. */
export interface OtpHttpRequest {
  /** The route called: the last part of its path. */
  route: OtpRoute;
  /** The caller's address, for the per-IP limits. */
  ip: string;
  /** The parsed JSON body. */
  body: unknown;
  /** The request headers; the trusted contract reads its API key from them. */
  headers?: Record<string, string | string[] | undefined>;
}

/** Answers one call; never throws, every failure is an answer. */
export type OtpHttpHandler = (request: OtpHttpRequest) => Promise<OtpHttpResponse>;

const TEN_MINUTES = 600_000;
const DAY = 86_400_000;

/**
 * The OTP routes for browsers: POST /request and /resend take `{phone, purpose?}`, /verify takes
 * `{phone, code, purpose?}`; any other field is refused with 422. Every failed verify gets the same
 * answer (422 `otp_invalid`), whatever the reason, so the routes do not tell who has a live code.
 * Answers `{success, data}` or `{success:false, error}` with Qirim's status codes, and Retry-After
 * on every 429. The handler it returns never throws.
 *
 * Throws `invalid_config` when `engine` is missing, `purposes` is empty or holds an empty name, or
 * `allowedCountries` is empty or names an unknown country.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { createOtpEngine, createOtpHttpHandler, type OtpRoute } from '@kabar/core/otp';
 *
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 * });
 * const otpRoutes = createOtpHttpHandler({
 *   engine: createOtpEngine({ secret: process.env.OTP_SECRET!, delivery: { client: wa } }),
 *   purposes: ['login', 'reset_password'],
 *   allowedCountries: ['ID'],
 * });
 *
 * // POST /otp/request, /otp/resend and /otp/verify, with a web Request:
 * async function otpEndpoint(request: Request, route: OtpRoute, ip: string): Promise<Response> {
 *   const body = await request.json().catch(() => undefined);
 *   const answer = await otpRoutes({ route, ip, body });
 *   if (answer.verifiedPhone) {
 *     // the number is proven: start the user's session here
 *   }
 *   return Response.json(answer.body, { status: answer.status, headers: answer.headers });
 * }
 * ```
 */
export function createOtpHttpHandler(options: OtpHttpOptions): OtpHttpHandler {
  const purposes = options?.purposes ?? ['default'];
  if (
    !Array.isArray(purposes) ||
    purposes.length === 0 ||
    !purposes.every((p) => typeof p === 'string' && p !== '')
  ) {
    throw new KabarError(
      'invalid_config',
      'OTP routes: option "purposes" must list non-empty names',
    );
  }
  return otpHttpHandler(options, { kind: 'browser', purposes }, { limit: 4, windowMs: DAY });
}

/**
 * Qirim's backend-to-backend contract, for your own servers only: the caller must present
 * `apiKey`, may choose `code_length` (4–8) and `ttl` (30–1800 s) and any `purpose`, and gets
 * Qirim's detailed answers (`otp_incorrect` with `attempts_remaining`, `otp_expired`,
 * `too_many_attempts`). Never point a browser at it. A call without the key is answered 401
 * `unauthenticated`; the handler never throws.
 *
 * Throws `invalid_config` when `apiKey` is missing or shorter than 24 characters, `engine` is
 * missing, or `allowedCountries` is empty or names an unknown country.
 */
export function createTrustedOtpHttpHandler(options: TrustedOtpHttpOptions): OtpHttpHandler {
  const apiKey = requireSecret(options?.apiKey, 'trusted OTP routes: option "apiKey"', 24);
  return otpHttpHandler(options, { kind: 'trusted', apiKey }, undefined);
}

function countryCheck(allowed: readonly CountryCode[] | undefined): (phone: string) => void {
  if (allowed === undefined) return () => undefined;
  if (
    !Array.isArray(allowed) ||
    allowed.length === 0 ||
    !allowed.every((country) => isPhoneRegion(country))
  ) {
    throw new KabarError(
      'invalid_config',
      'OTP routes: option "allowedCountries" must list ISO country codes such as "ID"',
    );
  }
  return (phone) => {
    const country = regionOfPhone(phone);
    if (country === undefined || !allowed.includes(country)) {
      throw new ValidationError('phone', `only numbers from ${allowed.join(', ')} are accepted`, {
        status: 422,
      });
    }
  };
}

/** The key from `X-Api-Key` or `Authorization: Bearer`, compared in constant time. */
function presentsKey(headers: OtpHttpRequest['headers'], apiKey: string): boolean {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const authorization = first(headers?.authorization) ?? '';
  const given =
    first(headers?.['x-api-key']) ??
    (authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '');
  return secretMatches(given, apiKey);
}

const CODE_REFUSALS = new Set(['otp_incorrect', 'otp_expired', 'too_many_attempts']);

function otpHttpHandler(
  options: OtpHttpCommonOptions,
  contract: OtpContract,
  defaultPerNumberPerIp: Limit | undefined,
): OtpHttpHandler {
  const { engine } = options;
  if (!engine || typeof engine.request !== 'function') {
    throw new KabarError('invalid_config', 'OTP routes: option "engine" is required');
  }
  const checkCountry = countryCheck(options.allowedCountries);
  const store = options.limits?.store ?? memoryRequestLimiter();
  const perIp = options.limits?.perIp ?? { limit: 30, windowMs: TEN_MINUTES };
  const perNumberPerIp = options.limits?.perNumberPerIp ?? defaultPerNumberPerIp;
  const perNumber = options.limits?.perNumber ?? { limit: 5, windowMs: TEN_MINUTES };

  // Counted in order, and no further than the first refusal, so a call refused by one limit
  // spends none of the budgets behind it; a limiter with `hitInOrder` counts them in one step.
  async function limit(hits: readonly RequestLimitHit[]) {
    const results = await hitInOrder(store, hits);
    const refused = results.find((result) => !result.allowed);
    if (refused) {
      throw new KabarError('rate_limited', 'too many requests; slow down', {
        status: 429,
        retryAfter: Math.ceil(refused.retryAfterMs / 1000),
      });
    }
    // A limiter that answered fewer calls than it was given without refusing one is broken;
    // letting the call through would skip the limits it did not answer.
    if (results.length !== hits.length) {
      throw new KabarError('invalid_config', 'OTP routes: the limiter skipped some limits');
    }
  }

  function phoneOf(input: string): string {
    const phone = normalizePhone(input);
    checkCountry(phone);
    return phone;
  }

  async function answer({ route, ip, body, headers }: OtpHttpRequest): Promise<OtpHttpResponse> {
    if (contract.kind === 'trusted' && !presentsKey(headers, contract.apiKey)) {
      return unauthenticatedResponse();
    }
    const ipHit = { key: `otp:ip:${ip}`, limit: perIp.limit, windowMs: perIp.windowMs };
    if (route === 'verify') {
      // The address is counted and checked before anything else, so a caller over its limit can
      // test no code.
      await limit([ipHit]);
      const { check } = readOtpBody(contract, route, body);
      const phone = phoneOf(check.phone);
      try {
        return verifiedResponse((await engine.verify({ ...check, phone })).phone);
      } catch (error) {
        const refused = KabarError.isInstance(error) && CODE_REFUSALS.has(error.code);
        if (refused && contract.kind === 'browser') return codeRefusedResponse();
        throw error;
      }
    }
    // The body is read before anything is counted, so the address and the number are counted in
    // one step; a refused body still counts against its address, and a caller over the limit
    // hears 429 whatever it sent.
    let call: OtpIssueCall;
    let phone: string;
    try {
      call = readOtpBody(contract, route, body);
      // Counted per normalised number, so spelling it differently buys no extra codes.
      phone = phoneOf(call.request.phone);
    } catch (error) {
      await limit([ipHit]);
      throw error;
    }
    const phoneHit = {
      key: `otp:phone:${phone}`,
      limit: perNumber.limit,
      windowMs: perNumber.windowMs,
    };
    await limit(
      perNumberPerIp
        ? [
            ipHit,
            {
              key: `otp:phone-ip:${phone}:${ip}`,
              limit: perNumberPerIp.limit,
              windowMs: perNumberPerIp.windowMs,
            },
            phoneHit,
          ]
        : [ipHit, phoneHit],
    );
    const request = { ...call.request, phone };
    return issuedResponse(
      call.route === 'resend' ? await engine.resend(request) : await engine.request(request),
    );
  }

  return (request) => answer(request).catch(otpErrorResponse);
}
