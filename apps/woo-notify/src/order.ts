import { type CountryCode, type OutgoingMessage, tryNormalizePhone } from '@kabar/core';
import type { StatusRule, WooNotifyConfig } from './config.js';
import { cleanText, messageText, templateParam } from './text.js';

/** The fields of a WooCommerce REST v3 order this service reads, type-checked by `readOrder`. */
export interface WooOrder {
  id: number;
  number?: string;
  status: string;
  currency?: string;
  total?: string;
  billing?: { first_name?: string; last_name?: string; phone?: string; country?: string };
  shipping?: { first_name?: string; last_name?: string; phone?: string; country?: string };
  line_items?: { name?: string; quantity?: number }[];
  /** When the customer placed the order, UTC without a zone (`2026-11-21T03:15:30`). */
  date_created_gmt?: string;
  /** Custom fields, e.g. a checkout opt-in box (`{ key: '_wa_optin', value: 'yes' }`). */
  meta_data?: { key: string; value: unknown }[];
}

// Longest value each placeholder takes from an order: enough for any real name or product, short
// enough that a pasted essay cannot crowd out the message around it.
const MAX = { name: 60, product: 100, number: 32, status: 32, currency: 8, total: 32 } as const;
// Products listed one per line; past this many the list ends with how many more there are.
const MAX_PRODUCT_LINES = 20;

/**
 * Formats a WooCommerce decimal string the Indonesian way by hand (Intl puts a no-break space
 * after "Rp"): `"150000"` → `150.000`, `"1500.50"` → `1.500,50`.
 */
export function formatAmount(total: string | undefined): string {
  const text = (total ?? '0').trim();
  const match = /^(-?)(\d*)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const grouped = (whole.replace(/^0+(?=\d)/, '') || '0').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const cents = fraction.replace(/0+$/, '');
  return `${sign}${grouped}${cents ? `,${fraction.padEnd(2, '0')}` : ''}`;
}

/** `formatAmount` with the currency: `Rp 150.000`, `-Rp 25.000`. */
export function formatIdr(total: string | undefined): string {
  const amount = formatAmount(total);
  return amount.startsWith('-') ? `-Rp ${amount.slice(1)}` : `Rp ${amount}`;
}

/**
 * The order's total in its own currency: Rupiah by hand as `formatIdr` does, any other ISO code
 * through `Intl` in Indonesian style (`US$25,50`, `JP¥1.200`), its no-break spaces made plain. An
 * amount or a code `Intl` cannot read is written as `USD 25.50`.
 */
export function formatTotal(total: string, currency: string): string {
  if (currency === '' || currency === 'IDR') return formatIdr(total);
  const value = Number(total);
  if (!/^-?\d+(\.\d+)?$/.test(total.trim()) || !Number.isFinite(value)) {
    return `${currency} ${total}`;
  }
  try {
    const format = new Intl.NumberFormat('id-ID', { style: 'currency', currency });
    return format.format(value).replace(/\u00a0/g, ' ');
  } catch {
    // Not a currency Intl knows (a made-up code from a plugin): say it as the store sent it.
    return `${currency} ${total}`;
  }
}

/** The order's products, one `- Name xQty` line each, cleaned and capped. */
export function productList(order: WooOrder): string {
  const items = order.line_items ?? [];
  const lines = items
    .slice(0, MAX_PRODUCT_LINES)
    .map(
      (item) => `- ${cleanText(item.name ?? '', MAX.product) || 'Produk'} x${item.quantity ?? 1}`,
    );
  const more = items.length - MAX_PRODUCT_LINES;
  if (more > 0) lines.push(`- … dan ${more} produk lainnya`);
  return lines.join('\n');
}

/** The customer's name from billing, else shipping, else "Pelanggan"; one clean line. */
export function customerName(order: WooOrder): string {
  const from = (p?: { first_name?: string; last_name?: string }) =>
    cleanText([p?.first_name ?? '', p?.last_name ?? ''].join(' '), 2 * MAX.name);
  return from(order.billing) || from(order.shipping) || 'Pelanggan';
}

/** Placeholder name → its value for one order. */
export type Placeholders = Record<string, string>;

/** Every placeholder's value for `order`; values from the order are cleaned by `cleanText`. */
export function placeholders(order: WooOrder, config: WooNotifyConfig, phone = ''): Placeholders {
  const number = cleanText(order.number ?? '', MAX.number) || String(order.id);
  const currency = cleanText(order.currency ?? '', MAX.currency).toUpperCase();
  const total = cleanText(order.total ?? '0', MAX.total);
  return {
    name: customerName(order),
    first_name: cleanText(order.billing?.first_name ?? '', MAX.name) || customerName(order),
    store: config.storeName,
    number,
    id: String(order.id),
    status: cleanText(order.status, MAX.status),
    total: formatTotal(total, currency),
    amount: formatAmount(total),
    currency: currency || 'IDR',
    products: productList(order),
    phone,
  };
}

/** Replaces `{key}` with its value; unknown keys (also `{constructor}` and kin) stay as written. */
export function fill(text: string, values: Placeholders): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? (values[key] as string) : whole,
  );
}

/** The customer's number, from billing then shipping, normalised with the billing country. */
export function customerPhone(
  order: WooOrder,
  defaultCountry: string,
): { ok: true; phone: string } | { ok: false; raw: string } {
  const country = (
    order.billing?.country ||
    order.shipping?.country ||
    defaultCountry
  ).toUpperCase();
  const candidates = [order.billing?.phone, order.shipping?.phone].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  for (const raw of candidates) {
    const phone = tryNormalizePhone(raw, { defaultRegion: country as CountryCode });
    if (phone) return { ok: true, phone };
  }
  return { ok: false, raw: cleanText(candidates.join(' / '), 64) };
}

const OPTED_IN_VALUES = new Set(['yes', '1', 'true', 'on', 'ya']);

/**
 * The customer's marketing consent as the checkout recorded it in the order's `metaKey` field:
 * `yes`, `1`, `true` (or a boolean true) opt in, any other value opts out, no such field says
 * nothing. `at` is when the order was placed (`date_created_gmt`), undefined when unknown.
 */
export function checkoutConsent(
  order: WooOrder,
  metaKey: string,
): { status: 'opted_in' | 'opted_out'; at: number | undefined } | undefined {
  if (metaKey === '') return undefined;
  const entry = order.meta_data?.find((meta) => meta.key === metaKey);
  if (!entry) return undefined;
  const { value } = entry;
  const optedIn =
    value === true ||
    value === 1 ||
    (typeof value === 'string' && OPTED_IN_VALUES.has(value.trim().toLowerCase()));
  const gmt = order.date_created_gmt?.trim() ?? '';
  // WooCommerce writes the GMT time without a zone; one that carries a zone is read as it says.
  const created =
    gmt === '' ? Number.NaN : Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(gmt) ? gmt : `${gmt}Z`);
  return {
    status: optedIn ? 'opted_in' : 'opted_out',
    at: Number.isFinite(created) ? created : undefined,
  };
}

/** One message the outbox must deliver exactly once. `to` carries a `+` so no region is guessed. */
export interface Job {
  dedupeKey: string;
  orderId: number;
  orderNumber: string;
  status: string;
  recipient: string;
  role: 'customer' | 'admin';
  message: OutgoingMessage | null;
  /** Set for a job that is recorded as failed at once (an unusable phone number). */
  failure?: string;
  /** The id of the webhook request that queued it, carried into the delivery's log lines. */
  requestId?: string;
}

/** The outbox key of one message, also sent as its `Idempotency-Key`. */
export function dedupeKey(orderId: number, status: string, recipient: string): string {
  return `woo:${orderId}:${status}:${recipient}`;
}

/** What one order asks for. */
export type Plan = { kind: 'ignored'; reason: string } | { kind: 'jobs'; jobs: Job[] };

/** What one delivered order asks for: nothing, or the messages for its current status. */
export function planOrder(order: WooOrder, config: WooNotifyConfig): Plan {
  if (order.status === 'checkout-draft') return { kind: 'ignored', reason: 'checkout-draft' };
  // Own keys only: a status named `constructor` or `__proto__` must not find Object's members.
  if (!Object.hasOwn(config.statuses, order.status)) {
    return { kind: 'ignored', reason: 'unmapped_status' };
  }
  const rule = config.statuses[order.status] as StatusRule;
  const jobs: Job[] = [];
  const phone = customerPhone(order, config.defaultCountry);
  const values = placeholders(order, config, phone.ok ? phone.phone : '');
  const number = values.number as string;
  if (phone.ok) {
    const key = dedupeKey(order.id, order.status, phone.phone);
    const content: OutgoingMessage = rule.template
      ? {
          to: `+${phone.phone}`,
          template: {
            name: rule.template,
            language: rule.language ?? 'id',
            params: (rule.params ?? []).map((p) => templateParam(fill(p, values))),
          },
        }
      : { to: `+${phone.phone}`, text: messageText(fill(rule.text ?? '', values)) };
    jobs.push({
      dedupeKey: key,
      orderId: order.id,
      orderNumber: number,
      status: order.status,
      recipient: phone.phone,
      role: 'customer',
      // An order update is utility; a rule marked marketing is refused to opted-out customers.
      message: { ...content, category: rule.category ?? 'utility', idempotencyKey: key },
    });
  } else {
    jobs.push({
      dedupeKey: dedupeKey(order.id, order.status, 'customer-invalid-phone'),
      orderId: order.id,
      orderNumber: number,
      status: order.status,
      recipient: phone.raw,
      role: 'customer',
      message: null,
      failure: `invalid_phone: no usable customer number (billing/shipping phone ${JSON.stringify(phone.raw)}, country ${order.billing?.country || config.defaultCountry})`,
    });
  }
  const admin = config.admin.phone
    ? tryNormalizePhone(config.admin.phone, { defaultRegion: config.defaultCountry as CountryCode })
    : undefined;
  if (admin && config.admin.statuses.includes(order.status)) {
    const key = dedupeKey(order.id, order.status, admin);
    jobs.push({
      dedupeKey: key,
      orderId: order.id,
      orderNumber: number,
      status: order.status,
      recipient: admin,
      role: 'admin',
      message: {
        to: `+${admin}`,
        text: messageText(fill(config.admin.text, values)),
        category: 'utility',
        idempotencyKey: key,
      },
    });
  }
  return { kind: 'jobs', jobs };
}
