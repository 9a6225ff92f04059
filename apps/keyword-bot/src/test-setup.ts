import type { AddressInfo } from 'node:net';
import { createClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import type { RunningSandbox } from '@kabar/sandbox';
import { createBotServer } from './bot-server.js';

/** The bot server on a free port, sending through the sandbox and receiving its webhooks. */
export async function startBotAgainst(
  sandbox: RunningSandbox,
  webhookSecret = 'kirem_webhook_secret',
) {
  const client = createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
  const server = createBotServer({ client, webhookSecret });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  await sandbox.setWebhook('kirem', { url, secret: 'kirem_webhook_secret' });
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
