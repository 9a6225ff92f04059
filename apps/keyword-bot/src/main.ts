/**
 * Runs the keyword bot against Kirem. With no settings it talks to a local sandbox
 * (`pnpm start` at the repository root starts both and wires the webhook).
 */
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { createBotServer } from './bot-server.js';

const port = Number(process.env.PORT ?? 4020);
const client = createClient({
  provider: kirem({
    apiKey: process.env.KIREM_API_KEY ?? 'kirem_test_key',
    baseUrl: process.env.KIREM_BASE_URL ?? 'http://127.0.0.1:4010/kirem',
  }),
});
const server = createBotServer({
  client,
  webhookSecret: process.env.KIREM_WEBHOOK_SECRET ?? 'kirem_webhook_secret',
});

server.listen(port, '127.0.0.1', () => {
  console.log(`keyword bot listening on http://127.0.0.1:${port}/webhook`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
