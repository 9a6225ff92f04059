// Webhook ingestion per second through Kabar's webhook handler (content type, signature, parse,
// answer, then the bot after the answer) against a handler that only parses the JSON and answers
// the same small JSON acknowledgement, both behind the same local HTTP server, measured in one run: once for a one-message webhook (`webhooks.ingest`) and
// once for a 50-item Meta batch of messages and statuses (`webhooks.batch`).
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createClient } from '@kabar/core';
import { createBot } from '@kabar/core/bot';
import { kirem } from '@kabar/core/kirem';
import { computeSignature, createWebhookHandler, readRawBody } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';

const CONCURRENCY = 16;
const ROUNDS = 16;
const SECRET = 'meta-app-secret-bench';

// The bot routes but does not reply: the bench measures ingestion, not sending.
let routed = 0;
const bot = createBot({
  client: createClient({ provider: kirem({ apiKey: 'unused', baseUrl: 'http://127.0.0.1:9' }) }),
})
  .hears('pesanan', () => {
    routed += 1;
  })
  .fallback(() => {});

// Every request carries the same body, so dedupe would (rightly) drop all but the first: turned
// off here, the bench measures the work a new delivery costs.
const handler = createWebhookHandler({
  provider: 'meta',
  secret: SECRET,
  dedupe: false,
  onEvents: (events, delivery) => bot.handle(events, delivery),
});

const JSON_ANSWER = { 'content-type': 'application/json; charset=utf-8' };

const server = createServer(async (request, response) => {
  if (request.url === '/baseline') {
    const raw = await readRawBody(request);
    JSON.parse(new TextDecoder().decode(raw));
    // The same answer a webhook endpoint gives: the ratio weighs Kabar's work, not the reply format.
    response.writeHead(200, JSON_ANSWER).end('{"received":1}');
    return;
  }
  const result = await handler.handle({ method: 'POST', headers: request.headers, body: request });
  response.writeHead(result.status, result.headers).end(result.body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const load = fork(fileURLToPath(new URL('../../../scripts/webhook-load.mjs', import.meta.url)));
// The server's own CPU time per round: requests per CPU-second is the handler's capacity, which
// stays meaningful when the load generator, not the server, limits the wall-clock rate.
function round(path, body, total) {
  const signature = computeSignature(body, SECRET);
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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const show = (rounds, key) => rounds.map((r) => Math.round(r[key])).join(' ');

async function measure(name, body, requestsPerRound) {
  await round('/baseline', body, requestsPerRound / 3);
  await round('/kabar', body, requestsPerRound / 3);
  const baseline = [];
  const kabar = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate the order so drift weighs on both paths alike.
    const order = i % 2 === 0 ? ['/baseline', '/kabar'] : ['/kabar', '/baseline'];
    for (const path of order) {
      (path === '/baseline' ? baseline : kabar).push(await round(path, body, requestsPerRound));
    }
  }
  const ratio = median(kabar.map((r, i) => r.capacity / baseline[i].capacity));
  const wallRatio = median(kabar.map((r, i) => r.rps / baseline[i].rps));
  console.log(`${name} rounds (requests/s, wall):        parse only ${show(baseline, 'rps')}`);
  console.log(`${name} rounds (requests/s, wall):        kabar      ${show(kabar, 'rps')}`);
  console.log(`${name} rounds (requests per CPU-second): parse only ${show(baseline, 'capacity')}`);
  console.log(`${name} rounds (requests per CPU-second): kabar      ${show(kabar, 'capacity')}`);
  console.log(`${name} wall-clock ratio: ${wallRatio.toFixed(3)}`);
  return { kabar, baseline, ratio };
}

/** A 50-item Meta batch: 25 customer messages of several types and 25 statuses with pricing. */
function metaBatch() {
  const messages = Array.from({ length: 25 }, (_, i) => {
    const from = `62812000${String(i).padStart(5, '0')}`;
    const common = { from, id: `wamid.batch-message-${i}`, timestamp: '1767225600' };
    if (i % 5 === 1) {
      return {
        ...common,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'ya', title: 'Ya' } },
      };
    }
    if (i % 5 === 2) {
      return {
        ...common,
        type: 'image',
        image: { id: `media-${i}`, mime_type: 'image/jpeg', sha256: 'abc', caption: 'bukti' },
      };
    }
    if (i % 5 === 3) {
      return { ...common, type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } };
    }
    return { ...common, type: 'text', text: { body: `pesanan ${1000 + i} sudah dikirim?` } };
  });
  const statuses = Array.from({ length: 25 }, (_, i) => ({
    id: `wamid.batch-status-${i}`,
    status: ['sent', 'delivered', 'read', 'played'][i % 4],
    timestamp: '1767225600',
    recipient_id: `62813000${String(i).padStart(5, '0')}`,
    pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
  }));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '9876543210',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281100001234', phone_number_id: '1234567890' },
              contacts: messages.map((m) => ({ profile: { name: 'Pelanggan' }, wa_id: m.from })),
              messages,
              statuses,
            },
          },
        ],
      },
    ],
  });
}

// A Meta text webhook byte for byte as the sandbox sends it (escaped unicode and all).
const ingest = await measure('ingest', metaWebhookTextRawBody, 3000);
const routedBeforeBatch = routed;
const batch = await measure('batch', metaBatch(), 600);
load.disconnect();
server.close();

if (routedBeforeBatch === 0 || routed === routedBeforeBatch) {
  throw new Error('the bot routed nothing: the bench measured the wrong thing');
}
const perCpu = (rounds) => Math.round(median(rounds.map((r) => r.capacity)));
console.log(
  `RESULT webhooks.ingest kabar_per_cpu_s=${perCpu(ingest.kabar)} baseline_per_cpu_s=${perCpu(ingest.baseline)} ratio=${ingest.ratio.toFixed(3)} concurrency=${CONCURRENCY}`,
);
console.log(
  `RESULT webhooks.batch items=50 kabar_per_cpu_s=${perCpu(batch.kabar)} baseline_per_cpu_s=${perCpu(batch.baseline)} ratio=${batch.ratio.toFixed(3)} concurrency=${CONCURRENCY}`,
);
