#!/usr/bin/env node
// Posts a signed sample WooCommerce order to a running woo-notify, as WooCommerce would, so you
// can watch the WhatsApp message arrive in the sandbox inbox (http://127.0.0.1:4010).
//
//   node scripts/post-sample-order.mjs [--url http://127.0.0.1:4050] [--secret <webhook secret>]
//        [--status processing] [--phone 0812-3456-7890] [--id <order id>]
//        [--sandbox http://127.0.0.1:4010] [--no-setup-template]
//
// Against the sandbox it first makes sure the `notif_pesanan_baru` template exists and is
// approved (the sandbox does not seed it): created through Kirem's API, approved through the
// sandbox control API. Defaults match woo-notify's embedded configuration.
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.WOO_NOTIFY_URL ?? 'http://127.0.0.1:4050' },
    secret: {
      type: 'string',
      default: process.env.WOO_NOTIFY_WEBHOOK_SECRET ?? 'woo_dev_webhook_secret',
    },
    status: { type: 'string', default: 'processing' },
    phone: { type: 'string', default: '0812-3456-7890' },
    id: { type: 'string', default: String(Math.floor(Date.now() / 1000) % 1_000_000) },
    sandbox: { type: 'string', default: 'http://127.0.0.1:4010' },
    'kirem-key': { type: 'string', default: 'kirem_test_key' },
    'no-setup-template': { type: 'boolean', default: false },
  },
});

const TEMPLATE = {
  name: 'notif_pesanan_baru',
  category: 'UTILITY',
  language: 'id',
  components: [
    {
      type: 'BODY',
      text: 'Halo {{1}}, terima kasih telah berbelanja di {{2}}!\n\nPesanan #{{3}} telah kami terima.\nTotal: Rp {{4}}\n\nKami akan segera memproses pesanan Anda.',
    },
  ],
};

async function setupTemplate() {
  const kirem = `${values.sandbox}/kirem/v1/templates`;
  const auth = { authorization: `Bearer ${values['kirem-key']}` };
  const list = await fetch(kirem, { headers: auth }).then((r) => r.json());
  const found = (list.data ?? []).find((t) => t.name === TEMPLATE.name && t.language === 'id');
  if (found?.status === 'APPROVED') return;
  if (!found) {
    const created = await fetch(kirem, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(TEMPLATE),
    });
    if (!created.ok) throw new Error(`creating the template failed: ${created.status}`);
    console.log(`created template ${TEMPLATE.name} in the sandbox`);
  }
  const approved = await fetch(`${values.sandbox}/api/v1/templates/kirem/${TEMPLATE.name}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'APPROVED' }),
  });
  if (!approved.ok) throw new Error(`approving the template failed: ${approved.status}`);
  console.log(`approved template ${TEMPLATE.name} in the sandbox`);
}

const id = Number(values.id);
const order = {
  id,
  parent_id: 0,
  number: String(id),
  status: values.status,
  currency: 'IDR',
  currency_symbol: 'Rp',
  date_created: new Date().toISOString().slice(0, 19),
  date_created_gmt: new Date().toISOString().slice(0, 19),
  discount_total: '0',
  shipping_total: '20000',
  total: '150000',
  total_tax: '0',
  customer_id: 12,
  billing: {
    first_name: 'Budi',
    last_name: 'Santoso',
    address_1: 'Jl. Merdeka No. 10',
    city: 'Bandung',
    state: 'JB',
    postcode: '40111',
    country: 'ID',
    email: 'budi@example.co.id',
    phone: values.phone,
  },
  shipping: {
    first_name: 'Budi',
    last_name: 'Santoso',
    address_1: 'Jl. Merdeka No. 10',
    city: 'Bandung',
    country: 'ID',
    phone: '',
  },
  payment_method: 'bacs',
  payment_method_title: 'Transfer Bank',
  line_items: [
    {
      id: 1,
      name: 'Kopi Gayo 250g',
      product_id: 93,
      quantity: 2,
      subtotal: '90000',
      total: '90000',
      price: 45000,
    },
    {
      id: 2,
      name: 'Gula Aren 500g',
      product_id: 94,
      quantity: 1,
      subtotal: '40000',
      total: '40000',
      price: 40000,
    },
  ],
};

try {
  if (!values['no-setup-template']) {
    await setupTemplate().catch((error) =>
      console.warn(
        `(template setup skipped: ${error.message}; is the sandbox at ${values.sandbox}?)`,
      ),
    );
  }
  const body = JSON.stringify(order);
  const secret = values.secret
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, '&');
  const response = await fetch(`${values.url}/webhooks/woocommerce`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': 'https://toko.example.co.id/',
      'x-wc-webhook-topic': 'order.created',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'created',
      'x-wc-webhook-id': '1',
      'x-wc-webhook-signature': createHmac('sha256', secret).update(body).digest('base64'),
    },
    body,
  });
  console.log(`order #${id} (${values.status}) → ${response.status} ${await response.text()}`);
  if (response.ok) console.log(`now open ${values.sandbox} to see the message in the inbox`);
  process.exitCode = response.ok ? 0 : 1;
} catch (error) {
  console.error(
    `could not reach woo-notify at ${values.url}: ${error.message}. Is it running (pnpm --filter @kabar/woo-notify start)?`,
  );
  process.exitCode = 1;
}
