// A bare Kirem-shaped gateway for the broadcast queue bench, in its own process so that answering
// sends costs the measured workers nothing. It keeps each send's Idempotency-Key (the row's job id)
// and arrival time; 'report' over IPC hands them over and starts a fresh count.
import { createServer } from 'node:http';

let keys = [];
let times = [];
let counter = 0;
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    // Stamped before answering: the limit is about what the gateway sees arrive.
    times.push(performance.now());
    keys.push(String(request.headers['idempotency-key'] ?? ''));
    const { to } = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    counter += 1;
    const body = JSON.stringify({
      status: 201,
      message: 'Message sent successfully',
      data: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.bench${counter}` }],
      },
    });
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: server.address().port });
});
process.on('message', (message) => {
  if (message !== 'report') return;
  process.send?.({ type: 'report', keys, times });
  keys = [];
  times = [];
});
process.on('disconnect', () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
});
