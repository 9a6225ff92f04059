import type { WooOrder } from './order.js';

/** A delivery's body read as an order, or why it can never be one (answered with a 400). */
export type OrderInput = { ok: true; order: WooOrder } | { ok: false; problem: string };

type Json = Record<string, unknown>;

class NotAnOrder extends Error {}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function fail(field: string, expected: string, value: unknown): never {
  throw new NotAnOrder(`${field}: expected ${expected}, got ${kind(value)}`);
}

// WooCommerce leaves fields out, or sends null, for data an order does not have (no shipping
// address, a guest without a name): both mean "absent" and the order is still notified.
function optionalString(from: Json, key: string, at: string): string | undefined {
  const value = from[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : fail(`${at}${key}`, 'a string', value);
}

function optionalObject(from: Json, key: string): Json | undefined {
  const value = from[key];
  if (value === undefined || value === null) return undefined;
  return isObject(value) ? value : fail(key, 'an object', value);
}

function address(from: Json, key: 'billing' | 'shipping'): WooOrder['billing'] {
  const value = optionalObject(from, key);
  if (!value) return undefined;
  const at = `${key}.`;
  return {
    first_name: optionalString(value, 'first_name', at),
    last_name: optionalString(value, 'last_name', at),
    phone: optionalString(value, 'phone', at),
    country: optionalString(value, 'country', at),
  };
}

function lineItems(from: Json): WooOrder['line_items'] {
  const value = from.line_items;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail('line_items', 'an array', value);
  return value.map((item: unknown, i) => {
    const at = `line_items[${i}]`;
    if (!isObject(item)) fail(at, 'an object', item);
    const quantity = item.quantity;
    if (quantity !== undefined && quantity !== null) {
      if (typeof quantity !== 'number' || !Number.isFinite(quantity)) {
        fail(`${at}.quantity`, 'a number', quantity);
      }
    }
    return {
      name: optionalString(item, 'name', `${at}.`),
      quantity: typeof quantity === 'number' ? quantity : undefined,
    };
  });
}

/** The order's custom fields (a checkout opt-in box among them); values are left as they came. */
function metaData(from: Json): WooOrder['meta_data'] {
  const value = from.meta_data;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail('meta_data', 'an array', value);
  return value.map((entry: unknown, i) => {
    const at = `meta_data[${i}]`;
    if (!isObject(entry)) fail(at, 'an object', entry);
    if (typeof entry.key !== 'string') fail(`${at}.key`, 'a string', entry.key);
    return { key: entry.key, value: entry.value };
  });
}

/**
 * Checks the type of every field this service reads from a WooCommerce REST v3 order and keeps only
 * those. Missing optional fields are fine; a field of the wrong type means the sender is not the
 * WooCommerce order webhook, and no retry will change that.
 */
export function readOrder(body: unknown): OrderInput {
  if (!isObject(body)) return { ok: false, problem: `expected an order object, got ${kind(body)}` };
  try {
    if (!Number.isSafeInteger(body.id) || (body.id as number) < 1) {
      fail('id', 'a positive integer', body.id);
    }
    if (typeof body.status !== 'string' || body.status === '') {
      fail('status', 'a non-empty string', body.status);
    }
    return {
      ok: true,
      order: {
        id: body.id as number,
        number: optionalString(body, 'number', ''),
        status: body.status,
        currency: optionalString(body, 'currency', ''),
        total: optionalString(body, 'total', ''),
        date_created_gmt: optionalString(body, 'date_created_gmt', ''),
        billing: address(body, 'billing'),
        shipping: address(body, 'shipping'),
        line_items: lineItems(body),
        meta_data: metaData(body),
      },
    };
  } catch (error) {
    if (error instanceof NotAnOrder) return { ok: false, problem: error.message };
    throw error;
  }
}
