import { createServer, type IncomingMessage, type Server } from 'node:http';
import { KabarError, type WhatsAppClient } from '@kabar/core';
import { parseWebhook, verifySignature } from '@kabar/core/webhooks';
import { createKeywordBot } from './keyword-bot.js';

export interface BotServerOptions {
  client: WhatsAppClient;
  /** Kirem's webhook secret: every POST must carry a valid X-Kirem-Signature. */
  webhookSecret: string;
}

function readRaw(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A Kirem webhook endpoint at POST /webhook that answers with the keyword bot. A bad signature
 * gets 401 and a malformed body 400, so Kirem's delivery log shows what went wrong.
 */
export function createBotServer(options: BotServerOptions): Server {
  const bot = createKeywordBot(options.client);
  return createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/webhook') {
      response.writeHead(404).end();
      return;
    }
    try {
      const rawBody = await readRaw(request);
      verifySignature({
        provider: 'kirem',
        rawBody,
        signature: request.headers['x-kirem-signature'] as string | undefined,
        secret: options.webhookSecret,
      });
      // Answer first: a gateway must not wait on the bot's own sends.
      response.writeHead(200).end('ok');
      await bot.handle(parseWebhook(rawBody, { metaFormatFrom: 'kirem' }));
    } catch (error) {
      const status = KabarError.isInstance(error) && error.status ? error.status : 500;
      if (!response.headersSent) response.writeHead(status).end(String((error as Error).message));
      if (status === 500) console.error('keyword bot:', error);
    }
  });
}
