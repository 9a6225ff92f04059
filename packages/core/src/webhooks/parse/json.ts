import { KabarError } from '../../errors.js';
import type { WebhookError } from '../events.js';

/** A JSON object as parsed. */
export type Json = Record<string, unknown>;

/** Thrown inside one item's parsing; caught per item and turned into an `unknown` event. */
export class ItemError extends Error {}

/** The 400 error for a body that is no webhook at all. */
export function notAWebhook(reason: string, provider?: string): KabarError {
  return new KabarError('invalid_payload', `webhook payload: ${reason}`, { provider, status: 400 });
}

/** Whether a value is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or an item error naming `path`. */
export function record(value: unknown, path: string): Json {
  if (!isRecord(value)) throw new ItemError(`${path} must be an object`);
  return value;
}

/** The value as a non-empty string (numbers accepted), or an item error naming `path`. */
export function string(value: unknown, path: string): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ItemError(`${path} must be a non-empty string`);
}

/** The value as a non-empty string (numbers accepted), else undefined. */
export function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The value as a finite number (numeric strings accepted), else undefined. */
export function optionalNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** The value as a finite number, or an item error naming `path`. */
export function number(value: unknown, path: string): number {
  const result = optionalNumber(value);
  if (result === undefined) throw new ItemError(`${path} must be a number`);
  return result;
}

/** The value if it is an array, else an empty one: absent lists are common. */
export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The objects in an array, skipping anything else. */
export function records(value: unknown): Json[] {
  return array(value).filter(isRecord);
}

/** Unix seconds (as number or string) to a Date; anything else to undefined. */
export function unixTime(value: unknown): Date | undefined {
  const seconds = optionalNumber(value);
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}

/** Meta's `errors` array, typed. */
export function errorsOf(value: unknown): WebhookError[] {
  return records(value).map((error) => ({
    code: typeof error.code === 'number' || typeof error.code === 'string' ? error.code : undefined,
    title: optionalString(error.title),
    message: optionalString(error.message),
    details: isRecord(error.error_data) ? optionalString(error.error_data.details) : undefined,
    href: optionalString(error.href),
  }));
}

/** `errors` when there are some, else undefined (for the fields that are optional). */
export function someErrors(value: unknown): WebhookError[] | undefined {
  const errors = errorsOf(value);
  return errors.length > 0 ? errors : undefined;
}
