import { type ErrorCode, KabarError } from '@kabar/core';
import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * What our callers hear for each Kabar error. 4xx: the request was wrong (a bad number, a
 * message the gateway cannot carry) or must wait. 5xx: our gateway setup or the gateway itself
 * failed, which the caller cannot fix. A new code in core fails the build here until it is placed.
 */
const STATUS: Record<ErrorCode, number> = {
  validation: 422,
  invalid_phone: 422,
  unsupported_feature: 422,
  payload_too_large: 422,
  template_params_mismatch: 422,
  outside_window: 422,
  opted_out: 422,
  undeliverable: 422,
  otp_expired: 422,
  otp_incorrect: 422,
  rate_limited: 429,
  quota_exceeded: 429,
  resend_cooldown: 429,
  daily_limit: 429,
  too_many_attempts: 429,
  invalid_config: 502,
  unauthenticated: 502,
  forbidden: 502,
  feature_disabled: 502,
  session_inactive: 502,
  not_found: 502,
  conflict: 502,
  idempotency_conflict: 502,
  template_not_found: 502,
  template_not_approved: 502,
  media_error: 502,
  invalid_signature: 502,
  invalid_payload: 502,
  network: 502,
  provider_error: 502,
  aborted: 503,
  timeout: 504,
};

/** The Nest reply the filter writes (Express's, here). */
interface Reply {
  status(code: number): Reply;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

/**
 * Answers Kabar errors with the status above instead of Nest's 500, with Retry-After on 429s.
 * A 4xx keeps the error's message, which may echo the caller's own input; a 5xx says only that
 * the gateway failed, since its message describes our setup. Other errors go to Nest as usual.
 */
@Catch()
export class KabarErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    // isInstance, not instanceof: the error may come from another installed copy of core.
    if (!KabarError.isInstance(exception)) {
      super.catch(exception, host);
      return;
    }
    const status = STATUS[exception.code];
    const reply = host.switchToHttp().getResponse<Reply>();
    if (status === 429 && exception.retryAfter !== undefined) {
      reply.setHeader('retry-after', String(Math.ceil(exception.retryAfter)));
    }
    reply.status(status).json({
      statusCode: status,
      error: exception.code,
      message:
        status < 500
          ? exception.message
          : 'the WhatsApp gateway could not take the message; try again later',
    });
  }
}
