import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';

const stub = fork(fileURLToPath(new URL('./gateway-stub.mjs', import.meta.url)));
const port = await new Promise((resolve) => stub.once('message', (m) => resolve(m.port)));
const client = createClient({
  provider: kirem({ apiKey: 'k_bench', baseUrl: `http://127.0.0.1:${port}` }),
  rateLimit: false,
});
let next = 0;
const n = 15000;
const s = performance.now();
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < n) {
      next++;
      await client.send({ to: '0812-3456-7890', text: 'Pesanan' });
    }
  }),
);
console.log(Math.round(n / ((performance.now() - s) / 1000)));
stub.disconnect();
