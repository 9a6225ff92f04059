import { createHmac, createSecretKey, randomInt, randomUUID } from 'node:crypto';
import type { WhatsAppClient } from '../client.js';
import { type ErrorCode, KabarError, ValidationError } from '../errors.js';
import type { TemplateContent } from '../message.js';
import { normalizePhone } from '../phone.js';
import type { OtpRequest, OtpRequested, OtpVerification } from '../resources.js';
import { requireSecret } from '../secret.js';
import { memoryOtpStore, type OtpStore } from './store.js';

/**
 * The authentication template that carries codes. The code fills the body's first parameter and,
 * by default, the template's copy-code, one-tap or zero-tap button too, as Meta requires of every
 * authentication template (create one with `authenticationTemplate`).
 */
export interface OtpTemplate {
  /** The approved template's name. */
  name: string;
  /** Its language code, e.g. `id` or `en_US`. */
  language: string;
  /**
   * `otp` (the default) also puts the code in the OTP button at `buttonIndex`; `none` for an older
   * template without one, such as the `otp_verification` of Kirem's documentation.
   */
  button?: 'otp' | 'none';
  /** Position of the OTP button among the template's buttons. Default 0. */
  buttonIndex?: number;
}

/** How codes reach the customer: the client, and a template or a text. */
export interface OtpDelivery {
  /** Sends the codes. */
  client: WhatsAppClient;
  /**
   * An approved AUTHENTICATION template: Meta delivers one-time passwords only through these, so
   * on Meta and Kirem give one. Without it, or on gateways without templates, a text goes out.
   */
  template?: OtpTemplate;
  /**
   * Builds the text sent when there is no template or the gateway has none; `ttlSeconds` is the
   * code's lifetime. Default: an Indonesian message with the code, its lifetime in minutes, and a
   * warning not to share it.
   */
  text?: (code: string, ttlSeconds: number) => string;
}

/** What `createOtpEngine` takes; everything but `secret` and `delivery` has a safe default. */
export interface OtpEngineOptions {
  /**
   * Keys the code hashes: a leaked store alone reveals no code. At least 16 characters; a missing
   * or shorter one throws `invalid_config` naming the option, never its value.
   */
  secret: string;
  /** How codes reach the customer. */
  delivery: OtpDelivery;
  /**
   * Where codes and daily counts live. Default `memoryOtpStore()`; use `redisOtpStore` from
   * `@kabar/redis` when several instances serve the same users.
   */
  store?: OtpStore;
  /** Digits, 4 to 8. Default 6 (OWASP ASVS). A request's own `codeLength` wins. */
  codeLength?: number;
  /** Seconds a code lives, 30 to 1800. Default 300. A request's own `ttl` wins. */
  ttlSeconds?: number;
  /** Seconds between codes for one number and purpose, 0 to 86 400. Default 60. */
  cooldownSeconds?: number;
  /** Codes per number per day (Jakarta time, UTC+7), 1 to 1000. Default 10. */
  dailyLimit?: number;
  /** Wrong guesses before a code is locked, 1 to 20. Default 5. */
  maxAttempts?: number;
  /** The clock, in milliseconds; tests pass their own. */
  now?: () => number;
}

/** Requests, resends and verifies codes; `createOtpEngine` and `qirimOtpEngine` both make one. */
export interface OtpEngine {
  /**
   * Sends a new code. Rejects with `resend_cooldown` (`retryAfter`: seconds to wait),
   * `daily_limit`, `invalid_phone`, `validation` (a `codeLength` or `ttl` out of range), or the
   * send's own error.
   */
  request(request: OtpRequest): Promise<OtpRequested>;
  /**
   * A new code; the old one stops working and its spent attempts carry over. Rejects like
   * `request`.
   */
  resend(request: OtpRequest): Promise<OtpRequested>;
  /**
   * Resolves once the code is right, and the code is then used up. Rejects with `otp_incorrect`
   * (`details.attempts_remaining`), `otp_expired` (wrong purpose, expired, used, or never
   * requested), `too_many_attempts`, `invalid_phone`, or `validation` (not 4 to 8 digits).
   */
  verify(check: { phone: string; code: string; purpose?: string }): Promise<OtpVerification>;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  resend_cooldown: 429,
  daily_limit: 429,
  too_many_attempts: 429,
  otp_expired: 422,
  otp_incorrect: 422,
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  resend_cooldown: 'a code was sent moments ago; wait before asking again',
  daily_limit: 'too many codes for this number today',
  otp_expired: 'no valid code: it expired, was used, or was never requested',
  otp_incorrect: 'the code is wrong',
  too_many_attempts: 'too many wrong codes; request a new one',
};

function otpError(code: ErrorCode, extra: { retryAfter?: number; details?: unknown } = {}) {
  return new KabarError(code, `otp: ${MESSAGES[code]}`, { status: STATUS[code], ...extra });
}

function whole(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  field: string,
) {
  const number = value ?? fallback;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}`, {
      status: 422,
    });
  }
  return number;
}

const JAKARTA_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * The calendar day in Indonesia's western time (UTC+7), where the daily limit resets, e.g.
 * `2026-11-22`. Formatting a date on every code costs more than the rest of the bookkeeping, so the
 * last day's text is kept with the span of milliseconds it covers.
 */
function jakartaDays(): (ms: number) => string {
  let from = 0;
  let to = 0;
  let day = '';
  return (ms) => {
    if (!(ms >= from && ms < to)) {
      const local = ms + JAKARTA_OFFSET_MS;
      day = new Date(local).toISOString().slice(0, 10);
      from = local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - JAKARTA_OFFSET_MS;
      to = from + DAY_MS;
    }
    return day;
  };
}

function defaultText(code: string, ttlSeconds: number): string {
  return `Kode verifikasi Anda: ${code}. Berlaku ${Math.round(ttlSeconds / 60)} menit. Jangan berikan kode ini kepada siapa pun.`;
}

function checkOtpTemplate(template: OtpTemplate): void {
  if (typeof template?.name !== 'string' || typeof template.language !== 'string') {
    throw new KabarError('invalid_config', 'otp: "delivery.template" needs a name and a language');
  }
  if (template.button !== undefined && template.button !== 'otp' && template.button !== 'none') {
    throw new KabarError('invalid_config', 'otp: "delivery.template.button" must be otp or none');
  }
  const { buttonIndex } = template;
  if (
    buttonIndex !== undefined &&
    !(Number.isInteger(buttonIndex) && buttonIndex >= 0 && buttonIndex <= 9)
  ) {
    throw new KabarError('invalid_config', 'otp: "delivery.template.buttonIndex" must be 0 to 9');
  }
}

/** The template send that carries `code`: in the body, and in the OTP button unless told not to. */
function otpTemplateContent(template: OtpTemplate, code: string): TemplateContent {
  const { name, language, button = 'otp', buttonIndex = 0 } = template;
  return {
    name,
    language,
    params: [code],
    components:
      button === 'otp' ? [{ type: 'button', subType: 'otp', index: buttonIndex, code }] : undefined,
  };
}

/**
 * One-time codes over WhatsApp with Qirim's semantics: cooldowns, a daily limit, limited attempts.
 * Codes come from `crypto.randomInt` and are kept only as an HMAC of phone, purpose and code. A
 * code whose send failed is taken back, unless the gateway may have delivered it
 * (`maybeAccepted`), so the user can ask again at once.
 *
 * Throws `invalid_config` for a missing or short `secret` (under 16 characters) or a missing
 * `delivery.client`, and `validation` for a numeric option out of its range.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { createOtpEngine } from '@kabar/core/otp';
 *
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 * });
 * const otp = createOtpEngine({
 *   secret: process.env.OTP_SECRET!, // at least 16 characters
 *   delivery: { client: wa, template: { name: 'otp_verification', language: 'id', button: 'none' } },
 * });
 *
 * const { expiresAt } = await otp.request({ phone: '0812-3456-7890', purpose: 'login' });
 * // ...the customer types the code they received:
 * const { verified, phone } = await otp.verify({
 *   phone: '0812-3456-7890',
 *   purpose: 'login',
 *   code: '482913',
 * });
 * ```
 */
export function createOtpEngine(options: OtpEngineOptions): OtpEngine {
  const secret = requireSecret(options?.secret, 'otp: option "secret"', 16);
  if (!options.delivery?.client) {
    throw new KabarError('invalid_config', 'otp: option "delivery.client" is required');
  }
  const store = options.store ?? memoryOtpStore();
  const now = options.now ?? Date.now;
  const defaults = {
    codeLength: whole(options.codeLength, 6, 4, 8, 'codeLength'),
    ttlSeconds: whole(options.ttlSeconds, 300, 30, 1800, 'ttlSeconds'),
  };
  const cooldownMs = whole(options.cooldownSeconds, 60, 0, 86_400, 'cooldownSeconds') * 1000;
  const dailyLimit = whole(options.dailyLimit, 10, 1, 1000, 'dailyLimit');
  const maxAttempts = whole(options.maxAttempts, 5, 1, 20, 'maxAttempts');
  const { client, template, text = defaultText } = options.delivery;
  if (template !== undefined) checkOtpTemplate(template);

  // The key is made once: under a server's load, turning the secret into a key on every hash
  // cost more than the hashing.
  const hashKey = createSecretKey(Buffer.from(secret, 'utf8'));
  const hash = (phone: string, purpose: string, code: string) =>
    createHmac('sha256', hashKey).update(`${phone}\n${purpose}\n${code}`).digest('hex');
  const jakartaDay = jakartaDays();

  async function deliver(phone: string, code: string, ttlSeconds: number) {
    if (template && client.supports('template')) {
      await client.send({ to: phone, template: otpTemplateContent(template, code) });
    } else {
      await client.send({ to: phone, text: text(code, ttlSeconds) });
    }
  }

  async function issue(request: OtpRequest, keepAttempts: boolean): Promise<OtpRequested> {
    const phone = normalizePhone(request?.phone);
    const purpose = request.purpose ?? 'default';
    const codeLength = whole(request.codeLength, defaults.codeLength, 4, 8, 'code_length');
    const ttlSeconds = whole(request.ttl, defaults.ttlSeconds, 30, 1800, 'ttl');
    // One draw for all digits: uniform below 10^length is each digit uniform and independent.
    const code = String(randomInt(0, 10 ** codeLength)).padStart(codeLength, '0');
    const issuedAt = now();
    const day = jakartaDay(issuedAt);
    const key = `${phone}\n${purpose}`;
    const record = {
      requestId: randomUUID(),
      codeHash: hash(phone, purpose, code),
      issuedAt,
      expiresAt: issuedAt + ttlSeconds * 1000,
      attempts: 0,
    };
    const result = await store.issue({
      key,
      phone,
      day,
      record,
      keepAttempts,
      cooldownMs,
      dailyLimit,
    });
    if (!result.ok) {
      throw result.reason === 'resend_cooldown'
        ? otpError('resend_cooldown', { retryAfter: Math.ceil(result.retryAfterMs / 1000) })
        : otpError('daily_limit');
    }
    try {
      await deliver(phone, code, ttlSeconds);
    } catch (error) {
      // A code nobody received must not count against the user's cooldown and daily limit,
      // unless the gateway may have delivered it after all.
      if (!(KabarError.isInstance(error) && error.maybeAccepted)) {
        await store.revoke(key, record.requestId, phone, day);
      }
      throw error;
    }
    return {
      requestId: record.requestId,
      phone,
      expiresIn: ttlSeconds,
      expiresAt: new Date(record.expiresAt).toISOString(),
    };
  }

  return {
    request: (request) => issue(request, false),
    resend: (request) => issue(request, true),

    async verify(check) {
      const phone = normalizePhone(check?.phone);
      const purpose = check.purpose ?? 'default';
      if (typeof check.code !== 'string' || !/^\d{4,8}$/.test(check.code)) {
        throw new ValidationError('code', 'must be 4 to 8 digits', { status: 422 });
      }
      const result = await store.verify({
        key: `${phone}\n${purpose}`,
        codeHash: hash(phone, purpose, check.code),
        now: now(),
        maxAttempts,
      });
      if (result.ok) return { verified: true, phone };
      if (result.reason === 'otp_incorrect') {
        throw otpError('otp_incorrect', {
          details: { attempts_remaining: result.attemptsRemaining },
        });
      }
      throw otpError(result.reason);
    },
  };
}

/**
 * The same interface, delegated to Qirim's own OTP endpoints: the codes are made, sent and checked
 * by Qirim, and its errors (`resend_cooldown`, `otp_incorrect`, ...) come through as they are.
 * Throws `invalid_config` when the client's gateway has no OTP endpoints.
 */
export function qirimOtpEngine(client: WhatsAppClient): OtpEngine {
  if (!client.supports('otp')) {
    throw new KabarError(
      'invalid_config',
      `otp: the ${client.provider} provider has no OTP endpoints`,
    );
  }
  return {
    request: (request) => client.otp.request(request),
    resend: (request) => client.otp.resend(request),
    verify: (check) => client.otp.verify(check),
  };
}
