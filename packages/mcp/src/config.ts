import { readFileSync } from 'node:fs';
import { KabarError, memoryConsentStore, memoryWindowStore, type Provider } from '@kabar/core';
import {
  createProvider,
  GATEWAY_NAMES,
  gatewayNamed,
  isGatewayName,
  settingEnvName,
} from '@kabar/core/gateways';
import type { OtpTemplate } from '@kabar/core/otp';
import type { HttpOptions } from './http.js';
import type { RateWindow } from './safety.js';
import type { KabarMcpOptions } from './server.js';

type Env = Record<string, string | undefined>;

/** What `kabar-mcp` runs: the server's options and, for `--http`, how it listens. */
export interface CliConfig {
  mcp: KabarMcpOptions;
  http: Omit<HttpOptions, 'token'> & { token: string | undefined };
}

const bad = (message: string) => new KabarError('invalid_config', `kabar-mcp: ${message}`);

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `"env:NAME"` in the config file reads the variable, so keys stay out of the file. */
function resolve(value: unknown, env: Env, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw bad(`${where} must be a string`);
  if (!value.startsWith('env:')) return nonEmpty(value);
  const name = value.slice(4);
  const found = nonEmpty(env[name]);
  if (found === undefined)
    throw bad(`${where} reads the environment variable ${name}, which is not set`);
  return found;
}

/** A window from `"30/60"` (30 per 60 seconds) or the file's `{ limit, windowSeconds }`. */
function windowOf(value: unknown, where: string): RateWindow | undefined {
  if (value === undefined) return undefined;
  const [limit, seconds] =
    typeof value === 'string'
      ? value.split('/').map(Number)
      : [(value as { limit?: number }).limit, (value as { windowSeconds?: number }).windowSeconds];
  if (!Number.isInteger(limit) || !(Number(limit) > 0) || !(Number(seconds) > 0)) {
    throw bad(`${where}: give calls per seconds, e.g. 30/60`);
  }
  return { limit: Number(limit), windowMs: Number(seconds) * 1000 };
}

/**
 * The provider of `gateway` from `read(field)` for each of its settings; `label(key)` names where
 * a missing one should be set.
 */
function gatewayFrom(
  gateway: unknown,
  read: (key: string) => string | undefined,
  label: (key: string) => string,
): Provider {
  if (typeof gateway !== 'string' || !isGatewayName(gateway)) {
    throw bad(`gateway ${JSON.stringify(gateway)} is not one of ${GATEWAY_NAMES.join(', ')}`);
  }
  const values: Record<string, string | undefined> = {};
  for (const field of gatewayNamed(gateway).credentials) {
    values[field.key] = read(field.key);
    if (field.required && values[field.key] === undefined) {
      throw bad(`${gateway} needs ${field.label}: set ${label(field.key)}`);
    }
  }
  return createProvider(gateway, values);
}

/** `name:language`, or `name:language:none` for a template without an OTP button. */
function templateOf(value: string | undefined): OtpTemplate | undefined {
  if (value === undefined) return undefined;
  const [name, language, button] = value.split(':');
  if (!name || !language || (button !== undefined && button !== 'none' && button !== 'otp')) {
    throw bad(
      'KABAR_MCP_OTP_TEMPLATE: give name:language, e.g. kode_login:id (add :none for a template without an OTP button)',
    );
  }
  return { name, language, button: button as OtpTemplate['button'] };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * The CLI's configuration: a JSON file (`--config` or `KABAR_MCP_CONFIG`) naming one or more
 * gateways, or, without one, a single gateway from the environment (`KABAR_GATEWAY` and its
 * settings as `KABAR_API_KEY`, `KABAR_BASE_URL`, ...). The environment's `KABAR_MCP_*` variables
 * override the file. Throws `invalid_config` naming what is missing or malformed.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  configPath = nonEmpty(env.KABAR_MCP_CONFIG),
): CliConfig {
  let file: Record<string, unknown> = {};
  if (configPath) {
    try {
      file = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (error) {
      throw bad(`cannot read the config file ${configPath}: ${(error as Error).message}`);
    }
  }
  const gateways: Record<string, Provider> = {};
  const webhooks: NonNullable<KabarMcpOptions['webhooks']> = {};
  const fileGateways = (file.gateways ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, entry] of Object.entries(fileGateways)) {
    const where = (key: string) => `gateways.${name}.${key}`;
    gateways[name] = gatewayFrom(
      entry.gateway,
      (key) => resolve(entry[key], env, where(key)),
      where,
    );
    const hook = (entry.webhook ?? {}) as Record<string, unknown>;
    const secret = resolve(hook.secret, env, where('webhook.secret'));
    if (secret) {
      webhooks[name] = {
        secret,
        verifyToken: resolve(hook.verifyToken, env, where('webhook.verifyToken')),
      };
    }
  }
  const single = nonEmpty(env.KABAR_GATEWAY);
  if (Object.keys(gateways).length === 0) {
    if (!single) {
      throw bad(
        `name a gateway: set KABAR_GATEWAY (${GATEWAY_NAMES.join(', ')}) and its settings, or give a config file with --config`,
      );
    }
    gateways[single] = gatewayFrom(
      single,
      (key) => nonEmpty(env[settingEnvName(key)]),
      settingEnvName,
    );
    const secret = nonEmpty(env.KABAR_MCP_WEBHOOK_SECRET);
    if (secret) {
      webhooks[single] = { secret, verifyToken: nonEmpty(env.KABAR_MCP_VERIFY_TOKEN) };
    }
  }
  const policy =
    env.KABAR_MCP_POLICY !== undefined
      ? /^(1|true|yes)$/i.test(env.KABAR_MCP_POLICY)
      : file.policy === true;

  const fileOtp = (file.otp ?? {}) as Record<string, unknown>;
  const otpSecret =
    nonEmpty(env.KABAR_MCP_OTP_SECRET) ?? resolve(fileOtp.secret, env, 'otp.secret');
  const otpTemplate =
    templateOf(nonEmpty(env.KABAR_MCP_OTP_TEMPLATE)) ??
    (fileOtp.template as OtpTemplate | undefined);

  const http = (file.http ?? {}) as Record<string, unknown>;
  const port = nonEmpty(env.KABAR_MCP_PORT) ?? http.port;
  return {
    mcp: {
      gateways,
      webhooks,
      // In memory: one process's view, fed by the webhooks it receives.
      policy: policy
        ? { window: { store: memoryWindowStore() }, consent: memoryConsentStore() }
        : undefined,
      otp: otpSecret ? { secret: otpSecret, template: otpTemplate } : undefined,
      allow:
        env.KABAR_MCP_ALLOW !== undefined
          ? list(env.KABAR_MCP_ALLOW)
          : ((file.allow ?? []) as string[]),
      dryRun:
        env.KABAR_MCP_DRY_RUN !== undefined
          ? /^(1|true|yes)$/i.test(env.KABAR_MCP_DRY_RUN)
          : file.dryRun === true,
      perSession: windowOf(
        nonEmpty(env.KABAR_MCP_SESSION_LIMIT) ?? file.perSession,
        'per-session limit',
      ),
      global: windowOf(nonEmpty(env.KABAR_MCP_GLOBAL_LIMIT) ?? file.global, 'global limit'),
    },
    http: {
      token: nonEmpty(env.KABAR_MCP_TOKEN) ?? resolve(http.token, env, 'http.token'),
      port: port === undefined ? undefined : Number(port),
      host: nonEmpty(env.KABAR_MCP_HOST) ?? (http.host as string | undefined),
      allowedHosts:
        env.KABAR_MCP_ALLOWED_HOSTS !== undefined
          ? list(env.KABAR_MCP_ALLOWED_HOSTS)
          : (http.allowedHosts as string[] | undefined),
    },
  };
}
