import { MiB } from './http.js';
import { type HostPattern, parseHostPattern } from './own-address.js';
import type { SandboxOptions, WebhookProvider, WebhookTarget } from './types.js';
import { isHttpUrl } from './webhook-config.js';

// Replaced at build time by tsup (and by vitest's `define`) with package.json's version.
declare const __SANDBOX_VERSION__: string;
/** The package's version, as /api/v1/info and `--version` report it. */
export const VERSION = __SANDBOX_VERSION__;

/** A list with at least one entry, so there is always a first credential to report. */
export type NonEmpty = [string, ...string[]];

/** The options every gateway shares, checked and with defaults filled in; each dialect resolves its own. */
export interface ResolvedOptions {
  port: number;
  host: string;
  allowedHosts: HostPattern[];
  maxMessages: number;
  maxMediaBytes: number;
  webhooks: Partial<Record<WebhookProvider, WebhookTarget>>;
  enforceWindow: boolean;
  /** The SQLite file the sandbox keeps its content in, or undefined to keep it in memory only. */
  dataFile: string | undefined;
}

/**
 * Checks the shared options and fills in their defaults; throws a RangeError naming the first bad
 * one. `webhookProviders` are the gateways that have a webhook, so `webhooks` may name only them.
 */
export function resolveOptions(
  options: SandboxOptions,
  webhookProviders: readonly WebhookProvider[],
): ResolvedOptions {
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
  for (const [provider, target] of Object.entries(options.webhooks ?? {})) {
    if (target === undefined) continue;
    if (!webhookProviders.includes(provider as WebhookProvider)) {
      throw new RangeError(`webhooks.${provider}: only ${webhookProviders.join(' and ')} have one`);
    }
    if (!isHttpUrl(target?.url)) {
      throw new RangeError(`webhooks.${provider}.url must be an http(s) URL`);
    }
  }
  if (options.enforceWindow !== undefined && typeof options.enforceWindow !== 'boolean') {
    throw new RangeError(`enforceWindow must be a boolean, got ${String(options.enforceWindow)}`);
  }
  if (
    options.dataFile !== undefined &&
    (typeof options.dataFile !== 'string' || options.dataFile === '')
  ) {
    throw new RangeError(`dataFile must be a file path, got ${String(options.dataFile)}`);
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    allowedHosts,
    maxMessages,
    maxMediaBytes,
    webhooks: { ...options.webhooks },
    enforceWindow: options.enforceWindow ?? false,
    dataFile: options.dataFile,
  };
}

/**
 * A credential list from the options, or `[fallback]` when none was given. An empty list would make
 * the sandbox reject everything and leave no credential to print, so it is a RangeError.
 */
export function credentialList(
  name: string,
  value: string[] | undefined,
  fallback: string,
): NonEmpty {
  const [first, ...rest] = value ?? [fallback];
  if (first === undefined) throw new RangeError(`${name} must not be empty`);
  return [first, ...rest];
}
