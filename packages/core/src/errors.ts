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
  | 'opted_out'
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

/** The facts a {@link KabarError} carries besides its code and message; all optional. */
export interface KabarErrorOptions {
  /** The HTTP status the gateway answered with. */
  status?: number;
  /** The provider's name, e.g. `kirem`. */
  provider?: string;
  /** The gateway's own error code, e.g. Meta's `132000`. */
  providerCode?: string | number;
  /** Seconds the gateway asked us to wait before trying again. */
  retryAfter?: number;
  /** Whether trying again could succeed (a timeout, a 429, a 5xx). Default `false`. */
  isRetryable?: boolean;
  /**
   * True when the gateway may have accepted the request even though we saw a failure
   * (a timeout after the request was sent, a 5xx, a connection reset). Retrying such a send
   * can deliver the message twice unless the gateway deduplicates. Default `false`.
   */
  maybeAccepted?: boolean;
  /** The `Idempotency-Key` a failed send went out with; see `KabarError.idempotencyKey`. */
  idempotencyKey?: string;
  /** The gateway's extra facts, e.g. Qirim's `attempts_remaining`. */
  details?: unknown;
  /** The underlying error, kept as the standard `Error.cause`. */
  cause?: unknown;
}

const errorMarker = Symbol.for('kabar.error');

/**
 * The one error type Kabar throws. Recognised across duplicate installs through
 * `KabarError.isInstance`, which checks a global symbol rather than the prototype chain.
 */
export class KabarError extends Error {
  /** What went wrong, as a stable code to branch on. */
  readonly code: ErrorCode;
  /** The gateway's HTTP status; `undefined` when no response came back or none was sent. */
  readonly status: number | undefined;
  /** The provider that failed, e.g. `kirem`. */
  readonly provider: string | undefined;
  /** The gateway's own error code, e.g. Meta's `132000`. */
  readonly providerCode: string | number | undefined;
  /** Seconds the gateway asked to wait before trying again (from `Retry-After` or its body). */
  readonly retryAfter: number | undefined;
  /**
   * Whether trying again later could succeed. The client has already retried as far as its policy
   * allows by the time you see the error.
   */
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
  /** The gateway's extra facts (Qirim's `attempts_remaining`, Kirimy's `error_code`, ...). */
  readonly details: unknown;

  /** `code` is for code to branch on; `message` is for people and may change. */
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

  /**
   * True when `value` is a `KabarError` (or a subclass), even one from another copy of Kabar.
   * Use it instead of `instanceof`.
   */
  static isInstance(value: unknown): value is KabarError {
    return typeof value === 'object' && value !== null && errorMarker in value;
  }

  /**
   * The error's fields as a plain object, for `JSON.stringify` and structured logs. The stack,
   * `cause` and the subclasses' own fields (`field`, `input`, `feature`) are left out.
   */
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

/**
 * A message or argument breaks a rule we can check before any network call (code `validation`).
 * A gateway that rejects a request as invalid also gives code `validation`, but as a plain
 * `KabarError`; branch on `error.code` to catch both.
 */
export class ValidationError extends KabarError {
  /** Path of the offending field, e.g. `interactive.buttons[3].title`. */
  readonly field: string;

  constructor(field: string, problem: string, options: KabarErrorOptions = {}) {
    super('validation', `${field}: ${problem}`, options);
    this.name = 'ValidationError';
    this.field = field;
  }

  /** True when `value` is a `ValidationError`, even one from another copy of Kabar. */
  static override isInstance(value: unknown): value is ValidationError {
    return KabarError.isInstance(value) && value.name === 'ValidationError';
  }
}

/**
 * A phone number that cannot be normalised (code `invalid_phone`). The message and `details`
 * echo the input, which helps the caller; mask it before logging (`maskPhonesIn`).
 */
export class InvalidPhoneError extends KabarError {
  /** The value given as a phone number, unchanged. */
  readonly input: unknown;

  constructor(input: unknown, reason: string) {
    super('invalid_phone', `Invalid phone number ${JSON.stringify(input)}: ${reason}`, {
      details: { input },
    });
    this.name = 'InvalidPhoneError';
    this.input = input;
  }

  /** True when `value` is an `InvalidPhoneError`, even one from another copy of Kabar. */
  static override isInstance(value: unknown): value is InvalidPhoneError {
    return KabarError.isInstance(value) && value.name === 'InvalidPhoneError';
  }
}

/**
 * The provider cannot do what was asked (code `unsupported_feature`). Thrown before any request,
 * so nothing was sent; `WhatsAppClient.supports` answers the question ahead of time.
 */
export class UnsupportedFeatureError extends KabarError {
  /** What is missing: usually a `Feature` such as `templates.list`, sometimes a narrower case. */
  readonly feature: string;

  constructor(provider: string, feature: string) {
    super('unsupported_feature', `The ${provider} provider does not support ${feature}`, {
      provider,
    });
    this.name = 'UnsupportedFeatureError';
    this.feature = feature;
  }

  /** True when `value` is an `UnsupportedFeatureError`, even one from another copy of Kabar. */
  static override isInstance(value: unknown): value is UnsupportedFeatureError {
    return KabarError.isInstance(value) && value.name === 'UnsupportedFeatureError';
  }
}

/** The `invalid_config` error for a bad option, naming the option but never its value. */
export function invalidConfig(provider: string, option: string, problem: string): KabarError {
  return new KabarError('invalid_config', `${provider}: option "${option}" ${problem}`, {
    provider,
  });
}
