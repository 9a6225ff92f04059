// Shared by the webhook benchmarks of @kabar/core and @kabar/nestjs; forked as a separate process.
// Posts signed webhook bodies at a server as fast as `concurrency` allows, with node:http (far
// cheaper than fetch), so the server and not this load generator is what limits the rate.
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

process.on('message', async ({ url, body, headers, total, concurrency }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        await post(url, { ...headers, 'content-length': Buffer.byteLength(body) }, body, agent);
      }
    }),
  );
  agent.destroy();
  process.send({ rps: total / ((performance.now() - started) / 1000) });
});
