import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KabarError, refuseDevSecrets, requireSecret } from '@kabar/core';
import { z } from 'zod';

/** The webhook secret of the embedded development configuration: public, loopback only. */
export const DEV_WEBHOOK_SECRET = 'woo_dev_webhook_secret';
/** The admin token of the embedded development configuration: public, loopback only. */
export const DEV_ADMIN_TOKEN = 'woo_dev_admin_token';

/** A value as a config error quotes it: JSON, cut short. Never used for secrets. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `message(input)` as the error of every check of a schema, so each failure reads the same. */
function says(message: (input: unknown) => string) {
  return { error: (issue: { input?: unknown }) => message(issue.input) };
}

const nonEmpty = () => {
  const error = says((input) => `expected a non-empty string, got ${show(input)}`);
  return z.string(error).regex(/\S/, error);
};

const integer = (min: number, max: number) => {
  const error = says((input) => `expected an integer ${min}..${max}, got ${show(input)}`);
  return z.int(error).min(min, error).max(max, error);
};

const matching = (pattern: RegExp, expected: string) => {
  const error = says((input) => `expected ${expected}, got ${show(input)}`);
  return z.string(error).regex(pattern, error);
};

/**
 * A secret: present and long enough, with core's message naming the environment variable to set,
 * never the value (so no `got ...` here).
 */
function secretText(setting: string) {
  const problem = (value: unknown) => {
    try {
      requireSecret(value, setting);
      return undefined;
    } catch (error) {
      if (!KabarError.isInstance(error)) throw error;
      return error.message;
    }
  };
  return z
    .string({ error: (issue) => problem(issue.input) })
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .meta({ minLength: 12 });
}

/** A secret the embedded development configuration fills with a public, loopback-only value. */
function secret(setting: string, devValue: string) {
  return secretText(setting).default(devValue);
}

/** What to send for one order status: an approved template, or a text. */
const statusRule = z
  .strictObject({
    template: nonEmpty()
      .optional()
      .meta({ description: "An approved template's name, e.g. notif_pesanan_baru." }),
    language: nonEmpty().optional().meta({ description: 'Template language. Default id.' }),
    params: z.array(z.string()).optional().meta({
      description:
        'Positional template parameters ({{1}}, {{2}}, ...), each a text with placeholders: {name} {first_name} {store} {number} {id} {status} {total} {amount} {currency} {products} {phone}.',
    }),
    text: nonEmpty()
      .optional()
      .meta({ description: 'A plain text message with the same placeholders.' }),
    category: z.enum(['utility', 'marketing']).optional().meta({
      description:
        'What the message is for, as the send policy sees it: marketing is skipped for customers who opted out. Default utility.',
    }),
  })
  .superRefine((rule, ctx) => {
    if ((rule.template === undefined) === (rule.text === undefined)) {
      ctx.addIssue({ code: 'custom', message: "needs exactly one of 'template' or 'text'" });
    }
  });

const DEFAULT_STATUSES = {
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
};

const outbox = z
  .discriminatedUnion(
    'kind',
    [
      z.object({
        kind: z.literal('sqlite'),
        path: nonEmpty().optional().meta({ description: 'The SQLite file; sets dbPath.' }),
      }),
      z.object({
        kind: z.literal('redis'),
        url: matching(/^rediss?:\/\/\S+$/, 'a redis:// or rediss:// URL').meta({
          description: 'redis://host:port/db',
        }),
        prefix: matching(
          /^[\w.-]+(:[\w.-]+)*$/,
          "letters, digits, '.', '-', '_' (':' between parts)",
        )
          .default('woo-notify')
          .meta({ description: 'Key prefix shared by every instance of one shop.' }),
        cluster: z.boolean().optional().meta({
          description:
            'url is a node of a Redis Cluster; the keys then go under the hash tag {<prefix>}.',
        }),
      }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `expected 'sqlite' or 'redis', got ${show((issue.input as { kind?: unknown }).kind)}`
          : undefined,
    },
  )
  .default({ kind: 'sqlite' })
  .meta({
    description:
      'Where the outbox lives. sqlite: one process per database file. redis: BullMQ on Redis; several instances may share one url + prefix.',
  });

// apps/woo-notify/.data (gitignored), wherever the process is started from.
const defaultDbPath = () => fileURLToPath(new URL('../.data/woo-notify.sqlite', import.meta.url));

/** The configuration file's schema, every default included; see the README's table. */
const configSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'For editors; ignored.' }),
    port: integer(0, 65535).default(4050),
    host: nonEmpty().default('127.0.0.1'),
    webhookSecret: secret('WOO_NOTIFY_WEBHOOK_SECRET', DEV_WEBHOOK_SECRET).meta({
      description: 'As typed in WooCommerce → Settings → Advanced → Webhooks; 12+ characters.',
    }),
    adminToken: secret('WOO_NOTIFY_ADMIN_TOKEN', DEV_ADMIN_TOKEN).meta({
      description: 'Bearer token for /admin; 12+ characters.',
    }),
    metricsToken: secretText('WOO_NOTIFY_METRICS_TOKEN').optional().meta({
      description:
        "Bearer token for /metrics (a scraper's credentials); 12+ characters. Unset: /metrics answers anyone who reaches it.",
    }),
    storeName: nonEmpty()
      .default('Toko Kabar')
      .meta({ description: "The shop's name: {store} in messages." }),
    dbPath: nonEmpty().default(defaultDbPath).meta({
      description: 'The SQLite outbox file. Default: apps/woo-notify/.data/woo-notify.sqlite.',
    }),
    outbox,
    gateway: z
      .strictObject({
        provider: z.literal('kirem').default('kirem'),
        apiKey: nonEmpty().default('kirem_test_key').meta({ description: 'Never logged.' }),
        baseUrl: matching(/^https?:\/\/\S+$/, 'an http(s) URL').default(
          'http://127.0.0.1:4010/kirem',
        ),
        deduplicates: z.boolean().default(true).meta({
          description:
            'Does the gateway drop a resend carrying the same Idempotency-Key? Kirem: yes.',
        }),
        ratePerSecond: integer(0, 100_000)
          .default(0)
          .meta({ description: "Messages per second; 0 = the provider's documented default." }),
        timeoutMs: integer(100, 600_000).default(15_000).meta({ description: 'Per send.' }),
      })
      .prefault({}),
    worker: z
      .strictObject({
        concurrency: integer(1, 256).default(8).meta({ description: 'Sends in flight.' }),
        maxAttempts: integer(1, 1000).default(25).meta({ description: 'Then dead letter.' }),
        backoffBaseMs: integer(1, 3_600_000).default(1000),
        backoffMaxMs: integer(1, 86_400_000).default(5 * 60_000),
        pollIntervalMs: integer(1, 60_000).default(250),
      })
      .prefault({}),
    reconcile: z
      .strictObject({
        intervalMs: integer(0, 86_400_000).default(60_000).meta({
          description:
            "How often maybe_sent rows are looked up in the gateway's log; 0: only POST /admin/reconcile.",
        }),
        settleMs: integer(0, 86_400_000).default(60_000).meta({
          description: 'How long the gateway may take to log an accepted send.',
        }),
      })
      .prefault({}),
    statuses: z
      .record(z.string(), statusRule)
      .superRefine((statuses, ctx) => {
        if (Object.keys(statuses).length === 0) {
          ctx.addIssue({ code: 'custom', message: 'expected at least one order status' });
        }
        if (Object.hasOwn(statuses, 'checkout-draft')) {
          ctx.addIssue({
            code: 'custom',
            path: ['checkout-draft'],
            message: 'checkout drafts are never notified',
          });
        }
      })
      .prefault(DEFAULT_STATUSES)
      .meta({
        description:
          'Order status → message. A file that lists statuses replaces the defaults as a whole.',
      }),
    admin: z
      .strictObject({
        phone: z.string().default('6281299990000').meta({
          description: "The shop's number; empty turns admin notifications off.",
        }),
        statuses: z
          .array(z.string())
          .default(['processing'])
          .meta({ description: 'Statuses that count as a new order.' }),
        text: nonEmpty().default(
          'Pesanan baru #{number} dari {name} ({phone}):\n{products}\nTotal: {total}',
        ),
      })
      .prefault({}),
    consent: z
      .strictObject({
        // WordPress meta keys are at most 255 characters; a space in one is always a typo here.
        optInMetaKey: matching(/^\S{0,255}$/, "an order meta key without spaces (or '' for none)")
          .default('_wa_optin')
          .meta({
            description:
              "The order meta_data key of the checkout's WhatsApp opt-in box; yes, 1 or true opt in. Empty: none.",
          }),
      })
      .prefault({}),
    window: z
      .strictObject({
        enforce: z.boolean().default(false).meta({
          description:
            'Refuse a text outside the 24-hour customer-service window before sending it.',
        }),
      })
      .prefault({}),
    defaultCountry: nonEmpty()
      .default('ID')
      .meta({ description: 'Region for customer numbers with no billing country.' }),
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .superRefine(
    (config, ctx) => {
      // A host that is not a string has its own problem, reported above.
      if (typeof config.host !== 'string') return;
      try {
        refuseDevSecrets(config.host, [
          {
            setting: 'WOO_NOTIFY_WEBHOOK_SECRET',
            value: config.webhookSecret,
            devValue: DEV_WEBHOOK_SECRET,
          },
          {
            setting: 'WOO_NOTIFY_ADMIN_TOKEN',
            value: config.adminToken,
            devValue: DEV_ADMIN_TOKEN,
          },
        ]);
      } catch (error) {
        if (!KabarError.isInstance(error)) throw error;
        ctx.addIssue({ code: 'custom', path: ['host'], message: error.message });
      }
    },
    // Also when another field failed: refusing public secrets must never hide behind a typo.
    { when: () => true },
  )
  .transform(({ $schema: _editorHint, ...config }) =>
    config.outbox.kind === 'sqlite' && config.outbox.path
      ? { ...config, dbPath: config.outbox.path }
      : config,
  )
  .meta({
    title: 'woo-notify configuration',
    description:
      'Embedded defaults, then this file (--config or WOO_NOTIFY_CONFIG), then environment variables.',
  });

/** The whole configuration, every default filled in; see the README's table. */
export type WooNotifyConfig = z.output<typeof configSchema>;
/** What to send for one order status. Exactly one of `template` or `text`. */
export type StatusRule = z.output<typeof statusRule>;
/** Which outbox holds the messages. */
export type OutboxConfig = WooNotifyConfig['outbox'];

/** Environment variables that override the file, each naming the field it sets. */
const ENV: [string, string, 'string' | 'number' | 'boolean'][] = [
  ['WOO_NOTIFY_PORT', 'port', 'number'],
  ['WOO_NOTIFY_HOST', 'host', 'string'],
  ['WOO_NOTIFY_WEBHOOK_SECRET', 'webhookSecret', 'string'],
  ['WOO_NOTIFY_ADMIN_TOKEN', 'adminToken', 'string'],
  ['WOO_NOTIFY_METRICS_TOKEN', 'metricsToken', 'string'],
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

/**
 * The JSON Schema of the configuration file (what `config.schema.json` holds), for editors and
 * CI: every field with its default, and the environment variable that overrides it.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, {
    io: 'input',
    override: ({ jsonSchema, path }) => {
      // The default database path is this checkout's absolute path: not for a shared file.
      if (path.join('/') === 'properties/dbPath') delete jsonSchema.default;
      const field = path.filter((part, i) => path[i - 1] === 'properties' || part === 'oneOf');
      const env = ENV.find(([, at]) => at === field.filter((part) => part !== 'oneOf').join('.'));
      if (env && path.at(-2) === 'properties' && !jsonSchema.description?.includes(env[0])) {
        jsonSchema.description = [jsonSchema.description, `Environment: ${env[0]}.`]
          .filter(Boolean)
          .join(' ');
      }
    },
  }) as Record<string, unknown>;
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

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1] as string] = value;
}

/**
 * An environment variable's text as the field's type when it reads as one; otherwise the text
 * itself, for the schema to refuse with the field's own message.
 */
function fromEnv(value: string, type: 'string' | 'number' | 'boolean'): unknown {
  if (type === 'number')
    return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  if (type === 'boolean') {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
  }
  return value;
}

/** How zod's generic issues read in a config error; field-specific ones carry their own. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const expected: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'an integer',
    boolean: 'true or false',
    object: 'an object',
    array: 'an array',
  };
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${expected[issue.expected] ?? issue.expected}, got ${show(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => `'${String(v)}'`);
      const list =
        values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0];
      return `expected ${list}, got ${show(issue.input)}`;
    }
    default:
      return undefined;
  }
}

/** `outbox.url`, `admin.statuses[1]`: where a problem is, as the README's table writes fields. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}

/**
 * Checks a merged configuration against the schema and fills in the defaults; throws one
 * `ConfigError` naming every wrong field and what was wrong. `envFields` maps a field to the
 * environment variable it was read from, which the problem then names.
 */
export function validateConfig(
  raw: unknown,
  envFields: ReadonlyMap<string, string> = new Map(),
): WooNotifyConfig {
  const result = configSchema.safeParse(raw, { error: describeIssue });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    // One line per unknown field, each at its own path: a typo is then easy to find.
    const located =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: [...issue.path, key],
            message: 'unknown field (see config.schema.json)',
          }))
        : [issue];
    return located.map(({ path, message }) => {
      const field = fieldPath(path);
      const env = envFields.get(field);
      // Secrets' messages name their variable already.
      const from = env && !message.includes(env) ? ` (from ${env})` : '';
      return `${field || '(root)'}${from}: ${message}`;
    });
  });
  throw new ConfigError(problems);
}

/** The embedded defaults: the sandbox on this machine, development secrets. */
export function defaultConfig(): WooNotifyConfig {
  return configSchema.parse({});
}

/** Where `loadConfig` reads from. */
export interface LoadOptions {
  /** Command-line arguments: `--config <file>` (or `--config=<file>`), nothing else. */
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Extra settings applied last (tests). */
  overrides?: Json;
}

/** The `--config` file named on the command line, if any; anything else there is an error. */
function configFlag(argv: string[]): string | undefined {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.config === '') throw new ConfigError(['--config needs a file path']);
    return values.config;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as { code?: string }).code;
    // Escaped, so a pasted terminal escape sequence is shown rather than run.
    const quoted = JSON.stringify(/'([^']*)'/.exec((error as Error).message)?.[1] ?? '').slice(
      1,
      -1,
    );
    const problem =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option '${quoted}': woo-notify takes only --config <file>`
        : code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
          ? `unexpected argument '${quoted}': woo-notify takes only --config <file>`
          : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
            ? '--config needs a file path'
            : (error as Error).message;
    throw new ConfigError([problem]);
  }
}

/** Reads and parses the JSON file; a problem instead when it cannot. */
function readConfigFile(file: string): { ok: true; json: Json } | { ok: false; problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      problem: `config file ${file}: cannot be read (${(error as Error).message})`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: `config file ${file}: invalid JSON (${(error as Error).message})`,
    };
  }
  if (!isObject(parsed))
    return { ok: false, problem: `config file ${file}: must hold a JSON object` };
  return { ok: true, json: parsed };
}

/** Embedded defaults, then the JSON file (`--config` or WOO_NOTIFY_CONFIG), then environment. */
export function loadConfig(options: LoadOptions = {}): WooNotifyConfig {
  const env = options.env ?? process.env;
  const file = configFlag(options.argv ?? []) ?? (env.WOO_NOTIFY_CONFIG || undefined);
  let raw: Json = defaultConfig();
  if (file) {
    const read = readConfigFile(file);
    if (!read.ok) throw new ConfigError([read.problem]);
    raw = merge(raw, read.json);
  }
  const envFields = new Map<string, string>();
  for (const [name, path, type] of ENV) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, fromEnv(value, type));
    envFields.set(path, name);
  }
  if (options.overrides) raw = merge(raw, options.overrides);
  return validateConfig(raw, envFields);
}

/** A dev-only temp DB path, for tests that want isolation. */
export function tempDbPath(tag = 'test'): string {
  return join(
    tmpdir(),
    `woo-notify-${tag}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`,
  );
}
