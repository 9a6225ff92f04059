import {
  type BodySource,
  createWebhookHandler,
  type HandshakeQuery,
  type WebhookHandlerOptions,
} from '@kabar/core/webhooks';
import type { FastifyPluginAsync } from 'fastify';

/** `createWebhookHandler`'s options, plus where the endpoint lives. */
export interface WhatsappWebhookOptions extends WebhookHandlerOptions {
  /** The route's path, under the `prefix` the plugin is registered with. Default `/webhook`. */
  path?: string;
}

/**
 * A WhatsApp webhook endpoint (GET for Meta's handshake, POST for deliveries), answered by
 * `@kabar/core`'s `createWebhookHandler`: `fastify.register(whatsappWebhook, { provider, secret,
 * verifyToken, onEvents })`. Inside its own encapsulated context it swaps Fastify's body parsers
 * for one that hands the handler the unread request stream, so the signature is checked over the
 * raw bytes and the handler's 413, 415, 401 and 400 answers reach the client unchanged; the
 * app's other routes keep their JSON parsing. Logs through `fastify.log` unless given a `logger`,
 * and `fastify.close()` waits for `onEvents` calls still running. A missing or short `secret` makes
 * `register` fail with `invalid_config`, so the app does not start. Register it once per gateway,
 * each on its own path; do not wrap it in `fastify-plugin`, which would remove the encapsulation.
 *
 * @example
 * ```ts
 * import { whatsappWebhook } from '@kabar/fastify';
 * import Fastify from 'fastify';
 *
 * const app = Fastify({ logger: true });
 * await app.register(whatsappWebhook, {
 *   path: '/webhook',
 *   provider: 'meta',
 *   secret: process.env.META_APP_SECRET ?? '',
 *   verifyToken: process.env.META_VERIFY_TOKEN,
 *   onEvents: async (events) => {
 *     for (const event of events) {
 *       if (event.kind === 'message' && event.content.type === 'text') {
 *         app.log.info(`${event.from}: ${event.content.text}`);
 *       }
 *     }
 *   },
 * });
 * await app.listen({ port: 3000 });
 * ```
 */
export const whatsappWebhook: FastifyPluginAsync<WhatsappWebhookOptions> = async (
  fastify,
  options,
) => {
  const { path = '/webhook', ...handlerOptions } = options;
  const handler = createWebhookHandler({
    ...handlerOptions,
    logger: options.logger ?? {
      warn: (message) => fastify.log.warn(message),
      error: (message, error) => fastify.log.error({ err: error }, message),
    },
  });
  const running = new Set<Promise<void>>();

  // Encapsulated: these parsers apply to this plugin's route only. The handler reads the stream
  // itself, with its own cap, and answers any content type.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  fastify.addHook('onClose', async () => {
    await Promise.all(running);
  });

  fastify.route({
    method: ['GET', 'POST'],
    url: path,
    handler: async (request, reply) => {
      const result = await handler.handle({
        method: request.method,
        headers: request.headers,
        query: request.query as HandshakeQuery,
        body: request.body as BodySource | undefined,
      });
      running.add(result.done);
      result.done.then(() => running.delete(result.done));
      return reply.code(result.status).headers(result.headers).send(result.body);
    },
  });
};
