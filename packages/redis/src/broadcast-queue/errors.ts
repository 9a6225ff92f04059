import { KabarError, type KabarErrorOptions } from '@kabar/core';
import type { SkipReason } from './results.js';

/** An `invalid_config` error naming the option and what is wrong with it. */
export function invalid(option: string, problem: string): KabarError {
  return new KabarError('invalid_config', `broadcast queue: option "${option}" ${problem}`);
}

/**
 * What a send threw, as a `KabarError`. Anything else (a bug, a library's own error) may have
 * happened after the request left, so it counts as retryable and maybe accepted.
 */
export function asKabarError(error: unknown): KabarError {
  if (KabarError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new KabarError('provider_error', `broadcast queue: sending failed: ${reason}`, {
    cause: error,
    isRetryable: true,
    maybeAccepted: true,
  });
}

/** A send refused before the gateway took it, for a reason core's broadcast skips a row for. */
export function isPolicyRefusal(
  error: unknown,
): error is KabarError & { code: SkipReason; maybeAccepted: false } {
  return (
    KabarError.isInstance(error) &&
    (error.code === 'opted_out' || error.code === 'outside_window') &&
    !error.maybeAccepted
  );
}

/** A `KabarError` back from the JSON a record keeps it as (`error.toJSON()`). */
export function errorFromJson(json: Record<string, unknown>): KabarError {
  const options: KabarErrorOptions = {
    status: json.status as number | undefined,
    provider: json.provider as string | undefined,
    providerCode: json.providerCode as string | number | undefined,
    retryAfter: json.retryAfter as number | undefined,
    isRetryable: json.isRetryable === true,
    maybeAccepted: json.maybeAccepted === true,
    details: json.details,
  };
  return new KabarError(
    (json.code as KabarError['code'] | undefined) ?? 'provider_error',
    String(json.message ?? ''),
    options,
  );
}
