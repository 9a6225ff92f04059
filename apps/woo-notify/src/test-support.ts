import { rmSync } from 'node:fs';
import type { RunningSandbox } from '@kabar/sandbox';
import { signWoo } from './app.js';
import { type LoadOptions, loadConfig, tempDbPath, type WooNotifyConfig } from './config.js';
import { createLogger, type Level } from './log.js';
import { type PolicyStores, type RunningService, startService } from './service.js';

export const SECRET = 'rahasia&amp;toko"kabar';
export const ADMIN_TOKEN = 'admin-token-for-tests';
export const ADMIN_PHONE = '6281299990000';

/** A WooCommerce REST v3 order, as `GET /wp-json/wc/v3/orders/{id}` returns it (trimmed of links). */
export function wooOrder(overrides: Record<string, unknown> = {}) {
  const id = (overrides.id as number | undefined) ?? 727;
  return {
    id,
    parent_id: 0,
    number: String(id),
    order_key: `wc_order_${id}abcXYZ`,
    created_via: 'checkout',
    version: '9.4.2',
    status: 'processing',
    currency: 'IDR',
    date_created: '2026-11-21T10:15:30',
    date_created_gmt: '2026-11-21T03:15:30',
    date_modified: '2026-11-21T10:16:02',
    date_modified_gmt: '2026-11-21T03:16:02',
    discount_total: '0',
    discount_tax: '0',
    shipping_total: '20000',
    shipping_tax: '0',
    cart_tax: '0',
    total: '150000',
    total_tax: '0',
    prices_include_tax: false,
    customer_id: 12,
    customer_ip_address: '103.10.20.30',
    customer_user_agent: 'Mozilla/5.0',
    customer_note: '',
    billing: {
      first_name: 'Budi',
      last_name: 'Santoso',
      company: '',
      address_1: 'Jl. Merdeka No. 10',
      address_2: '',
      city: 'Bandung',
      state: 'JB',
      postcode: '40111',
      country: 'ID',
      email: 'budi@example.co.id',
      phone: '0812-3456-7890',
    },
    shipping: {
      first_name: 'Budi',
      last_name: 'Santoso',
      company: '',
      address_1: 'Jl. Merdeka No. 10',
      address_2: '',
      city: 'Bandung',
      state: 'JB',
      postcode: '40111',
      country: 'ID',
      phone: '',
    },
    payment_method: 'bacs',
    payment_method_title: 'Transfer Bank',
    transaction_id: '',
    date_paid: '2026-11-21T10:16:02',
    date_paid_gmt: '2026-11-21T03:16:02',
    date_completed: null,
    date_completed_gmt: null,
    cart_hash: 'a1b2c3d4e5',
    meta_data: [],
    line_items: [
      {
        id: 315,
        name: 'Kopi Gayo 250g',
        product_id: 93,
        variation_id: 0,
        quantity: 2,
        tax_class: '',
        subtotal: '90000',
        subtotal_tax: '0',
        total: '90000',
        total_tax: '0',
        taxes: [],
        meta_data: [],
        sku: 'KOPI-GAYO-250',
        price: 45000,
        parent_name: null,
      },
      {
        id: 316,
        name: 'Gula Aren 500g',
        product_id: 94,
        variation_id: 0,
        quantity: 1,
        tax_class: '',
        subtotal: '40000',
        subtotal_tax: '0',
        total: '40000',
        total_tax: '0',
        taxes: [],
        meta_data: [],
        sku: 'GULA-AREN-500',
        price: 40000,
        parent_name: null,
      },
    ],
    tax_lines: [],
    shipping_lines: [
      { id: 317, method_title: 'JNE REG', method_id: 'flat_rate', total: '20000', total_tax: '0' },
    ],
    fee_lines: [],
    coupon_lines: [],
    refunds: [],
    currency_symbol: 'Rp',
    ...overrides,
  };
}

/** Posts an order as WooCommerce delivers it: raw JSON body, X-WC headers, signature. */
export async function deliver(
  url: string,
  order: unknown,
  {
    topic = 'order.created',
    secret = SECRET,
    signature,
  }: { topic?: string; secret?: string; signature?: string } = {},
) {
  const body = JSON.stringify(order);
  const [resource, event] = topic.split('.');
  return fetch(`${url}/webhooks/woocommerce`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
      'x-wc-webhook-source': 'https://toko.example.co.id/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': resource ?? 'order',
      'x-wc-webhook-event': event ?? 'created',
      'x-wc-webhook-signature': signature ?? signWoo(body, secret),
      'x-wc-webhook-id': '7',
      'x-wc-webhook-delivery-id': Math.random().toString(16).slice(2),
    },
    body,
  });
}

export const NOTIF_PESANAN_BARU = {
  name: 'notif_pesanan_baru',
  category: 'UTILITY' as const,
  language: 'id',
  components: [
    {
      type: 'BODY' as const,
      text: 'Halo {{1}}, terima kasih telah berbelanja di {{2}}!\n\nPesanan #{{3}} telah kami terima.\nTotal: Rp {{4}}\n\nKami akan segera memproses pesanan Anda.',
    },
  ],
};

/** The sandbox has no `notif_pesanan_baru`: create it through Kirem's API and approve it. */
export async function approveTemplate(sandbox: RunningSandbox): Promise<void> {
  const response = await fetch(`${sandbox.kirem.baseUrl}/v1/templates`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sandbox.kirem.apiKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(NOTIF_PESANAN_BARU),
  });
  if (!response.ok && response.status !== 409) {
    throw new Error(`creating the template failed: ${response.status} ${await response.text()}`);
  }
  await sandbox.setTemplateStatus('kirem', 'notif_pesanan_baru', 'APPROVED');
}

export interface LogLine {
  level: Level;
  event: string;
  [key: string]: unknown;
}

export function testConfig(
  sandbox: RunningSandbox,
  overrides: Record<string, unknown> = {},
  options: LoadOptions = {},
): WooNotifyConfig {
  return loadConfig({
    env: {},
    ...options,
    overrides: deepMerge(
      {
        port: 0,
        webhookSecret: SECRET,
        adminToken: ADMIN_TOKEN,
        dbPath: tempDbPath(),
        logLevel: 'debug',
        gateway: {
          apiKey: sandbox.kirem.apiKey,
          baseUrl: sandbox.kirem.baseUrl,
          ratePerSecond: 1000,
          timeoutMs: 10_000,
        },
        worker: { backoffBaseMs: 50, backoffMaxMs: 400, pollIntervalMs: 50 },
        // The sandbox logs a send as it accepts it: no need to wait a minute for its log.
        reconcile: { intervalMs: 100, settleMs: 300 },
        admin: { phone: ADMIN_PHONE },
      },
      overrides,
    ),
  });
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      typeof value === 'object' &&
      value &&
      !Array.isArray(value) &&
      typeof current === 'object' &&
      current
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export async function startAgainst(
  sandbox: RunningSandbox,
  overrides: Record<string, unknown> = {},
  stores: Partial<PolicyStores> = {},
): Promise<RunningService & { logs: LogLine[]; config: WooNotifyConfig }> {
  const config = testConfig(sandbox, overrides);
  const logs: LogLine[] = [];
  const log = createLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine));
  const service = await startService(config, { log, checkTemplatesOnStart: false, ...stores });
  const close = service.close;
  return Object.assign(service, {
    logs,
    config,
    async close() {
      await close();
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(`${config.dbPath}${suffix}`, { force: true });
    },
  });
}
