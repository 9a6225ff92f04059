import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configJsonSchema,
  DEV_WEBHOOK_SECRET,
  defaultConfig,
  loadConfig,
  validateConfig,
} from './config.js';
import { startService } from './service.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function file(content: string): string {
  const path = join(tmpdir(), `woo-notify-config-${process.pid}-${Math.random()}.json`);
  writeFileSync(path, content);
  return path;
}

describe('configuration', () => {
  it('starts from embedded defaults that match the sandbox', () => {
    const config = loadConfig({ env: {} });
    expect(config.port).toBe(4050);
    expect(config.gateway).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010/kirem',
      apiKey: 'kirem_test_key',
    });
    expect(config.storeName).toBe('Toko Kabar');
    expect(config.statuses.processing?.template).toBe('notif_pesanan_baru');
    expect(config.dbPath).toMatch(/woo-notify[/\\]\.data[/\\]woo-notify\.sqlite$/);
  });

  it('reads a JSON file (--config or WOO_NOTIFY_CONFIG), then lets the environment override it', () => {
    const path = file(
      JSON.stringify({ storeName: 'Warung Sari', port: 5000, worker: { maxAttempts: 4 } }),
    );
    const config = loadConfig({ argv: ['--config', path], env: { WOO_NOTIFY_PORT: '6000' } });
    expect(config.storeName).toBe('Warung Sari');
    expect(config.port).toBe(6000);
    expect(config.worker.maxAttempts).toBe(4);
    expect(config.worker.concurrency).toBe(8);
    expect(loadConfig({ env: { WOO_NOTIFY_CONFIG: path } }).storeName).toBe('Warung Sari');
    expect(loadConfig({ argv: [`--config=${path}`], env: {} }).storeName).toBe('Warung Sari');
  });

  it('names every wrong field in one startup error: where, what was wrong, and which variable set it', () => {
    const path = file(
      JSON.stringify({
        port: 'http',
        webhookSecret: '',
        gateway: { baseUrl: 'kirem.local', timeoutMS: 5000 },
        worker: { concurrency: 2.5 },
        statuses: { processing: { template: 'a', text: 'b' }, completed: 'yes' },
        admin: { statuses: ['processing', 7] },
        logLevel: 'loud',
      }),
    );
    const found = problems(() =>
      loadConfig({ argv: ['--config', path], env: { WOO_NOTIFY_MAX_ATTEMPTS: 'many' } }),
    );
    expect(found).toEqual([
      'port: expected an integer 0..65535, got "http"',
      'webhookSecret: WOO_NOTIFY_WEBHOOK_SECRET is required: set it to a long random secret',
      'gateway.baseUrl: expected an http(s) URL, got "kirem.local"',
      'gateway.timeoutMS: unknown field (see config.schema.json)',
      'worker.concurrency: expected an integer 1..256, got 2.5',
      'worker.maxAttempts (from WOO_NOTIFY_MAX_ATTEMPTS): expected an integer 1..1000, got "many"',
      "statuses.processing: needs exactly one of 'template' or 'text'",
      'statuses.completed: expected an object, got "yes"',
      'admin.statuses[1]: expected a string, got 7',
      "logLevel: expected 'debug', 'info', 'warn', 'error' or 'silent', got \"loud\"",
    ]);
    // The error printed at startup: one line per problem.
    const error = (() => {
      try {
        loadConfig({ argv: ['--config', path], env: {} });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message.split('\n')[0]).toBe('woo-notify: invalid configuration:');
    expect(error?.message).toContain('\n  - gateway.timeoutMS: unknown field');
  });

  it('takes only --config <file> on the command line, and says what is wrong with anything else', () => {
    expect(problems(() => loadConfig({ argv: ['--confg', 'woo.json'], env: {} }))).toEqual([
      "unknown option '--confg': woo-notify takes only --config <file>",
    ]);
    expect(problems(() => loadConfig({ argv: ['woo.json'], env: {} }))).toEqual([
      "unexpected argument 'woo.json': woo-notify takes only --config <file>",
    ]);
    // A pasted escape sequence is shown, not run by the terminal.
    expect(problems(() => loadConfig({ argv: ['--x\u001b[2J'], env: {} }))).toEqual([
      "unknown option '--x\\u001b[2J': woo-notify takes only --config <file>",
    ]);
    expect(problems(() => loadConfig({ argv: ['--config'], env: {} }))).toEqual([
      '--config needs a file path',
    ]);
    expect(problems(() => loadConfig({ argv: ['--config='], env: {} }))).toEqual([
      '--config needs a file path',
    ]);
  });

  it('writes config.schema.json from the same schema that checks the file, defaults and variables included', () => {
    const schema = configJsonSchema();
    const checkedIn = JSON.parse(
      readFileSync(new URL('../config.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    // Stale? pnpm build && pnpm schema
    expect(checkedIn).toEqual(schema);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.port).toMatchObject({ type: 'integer', default: 4050, maximum: 65535 });
    expect(properties.port?.description).toContain('WOO_NOTIFY_PORT');
    expect(schema.additionalProperties).toBe(false);
    // The database default is this machine's path: left out of a file that is checked in.
    expect(JSON.stringify(schema)).not.toContain(import.meta.dirname);
    // A file written against the schema loads, `$schema` and all.
    const path = file(
      JSON.stringify({ $schema: './config.schema.json', storeName: 'Warung Sari' }),
    );
    expect(loadConfig({ argv: ['--config', path], env: {} })).not.toHaveProperty('$schema');
  });

  it('fills every default from the schema, and a filled-in configuration checks again unchanged', () => {
    const defaults = defaultConfig();
    expect(validateConfig(defaults)).toEqual(defaults);
    expect(defaults.worker).toEqual({
      concurrency: 8,
      maxAttempts: 25,
      backoffBaseMs: 1000,
      backoffMaxMs: 300_000,
      pollIntervalMs: 250,
    });
    expect(Object.keys(defaults.statuses)).toEqual([
      'processing',
      'on-hold',
      'completed',
      'cancelled',
      'refunded',
    ]);
    // A file's statuses replace the defaults as a whole; other objects are merged field by field.
    const path = file(JSON.stringify({ statuses: { completed: { text: 'Selesai' } } }));
    const config = loadConfig({ argv: ['--config', path], env: {} });
    expect(Object.keys(config.statuses)).toEqual(['completed']);
  });

  it('explains an unreadable or malformed file', () => {
    expect(
      problems(() => loadConfig({ argv: ['--config', '/nonexistent/woo.json'], env: {} }))[0],
    ).toMatch(/^config file \/nonexistent\/woo.json: cannot be read/);
    expect(problems(() => loadConfig({ argv: ['--config', file('{nope')], env: {} }))[0]).toMatch(
      /invalid JSON/,
    );
    expect(
      problems(() => loadConfig({ env: { WOO_NOTIFY_GATEWAY_DEDUPLICATES: 'maybe' } })),
    ).toEqual([
      'gateway.deduplicates (from WOO_NOTIFY_GATEWAY_DEDUPLICATES): expected true or false, got "maybe"',
    ]);
  });

  it('refuses to notify checkout drafts and a short admin token', () => {
    const found = problems(() =>
      loadConfig({
        env: { WOO_NOTIFY_ADMIN_TOKEN: 'short' },
        overrides: { statuses: { 'checkout-draft': { text: 'x' } } },
      }),
    );
    expect(found).toEqual([
      'adminToken: WOO_NOTIFY_ADMIN_TOKEN is too short (5 characters); use at least 12 random characters',
      'statuses.checkout-draft: checkout drafts are never notified',
    ]);
  });

  it('stops on a missing, empty or short webhook secret or admin token, naming the variable, never the value', () => {
    const short = 'rahasia';
    expect(problems(() => loadConfig({ env: { WOO_NOTIFY_WEBHOOK_SECRET: short } }))).toEqual([
      'webhookSecret: WOO_NOTIFY_WEBHOOK_SECRET is too short (7 characters); use at least 12 random characters',
    ]);
    expect(
      problems(() => loadConfig({ env: {}, overrides: { webhookSecret: '', adminToken: null } })),
    ).toEqual([
      'webhookSecret: WOO_NOTIFY_WEBHOOK_SECRET is required: set it to a long random secret',
      'adminToken: WOO_NOTIFY_ADMIN_TOKEN is required: set it to a long random secret',
    ]);
  });

  it('takes a metrics token from the environment, refusing a short one by its variable', () => {
    expect(loadConfig({ env: {} }).metricsToken).toBeUndefined();
    const token = 'scrape-token-for-prometheus';
    expect(loadConfig({ env: { WOO_NOTIFY_METRICS_TOKEN: token } }).metricsToken).toBe(token);
    expect(problems(() => loadConfig({ env: { WOO_NOTIFY_METRICS_TOKEN: 'scrape' } }))).toEqual([
      'metricsToken: WOO_NOTIFY_METRICS_TOKEN is too short (6 characters); use at least 12 random characters',
    ]);
  });

  it('refuses the public development secrets on an address other machines can reach', () => {
    const found = problems(() => loadConfig({ env: { WOO_NOTIFY_HOST: '0.0.0.0' } }));
    expect(found).toEqual([
      expect.stringMatching(
        /^host \(from WOO_NOTIFY_HOST\): refusing to listen on 0\.0\.0\.0 with the public development value of WOO_NOTIFY_WEBHOOK_SECRET, WOO_NOTIFY_ADMIN_TOKEN/,
      ),
    ]);
    expect(found.join('')).not.toContain(DEV_WEBHOOK_SECRET);
    const own = {
      WOO_NOTIFY_WEBHOOK_SECRET: 'a-long-random-webhook-secret',
      WOO_NOTIFY_ADMIN_TOKEN: 'a-long-random-admin-token',
    };
    expect(problems(() => loadConfig({ env: { WOO_NOTIFY_HOST: '::', ...own } }))).toEqual([]);
    expect(
      problems(() =>
        loadConfig({
          env: { WOO_NOTIFY_HOST: '0.0.0.0', WOO_NOTIFY_ADMIN_TOKEN: own.WOO_NOTIFY_ADMIN_TOKEN },
        }),
      ),
    ).toEqual([expect.stringContaining('value of WOO_NOTIFY_WEBHOOK_SECRET: set it')]);
    // `pnpm start`: the development defaults on 127.0.0.1 (or localhost, ::1).
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      expect(problems(() => loadConfig({ env: { WOO_NOTIFY_HOST: host } }))).toEqual([]);
    }
  });

  it('startService refuses a configuration built without loadConfig, too', async () => {
    const config = { ...defaultConfig(), host: '0.0.0.0', port: 0, dbPath: ':memory:' };
    await expect(startService(config, { checkTemplatesOnStart: false })).rejects.toThrow(
      /WOO_NOTIFY_WEBHOOK_SECRET, WOO_NOTIFY_ADMIN_TOKEN/,
    );
  });

  it('reads the consent key and the window setting, and checks them and each rule’s category', () => {
    const defaults = loadConfig({ env: {} });
    expect(defaults.consent).toEqual({ optInMetaKey: '_wa_optin' });
    expect(defaults.window).toEqual({ enforce: false });
    const fromEnv = loadConfig({
      env: { WOO_NOTIFY_OPTIN_META_KEY: 'whatsapp_optin', WOO_NOTIFY_ENFORCE_WINDOW: 'true' },
    });
    expect(fromEnv.consent.optInMetaKey).toBe('whatsapp_optin');
    expect(fromEnv.window.enforce).toBe(true);
    expect(loadConfig({ env: {}, overrides: { consent: { optInMetaKey: '' } } }).consent).toEqual({
      optInMetaKey: '',
    });
    expect(problems(() => loadConfig({ env: { WOO_NOTIFY_ENFORCE_WINDOW: 'kadang' } }))).toEqual([
      'window.enforce (from WOO_NOTIFY_ENFORCE_WINDOW): expected true or false, got "kadang"',
    ]);
    expect(
      problems(() =>
        loadConfig({
          env: {},
          overrides: {
            consent: { optInMetaKey: 'wa opt in' },
            window: { enforce: 'yes' },
            statuses: { completed: { text: 'x', category: 'promo' } },
          },
        }),
      ),
    ).toEqual([
      "statuses.completed.category: expected 'utility' or 'marketing', got \"promo\"",
      'consent.optInMetaKey: expected an order meta key without spaces (or \'\' for none), got "wa opt in"',
      'window.enforce: expected true or false, got "yes"',
    ]);
    const marketing = loadConfig({
      env: {},
      overrides: { statuses: { completed: { text: 'x', category: 'marketing' } } },
    });
    expect(marketing.statuses.completed?.category).toBe('marketing');
  });

  it('chooses the outbox: sqlite by default, redis with a URL and prefix', () => {
    expect(loadConfig({ env: {} }).outbox).toEqual({ kind: 'sqlite' });
    const sqlite = loadConfig({
      env: {},
      overrides: { outbox: { kind: 'sqlite', path: '/x/o.db' } },
    });
    expect(sqlite.dbPath).toBe('/x/o.db');
    const redis = loadConfig({
      env: { WOO_NOTIFY_OUTBOX: 'redis', WOO_NOTIFY_REDIS_URL: 'redis://127.0.0.1:6379' },
    });
    expect(redis.outbox).toEqual({
      kind: 'redis',
      url: 'redis://127.0.0.1:6379',
      prefix: 'woo-notify',
    });
    expect(problems(() => loadConfig({ env: { WOO_NOTIFY_OUTBOX: 'redis' } }))).toEqual([
      expect.stringMatching(/^outbox\.url: expected a redis:\/\//),
    ]);
    expect(problems(() => loadConfig({ env: { WOO_NOTIFY_OUTBOX: 'kafka' } }))).toEqual([
      "outbox.kind (from WOO_NOTIFY_OUTBOX): expected 'sqlite' or 'redis', got \"kafka\"",
    ]);
    // The Redis settings alone leave the default SQLite outbox, as before.
    expect(
      loadConfig({ env: { WOO_NOTIFY_REDIS_URL: 'redis://127.0.0.1:6379' } }).outbox.kind,
    ).toBe('sqlite');
  });
});
