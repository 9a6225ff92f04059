import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from '@kabar/core';
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
const client = createClient({
  provider: kirem({ apiKey: 'k_bench', baseUrl: `http://127.0.0.1:${port}` }),
  rateLimit: false,
});
const fn =
  process.env.MODE === 'client'
    ? () => client.send({ to: '0812-3456-7890', text: 'Pesanan' })
    : async () => {
        const r = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: 'Bearer k',
            'idempotency-key': randomUUID(),
            'content-type': 'application/json',
          },
          body,
        });
        await r.json();
      };
let next = 0;
const n = 20000;
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
console.log(process.env.MODE, 'cpu us/req', Math.round((c.user + c.system) / n));
stub.disconnect();
