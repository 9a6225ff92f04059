import { createServer, type ServerResponse } from 'node:http';
import { KabarError, requireSecret, type WhatsAppClient } from '@kabar/core';
import { parseWebhook, readRawBody, verifySignature } from '@kabar/core/webhooks';
import { createKeywordBot } from './keyword-bot.js';

export interface BotServerOptions {
  client: WhatsAppClient;
  /** Kirem's webhook secret: every POST must carry a valid X-Kirem-Signature. */
  webhookSecret: string;
  /** Bodies larger than this are refused with 413 without being read. Default 3 MiB. */
  maxBodyBytes?: number;
}

function answer(response: ServerResponse, status: number, error: string, message: string): void {
  if (response.headersSent) return;
  // A refused upload may still be streaming in: close the connection rather than read the rest.
  const close = status === 413 ? { connection: 'close' } : {};
  response.writeHead(status, { 'content-type': 'application/json', ...close });
  response.end(JSON.stringify({ error, message }));
}

/**
 * A Kirem webhook endpoint at POST /webhook that answers with the keyword bot. A bad signature
 * gets 401, a body that is not JSON 415, one over the cap 413 and a malformed one 400, so Kirem's
 * delivery log shows what went wrong; none of them carries a stack trace.
 */
export function createBotServer(options: BotServerOptions) {
  const webhookSecret = requireSecret(options.webhookSecret, 'KIREM_WEBHOOK_SECRET');
  const bot = createKeywordBot(options.client);
  return createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/webhook') {
      response.writeHead(404).end();
      return;
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      answer(response, 415, 'unsupported_media_type', 'webhooks must be application/json');
      return;
    }
    try {
      const rawBody = await readRawBody(request, {
        limit: options.maxBodyBytes,
        contentLength: request.headers['content-length'],
      });
      verifySignature({
        provider: 'kirem',
        rawBody,
        signature: request.headers['x-kirem-signature'] as string | undefined,
        secret: webhookSecret,
      });
      const events = parseWebhook(rawBody, { metaFormatFrom: 'kirem' });
      // Answer first: a gateway must not wait on the bot's own sends.
      response.writeHead(200).end('ok');
      await bot.handle(events);
    } catch (error) {
      if (KabarError.isInstance(error) && error.status && error.status < 500) {
        answer(response, error.status, error.code, error.message);
        return;
      }
      answer(response, 500, 'internal_error', 'the bot could not handle this webhook');
      // One line: a bot reply that failed is worth a log entry, not a stack trace per webhook.
      const reason = KabarError.isInstance(error)
        ? `${error.code}: ${error.message}`
        : String(error);
      console.error(`keyword bot: ${reason}`);
    }
  });
}
