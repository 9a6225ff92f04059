import { KabarError } from '@kabar/core';

/**
 * A problem with how the broadcast was set up (a missing flag or environment variable, a range
 * that cannot be parsed, a sheet without a status column, a template on a gateway that has none).
 * A `KabarError` with code `invalid_config`, like every setup error Kabar throws, so one
 * `KabarError.isInstance(error)` catches it too. Nothing was sent when one of these is thrown; the
 * CLI exits with code 2.
 */
export class SheetsConfigError extends KabarError {
  constructor(message: string) {
    super('invalid_config', message);
    this.name = 'SheetsConfigError';
  }

  /** True when `value` is a `SheetsConfigError`, even one from another copy of this package. */
  static override isInstance(value: unknown): value is SheetsConfigError {
    return KabarError.isInstance(value) && value.name === 'SheetsConfigError';
  }
}

/** The HTTP status of a googleapis (gaxios) error, when it has one. */
export function googleStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const value of [candidate.status, candidate.response?.status, candidate.code]) {
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
    if (typeof value === 'string' && /^\d{3}$/.test(value)) return Number(value);
  }
  return undefined;
}

/** The message of anything thrown, without stack or request details. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
