import { ValidationError } from './errors.js';

/** Field checks shared by the message validators; each throws `ValidationError` naming the field. */

/** Length in characters as a person counts them, so an emoji counts once. */
function charLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** A non-empty string of at most `max` characters. */
export function requireString(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(field, 'is required and must be a non-empty string');
  }
  if (max !== undefined && charLength(value) > max) {
    throw new ValidationError(
      field,
      `must be at most ${max} characters (got ${charLength(value)})`,
    );
  }
  return value;
}

/** Absent, or a non-empty string of at most `max` characters. */
export function optionalString(value: unknown, field: string, max: number): void {
  if (value === undefined) return;
  requireString(value, field, max);
}

/** An http(s) URL. */
export function requireHttpUrl(value: unknown, field: string): void {
  const url = requireString(value, field);
  if (!/^https?:\/\/\S+$/i.test(url)) throw new ValidationError(field, 'must be an http(s) URL');
}

/** An object (not an array or null). */
export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

/** A non-empty array of at most `max` items. */
export function requireArray(value: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < min) {
    throw new ValidationError(field, `needs at least ${min} item${min === 1 ? '' : 's'}`);
  }
  if (value.length > max) {
    throw new ValidationError(field, `at most ${max} items (got ${value.length})`);
  }
  return value;
}

/** Exactly one of `link` (an http(s) URL) or `id`. */
export function checkMediaSource(value: unknown, field: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(field, 'must be an object with `link` or `id`');
  }
  const { link, id } = value as { link?: unknown; id?: unknown };
  if ((link === undefined) === (id === undefined)) {
    throw new ValidationError(field, 'needs exactly one of `link` or `id`');
  }
  if (link !== undefined) requireHttpUrl(link, `${field}.link`);
  else requireString(id, `${field}.id`);
}

/** Ids that must be unique within one message, such as reply-button ids. */
export function checkUniqueIds(ids: string[], field: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new ValidationError(`${field}[${i}].id`, `duplicate id "${id}"`);
    seen.add(id);
  });
}

/**
 * The `default` of a switch over a union's `type`: `variant` is `never` there, so adding a member
 * to the union fails to compile until the switch handles it; untyped callers get `validation`.
 */
export function unknownVariant(field: string, variant: never, allowed: readonly string[]): never {
  const got = (variant as { type?: unknown } | null)?.type;
  throw new ValidationError(
    field,
    `must be one of ${allowed.join(', ')} (got ${JSON.stringify(got) ?? String(got)})`,
  );
}
