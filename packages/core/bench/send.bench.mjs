// Sends per second through createClient (on its default transport, keep-alive node:http) vs a
// plain fetch loop and a plain node:http keep-alive loop posting the same JSON to the same local
// server at the same concurrency, measured in one run. (Core's bundle size: startup.bench.mjs.)
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';

const CONCURRENCY = 16;
const SENDS_PER_ROUND = 1500;
const ROUNDS = 12;
const API_KEY = 'kirem_bench_key';

const stub = fork(fileURLToPath(new URL('./gateway-stub.mjs', import.meta.url)));
const port = await new Promise((resolve) => stub.once('message', (m) => resolve(m.port)));
const baseUrl = `http://127.0.0.1:${port}`;

const wireBody = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '6281234567890',
  type: 'text',
  text: { body: 'Pesanan #1001 sudah dikirim.' },
};

async function baselineSend() {
  const response = await fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${API_KEY}`,
      'idempotency-key': randomUUID(),
      'content-type': 'application/json',
    },
    body: JSON.stringify(wireBody),
  });
  const body = await response.json();
  if (response.status !== 201 || !body.data.messages[0].id) throw new Error('baseline send failed');
}

// The fastest a Node client can be: node:http with a keep-alive agent, no timeout, no checks.
const agent = new Agent({ keepAlive: true });
function httpSend() {
  const payload = JSON.stringify(wireBody);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${baseUrl}/v1/messages`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'idempotency-key': randomUUID(),
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          const body = JSON.parse(text);
          if (response.statusCode !== 201 || !body.data.messages[0].id) {
            reject(new Error('node:http send failed'));
          } else resolve();
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

// Informational: the same loop with the per-request timeout any production caller needs. On Node
// 20, handing fetch an AbortSignal is a large share of a local send, and the client pays it too.
async function baselineSendWithTimeout() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const response = await fetch(`${baseUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${API_KEY}`,
        'idempotency-key': randomUUID(),
        'content-type': 'application/json',
      },
      body: JSON.stringify(wireBody),
      signal: controller.signal,
    });
    const body = await response.json();
    if (response.status !== 201 || !body.data.messages[0].id) throw new Error('baseline failed');
  } finally {
    clearTimeout(timer);
  }
}

const client = createClient({
  provider: kirem({ apiKey: API_KEY, baseUrl }),
  rateLimit: false,
});

async function clientSend() {
  const result = await client.send({ to: '0812-3456-7890', text: 'Pesanan #1001 sudah dikirim.' });
  if (!result.id) throw new Error('client send failed');
}

// Informational: every send to a new number, so the phone-number cache never helps.
let uniqueNumber = 81200000000;
async function clientSendUniqueRecipient() {
  uniqueNumber += 1;
  const result = await client.send({
    to: `0${uniqueNumber}`,
    text: 'Pesanan #1001 sudah dikirim.',
  });
  if (!result.id) throw new Error('client send failed');
}

async function sendsPerSecond(send, total) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next += 1;
        await send();
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

// Warm both paths (JIT, sockets) before measuring, then interleave rounds so drift hits both.
await sendsPerSecond(baselineSend, 1000);
await sendsPerSecond(httpSend, 1000);
await sendsPerSecond(clientSend, 1000);
const baseline = [];
const httpBaseline = [];
const measured = [];
const measuredUnique = [];
const baselineWithTimeout = [];
// Alternate which path goes first, so whatever one round leaves behind (garbage, pooled sockets)
// weighs on both paths equally.
const paths = [
  [baselineSend, baseline],
  [httpSend, httpBaseline],
  [clientSend, measured],
  [clientSendUniqueRecipient, measuredUnique],
  [baselineSendWithTimeout, baselineWithTimeout],
];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? paths : [...paths].reverse();
  for (const [send, results] of order) results.push(await sendsPerSecond(send, SENDS_PER_ROUND));
}
stub.disconnect();

// This machine's throughput drifts a lot between rounds; the ratio of each adjacent pair of
// rounds cancels most of that drift, and the median drops the outliers.
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baselineRps = median(baseline);
const clientRps = median(measured);
const httpRps = median(httpBaseline);
const ratio = median(measured.map((rps, i) => rps / baseline[i]));
const httpRatio = median(measured.map((rps, i) => rps / httpBaseline[i]));
const uniqueRatio = median(measuredUnique.map((rps, i) => rps / baseline[i]));
const timeoutRatio = median(measured.map((rps, i) => rps / baselineWithTimeout[i]));

console.log(`rounds (sends/s): baseline ${baseline.map(Math.round).join(' ')}`);
console.log(`rounds (sends/s): node:http ${httpBaseline.map(Math.round).join(' ')}`);
console.log(`rounds (sends/s): client   ${measured.map(Math.round).join(' ')}`);
console.log(
  `rounds (sends/s): client, a new recipient every send ${measuredUnique.map(Math.round).join(' ')}`,
);
console.log(`ratio with a new recipient every send: ${uniqueRatio.toFixed(3)}`);
console.log(
  `ratio against a fetch loop that also times out each request: ${timeoutRatio.toFixed(3)}`,
);
console.log(
  `RESULT core.send transport=node-http client_rps=${Math.round(clientRps)} fetch_rps=${Math.round(baselineRps)} node_http_rps=${Math.round(httpRps)} ratio=${ratio.toFixed(3)} ratio_vs_node_http=${httpRatio.toFixed(3)} concurrency=${CONCURRENCY}`,
);
