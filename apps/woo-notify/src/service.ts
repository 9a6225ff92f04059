import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type WhatsAppClient } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { createApp } from './app.js';
import type { WooNotifyConfig } from './config.js';
import { createLogger, type Logger } from './log.js';
import { type Outbox, openOutbox } from './outbox.js';
import { startWorker, type Worker } from './worker.js';

export interface RunningService {
  url: string;
  port: number;
  outbox: Outbox;
  worker: Worker;
  client: WhatsAppClient;
  /** Stop accepting, finish in-flight sends, close the DB. */
  close(): Promise<void>;
}

export function createGatewayClient(config: WooNotifyConfig): WhatsAppClient {
  return createClient({
    provider: kirem({ apiKey: config.gateway.apiKey, baseUrl: config.gateway.baseUrl }),
    // The outbox worker owns retries (with backoff across restarts); one HTTP attempt per claim.
    retry: false,
    ...(config.gateway.ratePerSecond > 0
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
      const found = templates.find(
        (t) => t.name === rule.template && (t.language === rule.language || !rule.language),
      );
      if (found?.status !== 'APPROVED') {
        missing.push(rule.template as string);
        log('warn', 'template_not_ready', {
          status,
          template: rule.template,
          language: rule.language,
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

export async function startService(
  config: WooNotifyConfig,
  { log = createLogger(config.logLevel), checkTemplatesOnStart = true } = {},
): Promise<RunningService> {
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
  const client = createGatewayClient(config);
  const worker = startWorker({ outbox, client, config, log });
  const app = createApp({
    config,
    log,
    outbox,
    onEnqueued: () => worker.wake(),
    ready: () => {
      const checks = { database: outbox.open, worker: worker.running };
      return { ok: checks.database && checks.worker, checks };
    },
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
    db: config.dbPath,
    gateway: config.gateway.baseUrl,
    statuses: Object.keys(config.statuses),
    outbox: outbox.counts(),
  });
  if (checkTemplatesOnStart) void checkTemplates(client, config, log);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    outbox,
    worker,
    client,
    close() {
      closing ??= (async () => {
        log('info', 'service_stopping', { inFlight: worker.inFlight });
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await worker.stop();
        server.closeAllConnections();
        await closed;
        outbox.close();
        log('info', 'service_stopped', {});
      })();
      return closing;
    },
  };
}
