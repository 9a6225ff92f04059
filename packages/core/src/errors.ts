/**
 * Stable, snake_case error codes. Callers branch on these, never on message text.
 */
export type ErrorCode =
  | 'validation'
  | 'invalid_config'
  | 'invalid_phone'
  | 'unsupported_feature'
  | 'unauthenticated'
  | 'forbidden'
  | 'feature_disabled'
  | 'not_found'
  | 'conflict'
  | 'idempotency_conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'session_inactive'
  | 'outside_window'
  | 'undeliverable'
  | 'template_not_found'
  | 'template_not_approved'
  | 'template_params_mismatch'
  | 'media_error'
  | 'resend_cooldown'
  | 'daily_limit'
  | 'otp_expired'
  | 'otp_incorrect'
  | 'too_many_attempts'
  | 'invalid_signature'
  | 'invalid_payload'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'provider_error';

export interface KabarErrorOptions {
  status?: number;
  provider?: string;
  providerCode?: string | number;
  /** Seconds the gateway asked us to wait before trying again. */
  retryAfter?: number;
  isRetryable?: boolean;
  /**
   * True when the gateway may have accepted the request even though we saw a failure
   * (a timeout after the request was sent, a 5xx, a connection reset). Retrying such a send
   * can deliver the message twice unless the gateway deduplicates.
   */
  maybeAccepted?: boolean;
  /** The `Idempotency-Key` a failed send went out with; see `KabarError.idempotencyKey`. */
  idempotencyKey?: string;
  details?: unknown;
  cause?: unknown;
}

const errorMarker = Symbol.for('kabar.error');

/**
 * The one error type Kabar throws. Recognised across duplicate installs through
 * `KabarError.isInstance`, which checks a global symbol rather than the prototype chain.
 */
export class KabarError extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly providerCode: string | number | undefined;
  readonly retryAfter: number | undefined;
  readonly isRetryable: boolean;
  /**
   * True when any attempt of the call may have reached the gateway, not only the last one: a send
   * whose first attempt timed out and whose retry got a 429 may still have been delivered.
   */
  readonly maybeAccepted: boolean;
  /**
   * For a failed send, the idempotency key the client sent (generated when the message had none).
   * Resending with `idempotencyKey` set to it cannot deliver twice on a gateway that deduplicates.
   */
  readonly idempotencyKey: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: KabarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KabarError';
    this.code = code;
    this.status = options.status;
    this.provider = options.provider;
    this.providerCode = options.providerCode;
    this.retryAfter = options.retryAfter;
    this.isRetryable = options.isRetryable ?? false;
    this.maybeAccepted = options.maybeAccepted ?? false;
    this.idempotencyKey = options.idempotencyKey;
    this.details = options.details;
    Object.defineProperty(this, errorMarker, { value: true });
  }

  static isInstance(value: unknown): value is KabarError {
    return typeof value === 'object' && value !== null && errorMarker in value;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      provider: this.provider,
      providerCode: this.providerCode,
      retryAfter: this.retryAfter,
      isRetryable: this.isRetryable,
      maybeAccepted: this.maybeAccepted,
      idempotencyKey: this.idempotencyKey,
      details: this.details,
    };
  }
}

/**
 * Records on the error that ends a send what the whole call knows, not only its last attempt.
 * The client does this once, just before the error reaches the caller.
 */
export function settleSendError(
  error: KabarError,
  earlierAttemptMaybeAccepted: boolean,
  idempotencyKey: string,
): KabarError {
  const settled = error as { -readonly [K in 'maybeAccepted' | 'idempotencyKey']: KabarError[K] };
  if (earlierAttemptMaybeAccepted) settled.maybeAccepted = true;
  settled.idempotencyKey = idempotencyKey;
  return error;
}

/** A message or argument breaks a rule we can check before any network call. */
export class ValidationError extends KabarError {
  /** Path of the offending field, e.g. `interactive.buttons[3].title`. */
  readonly field: string;

  constructor(field: string, problem: string, options: KabarErrorOptions = {}) {
    super('validation', `${field}: ${problem}`, options);
    this.name = 'ValidationError';
    this.field = field;
  }

  static override isInstance(value: unknown): value is ValidationError {
    return KabarError.isInstance(value) && value.name === 'ValidationError';
  }
}

export class InvalidPhoneError extends KabarError {
  readonly input: unknown;

  constructor(input: unknown, reason: string) {
    super('invalid_phone', `Invalid phone number ${JSON.stringify(input)}: ${reason}`, {
      details: { input },
    });
    this.name = 'InvalidPhoneError';
    this.input = input;
  }

  static override isInstance(value: unknown): value is InvalidPhoneError {
    return KabarError.isInstance(value) && value.name === 'InvalidPhoneError';
  }
}

export class UnsupportedFeatureError extends KabarError {
  readonly feature: string;

  constructor(provider: string, feature: string) {
    super('unsupported_feature', `The ${provider} provider does not support ${feature}`, {
      provider,
    });
    this.name = 'UnsupportedFeatureError';
    this.feature = feature;
  }

  static override isInstance(value: unknown): value is UnsupportedFeatureError {
    return KabarError.isInstance(value) && value.name === 'UnsupportedFeatureError';
  }
}

export function invalidConfig(provider: string, option: string, problem: string): KabarError {
  return new KabarError('invalid_config', `${provider}: option "${option}" ${problem}`, {
    provider,
  });
}
