import { createClient, prepareMessage } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';

const payload = JSON.stringify({
  status: 201,
  message: 'ok',
  data: {
    messaging_product: 'whatsapp',
    contacts: [{ input: '6281234567890', wa_id: '6281234567890' }],
    messages: [{ id: 'wamid.x' }],
  },
});
const fakeFetch = async () =>
  new Response(payload, { status: 201, headers: { 'content-type': 'application/json' } });
const client = createClient({
  provider: kirem({ apiKey: 'k_bench', baseUrl: 'http://127.0.0.1:1' }),
  rateLimit: false,
  fetch: fakeFetch,
});
async function time(label, fn, n = 20000) {
  for (let i = 0; i < 2000; i++) await fn();
  const s = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(label, (((performance.now() - s) * 1000) / n).toFixed(1), 'us');
}
await time('fake fetch alone + json', async () => {
  const r = await fakeFetch();
  await r.json();
});
await time('client.send with fake fetch', () =>
  client.send({ to: '0812-3456-7890', text: 'Pesanan' }),
);
await time('prepareMessage', async () => prepareMessage({ to: '0812-3456-7890', text: 'Pesanan' }));
await time('AbortController+timer', async () => {
  const c = new AbortController();
  const t = setTimeout(() => c.abort(), 15000);
  clearTimeout(t);
});
await time('AbortSignal.timeout', async () => {
  AbortSignal.timeout(15000);
});
await time('randomUUID', async () => crypto.randomUUID());
