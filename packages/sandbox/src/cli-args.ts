import { parseArgs } from 'node:util';
import type { SandboxOptions, WebhookProvider, WebhookTarget } from './types';
import { isHttpUrl, WEBHOOK_PROVIDERS } from './webhook-config';

export const USAGE = `Usage: kabar-sandbox [options]

A local emulator of WhatsApp HTTP gateways (Kirem, Meta Cloud API, Kirimy, Qirim, Waviro) with an
inbox and a control API.

Options:
  --port <n>            port to listen on (default 4010; 0 = any free port)   env KABAR_SANDBOX_PORT
  --host <addr>         interface to bind (default 127.0.0.1)                  env KABAR_SANDBOX_HOST
  --allow-host <name>   another name clients use for the sandbox, as name (any port) or
                        name:port, repeatable; others get 403                  env KABAR_SANDBOX_ALLOWED_HOSTS (comma list)
  --max-messages <n>    messages kept in memory (default 5000)                 env KABAR_SANDBOX_MAX_MESSAGES
  --kirem-key <key>     accepted Kirem API key, repeatable (default kirem_test_key)
                                                                               env KABAR_SANDBOX_KIREM_KEYS (comma list)
  --meta-token <token>  accepted Meta access token, repeatable (default meta_test_token)
                                                                               env KABAR_SANDBOX_META_TOKENS (comma list)
  --kirimy-key <key>    accepted Kirimy api-key, repeatable (default kirimy_test_key)
                                                                               env KABAR_SANDBOX_KIRIMY_KEYS (comma list)
  --qirim-key <key>     accepted Qirim API key, repeatable (default qirim_test_key)
                                                                               env KABAR_SANDBOX_QIRIM_KEYS (comma list)
  --waviro-key <key>    accepted Waviro secretkey, repeatable (default waviro_test_key)
                                                                               env KABAR_SANDBOX_WAVIRO_KEYS (comma list)
  --webhook-url <provider=url>
                        where kirem or meta webhooks go, repeatable (default secrets
                        kirem_webhook_secret, meta_app_secret)                 env KABAR_SANDBOX_WEBHOOK_URLS (comma list)
  --enforce-window      enforce the 24-hour customer service window on Kirem and Meta:
                        free-form sends to a customer silent for 24 hours fail
                        with 131047 (default off)                              env KABAR_SANDBOX_ENFORCE_WINDOW=1
  -h, --help            show this help
  -v, --version         show the version
`;

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
  const allowedHosts = values['allow-host'] ?? commaList(env.KABAR_SANDBOX_ALLOWED_HOSTS);
  if (allowedHosts) options.allowedHosts = allowedHosts;
  const kiremKeys = values['kirem-key'] ?? commaList(env.KABAR_SANDBOX_KIREM_KEYS);
  if (kiremKeys) options.kirem = { apiKeys: kiremKeys };
  const metaTokens = values['meta-token'] ?? commaList(env.KABAR_SANDBOX_META_TOKENS);
  if (metaTokens) options.meta = { accessTokens: metaTokens };
  const kirimyKeys = values['kirimy-key'] ?? commaList(env.KABAR_SANDBOX_KIRIMY_KEYS);
  if (kirimyKeys) options.kirimy = { apiKeys: kirimyKeys };
  const qirimKeys = values['qirim-key'] ?? commaList(env.KABAR_SANDBOX_QIRIM_KEYS);
  if (qirimKeys) options.qirim = { apiKeys: qirimKeys };
  const waviroKeys = values['waviro-key'] ?? commaList(env.KABAR_SANDBOX_WAVIRO_KEYS);
  if (waviroKeys) options.waviro = { secretKeys: waviroKeys };
  const webhookUrls = values['webhook-url'] ?? commaList(env.KABAR_SANDBOX_WEBHOOK_URLS);
  if (webhookUrls) {
    const webhooks = parseWebhookUrls(webhookUrls);
    if (typeof webhooks === 'string') return { kind: 'error', message: webhooks };
    options.webhooks = webhooks;
  }
  const enforceWindow = values['enforce-window'] || flag(env.KABAR_SANDBOX_ENFORCE_WINDOW);
  if (typeof enforceWindow === 'string') return { kind: 'error', message: enforceWindow };
  if (enforceWindow) options.enforceWindow = true;
  return { kind: 'run', options };
}

/** An on/off environment variable: 1/true/yes or 0/false/no (any case), unset or empty is off. */
function flag(raw: string | undefined): boolean | string {
  const value = raw?.trim().toLowerCase() ?? '';
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['', '0', 'false', 'no'].includes(value)) return false;
  return `KABAR_SANDBOX_ENFORCE_WINDOW must be 1 or 0, got '${raw}'`;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      'max-messages': { type: 'string' },
      'kirem-key': { type: 'string', multiple: true },
      'meta-token': { type: 'string', multiple: true },
      'kirimy-key': { type: 'string', multiple: true },
      'qirim-key': { type: 'string', multiple: true },
      'waviro-key': { type: 'string', multiple: true },
      'webhook-url': { type: 'string', multiple: true },
      'enforce-window': { type: 'boolean' },
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
      return `--webhook-url must be kirem=<url> or meta=<url> with an http(s) URL, got '${pair}'`;
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
