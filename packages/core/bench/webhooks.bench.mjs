// Webhook ingestion per second: verify the signature, parse and route through the bot, against a
// handler that only parses the JSON, both behind the same local HTTP server, measured in one run.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createClient } from '@kabar/core';
import { createBot } from '@kabar/core/bot';
import { kirem } from '@kabar/core/kirem';
import { computeSignature, parseWebhook, verifySignature } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';

const CONCURRENCY = 16;
const REQUESTS_PER_ROUND = 3000;
const ROUNDS = 16;
const SECRET = 'meta-app-secret-bench';

// A Meta text webhook byte for byte as the sandbox sends it (escaped unicode and all).
const body = metaWebhookTextRawBody;
const signature = computeSignature(body, SECRET);

// The bot routes but does not reply: the bench measures ingestion, not sending.
let routed = 0;
const bot = createBot({
  client: createClient({ provider: kirem({ apiKey: 'unused', baseUrl: 'http://127.0.0.1:9' }) }),
})
  .hears('pesanan', () => {
    routed += 1;
  })
  .fallback(() => {});

function readBody(request) {
  return new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

const server = createServer(async (request, response) => {
  const raw = await readBody(request);
  if (request.url === '/baseline') {
    JSON.parse(raw.toString());
  } else {
    verifySignature({
      provider: 'meta',
      rawBody: raw,
      signature: request.headers['x-hub-signature-256'],
      secret: SECRET,
    });
    await bot.handle(parseWebhook(raw));
  }
  response.writeHead(200).end('ok');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const load = fork(fileURLToPath(new URL('../../../scripts/webhook-load.mjs', import.meta.url)));
// The server's own CPU time per round: requests per CPU-second is the handler's capacity, which
// stays meaningful when the load generator, not the server, limits the wall-clock rate.
function round(path, total) {
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve) => {
    load.once('message', ({ rps }) => {
      const cpu = process.cpuUsage(cpuBefore);
      resolve({ rps, capacity: total / ((cpu.user + cpu.system) / 1e6) });
    });
    load.send({
      url: `${base}${path}`,
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      total,
      concurrency: CONCURRENCY,
    });
  });
}

await round('/baseline', 1000);
await round('/kabar', 1000);
const baseline = [];
const kabar = [];
for (let i = 0; i < ROUNDS; i++) {
  // Alternate the order so drift weighs on both paths alike.
  const order = i % 2 === 0 ? ['/baseline', '/kabar'] : ['/kabar', '/baseline'];
  for (const path of order) {
    (path === '/baseline' ? baseline : kabar).push(await round(path, REQUESTS_PER_ROUND));
  }
}
load.disconnect();
server.close();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ratio = median(kabar.map((r, i) => r.capacity / baseline[i].capacity));
const wallRatio = median(kabar.map((r, i) => r.rps / baseline[i].rps));
if (routed === 0) throw new Error('the bot routed nothing: the bench measured the wrong thing');
const show = (rounds, key) => rounds.map((r) => Math.round(r[key])).join(' ');
console.log(`rounds (requests/s, wall):       parse only ${show(baseline, 'rps')}`);
console.log(`rounds (requests/s, wall):       kabar      ${show(kabar, 'rps')}`);
console.log(`rounds (requests per CPU-second): parse only ${show(baseline, 'capacity')}`);
console.log(`rounds (requests per CPU-second): kabar      ${show(kabar, 'capacity')}`);
console.log(`wall-clock ratio: ${wallRatio.toFixed(3)}`);
console.log(
  `RESULT webhooks.ingest kabar_per_cpu_s=${Math.round(median(kabar.map((r) => r.capacity)))} baseline_per_cpu_s=${Math.round(median(baseline.map((r) => r.capacity)))} ratio=${ratio.toFixed(3)} concurrency=${CONCURRENCY}`,
);
