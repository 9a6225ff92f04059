import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_WEBHOOK_SECRET, defaultConfig, loadConfig } from './config.js';
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
  });

  it('names every wrong field in one startup error', () => {
    const path = file(
      JSON.stringify({
        port: 'http',
        webhookSecret: '',
        gateway: { baseUrl: 'kirem.local' },
        statuses: { processing: { template: 'a', text: 'b' }, completed: 'yes' },
      }),
    );
    const found = problems(() =>
      loadConfig({ argv: ['--config', path], env: { WOO_NOTIFY_MAX_ATTEMPTS: 'many' } }),
    );
    expect(found).toEqual([
      "worker.maxAttempts (from WOO_NOTIFY_MAX_ATTEMPTS): expected a number, got 'many'",
    ]);
    const fields = problems(() => loadConfig({ argv: ['--config', path], env: {} })).map(
      (p) => p.split(':')[0],
    );
    expect(fields).toEqual([
      'port',
      'webhookSecret',
      'gateway.baseUrl',
      'statuses.processing',
      'statuses.completed',
    ]);
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
      "gateway.deduplicates (from WOO_NOTIFY_GATEWAY_DEDUPLICATES): expected true or false, got 'maybe'",
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

  it('refuses the public development secrets on an address other machines can reach', () => {
    const found = problems(() => loadConfig({ env: { WOO_NOTIFY_HOST: '0.0.0.0' } }));
    expect(found).toEqual([
      expect.stringMatching(
        /^host: refusing to listen on 0\.0\.0\.0 with the public development value of WOO_NOTIFY_WEBHOOK_SECRET, WOO_NOTIFY_ADMIN_TOKEN/,
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
      "window.enforce (from WOO_NOTIFY_ENFORCE_WINDOW): expected true or false, got 'kadang'",
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
      "outbox.kind: expected 'sqlite' or 'redis', got \"kafka\"",
    ]);
  });
});
