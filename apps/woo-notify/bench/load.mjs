// Load generator, forked as a separate process by ingest.bench.mjs. Posts signed WooCommerce
// order webhooks (a fresh order id each, signed here) with node:http and keep-alive, and reports
// throughput and acknowledgement-latency percentiles.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

function post(url, headers, body, agent) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200
          ? resolve()
          : reject(new Error(`${url}: ${response.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', async ({ url, secret, order, firstId, total, concurrency }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const id = firstId + index;
        const body = JSON.stringify({ ...order, id, number: String(id) });
        const headers = {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-wc-webhook-topic': 'order.created',
          'x-wc-webhook-resource': 'order',
          'x-wc-webhook-event': 'created',
          'x-wc-webhook-signature': createHmac('sha256', secret).update(body).digest('base64'),
        };
        const t0 = performance.now();
        await post(url, headers, body, agent);
        latencies[index] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  process.send({ rps: total / seconds, latencies: Array.from(latencies) });
});
