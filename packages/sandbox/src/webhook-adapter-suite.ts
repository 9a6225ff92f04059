import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metaWebhookTextRawBody } from './seed-examples.js';
import { hmacSignature } from './webhook-delivery.js';

/** Where an adapter writes the handler's log lines (`WebhookLogger` in `@kabar/core/webhooks`). */
export interface WebhookAdapterLogger {
  /** A refused request's cause (a missing or wrong signature), once per cause. */
  warn(message: string): void;
  /** A failure the gateway is not told about (`onEvents` threw, a 500), with what was thrown. */
  error(message: string, error?: unknown): void;
}

/**
 * What `describeWebhookAdapter` hands an adapter's `start`: the few `createWebhookHandler` options
 * every case needs. Pass them all on to the adapter unchanged.
 */
export interface WebhookAdapterOptions {
  /** Always `'meta'`: the suite speaks Meta's Cloud API webhooks (signature, GET handshake). */
  provider: 'meta';
  /** The app secret the suite signs its requests with. */
  secret: string;
  /** The token the suite's GET handshake presents. */
  verifyToken: string;
  /** Set only by the 413 cases (1024 bytes); elsewhere the adapter keeps its default cap. */
  bodyLimit?: number;
  /** Records each call; the cases count the calls and read the events and delivery. */
  onEvents: (events: unknown[], delivery: unknown) => void;
  /** Records the handler's log lines; the 401 case checks each refusal's cause is logged once. */
  logger: WebhookAdapterLogger;
}

/**
 * A running endpoint: a `url` served over real HTTP (Express, Fastify, Hono on Node), or a `fetch`
 * function for an adapter with no server of its own (a Next.js route handler's `GET`/`POST`).
 */
export type StartedWebhookAdapter = (
  | {
      /** The endpoint's full URL, e.g. `http://127.0.0.1:3000/webhook`. */
      url: string;
    }
  | {
      /** Answers one request, as a route handler or `app.fetch` does. */
      fetch(request: Request): Promise<Response>;
    }
) & {
  /** Called after each case; leave it out when there is nothing to stop. */
  close?(): Promise<void>;
};

/** The adapter `describeWebhookAdapter` tests. */
export interface WebhookAdapterUnderTest {
  /** Mounts the adapter on a fresh app with `options`; called once per case. */
  start(options: WebhookAdapterOptions): Promise<StartedWebhookAdapter>;
  /**
   * Whether the transport can send a chunked body without `Content-Length`, for the streamed 413
   * case. Default true.
   */
  chunked?: boolean;
  /**
   * For an adapter that cannot take `bodyLimit` (a route module on the handler's 3 MiB default):
   * the cap it enforces, which the 413 cases then exceed instead of 1024 bytes.
   */
  fixedBodyLimit?: number;
  /**
   * More checks on the `delivery` `onEvents` got for a signed webhook, whose `provider` the suite
   * checks itself: what the adapter adds (the framework's request), or that it adds nothing.
   */
  checkDelivery?(delivery: unknown): void;
}

const SECRET = 'meta_app_secret_for_adapter_tests';
const VERIFY_TOKEN = 'verify-token-kabar';
const SMALL_BODY_LIMIT = 1024;
/** How long a refusal that should come before the body may take; past it, the body was awaited. */
const EARLY_ANSWER_MS = 5000;
/** Lets the dispatch that follows an answer run, so "no call" means none is coming. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** What the handler makes of `metaWebhookTextRawBody`. */
const TEXT_EVENT = {
  kind: 'message',
  provider: 'meta',
  from: '6281234567890',
  name: 'Budi',
  id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNUE3RjU2QjZDOEQ3RTBBAA==',
  content: { type: 'text', text: 'Halo 👋 pesanan 12/05 sudah dikirim?' },
  business: { phoneNumberId: '1234567890' },
};

/** Meta's text webhook with the message's text changed: still JSON, no longer what was signed. */
const withText = (text: string) => metaWebhookTextRawBody.replace('sudah dikirim?', text);

const signed = (body: string, secret = SECRET) => ({
  'x-hub-signature-256': hmacSignature(secret, body),
});

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in ${EARLY_ANSWER_MS} ms`)),
      EARLY_ANSWER_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Registers the conformance cases every webhook adapter over `@kabar/core`'s
 * `createWebhookHandler` must pass, as a vitest `describe(name)`: a signed Meta text webhook
 * reaches `onEvents` after a 200; a forged, tampered or missing signature gets 401, runs no
 * handler and logs each cause once; a body past the cap gets 413 (whole, declared but not sent,
 * and chunked); a replay gets 200 but reaches no handler; Meta's GET handshake echoes the challenge
 * as text/plain, 403 for a wrong token; a body that is not JSON gets 415. Each case calls
 * `adapter.start` with fresh options and `close()`s what it started.
 *
 * @example
 * ```ts
 * import { whatsappWebhook } from '@kabar/hono';
 * import { describeWebhookAdapter } from '@kabar/sandbox/vitest';
 * import { Hono } from 'hono';
 *
 * describeWebhookAdapter('whatsappWebhook on Hono', {
 *   start: async (options) => {
 *     const app = new Hono();
 *     app.on(['GET', 'POST'], '/webhook', whatsappWebhook(options));
 *     return { fetch: async (request) => app.fetch(request) };
 *   },
 * });
 * ```
 */
export function describeWebhookAdapter(name: string, adapter: WebhookAdapterUnderTest): void {
  describe(name, () => {
    const running: StartedWebhookAdapter[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((started) => started.close?.()));
    });

    async function start(bodyLimit?: number) {
      const onEvents = vi.fn<(events: unknown[], delivery: unknown) => void>();
      const logger = { warn: vi.fn<(message: string) => void>(), error: vi.fn() };
      const options: WebhookAdapterOptions = {
        provider: 'meta',
        secret: SECRET,
        verifyToken: VERIFY_TOKEN,
        ...(bodyLimit === undefined ? {} : { bodyLimit }),
        onEvents,
        logger,
      };
      const started = await adapter.start(options);
      running.push(started);
      const target = (query = '') =>
        'url' in started ? `${started.url}${query}` : `https://kabar-adapter.test/webhook${query}`;
      /** Sends one request over HTTP, or to the adapter's `fetch`. */
      const send = (init: RequestInit = {}, query = '') =>
        'url' in started
          ? fetch(target(query), init)
          : started.fetch(new Request(target(query), init));
      const post = (body: BodyInit, headers: Record<string, string> = {}) =>
        send({
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          duplex: 'half',
        } as RequestInit);
      return { started, target, send, post, onEvents, logger };
    }

    it('hands a signed Meta text webhook to onEvents after answering 200', async () => {
      const { post, onEvents, logger } = await start();
      const response = await post(metaWebhookTextRawBody, signed(metaWebhookTextRawBody));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ received: 1 });
      await vi.waitFor(() => expect(onEvents).toHaveBeenCalledTimes(1));
      const [events, delivery] = onEvents.mock.calls[0] ?? [];
      expect(events).toMatchObject([TEXT_EVENT]);
      expect(delivery).toMatchObject({ provider: 'meta' });
      adapter.checkDelivery?.(delivery);
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('answers 401 to a forged, tampered or missing signature, logs each cause once, runs no handler', async () => {
      const { post, onEvents, logger } = await start();
      const body = metaWebhookTextRawBody;
      const forged = await post(body, signed(body, 'not-the-app-secret'));
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ error: 'invalid_signature' });
      // A body changed after signing fails the same way.
      const tampered = await post(withText('transfer ke rekening lain'), signed(body));
      expect(tampered.status).toBe(401);
      const unsigned = await post(body);
      expect(unsigned.status).toBe(401);
      expect(await unsigned.json()).toMatchObject({ error: 'invalid_signature' });
      await settle();
      expect(onEvents).not.toHaveBeenCalled();
      // Two causes (no match, no header), each said once, never with the secret.
      expect(logger.warn).toHaveBeenCalledTimes(2);
      for (const [message] of logger.warn.mock.calls) expect(message).not.toContain(SECRET);
    });

    it('answers 413 to a body past the cap, declared or streamed, and runs no handler', async () => {
      const limit = adapter.fixedBodyLimit ?? SMALL_BODY_LIMIT;
      const { started, target, post, onEvents } = await start(SMALL_BODY_LIMIT);
      const body = withText(`sudah dikirim? ${'x'.repeat(limit)}`);
      const whole = await post(body, signed(body));
      expect(whole.status).toBe(413);
      expect(await whole.json()).toMatchObject({ error: 'payload_too_large' });

      // A declared length past the cap is refused before any of the body arrives.
      const headers = {
        'content-type': 'application/json',
        'content-length': String(1024 ** 3),
        ...signed(body),
      };
      const declared =
        'url' in started
          ? await within(
              new Promise<number>((resolve, reject) => {
                const request = httpRequest(target(), { method: 'POST', headers });
                request.on('response', (response) => {
                  resolve(response.statusCode ?? 0);
                  response.resume();
                  request.destroy();
                });
                request.on('error', reject);
                request.flushHeaders();
              }),
              'a declared Content-Length past the cap',
            )
          : (
              await within(
                started.fetch(
                  new Request(target(), {
                    method: 'POST',
                    headers,
                    body: new ReadableStream<Uint8Array>(), // never sends a byte
                    duplex: 'half',
                  } as RequestInit),
                ),
                'a declared Content-Length past the cap',
              )
            ).status;
      expect(declared).toBe(413);

      if (adapter.chunked !== false) {
        // Chunked, with no Content-Length: refused once the chunks pass the cap.
        const bytes = new TextEncoder().encode(body);
        const size = Math.max(256, Math.ceil(limit / 4));
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let offset = 0; offset < bytes.length; offset += size) {
              controller.enqueue(bytes.subarray(offset, offset + size));
            }
            controller.close();
          },
        });
        const streamed = await post(stream, signed(body));
        expect(streamed.status).toBe(413);
        expect(await streamed.json()).toMatchObject({ error: 'payload_too_large' });
      }
      await settle();
      expect(onEvents).not.toHaveBeenCalled();
    });

    it('answers a replay 200 again but runs the handler once', async () => {
      const { post, onEvents } = await start();
      const body = metaWebhookTextRawBody;
      const first = await post(body, signed(body));
      const replay = await post(body, signed(body));
      expect([first.status, replay.status]).toEqual([200, 200]);
      await vi.waitFor(() => expect(onEvents).toHaveBeenCalledTimes(1));
      await settle();
      expect(onEvents).toHaveBeenCalledTimes(1);
    });

    it("answers Meta's GET handshake with the challenge as text/plain, 403 to a wrong token", async () => {
      const { send } = await start();
      const ok = await send(
        {},
        `?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await ok.text()).toBe('1158201444');

      const wrong = await send({}, '?hub.mode=subscribe&hub.verify_token=guessed&hub.challenge=1');
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ error: 'verification_failed' });
    });

    it('answers 415 to a body that is not JSON, signed or not, and runs no handler', async () => {
      const { post, onEvents } = await start();
      const form = 'hub.mode=subscribe';
      const signedForm = await post(form, {
        'content-type': 'application/x-www-form-urlencoded',
        ...signed(form),
      });
      expect(signedForm.status).toBe(415);
      expect(await signedForm.json()).toMatchObject({ error: 'unsupported_media_type' });
      const text = await post('halo', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
      await settle();
      expect(onEvents).not.toHaveBeenCalled();
    });
  });
}
