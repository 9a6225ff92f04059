// The smallest Kirem-shaped server: the bench measures client overhead, not a gateway.
import { createServer } from 'node:http';

let counter = 0;
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
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
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
