import { createServer } from 'node:http';
import { KabarError, requireSecret, type WhatsAppClient } from '@kabar/core';
import { createWebhookHandler } from '@kabar/core/webhooks';
import { createKeywordBot } from './keyword-bot.js';

export interface BotServerOptions {
  client: WhatsAppClient;
  /** Kirem's webhook secret: every POST must carry a valid X-Kirem-Signature. */
  webhookSecret: string;
  /** Bodies larger than this are refused with 413 without being read. Default 3 MiB. */
  maxBodyBytes?: number;
}

/**
 * A Kirem webhook endpoint at POST /webhook that answers with the keyword bot, on
 * `createWebhookHandler`: a bad signature gets 401, a body that is not JSON 415, one over the cap
 * 413, a malformed one 400 and another method 405, so Kirem's delivery log shows what went wrong;
 * none of them carries a stack trace. Redeliveries get 200 and no second reply.
 */
export function createBotServer(options: BotServerOptions) {
  const secret = requireSecret(options.webhookSecret, 'KIREM_WEBHOOK_SECRET');
  const bot = createKeywordBot(options.client);
  const webhook = createWebhookHandler({
    provider: 'kirem',
    secret,
    bodyLimit: options.maxBodyBytes,
    onEvents: (events, delivery) => bot.handle(events, delivery),
    // One line: a bot reply that failed is worth a log entry, not a stack trace per webhook.
    onError: (error) =>
      console.error(
        `keyword bot: ${KabarError.isInstance(error) ? `${error.code}: ${error.message}` : String(error)}`,
      ),
  });
  return createServer(async (request, response) => {
    if (request.url !== '/webhook') {
      response.writeHead(404).end();
      return;
    }
    // The request is the body stream: the handler reads it only up to the cap.
    const result = await webhook.handle({
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request,
    });
    response.writeHead(result.status, result.headers).end(result.body);
  });
}
