import { parseArgs } from 'node:util';
import type { CliFlag } from './dialect.js';
import { DIALECT_LIST, WEBHOOK_PROVIDERS, WEBHOOK_WIRES } from './sandbox.js';
import type { SandboxOptions, WebhookProvider, WebhookTarget } from './types.js';
import { isHttpUrl } from './webhook-config.js';

/** Every dialect's credential flags, in table order. */
const DIALECT_FLAGS: readonly CliFlag[] = DIALECT_LIST.flatMap((dialect) => dialect.cli);

/** The column the help text starts in, and the column an option's environment variable is in. */
const HELP_COLUMN = 24;
const ENV_COLUMN = 79;

/** One option's help: the flag, its help, and the environment variable on the next line. */
function dialectFlagUsage(flag: CliFlag): string {
  const flagText = `  --${flag.name} ${flag.value}`;
  // A flag too long for its column gets its help on the next line, as --webhook-url does.
  const option =
    flagText.length < HELP_COLUMN
      ? flagText.padEnd(HELP_COLUMN)
      : `${flagText}\n${' '.repeat(HELP_COLUMN)}`;
  return `${option}${flag.help}\n${' '.repeat(ENV_COLUMN)}env ${flag.env} (comma list)\n`;
}

function webhookUsage(): string {
  // A gateway that signs nothing (Wablas) has no default secret to list.
  const secrets = `${WEBHOOK_WIRES.flatMap((wire) => wire.defaultSecret || []).join(', ')})`;
  const indent = ' '.repeat(HELP_COLUMN);
  return [
    '  --webhook-url <provider=url>\n',
    `${indent}where ${WEBHOOK_PROVIDERS.join(' or ')} webhooks go, repeatable (default secrets\n`,
    // Secrets too long for their column put the env on its own line, as long flags do.
    secrets.length < ENV_COLUMN - HELP_COLUMN
      ? `${indent}${secrets.padEnd(ENV_COLUMN - HELP_COLUMN)}env KABAR_SANDBOX_WEBHOOK_URLS (comma list)\n`
      : `${indent}${secrets}\n${' '.repeat(ENV_COLUMN)}env KABAR_SANDBOX_WEBHOOK_URLS (comma list)\n`,
  ].join('');
}

/** `kabar-sandbox --help`. */
export const USAGE = `Usage: kabar-sandbox [options]

A local emulator of WhatsApp HTTP gateways (${DIALECT_LIST.map((dialect) => dialect.title).join(', ')}) with an
inbox and a control API.

Options:
  --port <n>            port to listen on (default 4010; 0 = any free port)   env KABAR_SANDBOX_PORT
  --host <addr>         interface to bind (default 127.0.0.1)                  env KABAR_SANDBOX_HOST
  --allow-host <name>   another name clients use for the sandbox, as name (any port) or
                        name:port, repeatable; others get 403                  env KABAR_SANDBOX_ALLOWED_HOSTS (comma list)
  --max-messages <n>    messages kept in memory (default 5000)                 env KABAR_SANDBOX_MAX_MESSAGES
  --data <file>         keep messages, templates, media and webhook deliveries in this
                        SQLite file across restarts (default: in memory only)  env KABAR_SANDBOX_DATA
${DIALECT_FLAGS.map(dialectFlagUsage).join('')}${webhookUsage()}  --enforce-window      enforce the 24-hour customer service window on Kirem and Meta:
                        free-form sends to a customer silent for 24 hours fail
                        with 131047 (default off)                              env KABAR_SANDBOX_ENFORCE_WINDOW=1
  --no-seed             start with no templates (default: Kirem's documented ones plus the ones
                        Kabar's READMEs and examples send, approved)           env KABAR_SANDBOX_NO_SEED=1
  -h, --help            show this help
  -v, --version         show the version
`;

/** What the command line asks for: run with options, print help or the version, or a usage error. */
export type CliCommand =
  | { kind: 'run'; options: SandboxOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

/** Flags win over environment variables, which win over defaults. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const port = integer('--port', values.port ?? env.KABAR_SANDBOX_PORT ?? '4010', 0, 65_535);
  if (typeof port === 'string') return { kind: 'error', message: port };
  const maxMessages = integer(
    '--max-messages',
    values['max-messages'] ?? env.KABAR_SANDBOX_MAX_MESSAGES ?? '5000',
    1,
    Number.MAX_SAFE_INTEGER,
  );
  if (typeof maxMessages === 'string') return { kind: 'error', message: maxMessages };

  const options: SandboxOptions = {
    port,
    host: values.host ?? env.KABAR_SANDBOX_HOST ?? '127.0.0.1',
    maxMessages,
  };
  const dataFile = values.data ?? env.KABAR_SANDBOX_DATA;
  if (dataFile) options.dataFile = dataFile;
  const allowedHosts = values['allow-host'] ?? commaList(env.KABAR_SANDBOX_ALLOWED_HOSTS);
  if (allowedHosts) options.allowedHosts = allowedHosts;
  for (const dialectFlag of DIALECT_FLAGS) {
    // parseArgs types only the flags written out in parse(); the dialects' come from the table.
    const given = (values as Record<string, string[] | undefined>)[dialectFlag.name];
    const list = given ?? commaList(env[dialectFlag.env]);
    if (list) addDialectOptions(options, dialectFlag.options(list));
  }
  const webhookUrls = values['webhook-url'] ?? commaList(env.KABAR_SANDBOX_WEBHOOK_URLS);
  if (webhookUrls) {
    const webhooks = parseWebhookUrls(webhookUrls);
    if (typeof webhooks === 'string') return { kind: 'error', message: webhooks };
    options.webhooks = webhooks;
  }
  const enforceWindow =
    values['enforce-window'] ||
    flag('KABAR_SANDBOX_ENFORCE_WINDOW', env.KABAR_SANDBOX_ENFORCE_WINDOW);
  if (typeof enforceWindow === 'string') return { kind: 'error', message: enforceWindow };
  if (enforceWindow) options.enforceWindow = true;
  const noSeed = values['no-seed'] || flag('KABAR_SANDBOX_NO_SEED', env.KABAR_SANDBOX_NO_SEED);
  if (typeof noSeed === 'string') return { kind: 'error', message: noSeed };
  // Someone starting the sandbox by hand runs the READMEs next: their templates are there.
  options.templates = noSeed ? 'none' : 'examples';
  return { kind: 'run', options };
}

/**
 * Adds one flag's options. A dialect with several flags (Wablas' token and secret key) sets
 * different fields of the same option object, so each adds to it rather than replacing it.
 */
function addDialectOptions(options: SandboxOptions, added: SandboxOptions): void {
  const target = options as Record<string, unknown>;
  for (const [key, value] of Object.entries(added)) {
    const current = target[key];
    target[key] =
      typeof current === 'object' && current !== null ? { ...current, ...value } : value;
  }
}

/** An on/off environment variable: 1/true/yes or 0/false/no (any case), unset or empty is off. */
function flag(name: string, raw: string | undefined): boolean | string {
  const value = raw?.trim().toLowerCase() ?? '';
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['', '0', 'false', 'no'].includes(value)) return false;
  return `${name} must be 1 or 0, got '${raw}'`;
}

function parse(argv: string[]) {
  const dialectOptions = Object.fromEntries(
    DIALECT_FLAGS.map((flag) => [flag.name, { type: 'string', multiple: true } as const]),
  );
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...dialectOptions,
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      'max-messages': { type: 'string' },
      data: { type: 'string' },
      'webhook-url': { type: 'string', multiple: true },
      'enforce-window': { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

/** The number, or an error message. */
function integer(flag: string, raw: string, min: number, max: number): number | string {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    return `${flag} must be an integer from ${min} to ${max}, got '${raw}'`;
  }
  return value;
}

/** 'kirem=http://…' pairs as SandboxOptions.webhooks, or an error message. */
function parseWebhookUrls(
  pairs: string[],
): Partial<Record<WebhookProvider, WebhookTarget>> | string {
  const webhooks: Partial<Record<WebhookProvider, WebhookTarget>> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    const provider = WEBHOOK_PROVIDERS.find((known) => known === pair.slice(0, separator));
    const url = pair.slice(separator + 1);
    if (separator < 0 || !provider || !isHttpUrl(url)) {
      const forms = WEBHOOK_PROVIDERS.map((known) => `${known}=<url>`).join(' or ');
      return `--webhook-url must be ${forms} with an http(s) URL, got '${pair}'`;
    }
    webhooks[provider] = { url };
  }
  return webhooks;
}

function commaList(raw: string | undefined): string[] | undefined {
  const items = raw
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}
