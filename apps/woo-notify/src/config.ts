import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KabarError, refuseDevSecrets, requireSecret } from '@kabar/core';

/** What to send for one order status. Exactly one of `template` or `text`. */
export interface StatusRule {
  /** An approved template's name, e.g. `notif_pesanan_baru`. */
  template?: string;
  /** Template language. Default `id`. */
  language?: string;
  /**
   * Positional template parameters ({{1}}, {{2}}, ...), each a text with placeholders such as
   * `{name}`, `{store}`, `{number}`, `{total}` (`Rp 150.000`, or `US$25,50` in the order's own
   * currency), `{amount}` (`150.000`), `{currency}` (`IDR`), `{products}`.
   */
  params?: string[];
  /** A plain text message with the same placeholders. */
  text?: string;
  /**
   * What the message is for, as the send policy sees it. Default `utility` (an order update).
   * `marketing` (a status message that also promotes) is skipped for customers who opted out.
   */
  category?: 'utility' | 'marketing';
}

/** Marketing consent, as the checkout records it and as sends respect it. */
export interface ConsentConfig {
  /**
   * The order `meta_data` key of the checkout's WhatsApp opt-in box; `yes`, `1` or `true` opt the
   * customer in, any other value out. Empty: orders carry no consent. Default `_wa_optin`.
   */
  optInMetaKey: string;
}

/** Meta's 24-hour customer-service window, which Kirem (on Meta's platform) applies too. */
export interface WindowConfig {
  /**
   * Refuse a text (not a template) to a customer who has not written in the last 24 hours before
   * sending it: the row is `skipped` with `outside_window` instead of being accepted by the
   * gateway and failed by Meta later. Default false.
   */
  enforce: boolean;
}

/** Notifications to the shop itself. */
export interface AdminConfig {
  /** The shop's number; empty turns admin notifications off. */
  phone: string;
  /** Statuses that count as a "new order" for the admin. Default `['processing']`. */
  statuses: string[];
  text: string;
}

/** The whole configuration; see the README's table. */
export interface WooNotifyConfig {
  port: number;
  host: string;
  /** The secret typed into WooCommerce → Settings → Advanced → Webhooks. */
  webhookSecret: string;
  /** Bearer token for `/admin`. */
  adminToken: string;
  storeName: string;
  /** The SQLite outbox's file (the `sqlite` outbox; `outbox.path` sets it too). */
  dbPath: string;
  /**
   * Where the outbox lives. `sqlite` (default): one process per database file. `redis`: BullMQ on
   * Redis, the dedupe in Redis; several instances may share one `url` + `prefix`.
   */
  outbox: OutboxConfig;
  gateway: {
    provider: 'kirem';
    apiKey: string;
    baseUrl: string;
    /** Does the gateway drop a resend carrying the same Idempotency-Key? Kirem: yes. */
    deduplicates: boolean;
    /** Messages per second; 0 = the provider's documented default. */
    ratePerSecond: number;
    timeoutMs: number;
  };
  worker: {
    concurrency: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    pollIntervalMs: number;
  };
  /** Settling sends that may have reached the gateway (`maybe_sent`) from the gateway's own records. */
  reconcile: {
    /** How often to ask the gateway about `maybe_sent` rows; 0 turns the sweep off. */
    intervalMs: number;
    /** How long the gateway may take to log an accepted send; before that, no log proves nothing. */
    settleMs: number;
  };
  statuses: Record<string, StatusRule>;
  admin: AdminConfig;
  consent: ConsentConfig;
  window: WindowConfig;
  /** Region for customer numbers with no billing country. Default `ID`. */
  defaultCountry: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Which outbox holds the messages. */
export type OutboxConfig =
  | { kind: 'sqlite'; path?: string }
  | {
      kind: 'redis';
      /** `redis://host:port/db`. */
      url: string;
      /** Key prefix shared by every instance of one shop. Default `woo-notify`. */
      prefix?: string;
      /**
       * `url` is a node of a Redis Cluster (ioredis finds the others). The keys then go under the
       * hash tag `{<prefix>}`, so the outbox and its BullMQ queue share one slot. Default false.
       */
      cluster?: boolean;
    };

/** The webhook secret of the embedded development configuration: public, loopback only. */
export const DEV_WEBHOOK_SECRET = 'woo_dev_webhook_secret';
/** The admin token of the embedded development configuration: public, loopback only. */
export const DEV_ADMIN_TOKEN = 'woo_dev_admin_token';

/** The embedded defaults: the sandbox on this machine, development secrets. */
export function defaultConfig(): WooNotifyConfig {
  return {
    port: 4050,
    host: '127.0.0.1',
    webhookSecret: DEV_WEBHOOK_SECRET,
    adminToken: DEV_ADMIN_TOKEN,
    storeName: 'Toko Kabar',
    // apps/woo-notify/.data (gitignored), wherever the process is started from.
    dbPath: fileURLToPath(new URL('../.data/woo-notify.sqlite', import.meta.url)),
    outbox: { kind: 'sqlite' },
    gateway: {
      provider: 'kirem',
      apiKey: 'kirem_test_key',
      baseUrl: 'http://127.0.0.1:4010/kirem',
      deduplicates: true,
      ratePerSecond: 0,
      timeoutMs: 15_000,
    },
    worker: {
      concurrency: 8,
      maxAttempts: 25,
      backoffBaseMs: 1000,
      backoffMaxMs: 5 * 60_000,
      pollIntervalMs: 250,
    },
    reconcile: { intervalMs: 60_000, settleMs: 60_000 },
    statuses: {
      processing: {
        template: 'notif_pesanan_baru',
        language: 'id',
        params: ['{name}', '{store}', '{number}', '{amount}'],
      },
      'on-hold': {
        text: 'Halo {name}, pesanan #{number} di {store} menunggu pembayaran sebesar {total}. Terima kasih!',
      },
      completed: {
        text: 'Halo {name}, pesanan #{number} dari {store} sudah selesai dan dikirim:\n{products}\nTotal: {total}. Terima kasih telah berbelanja!',
      },
      cancelled: {
        text: 'Halo {name}, pesanan #{number} di {store} telah dibatalkan. Hubungi kami bila ada pertanyaan.',
      },
      refunded: {
        text: 'Halo {name}, dana pesanan #{number} sebesar {total} telah dikembalikan oleh {store}.',
      },
    },
    admin: {
      phone: '6281299990000',
      statuses: ['processing'],
      text: 'Pesanan baru #{number} dari {name} ({phone}):\n{products}\nTotal: {total}',
    },
    consent: { optInMetaKey: '_wa_optin' },
    window: { enforce: false },
    defaultCountry: 'ID',
    logLevel: 'info',
  };
}

/** Every problem found in a configuration, one per line; stops startup. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`woo-notify: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Json, override: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // `statuses` is replaced as a whole: a file that lists statuses means exactly those.
    out[key] =
      isObject(value) && isObject(base[key]) && key !== 'statuses'
        ? merge(base[key] as Json, value)
        : value;
  }
  return out;
}

/** Environment variables that override the file, each naming the field it sets. */
const ENV: [string, string, 'string' | 'number' | 'boolean'][] = [
  ['WOO_NOTIFY_PORT', 'port', 'number'],
  ['WOO_NOTIFY_HOST', 'host', 'string'],
  ['WOO_NOTIFY_WEBHOOK_SECRET', 'webhookSecret', 'string'],
  ['WOO_NOTIFY_ADMIN_TOKEN', 'adminToken', 'string'],
  ['WOO_NOTIFY_STORE_NAME', 'storeName', 'string'],
  ['WOO_NOTIFY_DB', 'dbPath', 'string'],
  ['WOO_NOTIFY_OUTBOX', 'outbox.kind', 'string'],
  ['WOO_NOTIFY_REDIS_URL', 'outbox.url', 'string'],
  ['WOO_NOTIFY_REDIS_PREFIX', 'outbox.prefix', 'string'],
  ['WOO_NOTIFY_REDIS_CLUSTER', 'outbox.cluster', 'boolean'],
  ['WOO_NOTIFY_KIREM_API_KEY', 'gateway.apiKey', 'string'],
  ['WOO_NOTIFY_KIREM_BASE_URL', 'gateway.baseUrl', 'string'],
  ['WOO_NOTIFY_GATEWAY_DEDUPLICATES', 'gateway.deduplicates', 'boolean'],
  ['WOO_NOTIFY_RATE_PER_SECOND', 'gateway.ratePerSecond', 'number'],
  ['WOO_NOTIFY_CONCURRENCY', 'worker.concurrency', 'number'],
  ['WOO_NOTIFY_MAX_ATTEMPTS', 'worker.maxAttempts', 'number'],
  ['WOO_NOTIFY_BACKOFF_BASE_MS', 'worker.backoffBaseMs', 'number'],
  ['WOO_NOTIFY_BACKOFF_MAX_MS', 'worker.backoffMaxMs', 'number'],
  ['WOO_NOTIFY_POLL_INTERVAL_MS', 'worker.pollIntervalMs', 'number'],
  ['WOO_NOTIFY_RECONCILE_INTERVAL_MS', 'reconcile.intervalMs', 'number'],
  ['WOO_NOTIFY_ADMIN_PHONE', 'admin.phone', 'string'],
  ['WOO_NOTIFY_OPTIN_META_KEY', 'consent.optInMetaKey', 'string'],
  ['WOO_NOTIFY_ENFORCE_WINDOW', 'window.enforce', 'boolean'],
  ['WOO_NOTIFY_LOG_LEVEL', 'logLevel', 'string'],
];

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Where `loadConfig` reads from. */
export interface LoadOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Extra settings applied last (tests). */
  overrides?: Json;
}

/** Embedded defaults, then the JSON file (`--config` or WOO_NOTIFY_CONFIG), then environment. */
export function loadConfig(options: LoadOptions = {}): WooNotifyConfig {
  const argv = options.argv ?? [];
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let raw: Json = defaultConfig() as unknown as Json;

  const flag = argv.indexOf('--config');
  const file = flag >= 0 ? argv[flag + 1] : env.WOO_NOTIFY_CONFIG;
  if (flag >= 0 && !file) problems.push('--config needs a file path');
  if (file) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`config file ${file}: cannot be read (${(error as Error).message})`);
    }
    if (text !== undefined) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (!isObject(parsed)) problems.push(`config file ${file}: must hold a JSON object`);
        else raw = merge(raw, parsed);
      } catch (error) {
        problems.push(`config file ${file}: invalid JSON (${(error as Error).message})`);
      }
    }
  }
  for (const [name, path, type] of ENV) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n))
        problems.push(`${path} (from ${name}): expected a number, got '${value}'`);
      else setPath(raw, path, n);
    } else if (type === 'boolean') {
      if (!['true', 'false', '1', '0'].includes(value)) {
        problems.push(`${path} (from ${name}): expected true or false, got '${value}'`);
      } else setPath(raw, path, value === 'true' || value === '1');
    } else setPath(raw, path, value);
  }
  if (options.overrides) raw = merge(raw, options.overrides);
  if (problems.length > 0) throw new ConfigError(problems);
  return validateConfig(raw);
}

/** Checks every field of a merged configuration; throws one `ConfigError` listing all problems. */
export function validateConfig(raw: Json): WooNotifyConfig {
  const problems: string[] = [];
  const str = (path: string, value: unknown, { empty = false } = {}) => {
    if (typeof value !== 'string' || (!empty && value.trim() === '')) {
      problems.push(`${path}: expected a non-empty string, got ${JSON.stringify(value)}`);
    }
  };
  const int = (path: string, value: unknown, min: number, max: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${path}: expected an integer ${min}..${max}, got ${JSON.stringify(value)}`);
    }
  };
  int('port', raw.port, 0, 65535);
  str('host', raw.host);
  problems.push(...secretProblems(raw));
  str('storeName', raw.storeName);
  str('dbPath', raw.dbPath);
  validateOutbox(raw, problems);
  const gateway = isObject(raw.gateway) ? raw.gateway : {};
  if (!isObject(raw.gateway)) problems.push('gateway: expected an object');
  if (gateway.provider !== 'kirem') {
    problems.push(
      `gateway.provider: only 'kirem' is supported, got ${JSON.stringify(gateway.provider)}`,
    );
  }
  str('gateway.apiKey', gateway.apiKey);
  if (typeof gateway.baseUrl !== 'string' || !/^https?:\/\/\S+$/.test(gateway.baseUrl)) {
    problems.push(
      `gateway.baseUrl: expected an http(s) URL, got ${JSON.stringify(gateway.baseUrl)}`,
    );
  }
  if (typeof gateway.deduplicates !== 'boolean')
    problems.push('gateway.deduplicates: expected true or false');
  int('gateway.ratePerSecond', gateway.ratePerSecond, 0, 100_000);
  int('gateway.timeoutMs', gateway.timeoutMs, 100, 600_000);
  const worker = isObject(raw.worker) ? raw.worker : {};
  if (!isObject(raw.worker)) problems.push('worker: expected an object');
  int('worker.concurrency', worker.concurrency, 1, 256);
  int('worker.maxAttempts', worker.maxAttempts, 1, 1000);
  int('worker.backoffBaseMs', worker.backoffBaseMs, 1, 3_600_000);
  int('worker.backoffMaxMs', worker.backoffMaxMs, 1, 86_400_000);
  int('worker.pollIntervalMs', worker.pollIntervalMs, 1, 60_000);
  const reconcile = isObject(raw.reconcile) ? raw.reconcile : {};
  if (!isObject(raw.reconcile)) problems.push('reconcile: expected an object');
  int('reconcile.intervalMs', reconcile.intervalMs, 0, 86_400_000);
  int('reconcile.settleMs', reconcile.settleMs, 0, 86_400_000);
  if (!isObject(raw.statuses) || Object.keys(raw.statuses).length === 0) {
    problems.push('statuses: expected an object mapping at least one order status to a message');
  } else {
    for (const [status, rule] of Object.entries(raw.statuses)) {
      const at = `statuses.${status}`;
      if (status === 'checkout-draft') problems.push(`${at}: checkout drafts are never notified`);
      if (!isObject(rule)) {
        problems.push(`${at}: expected an object with 'template' or 'text'`);
        continue;
      }
      const hasTemplate = rule.template !== undefined;
      if (hasTemplate === (rule.text !== undefined)) {
        problems.push(`${at}: needs exactly one of 'template' or 'text'`);
      }
      if (hasTemplate) {
        str(`${at}.template`, rule.template);
        if (rule.language !== undefined) str(`${at}.language`, rule.language);
        if (
          rule.params !== undefined &&
          (!Array.isArray(rule.params) || rule.params.some((p) => typeof p !== 'string'))
        ) {
          problems.push(`${at}.params: expected an array of strings`);
        }
      } else if (rule.text !== undefined) str(`${at}.text`, rule.text);
      if (
        rule.category !== undefined &&
        rule.category !== 'utility' &&
        rule.category !== 'marketing'
      ) {
        problems.push(
          `${at}.category: expected 'utility' or 'marketing', got ${JSON.stringify(rule.category)}`,
        );
      }
    }
  }
  const consent = isObject(raw.consent) ? raw.consent : {};
  if (!isObject(raw.consent)) problems.push('consent: expected an object');
  const metaKey = consent.optInMetaKey;
  // WordPress meta keys are at most 255 characters; a space in one is always a typo here.
  if (typeof metaKey !== 'string' || metaKey.length > 255 || /\s/.test(metaKey)) {
    problems.push(
      `consent.optInMetaKey: expected an order meta key without spaces (or '' for none), got ${JSON.stringify(consent.optInMetaKey)}`,
    );
  }
  const window = isObject(raw.window) ? raw.window : {};
  if (!isObject(raw.window)) problems.push('window: expected an object');
  if (typeof window.enforce !== 'boolean') {
    problems.push(`window.enforce: expected true or false, got ${JSON.stringify(window.enforce)}`);
  }
  const admin = isObject(raw.admin) ? raw.admin : {};
  if (!isObject(raw.admin)) problems.push('admin: expected an object');
  str('admin.phone', admin.phone, { empty: true });
  if (!Array.isArray(admin.statuses) || admin.statuses.some((s) => typeof s !== 'string')) {
    problems.push('admin.statuses: expected an array of order statuses');
  }
  str('admin.text', admin.text);
  str('defaultCountry', raw.defaultCountry);
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(raw.logLevel as string)) {
    problems.push(
      `logLevel: expected debug, info, warn, error or silent, got ${JSON.stringify(raw.logLevel)}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = raw as unknown as WooNotifyConfig;
  for (const rule of Object.values(config.statuses)) {
    if (rule.template) rule.language ??= 'id';
  }
  return config;
}

/**
 * The webhook secret and the admin token: present, long enough, and not the public development
 * values unless the service only listens on this machine. Each problem names the environment
 * variable to set, never the value.
 */
export function secretProblems(config: {
  host?: unknown;
  webhookSecret?: unknown;
  adminToken?: unknown;
}): string[] {
  const problems: string[] = [];
  const check = (field: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!KabarError.isInstance(error)) throw error;
      problems.push(`${field}: ${error.message}`);
    }
  };
  check('webhookSecret', () => requireSecret(config.webhookSecret, 'WOO_NOTIFY_WEBHOOK_SECRET'));
  check('adminToken', () => requireSecret(config.adminToken, 'WOO_NOTIFY_ADMIN_TOKEN'));
  if (typeof config.host === 'string') {
    check('host', () =>
      refuseDevSecrets(config.host as string, [
        {
          setting: 'WOO_NOTIFY_WEBHOOK_SECRET',
          value: config.webhookSecret as string | undefined,
          devValue: DEV_WEBHOOK_SECRET,
        },
        {
          setting: 'WOO_NOTIFY_ADMIN_TOKEN',
          value: config.adminToken as string | undefined,
          devValue: DEV_ADMIN_TOKEN,
        },
      ]),
    );
  }
  return problems;
}

function validateOutbox(raw: Json, problems: string[]): void {
  const outbox = raw.outbox;
  if (!isObject(outbox)) {
    problems.push('outbox: expected { "kind": "sqlite" } or { "kind": "redis", "url": ... }');
    return;
  }
  if (outbox.kind === 'sqlite') {
    if (outbox.path !== undefined) {
      if (typeof outbox.path !== 'string' || outbox.path.trim() === '') {
        problems.push(
          `outbox.path: expected a non-empty string, got ${JSON.stringify(outbox.path)}`,
        );
      } else raw.dbPath = outbox.path;
    }
  } else if (outbox.kind === 'redis') {
    if (typeof outbox.url !== 'string' || !/^rediss?:\/\/\S+$/.test(outbox.url)) {
      problems.push(
        `outbox.url: expected a redis:// or rediss:// URL, got ${JSON.stringify(outbox.url)}`,
      );
    }
    outbox.prefix ??= 'woo-notify';
    if (typeof outbox.prefix !== 'string' || !/^[\w.-]+(:[\w.-]+)*$/.test(outbox.prefix)) {
      problems.push(
        `outbox.prefix: expected letters, digits, '.', '-', '_' (':' between parts), got ${JSON.stringify(outbox.prefix)}`,
      );
    }
    if (outbox.cluster !== undefined && typeof outbox.cluster !== 'boolean') {
      problems.push(
        `outbox.cluster: expected true or false, got ${JSON.stringify(outbox.cluster)}`,
      );
    }
  } else {
    problems.push(`outbox.kind: expected 'sqlite' or 'redis', got ${JSON.stringify(outbox.kind)}`);
  }
}

/** A dev-only temp DB path, for tests that want isolation. */
export function tempDbPath(tag = 'test'): string {
  return join(
    tmpdir(),
    `woo-notify-${tag}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`,
  );
}
