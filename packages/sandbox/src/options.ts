import { MiB } from './http';
import { type HostPattern, parseHostPattern } from './own-address';
import type {
  Provider,
  SandboxInfo,
  SandboxOptions,
  WebhookProvider,
  WebhookTarget,
} from './types';
import { isHttpUrl, WEBHOOK_PROVIDERS } from './webhook-config';

// Replaced at build time by tsup (and by vitest's `define`) with package.json's version.
declare const __SANDBOX_VERSION__: string;
export const VERSION = __SANDBOX_VERSION__;

export const META_API_VERSION = 'v21.0';

/** The business's own number: where inbound Kirem and Meta messages go, and Meta's display_phone_number. */
export const BUSINESS_PHONE_NUMBER = '6281100001234';

export const PROVIDERS: readonly Provider[] = ['kirem', 'meta', 'kirimy', 'qirim', 'waviro'];

/** Kirimy's example session and the fallback its docs tell clients to keep ready. */
export const KIRIMY_SESSIONS = ['sessioncontoh', 'cadangan'] as const;

type NonEmpty = [string, ...string[]];

export interface ResolvedOptions {
  port: number;
  host: string;
  allowedHosts: HostPattern[];
  maxMessages: number;
  maxMediaBytes: number;
  kirem: { apiKeys: NonEmpty; phoneNumberIds: NonEmpty; channelIds: NonEmpty };
  meta: { accessTokens: NonEmpty; phoneNumberIds: NonEmpty; wabaIds: NonEmpty };
  kirimy: { apiKeys: NonEmpty };
  qirim: { apiKeys: NonEmpty; notifOnlyKeys: string[]; otpDailyLimit: number };
  waviro: { secretKeys: NonEmpty };
  webhooks: Partial<Record<WebhookProvider, WebhookTarget>>;
  enforceWindow: boolean;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  const maxMessages = options.maxMessages ?? 5000;
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    throw new RangeError(`maxMessages must be a positive integer, got ${maxMessages}`);
  }
  const maxMediaBytes = options.maxMediaBytes ?? 256 * MiB;
  if (!Number.isInteger(maxMediaBytes) || maxMediaBytes < 1) {
    throw new RangeError(`maxMediaBytes must be a positive integer, got ${maxMediaBytes}`);
  }
  const allowedHosts = (options.allowedHosts ?? []).map((raw) => {
    const pattern = parseHostPattern(raw);
    if (!pattern) throw new RangeError(`allowedHosts: '${raw}' is not a host name or host:port`);
    return pattern;
  });
  const otpDailyLimit = options.qirim?.otpDailyLimit ?? 10;
  if (!Number.isInteger(otpDailyLimit) || otpDailyLimit < 1) {
    throw new RangeError(`qirim.otpDailyLimit must be a positive integer, got ${otpDailyLimit}`);
  }
  for (const [provider, target] of Object.entries(options.webhooks ?? {})) {
    if (target === undefined) continue;
    if (!WEBHOOK_PROVIDERS.includes(provider as WebhookProvider)) {
      throw new RangeError(
        `webhooks.${provider}: only ${WEBHOOK_PROVIDERS.join(' and ')} have one`,
      );
    }
    if (!isHttpUrl(target?.url)) {
      throw new RangeError(`webhooks.${provider}.url must be an http(s) URL`);
    }
  }
  if (options.enforceWindow !== undefined && typeof options.enforceWindow !== 'boolean') {
    throw new RangeError(`enforceWindow must be a boolean, got ${String(options.enforceWindow)}`);
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    allowedHosts,
    maxMessages,
    maxMediaBytes,
    kirem: {
      apiKeys: list('kirem.apiKeys', options.kirem?.apiKeys, 'kirem_test_key'),
      phoneNumberIds: list('kirem.phoneNumberIds', options.kirem?.phoneNumberIds, '1234567890'),
      channelIds: list('kirem.channelIds', options.kirem?.channelIds, 'chan-123'),
    },
    meta: {
      accessTokens: list('meta.accessTokens', options.meta?.accessTokens, 'meta_test_token'),
      phoneNumberIds: list('meta.phoneNumberIds', options.meta?.phoneNumberIds, '1234567890'),
      wabaIds: list('meta.wabaIds', options.meta?.wabaIds, '9876543210'),
    },
    kirimy: { apiKeys: list('kirimy.apiKeys', options.kirimy?.apiKeys, 'kirimy_test_key') },
    qirim: {
      apiKeys: list('qirim.apiKeys', options.qirim?.apiKeys, 'qirim_test_key'),
      notifOnlyKeys: options.qirim?.notifOnlyKeys ?? ['qirim_notif_only_key'],
      otpDailyLimit,
    },
    waviro: {
      secretKeys: list('waviro.secretKeys', options.waviro?.secretKeys, 'waviro_test_key'),
    },
    webhooks: { ...options.webhooks },
    enforceWindow: options.enforceWindow ?? false,
  };
}

// An empty list would make the sandbox reject everything and leave no credential to print.
function list(name: string, value: string[] | undefined, fallback: string): NonEmpty {
  const [first, ...rest] = value ?? [fallback];
  if (first === undefined) throw new RangeError(`${name} must not be empty`);
  return [first, ...rest];
}

/** What /api/v1/info reports: the first configured credential of each kind, at `url`. */
export function sandboxInfo(options: ResolvedOptions, url: string): SandboxInfo {
  return {
    name: 'kabar-sandbox',
    version: VERSION,
    providers: [...PROVIDERS],
    credentials: {
      kirem: {
        baseUrl: `${url}/kirem`,
        apiKey: options.kirem.apiKeys[0],
        phoneNumberId: options.kirem.phoneNumberIds[0],
        channelId: options.kirem.channelIds[0],
      },
      meta: {
        baseUrl: `${url}/meta`,
        accessToken: options.meta.accessTokens[0],
        phoneNumberId: options.meta.phoneNumberIds[0],
        wabaId: options.meta.wabaIds[0],
        apiVersion: META_API_VERSION,
      },
      kirimy: {
        baseUrl: `${url}/kirimy/v1`,
        apiKey: options.kirimy.apiKeys[0],
        sessionId: KIRIMY_SESSIONS[0],
        fallbackSessionId: KIRIMY_SESSIONS[1],
      },
      qirim: { baseUrl: `${url}/qirim/api/v1`, apiKey: options.qirim.apiKeys[0] },
      waviro: { botUrl: `${url}/waviro`, secretKey: options.waviro.secretKeys[0] },
    },
  };
}
