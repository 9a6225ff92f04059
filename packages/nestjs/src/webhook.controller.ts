import { KabarError, requireSecret } from '@kabar/core';
import {
  parseWebhook,
  SIGNATURE_HEADERS,
  verifyMetaHandshake,
  verifySignature,
} from '@kabar/core/webhooks';
import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Inject,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  Post,
  Query,
  Req,
  type Type,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { WhatsAppEventDispatcher } from './event-dispatcher.js';
import type { WhatsAppModuleOptions, WhatsAppWebhookOptions } from './options.js';
import { WHATSAPP_MODULE_OPTIONS } from './tokens.js';

/** The part of Express's (or Fastify's) request the endpoint reads. */
interface WebhookRequest {
  rawBody?: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** What the server says when `rawBody: true` is missing from the app's setup (the answer is 500). */
export const RAW_BODY_MISSING =
  'WhatsApp webhook: req.rawBody is missing, so the signature cannot be checked. Create the app ' +
  "with NestFactory.create(AppModule, { rawBody: true }) and keep Nest's own body parser " +
  '(no bodyParser: false, no app.use(express.json()) before it).';

// Only what Nest's JSON parser reads: any other type arrives without the raw bytes to verify.
function isJson(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * A controller class mounted at `path`: each `forRoot` gets its own, because Nest reads a
 * controller's path from its class.
 */
export function createWebhookController(path: string): Type {
  @Controller(path)
  class WhatsAppWebhookController {
    private readonly logger = new Logger('WhatsApp');
    private rawBodyReported = false;

    constructor(
      @Inject(WHATSAPP_MODULE_OPTIONS) private readonly options: WhatsAppModuleOptions,
      @Inject(WhatsAppEventDispatcher) private readonly dispatcher: WhatsAppEventDispatcher,
    ) {
      // An empty secret would make every signature forgeable: stop the app at start instead.
      if (options.webhook) {
        requireSecret(options.webhook.secret, 'WhatsAppModule option "webhook.secret"');
      }
    }

    private get webhook(): WhatsAppWebhookOptions {
      if (!this.options.webhook) {
        throw new NotFoundException('WhatsApp webhook: the module was given no `webhook` options');
      }
      return this.options.webhook;
    }

    /** Meta's subscription handshake: echo the challenge when the verify token matches. */
    @Get()
    @Header('content-type', 'text/plain; charset=utf-8')
    handshake(@Query() query: Record<string, string>): string {
      const { verifyToken } = this.webhook;
      if (!verifyToken) throw new NotFoundException();
      try {
        return verifyMetaHandshake(query, verifyToken);
      } catch {
        throw new ForbiddenException('verification failed');
      }
    }

    @Post()
    @HttpCode(200)
    receive(@Req() req: WebhookRequest): { received: number } {
      const { provider, secret } = this.webhook;
      // A caller's mistake, not the server's: a 415 that says nothing about our setup.
      if (!isJson(req.headers['content-type'])) {
        throw new UnsupportedMediaTypeException({
          statusCode: 415,
          error: 'unsupported_media_type',
          message: 'webhooks are JSON: send Content-Type: application/json',
        });
      }
      if (!Buffer.isBuffer(req.rawBody)) {
        if (!this.rawBodyReported) this.logger.error(RAW_BODY_MISSING);
        this.rawBodyReported = true;
        throw new InternalServerErrorException(RAW_BODY_MISSING);
      }
      const header = req.headers[SIGNATURE_HEADERS[provider]];
      try {
        verifySignature({
          provider,
          secret,
          rawBody: req.rawBody,
          signature: Array.isArray(header) ? header[0] : header,
        });
      } catch (error) {
        throw KabarError.isInstance(error) && error.code === 'invalid_signature'
          ? new UnauthorizedException({
              statusCode: 401,
              error: 'invalid_signature',
              message: error.message,
            })
          : error;
      }
      let events: ReturnType<typeof parseWebhook>;
      try {
        events = parseWebhook(req.rawBody, { metaFormatFrom: provider });
      } catch (error) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'invalid_payload',
          message: error instanceof Error ? error.message : String(error),
        });
      }
      // Gateways retry slow endpoints: answer now; the handlers run after.
      void this.dispatcher.dispatch(events);
      return { received: events.length };
    }
  }
  return WhatsAppWebhookController;
}
