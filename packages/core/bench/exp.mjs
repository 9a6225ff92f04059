import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, prepareMessage } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';

const stub = fork(fileURLToPath(new URL('./gateway-stub.mjs', import.meta.url)));
const port = await new Promise((resolve) => stub.once('message', (m) => resolve(m.port)));
const url = `http://127.0.0.1:${port}/v1/messages`;
const body = JSON.stringify({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '6281234567890',
  type: 'text',
  text: { body: 'Pesanan' },
});
async function plain(signal) {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: 'Bearer k',
      'idempotency-key': randomUUID(),
      'content-type': 'application/json',
    },
    body,
    signal,
  });
  await r.json();
}
async function withSignal() {
  const c = new AbortController();
  const t = setTimeout(() => c.abort(), 15000);
  try {
    await plain(c.signal);
  } finally {
    clearTimeout(t);
  }
}
const client = createClient({
  provider: kirem({ apiKey: 'k_bench', baseUrl: `http://127.0.0.1:${port}` }),
  rateLimit: false,
});
async function plainPrep() {
  const p = prepareMessage({ to: '0812-3456-7890', text: 'Pesanan' });
  const b = JSON.stringify({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: p.to,
    type: 'text',
    text: { body: 'Pesanan' },
  });
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: 'Bearer k',
      'idempotency-key': randomUUID(),
      'content-type': 'application/json',
    },
    body: b,
  });
  const t = await r.text();
  r.headers.get('content-type');
  JSON.parse(t);
}
const viaClient = () => client.send({ to: '0812-3456-7890', text: 'Pesanan' });
async function rps(fn, n = 2000) {
  let next = 0;
  const s = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) {
        next++;
        await fn();
      }
    }),
  );
  const c = process.cpuUsage(c0);
  return [Math.round(n / ((performance.now() - s) / 1000)), Math.round((c.user + c.system) / n)];
}
const r = { plain: [], signal: [], client: [], prep: [] };
for (let i = 0; i < 10; i++) {
  r.plain.push(await rps(() => plain()));
  r.signal.push(await rps(withSignal));
  r.client.push(await rps(viaClient));
  r.prep.push(await rps(plainPrep));
}
const med = (v) => [...v.map((x) => x[0])].sort((a, b) => a - b)[5];
const medc = (v) => [...v.map((x) => x[1])].sort((a, b) => a - b)[5];
console.log('rps median plain', med(r.plain), 'signal', med(r.signal), 'client', med(r.client));
console.log(
  'cpu us/req median plain',
  medc(r.plain),
  'signal',
  medc(r.signal),
  'client',
  medc(r.client),
  'prep',
  medc(r.prep),
);
stub.disconnect();
