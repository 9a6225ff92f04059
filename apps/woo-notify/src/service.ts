import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConsentStore,
  createClient,
  type Hooks,
  isLoopbackHost,
  memoryWindowStore,
  type WhatsAppClient,
  type WindowStore,
} from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { redisConsentStore, redisWindowStore } from '@kabar/redis';
import { createApp } from './app.js';
import { validateConfig, type WooNotifyConfig } from './config.js';
import { sqliteConsentStore } from './consent-store.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, type ServiceMetrics, watchOutbox } from './metrics.js';
import { type Outbox, type OutboxStore, openOutbox } from './outbox.js';
import { type Reconciler, type ReconcileStore, startReconciler } from './reconcile.js';
import { connectRedis, openRedisOutbox, type RedisOutbox } from './redis-outbox.js';
import { startRedisWorker } from './redis-worker.js';
import { startWorker, type Worker } from './worker.js';

/** A started service: its address, outbox, worker and reconciler. */
export interface RunningService {
  url: string;
  port: number;
  /** The SQLite outbox (throws in redis mode: use `store`). */
  readonly outbox: Outbox;
  /** The outbox as the HTTP side sees it, either backend. */
  store: OutboxStore;
  /** The Redis outbox, in redis mode. */
  redisOutbox: RedisOutbox | undefined;
  worker: Worker;
  /** Settles `maybe_sent` rows from the gateway's records (`POST /admin/reconcile` runs it now). */
  reconciler: Reconciler;
  client: WhatsAppClient;
  /** The send policy's stores. */
  stores: PolicyStores;
  /** Stop accepting, finish in-flight sends, close the DB. */
  close(): Promise<void>;
}

/** The send policy's stores: consent from checkouts (and whoever shares the store), windows. */
export interface PolicyStores {
  consent: ConsentStore;
  /** Read only with `window.enforce`; fed by whatever receives the shop's WhatsApp webhooks. */
  windows: WindowStore;
}

/**
 * The Kirem client the worker sends through: one attempt per call, the worker retries. With
 * `stores`, sends follow the send policy: marketing to an opted-out customer is refused
 * (`opted_out`), and with `window.enforce` a text outside the 24-hour window (`outside_window`).
 * `hooks` observe every request (the service's gateway metrics).
 */
export function createGatewayClient(
  config: WooNotifyConfig,
  {
    rateLimit = true,
    stores,
    hooks,
  }: { rateLimit?: boolean; stores?: PolicyStores; hooks?: Hooks } = {},
): WhatsAppClient {
  return createClient({
    provider: kirem({ apiKey: config.gateway.apiKey, baseUrl: config.gateway.baseUrl }),
    ...(hooks ? { hooks } : {}),
    ...(stores
      ? {
          policy: {
            consent: stores.consent,
            ...(config.window.enforce ? { window: { store: stores.windows } } : {}),
          },
        }
      : {}),
    // The outbox worker owns retries (with backoff across restarts); one HTTP attempt per claim.
    retry: false,
    ...(rateLimit && config.gateway.ratePerSecond > 0
      ? { rateLimit: { perSecond: config.gateway.ratePerSecond } }
      : {}),
    timeoutMs: config.gateway.timeoutMs,
    defaultRegion: 'ID',
  });
}

/** Tells the operator which mapped templates the gateway does not have approved. */
export async function checkTemplates(
  client: WhatsAppClient,
  config: WooNotifyConfig,
  log: Logger,
): Promise<string[]> {
  const wanted = Object.entries(config.statuses).filter(([, rule]) => rule.template);
  if (wanted.length === 0) return [];
  try {
    const templates = await client.templates.list();
    const missing: string[] = [];
    for (const [status, rule] of wanted) {
      const language = rule.language ?? 'id';
      const found = templates.find((t) => t.name === rule.template && t.language === language);
      if (found?.status !== 'APPROVED') {
        missing.push(rule.template as string);
        log('warn', 'template_not_ready', {
          status,
          template: rule.template,
          language,
          found: found?.status ?? 'missing',
          hint: found
            ? 'wait for approval, or approve it in the sandbox: POST /api/v1/templates/kirem/<name>/status {"status":"APPROVED"}'
            : 'create it at the gateway (see README: "The notif_pesanan_baru template"), or, against the sandbox, run node scripts/post-sample-order.mjs (it creates and approves it)',
        });
      }
    }
    return missing;
  } catch (error) {
    log('warn', 'template_check_failed', { error: (error as Error).message });
    return [];
  }
}

interface Backend {
  store: OutboxStore & ReconcileStore;
  sqlite?: Outbox;
  redis?: RedisOutbox;
  worker: Worker;
  ready(): Promise<{ ok: boolean; checks: Record<string, boolean> }>;
  close(): Promise<void>;
}

function openSqlite(
  config: WooNotifyConfig,
  client: WhatsAppClient,
  log: Logger,
  metrics: ServiceMetrics,
): Backend {
  const outbox = openOutbox(config.dbPath);
  const recovered = outbox.recover(config.gateway.deduplicates);
  if (recovered.requeued > 0 || recovered.maybeSent > 0) {
    log('warn', 'outbox_recovered', {
      ...recovered,
      note: config.gateway.deduplicates
        ? 'interrupted sends requeued with the same Idempotency-Key; the gateway drops duplicates'
        : 'interrupted sends listed as maybe_sent under GET /admin/failed; replay them only if undelivered',
    });
  }
  const worker = startWorker({ outbox, client, config, log, metrics });
  return {
    store: outbox,
    sqlite: outbox,
    worker,
    ready: async () => {
      const checks = { database: outbox.open, worker: worker.running };
      return { ok: checks.database && checks.worker, checks };
    },
    close: async () => outbox.close(),
  };
}

async function openRedis(
  settings: { url: string; prefix?: string; cluster?: boolean },
  config: WooNotifyConfig,
  client: WhatsAppClient,
  log: Logger,
  metrics: ServiceMetrics,
): Promise<Backend> {
  const prefix = settings.prefix ?? 'woo-notify';
  const outbox = openRedisOutbox(settings.url, prefix, {
    ...config.worker,
    cluster: settings.cluster,
  });
  if (!(await outbox.ping())) {
    await outbox.close().catch(() => {});
    throw new Error(`woo-notify: no Redis answers at ${redactUrl(settings.url)} (outbox.url)`);
  }
  const indexed = await outbox.index();
  if (indexed > 0) log('info', 'outbox_indexed', { rows: indexed });
  const worker = startRedisWorker({
    outbox,
    url: settings.url,
    cluster: settings.cluster,
    client,
    config,
    log,
    metrics,
  });
  await worker.waitUntilReady();
  return {
    store: outbox,
    redis: outbox,
    worker,
    ready: async () => {
      const checks = { redis: await outbox.ping(), worker: worker.running };
      return { ok: checks.redis && checks.worker, checks };
    },
    close: () => outbox.close(),
  };
}

/** A URL for logs: any user and password hidden. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/**
 * Opens the outbox, starts the worker and the reconciler, and listens. Refuses a configuration
 * whose secrets are missing, short, or public development values on a non-loopback address.
 */
export async function startService(
  unchecked: WooNotifyConfig,
  {
    log = createLogger(unchecked.logLevel),
    checkTemplatesOnStart = true,
    ...given
  }: {
    log?: Logger;
    checkTemplatesOnStart?: boolean;
    /**
     * Where checkout consent is recorded and read. Default: `redisConsentStore` on the outbox's
     * Redis (keys `kabar:consent:<number>`, shared with other Kabar apps), else this process's memory.
     */
    consent?: ConsentStore;
    /**
     * When each customer last wrote (read with `window.enforce`). Default: `redisWindowStore` on
     * the outbox's Redis (`kabar:window:…`), else this process's memory.
     */
    windows?: WindowStore;
  } = {},
): Promise<RunningService> {
  // A configuration built without loadConfig gets the same checks (secrets above all).
  const config = validateConfig(unchecked);
  const metrics = createMetrics();
  const redisMode = config.outbox.kind === 'redis';
  // In redis mode the stores are shared by every instance (and any Kabar app on the same Redis).
  const storesRedis =
    config.outbox.kind === 'redis' && (!given.consent || !given.windows)
      ? connectRedis(config.outbox, { maxRetriesPerRequest: 3 })
      : undefined;
  storesRedis?.on('error', () => {}); // a failing call rejects: the webhook answers 500
  const closeStores = async () => {
    sqliteConsent?.close();
    await storesRedis?.quit().catch(() => storesRedis.disconnect());
  };
  // In this workspace @kabar/redis is typed against its own ioredis (6) and this app pins 5.9.3,
  // which @kabar/redis supports at run time (`^5.3.0 || ^6.0.0`): only the types differ.
  const shared = storesRedis as unknown as Parameters<typeof redisConsentStore>[0] | undefined;
  // Without Redis the ledger lives in the outbox's SQLite file, so opt-ins survive restarts.
  const sqliteConsent = given.consent || shared ? undefined : sqliteConsentStore(config.dbPath);
  const consent =
    given.consent ?? (shared ? redisConsentStore(shared) : (sqliteConsent as ConsentStore));
  const windows = given.windows ?? (shared ? redisWindowStore(shared) : memoryWindowStore());
  // In redis mode the send rate is one budget for all instances, kept by BullMQ's limiter.
  const client = createGatewayClient(config, {
    rateLimit: !redisMode,
    stores: { consent, windows },
    hooks: metrics.gateway,
  });
  let backend: Backend;
  try {
    backend =
      config.outbox.kind === 'redis'
        ? await openRedis(config.outbox, config, client, log, metrics)
        : openSqlite(config, client, log, metrics);
  } catch (error) {
    await closeStores();
    throw error;
  }
  const { worker, store } = backend;
  watchOutbox(metrics, store);
  const reconciler = startReconciler({
    store,
    client,
    config,
    log,
    onRequeued: () => worker.wake(),
  });
  const app = createApp({
    config,
    log,
    metrics,
    outbox: store,
    consent,
    onEnqueued: () => worker.wake(),
    ready: backend.ready,
    reconcile: () => reconciler.run(),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  server.keepAliveTimeout = 5000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  log('info', 'service_started', {
    url,
    ...(config.outbox.kind === 'redis'
      ? { redis: redactUrl(config.outbox.url), prefix: config.outbox.prefix ?? 'woo-notify' }
      : { db: config.dbPath }),
    gateway: redactUrl(config.gateway.baseUrl),
    statuses: Object.keys(config.statuses),
    outbox: await store.counts(),
    consentMetaKey: config.consent.optInMetaKey || null,
    enforceWindow: config.window.enforce,
  });
  if (!config.metricsToken && !isLoopbackHost(config.host)) {
    log('warn', 'metrics_open', {
      hint: `/metrics answers anyone who reaches ${config.host}:${port}: set WOO_NOTIFY_METRICS_TOKEN, or route only /webhooks/woocommerce through the proxy`,
    });
  }
  if (checkTemplatesOnStart) void checkTemplates(client, config, log);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    get outbox(): Outbox {
      if (!backend.sqlite) throw new Error('woo-notify: redis outbox: use service.store');
      return backend.sqlite;
    },
    store,
    redisOutbox: backend.redis,
    worker,
    reconciler,
    client,
    stores: { consent, windows },
    close() {
      closing ??= (async () => {
        log('info', 'service_stopping', { inFlight: worker.inFlight });
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.all([worker.stop(), reconciler.stop()]);
        server.closeAllConnections();
        await closed;
        await backend.close();
        await closeStores();
        log('info', 'service_stopped', {});
      })();
      return closing;
    },
  };
}
