import { type CountryCode, type OutgoingMessage, tryNormalizePhone } from '@kabar/core';
import type { WooNotifyConfig } from './config.js';

/** The fields of a WooCommerce REST v3 order this service reads. */
export interface WooOrder {
  id: number;
  number?: string;
  status: string;
  currency?: string;
  total?: string;
  billing?: { first_name?: string; last_name?: string; phone?: string; country?: string };
  shipping?: { first_name?: string; last_name?: string; phone?: string; country?: string };
  line_items?: { name?: string; quantity?: number; total?: string }[];
}

export function isWooOrder(value: unknown): value is WooOrder {
  if (typeof value !== 'object' || value === null) return false;
  const order = value as Record<string, unknown>;
  return Number.isInteger(order.id) && typeof order.status === 'string';
}

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

export function formatIdr(total: string | undefined): string {
  const amount = formatAmount(total);
  return amount.startsWith('-') ? `-Rp ${amount.slice(1)}` : `Rp ${amount}`;
}

export function productList(order: WooOrder): string {
  return (order.line_items ?? [])
    .map((item) => `- ${item.name ?? 'Produk'} x${item.quantity ?? 1}`)
    .join('\n');
}

export function customerName(order: WooOrder): string {
  const from = (p?: { first_name?: string; last_name?: string }) =>
    [p?.first_name, p?.last_name]
      .filter((s) => s?.trim())
      .join(' ')
      .trim();
  return from(order.billing) || from(order.shipping) || 'Pelanggan';
}

export type Placeholders = Record<string, string>;

export function placeholders(order: WooOrder, config: WooNotifyConfig, phone = ''): Placeholders {
  return {
    name: customerName(order),
    first_name: order.billing?.first_name?.trim() || customerName(order),
    store: config.storeName,
    number: order.number ?? String(order.id),
    id: String(order.id),
    status: order.status,
    total:
      order.currency && order.currency !== 'IDR'
        ? `${order.currency} ${order.total}`
        : formatIdr(order.total),
    amount: formatAmount(order.total),
    products: productList(order),
    phone,
  };
}

export function fill(text: string, values: Placeholders): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
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
  return { ok: false, raw: candidates.join(' / ') };
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
}

export function dedupeKey(orderId: number, status: string, recipient: string): string {
  return `woo:${orderId}:${status}:${recipient}`;
}

export type Plan = { kind: 'ignored'; reason: string } | { kind: 'jobs'; jobs: Job[] };

/** What one delivered order asks for: nothing, or the messages for its current status. */
export function planOrder(order: WooOrder, config: WooNotifyConfig): Plan {
  if (order.status === 'checkout-draft') return { kind: 'ignored', reason: 'checkout-draft' };
  const rule = config.statuses[order.status];
  if (!rule) return { kind: 'ignored', reason: 'unmapped_status' };
  const number = order.number ?? String(order.id);
  const jobs: Job[] = [];
  const phone = customerPhone(order, config.defaultCountry);
  const values = placeholders(order, config, phone.ok ? phone.phone : '');
  if (phone.ok) {
    const key = dedupeKey(order.id, order.status, phone.phone);
    const content: OutgoingMessage = rule.template
      ? {
          to: `+${phone.phone}`,
          template: {
            name: rule.template,
            language: rule.language ?? 'id',
            params: (rule.params ?? []).map((p) => fill(p, values)),
          },
        }
      : { to: `+${phone.phone}`, text: fill(rule.text ?? '', values) };
    jobs.push({
      dedupeKey: key,
      orderId: order.id,
      orderNumber: number,
      status: order.status,
      recipient: phone.phone,
      role: 'customer',
      message: { ...content, idempotencyKey: key },
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
      message: { to: `+${admin}`, text: fill(config.admin.text, values), idempotencyKey: key },
    });
  }
  return { kind: 'jobs', jobs };
}
