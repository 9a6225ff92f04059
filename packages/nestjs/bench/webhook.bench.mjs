// Webhooks handled per second through WhatsAppModule's controller (signature over the raw body,
// parsing, dispatch to a decorated @Hears handler) against a bare Nest controller that only takes
// the parsed JSON, both in one Nest app, measured in one run with alternating rounds.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kirem } from '@kabar/core/kirem';
import { computeSignature } from '@kabar/core/webhooks';
import { metaWebhookTextRawBody } from '@kabar/sandbox/seed-examples';
import { Body, Controller, HttpCode, Injectable, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Hears, WhatsAppModule } from '../dist/index.js';

const CONCURRENCY = 16;
const REQUESTS_PER_ROUND = 2000;
const ROUNDS = 10;
const SECRET = 'meta-app-secret-bench';

// A Meta text webhook byte for byte as the sandbox sends it; its text mentions "pesanan".
const body = metaWebhookTextRawBody;
const signature = computeSignature(body, SECRET);

// Plain JavaScript has no decorator syntax; this applies them as TypeScript would.
function decorate(target, method, decorators, parameters = []) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, method);
  Reflect.decorate(decorators, target.prototype, method, descriptor);
  for (const [index, parameter] of parameters.entries()) parameter(target.prototype, method, index);
}

let handled = 0;
class OrderBot {
  // Routes but does not reply: the bench measures receiving, not sending.
  order() {
    handled += 1;
  }
}
decorate(OrderBot, 'order', [Hears('pesanan')]);
Reflect.decorate([Injectable()], OrderBot);

let parsed = 0;
class BaselineController {
  receive(payload) {
    if (payload?.object) parsed += 1;
    return { received: 1 };
  }
}
decorate(BaselineController, 'receive', [Post(), HttpCode(200)], [Body()]);
const Baseline = Reflect.decorate([Controller('baseline')], BaselineController);

class BenchModule {}
const App = Reflect.decorate(
  [
    Module({
      imports: [
        WhatsAppModule.forRoot({
          // Never called: the handler does not reply.
          provider: kirem({ apiKey: 'unused', baseUrl: 'http://127.0.0.1:9' }),
          // The load repeats one body: without dedupe each copy is handled, as new messages are.
          webhook: { provider: 'meta', secret: SECRET, dedupe: false },
          webhookPath: 'whatsapp/webhook',
        }),
      ],
      controllers: [Baseline],
      providers: [OrderBot],
    }),
  ],
  BenchModule,
);

const app = await NestFactory.create(App, { rawBody: true, logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

const load = fork(fileURLToPath(new URL('../../../scripts/webhook-load.mjs', import.meta.url)));

/** Until every handler of the round has run: "handled" means the handler ran, not just a 200. */
async function drained(counter, expected) {
  while (counter() < expected) await new Promise((resolve) => setImmediate(resolve));
}

function round(path, total) {
  const before = path === '/baseline' ? parsed : handled;
  const counter = path === '/baseline' ? () => parsed : () => handled;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return new Promise((resolve) => {
    load.once('message', async () => {
      await drained(counter, before + total);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      resolve({ rps: total / seconds, capacity: total / ((cpu.user + cpu.system) / 1e6) });
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

// Warm-up: JIT, sockets, Nest's first-request paths.
await round('/baseline', 1000);
await round('/whatsapp/webhook', 1000);
const baseline = [];
const module = [];
for (let i = 0; i < ROUNDS; i++) {
  // Alternate the order so drift weighs on both paths alike.
  const order =
    i % 2 === 0 ? ['/baseline', '/whatsapp/webhook'] : ['/whatsapp/webhook', '/baseline'];
  for (const path of order) {
    (path === '/baseline' ? baseline : module).push(await round(path, REQUESTS_PER_ROUND));
  }
}
load.disconnect();
await app.close();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ratio = median(module.map((r, i) => r.rps / baseline[i].rps));
const cpuRatio = median(module.map((r, i) => r.capacity / baseline[i].capacity));
const show = (rounds, key) => rounds.map((r) => Math.round(r[key])).join(' ');
console.log(`rounds (webhooks/s):           bare controller ${show(baseline, 'rps')}`);
console.log(`rounds (webhooks/s):           WhatsAppModule  ${show(module, 'rps')}`);
console.log(`rounds (webhooks per CPU-s):   bare controller ${show(baseline, 'capacity')}`);
console.log(`rounds (webhooks per CPU-s):   WhatsAppModule  ${show(module, 'capacity')}`);
console.log(`per-CPU-second ratio: ${cpuRatio.toFixed(3)}`);
console.log(
  `RESULT nestjs.webhook module_per_s=${Math.round(median(module.map((r) => r.rps)))} bare_per_s=${Math.round(median(baseline.map((r) => r.rps)))} ratio=${ratio.toFixed(3)} concurrency=${CONCURRENCY}`,
);
