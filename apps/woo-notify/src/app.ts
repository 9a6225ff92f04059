import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type ConsentStore, maskPhone, maskPhonesIn, type OutgoingMessage } from '@kabar/core';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { WooNotifyConfig } from './config.js';
import { type Logger, withFields } from './log.js';
import type { ServiceMetrics } from './metrics.js';
import { checkoutConsent, customerPhone, type Job, planOrder, type WooOrder } from './order.js';
import { readOrder } from './order-input.js';
import type { FailedPage, OutboxRow, OutboxStore } from './outbox.js';
import type { ReconcileReport } from './reconcile.js';

/** WordPress's `wp_specialchars_decode($secret, ENT_QUOTES)`, which WooCommerce applies to the secret. */
export function decodeSecret(secret: string): string {
  return secret
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&#x0*27;/gi, "'")
    .replace(/&amp;/g, '&');
}

/** As WooCommerce computes it: base64 HMAC-SHA256 of the raw body. */
export function signWoo(body: Buffer | string, secret: string): string {
  return createHmac('sha256', decodeSecret(secret)).update(body).digest('base64');
}

/** Checks `X-WC-Webhook-Signature` against the raw body, in constant time. */
export function verifyWooSignature(body: Buffer, header: string | undefined, secret: string) {
  if (!header) return false;
  const expected = Buffer.from(signWoo(body, secret));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const TOPICS = new Set(['order.created', 'order.updated']);
const PING = /^webhook_id=\d+$/;
const WEBHOOK_PATH = '/webhooks/woocommerce';

/**
 * An `X-Request-Id` worth keeping: what proxies and load balancers send (UUIDs, hex, their own
 * dotted or slashed forms), short and printable, so it is safe in a log line and a header.
 */
const REQUEST_ID = /^[\w.:/+=-]{1,128}$/;

/**
 * The request id an incoming request keeps: its own `X-Request-Id` if valid, else a new one. An id
 * with something in it that reads as a phone number is replaced too: the log would mask it, and
 * a masked id no longer finds its lines. Ours are UUIDs without dashes, for the same reason.
 */
function requestIdOf(header: string | undefined): string {
  const valid = header !== undefined && REQUEST_ID.test(header) && maskPhonesIn(header) === header;
  return valid ? header : randomUUID().replaceAll('-', '');
}

/** The logger of one request: every line carries its request id (set by `createApp`). */
function requestLog(res: Response): Logger {
  return res.locals.log as Logger;
}

/**
 * Answers 401 (and logs `unauthorized` with the path, never what was sent) unless the request
 * carries `Authorization: Bearer <token>`, compared in constant time.
 */
function bearerGuard(token: string, refusal: string) {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      requestLog(res)('warn', 'unauthorized', { path: req.originalUrl.split('?')[0], ip: req.ip });
      res.status(401).json({ error: refusal });
      return;
    }
    next();
  };
}

/** Failed rows per page of `GET /admin/failed`, unless `limit` says otherwise (up to 1000). */
const PAGE_SIZE = 100;

/** `?limit=&cursor=` of `GET /admin/failed`, checked. */
function pageQuery(
  query: Record<string, unknown>,
): { ok: true; after: number; limit: number } | { ok: false; error: string } {
  const { limit = String(PAGE_SIZE), cursor = '0' } = query;
  if (typeof limit !== 'string' || !/^\d{1,4}$/.test(limit) || +limit < 1 || +limit > 1000) {
    return { ok: false, error: 'limit: expected an integer 1..1000' };
  }
  if (typeof cursor !== 'string' || !/^\d{1,15}$/.test(cursor)) {
    return { ok: false, error: "cursor: expected the 'next' of the previous page" };
  }
  return { ok: true, after: Number(cursor), limit: Number(limit) };
}

/**
 * Group commit: the webhooks that arrive in the same event-loop turn are written in one SQLite
 * transaction (one fsync), and each is answered only after that commit.
 */
export function groupCommitter(outbox: OutboxStore): (jobs: Job[]) => Promise<number> {
  let queue: { jobs: Job[]; resolve: (n: number) => void; reject: (e: unknown) => void }[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      // SQLite answers synchronously (one transaction); Redis asynchronously (one round trip per batch).
      const added = await outbox.enqueueGroups(batch.map((entry) => entry.jobs));
      for (const [i, entry] of batch.entries()) entry.resolve(added[i] ?? 0);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  };
  return (jobs) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush());
      queue.push({ jobs, resolve, reject });
    });
}

/**
 * Records the checkout's opt-in box (`consent.optInMetaKey`) for the customer's number, source
 * `checkout`, as of when the order was placed. A later choice wins: a redelivered or updated order
 * never overrides a STOP (or a newer order's box) recorded after it was placed. Orders without the
 * field, or without a usable number, record nothing.
 */
export async function recordCheckoutConsent(
  order: WooOrder,
  config: WooNotifyConfig,
  consent: ConsentStore,
  log: Logger,
): Promise<void> {
  const choice = checkoutConsent(order, config.consent.optInMetaKey);
  if (!choice) return;
  const phone = customerPhone(order, config.defaultCountry);
  if (!phone.ok) return;
  const known = await consent.get(phone.phone);
  // Without an order time the box only fills a gap: it cannot tell whether it is the newer word.
  if (known && (choice.at === undefined || known.at >= choice.at)) return;
  await consent.set(phone.phone, {
    status: choice.status,
    source: 'checkout',
    at: choice.at ?? Date.now(),
  });
  log('info', 'consent_recorded', {
    order: order.number ?? order.id,
    phone: maskPhone(phone.phone),
    consent: choice.status,
    previous: known?.status ?? null,
  });
}

/** What the HTTP side is wired to. */
export interface AppDeps {
  config: WooNotifyConfig;
  log: Logger;
  /** Counted here (deliveries), served at `/metrics`. */
  metrics: ServiceMetrics;
  outbox?: OutboxStore;
  /** Where checkout opt-ins and opt-outs are recorded; none recorded without it. */
  consent?: ConsentStore;
  /** Called after new rows were committed. */
  onEnqueued?: () => void;
  ready?: () =>
    | { ok: boolean; checks: Record<string, boolean> }
    | Promise<{ ok: boolean; checks: Record<string, boolean> }>;
  /** Runs a reconciliation sweep now (`POST /admin/reconcile`). */
  reconcile?: () => Promise<ReconcileReport>;
  /** Benchmark baseline: verify the signature, answer 200, store nothing. */
  bare?: boolean;
}

/** What the admin needs to decide about a row the gateway could not settle. */
function review(row: OutboxRow) {
  if (row.state !== 'maybe_sent') return undefined;
  const message = JSON.parse(row.message ?? 'null') as OutgoingMessage | null;
  const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());
  return {
    startedAt: iso(row.uncertain_since),
    lastAttemptAt: iso(row.uncertain_until),
    idempotencyKey: message?.idempotencyKey ?? null,
    evidence: row.evidence ?? null,
    checkedAt: iso(row.checked_at),
  };
}

/** The Express app: the WooCommerce webhook, health checks and the admin API. */
export function createApp(deps: AppDeps): Express {
  const { config, metrics } = deps;
  const enqueue = deps.outbox ? groupCommitter(deps.outbox) : async () => 0;
  const app = express();
  app.disable('x-powered-by');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req.get('x-request-id'));
    res.set('x-request-id', requestId);
    res.locals.requestId = requestId;
    res.locals.log = withFields(deps.log, { requestId });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const state = (await deps.ready?.()) ?? { ok: true, checks: {} };
    res.status(state.ok ? 200 : 503).json(state);
  });
  const metricsGuard = config.metricsToken
    ? bearerGuard(config.metricsToken, 'metrics token required: Authorization: Bearer <token>')
    : (_req: Request, _res: Response, next: NextFunction) => next();
  app.get('/metrics', metricsGuard, async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.set('content-type', metrics.registry.contentType).send(text);
  });

  app.post(
    WEBHOOK_PATH,
    express.raw({ type: () => true, limit: '2mb' }),
    async (req: Request, res: Response) => {
      const log = requestLog(res);
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.get('x-wc-webhook-signature');
      if (!signature && !req.get('x-wc-webhook-topic') && PING.test(body.toString('utf8').trim())) {
        log('info', 'webhook_ping', { webhookId: body.toString('utf8').trim().slice(11) });
        metrics.delivery({ outcome: 'accepted', reason: 'ping' });
        res.status(200).json({ ok: true, ping: true });
        return;
      }
      if (!verifyWooSignature(body, signature, config.webhookSecret)) {
        log('warn', 'webhook_bad_signature', {
          topic: req.get('x-wc-webhook-topic') ?? null,
          hasSignature: Boolean(signature),
          ip: req.ip,
        });
        metrics.delivery({ outcome: 'refused', reason: 'bad_signature' });
        res.status(401).json({ error: 'invalid signature' });
        return;
      }
      if (deps.bare) {
        res.status(200).json({ ok: true });
        return;
      }
      const topic = req.get('x-wc-webhook-topic') ?? '';
      if (!TOPICS.has(topic)) {
        log('info', 'webhook_ignored', { topic, reason: 'topic' });
        metrics.delivery({ outcome: 'accepted', reason: 'ignored' });
        res.status(200).json({ ok: true, ignored: 'topic' });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        log('warn', 'webhook_bad_json', { topic });
        metrics.delivery({ outcome: 'refused', reason: 'bad_json' });
        res.status(400).json({ error: 'body is not JSON' });
        return;
      }
      // A body of the wrong shape will be just as wrong when redelivered: 400, never a 500.
      const input = readOrder(parsed);
      if (!input.ok) {
        log('warn', 'webhook_not_an_order', { topic, problem: input.problem });
        metrics.delivery({ outcome: 'refused', reason: 'not_an_order' });
        res.status(400).json({ error: `not a WooCommerce order: ${input.problem}` });
        return;
      }
      const { order } = input;
      // Consent first, so the worker sending this order's messages already knows it.
      if (deps.consent && order.status !== 'checkout-draft') {
        await recordCheckoutConsent(order, config, deps.consent, log);
      }
      const plan = planOrder(order, config);
      if (plan.kind === 'ignored') {
        log('info', 'order_ignored', {
          order: order.number ?? order.id,
          status: order.status,
          reason: plan.reason,
        });
        metrics.delivery({ outcome: 'accepted', reason: 'ignored' });
        res.status(200).json({ ok: true, ignored: plan.reason });
        return;
      }
      for (const job of plan.jobs) {
        if (job.failure) {
          // The full number is in the failed row for the admin (GET /admin/failed), not here.
          log('error', 'order_phone_unusable', {
            order: job.orderNumber,
            status: job.status,
            phone: maskPhone(job.recipient),
            error: 'invalid_phone: no usable customer number',
          });
        }
      }
      // Durable first: the rows are committed (fsync) before WooCommerce hears 200.
      const requestId = res.locals.requestId as string;
      const added = await enqueue(plan.jobs.map((job) => ({ ...job, requestId })));
      log('info', 'order_accepted', {
        order: order.number ?? order.id,
        topic,
        status: order.status,
        queued: added,
        duplicates: plan.jobs.length - added,
      });
      if (added > 0) deps.onEnqueued?.();
      metrics.delivery({ outcome: 'accepted', reason: added > 0 ? 'queued' : 'duplicate' });
      res.status(200).json({ ok: true, queued: added, duplicates: plan.jobs.length - added });
    },
  );

  const admin = express.Router();
  admin.use(bearerGuard(config.adminToken, 'admin token required: Authorization: Bearer <token>'));
  admin.get('/failed', async (req, res) => {
    const query = pageQuery(req.query);
    if (!query.ok) {
      res.status(400).json({ error: query.error });
      return;
    }
    const page: FailedPage = (await deps.outbox?.failedPage(query.after, query.limit)) ?? {
      rows: [],
      next: null,
    };
    res.json({
      failed: page.rows.map((row) => ({
        id: row.id,
        state: row.state,
        order: row.order_number,
        orderId: row.order_id,
        status: row.status,
        role: row.role,
        recipient: row.recipient,
        attempts: row.attempts,
        error: row.last_error,
        replayable: row.message !== null,
        updatedAt: new Date(row.updated_at).toISOString(),
        review: review(row),
      })),
      // Pass as `?cursor=` for the next page; null on the last one.
      next: page.next === null ? null : String(page.next),
    });
  });
  admin.get('/stats', async (_req, res) => {
    res.json({ outbox: (await deps.outbox?.counts()) ?? {} });
  });
  admin.post('/failed/:id/replay', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || !(await deps.outbox?.replay(id))) {
      res.status(404).json({ error: 'no dead, maybe-sent or skipped message with that id' });
      return;
    }
    requestLog(res)('info', 'admin_replay', { id });
    deps.onEnqueued?.();
    res.json({ ok: true, replayed: 1 });
  });
  admin.post('/reconcile', async (_req, res) => {
    if (!deps.reconcile) {
      res.status(404).json({ error: 'no outbox to reconcile' });
      return;
    }
    const report = await deps.reconcile();
    requestLog(res)('info', 'admin_reconcile', { ...report.counts });
    res.json({ ok: true, ...report });
  });
  admin.post('/failed/replay', async (_req, res) => {
    const replayed = (await deps.outbox?.replayAll()) ?? 0;
    requestLog(res)('info', 'admin_replay_all', { replayed });
    if (replayed > 0) deps.onEnqueued?.();
    res.json({ ok: true, replayed });
  });
  app.use('/admin', admin);

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (req.path === WEBHOOK_PATH) {
      metrics.delivery({ outcome: 'refused', reason: status === 413 ? 'too_large' : 'error' });
    }
    requestLog(res)(status >= 500 ? 'error' : 'warn', 'http_error', {
      status,
      error: (error as Error).message,
    });
    res.status(status).json({ error: status >= 500 ? 'internal error' : (error as Error).message });
  });
  return app;
}
