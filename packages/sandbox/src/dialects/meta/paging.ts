import type { FieldErrors } from '../../cloud-api/message-validation.js';
import type { GatewayRequest } from '../../gateway.js';

/** One page of a Graph list with its `paging`, or the query errors that refused it. */
export type GraphPage<T> =
  | { ok: true; data: T[]; paging: Record<string, unknown> }
  | { ok: false; errors: FieldErrors };

const cursorFor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

function offsetOf(cursor: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * The page of `all` that the query's `limit` (from 1 to 1000, `defaultLimit` when absent) and
 * `after` cursor ask for, with Graph's `paging`: both cursors, and `next` only when more follow.
 */
export function graphPage<T>(
  req: GatewayRequest,
  all: readonly T[],
  defaultLimit: number,
): GraphPage<T> {
  const errors: FieldErrors = {};
  const limitText = req.query.get('limit') ?? String(defaultLimit);
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000) {
    errors.limit = 'must be a whole number from 1 to 1000';
  }
  const after = req.query.get('after');
  const start = after === null ? 0 : offsetOf(after);
  if (start === undefined) errors.after = 'must be a cursor from this list';
  if (Object.keys(errors).length > 0 || start === undefined) return { ok: false, errors };
  const data = all.slice(start, start + limit);
  const end = start + data.length;
  const paging: Record<string, unknown> = {
    cursors: { before: cursorFor(start), after: cursorFor(end) },
  };
  if (end < all.length) {
    paging.next = `${req.origin}/meta${req.path}?limit=${limit}&after=${cursorFor(end)}`;
  }
  return { ok: true, data, paging };
}
