// OTP request+verify cycles per second through otpRouter (memory store, then Redis) against a
// bare Express JSON endpoint answering the same two requests, in one run, at one concurrency.
import { Agent, request } from 'node:http';
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { createOtpEngine } from '@kabar/core/otp';
import { otpRouter } from '@kabar/express';
import { redisOtpStore, redisRequestLimiter } from '@kabar/redis';
import express from 'express5';
import { Redis } from 'ioredis';

const CONCURRENCY = 16;
const CYCLES_PER_ROUND = 1500;
const ROUNDS = 6;
const unlimited = { limit: 1e9, windowMs: 60_000 };

// The gateway is replaced by an in-process fetch that keeps each code, so the cycle measures the
// router and the engine, not a network hop to a gateway.
const codes = new Map();
async function gateway(_url, init) {
  const body = JSON.parse(init.body);
  codes.set(body.to, body.template.components[0].parameters[0].text);
  return new Response(
    JSON.stringify({
      status: 201,
      message: 'ok',
      data: { messages: [{ id: 'wamid.x' }], contacts: [{ wa_id: body.to }] },
    }),
    { status: 201, headers: { 'content-type': 'application/json' } },
  );
}
const client = createClient({
  provider: kirem({ apiKey: 'bench', baseUrl: 'http://gateway.invalid' }),
  fetch: gateway,
  rateLimit: false,
});

function engine(store) {
  return createOtpEngine({
    secret: 'bench-secret-0123456789',
    store,
    delivery: { client, template: { name: 'otp_verification', language: 'id', button: 'none' } },
    dailyLimit: 1000,
  });
}

async function serve(app) {
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function post(url, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

let serial = 0;
async function cycles(cycle, total) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next += 1;
        await cycle();
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

function otpCycle(base) {
  return async () => {
    // A fresh number each cycle: cooldowns and daily limits are per number.
    const phone = `6281${String(300000000 + (serial++ % 600000000)).padStart(9, '0')}`;
    const requested = await post(`${base}/otp/request`, { phone });
    if (requested.status !== 201) throw new Error(`request: ${requested.status} ${requested.body}`);
    const verified = await post(`${base}/otp/verify`, { phone, code: codes.get(phone) });
    if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${verified.body}`);
  };
}

const bare = express();
bare.use(express.json());
bare.post('/echo', (req, res) => res.status(200).json({ success: true, data: req.body }));
const baseline = await serve(bare);
const baselineCycle = async () => {
  await post(`${baseline.base}/echo`, { phone: '6281234567890' });
  await post(`${baseline.base}/echo`, { phone: '6281234567890', code: '123456' });
};

const memoryApp = express();
memoryApp.use(
  '/otp',
  otpRouter({ engine: engine(), limits: { perIp: unlimited, perNumber: unlimited } }),
);
const memory = await serve(memoryApp);

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
});
let redisServer;
try {
  await redis.connect();
  const prefix = `kabar-bench:${process.pid}:`;
  const redisApp = express();
  redisApp.use(
    '/otp',
    otpRouter({
      engine: engine(redisOtpStore({ redis, prefix })),
      limits: {
        store: redisRequestLimiter({ redis, prefix }),
        perIp: unlimited,
        perNumber: unlimited,
      },
    }),
  );
  redisServer = await serve(redisApp);
} catch {
  console.log('otp.cycle: no Redis answers, the Redis figures are skipped');
}

const results = { baseline: [], memory: [], redis: [] };
await cycles(baselineCycle, 300);
await cycles(otpCycle(memory.base), 300);
if (redisServer) await cycles(otpCycle(redisServer.base), 300);
for (let round = 0; round < ROUNDS; round++) {
  results.baseline.push(await cycles(baselineCycle, CYCLES_PER_ROUND));
  results.memory.push(await cycles(otpCycle(memory.base), CYCLES_PER_ROUND));
  if (redisServer) results.redis.push(await cycles(otpCycle(redisServer.base), CYCLES_PER_ROUND));
}

for (const s of [baseline.server, memory.server, redisServer?.server]) s?.close();
agent.destroy();
if (redisServer) {
  const keys = await redis.keys('kabar-bench:*');
  if (keys.length > 0) await redis.del(...keys);
}
redis.disconnect();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ratio = (key) => median(results[key].map((v, i) => v / results.baseline[i])).toFixed(3);
for (const key of Object.keys(results)) {
  if (results[key].length > 0)
    console.log(`rounds (cycles/s): ${key.padEnd(8)} ${results[key].map(Math.round).join(' ')}`);
}
console.log(
  `RESULT otp.cycle baseline_cps=${Math.round(median(results.baseline))} memory_cps=${Math.round(median(results.memory))} ratio_memory=${ratio('memory')}` +
    (redisServer
      ? ` redis_cps=${Math.round(median(results.redis))} ratio_redis=${ratio('redis')}`
      : '') +
    ` concurrency=${CONCURRENCY}`,
);
