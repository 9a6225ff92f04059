import { type ConversationTracker, requireSecret } from '@kabar/core';
import {
  createWebhookHandler,
  isJsonContentType,
  type WebhookHandler,
  type WebhookResult,
} from '@kabar/core/webhooks';
import {
  All,
  Controller,
  Inject,
  Logger,
  NotFoundException,
  Req,
  Res,
  SetMetadata,
  type Type,
} from '@nestjs/common';
import { WhatsAppEventDispatcher } from './event-dispatcher.js';
import type { WhatsAppModuleOptions } from './options.js';
import {
  loggerContext,
  WEBHOOK_PATH_METADATA,
  WHATSAPP_CLIENT_NAME,
  WHATSAPP_MODULE_OPTIONS,
  WHATSAPP_TRACKER,
} from './tokens.js';

/** Node's request, unread when no parser took the body (another type, or `bodyParser: false`). */
type NodeRequest = AsyncIterable<Uint8Array> & { readableEnded?: boolean };

/** The part of Express's (or Fastify's) request the endpoint reads. */
type WebhookRequest = NodeRequest & {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, string | string[] | undefined>;
  /** The bytes Nest's parser read, kept when the app is created with `rawBody: true`. */
  rawBody?: Buffer;
  /** Fastify's request wraps Node's; Express's is Node's. */
  raw?: NodeRequest;
};

/** The part of Express's response (or Fastify's reply) the endpoint writes. */
interface WebhookResponse {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body: string): unknown;
}

/** What the server says when `rawBody: true` is missing from the app's setup (the answer is 500). */
export const RAW_BODY_MISSING =
  'WhatsApp webhook: req.rawBody is missing, so the signature cannot be checked. Create the app ' +
  "with NestFactory.create(AppModule, { rawBody: true }) and keep Nest's own body parser " +
  '(no app.use(express.json()) or other JSON parser before it).';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function reply(res: WebhookResponse, answer: Pick<WebhookResult, 'status' | 'headers' | 'body'>) {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.header(name, value);
  res.send(answer.body);
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * A controller class mounted at `path`: each `forRoot` gets its own, because Nest reads a
 * controller's path from its class. It only translates: `createWebhookHandler` from
 * `@kabar/core/webhooks` answers (handshake, 405, 415, 413, 401, 400, redeliveries, Waviro keyword
 * calls) and hands new events to the dispatcher.
 */
export function createWebhookController(path: string): Type {
  @Controller(path)
  @SetMetadata(WEBHOOK_PATH_METADATA, path)
  class WhatsAppWebhookController {
    private readonly logger: Logger;
    private readonly handler: WebhookHandler | undefined;
    private rawBodyReported = false;

    constructor(
      @Inject(WHATSAPP_MODULE_OPTIONS) options: WhatsAppModuleOptions,
      @Inject(WhatsAppEventDispatcher) private readonly dispatcher: WhatsAppEventDispatcher,
      @Inject(WHATSAPP_TRACKER) tracker: ConversationTracker | undefined,
      @Inject(WHATSAPP_CLIENT_NAME) name: string,
    ) {
      this.logger = new Logger(loggerContext(name));
      if (!options.webhook) return;
      // An empty secret would make every signature forgeable: stop the app at start instead.
      requireSecret(options.webhook.secret, 'WhatsAppModule option "webhook.secret"');
      this.handler = createWebhookHandler({
        ...options.webhook,
        // Windows and consent are noted before the handlers run, so their replies see them.
        tracker,
        onEvents: (events, delivery) => dispatcher.dispatch(events, delivery),
        logger: {
          warn: (message) => this.logger.warn(message),
          error: (message, error) =>
            this.logger.error(error === undefined ? message : `${message}: ${stackOf(error)}`),
        },
      });
    }

    @All()
    async webhook(@Req() req: WebhookRequest, @Res() res: WebhookResponse): Promise<void> {
      if (!this.handler) {
        throw new NotFoundException('WhatsApp webhook: the module was given no `webhook` options');
      }
      const node = req.raw ?? req;
      const body = req.rawBody ?? (node.readableEnded === false ? node : undefined);
      // Nest's parser read the JSON without keeping it: our setup's fault, not the caller's (whose
      // other types the handler answers with 415 first).
      if (
        !body &&
        req.method === 'POST' &&
        isJsonContentType(String(req.headers['content-type'] ?? ''))
      ) {
        if (!this.rawBodyReported) this.logger.error(RAW_BODY_MISSING);
        this.rawBodyReported = true;
        const refusal = { error: 'raw_body_missing', message: RAW_BODY_MISSING };
        return reply(res, { status: 500, headers: JSON_TYPE, body: JSON.stringify(refusal) });
      }
      const { method, headers, query } = req;
      const result = await this.handler.handle({ method, headers, query, body });
      // Shutdown waits for the handlers, which start just after this answer.
      this.dispatcher.track(result.done);
      reply(res, result);
    }
  }
  return WhatsAppWebhookController;
}
