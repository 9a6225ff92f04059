import { KabarError } from '@kabar/core';
import { Inject, type InjectionToken } from '@nestjs/common';
import { ConsentService } from './consent.service.js';
import { WhatsAppEventDispatcher } from './event-dispatcher.js';
import { WhatsAppHealthIndicator } from './health.js';
import { OtpService } from './otp.service.js';
import {
  DEFAULT_WHATSAPP_CLIENT,
  WHATSAPP_CLIENT,
  WHATSAPP_MODULE_OPTIONS,
  WHATSAPP_TRACKER,
} from './tokens.js';
import { WhatsAppService } from './whatsapp.service.js';

/**
 * What a `WhatsAppModule` exports, each with the key its named token is made from. The keys are
 * spelled out rather than read from class names, which a bundler may shorten, and
 * `Symbol.for` makes the same token in every copy of this package (the testing entry bundles one).
 */
const EXPORT_KEYS = new Map<InjectionToken, string>([
  [WHATSAPP_CLIENT, 'WHATSAPP_CLIENT'],
  [WHATSAPP_MODULE_OPTIONS, 'WHATSAPP_MODULE_OPTIONS'],
  [WHATSAPP_TRACKER, 'WHATSAPP_TRACKER'],
  [WhatsAppService, 'WhatsAppService'],
  [ConsentService, 'ConsentService'],
  [OtpService, 'OtpService'],
  [WhatsAppEventDispatcher, 'WhatsAppEventDispatcher'],
  [WhatsAppHealthIndicator, 'WhatsAppHealthIndicator'],
]);

/** The tokens a `WhatsAppModule` exports, in the order above. */
export const WHATSAPP_EXPORTS: readonly InjectionToken[] = [...EXPORT_KEYS.keys()];

/**
 * One of the things a `WhatsAppModule` provides: the `WHATSAPP_CLIENT`, `WHATSAPP_MODULE_OPTIONS` or
 * `WHATSAPP_TRACKER` token, or the `WhatsAppService`, `ConsentService`,
 * `OtpService`, `WhatsAppEventDispatcher` or `WhatsAppHealthIndicator` class.
 */
export type WhatsAppExport = symbol | (abstract new (...args: never[]) => unknown);

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The module's name, checked: `undefined` is `'default'`. Throws `invalid_config` for a name that
 * is not a word of letters, digits, `_`, `.` and `-`.
 */
export function whatsAppClientName(name: unknown): string {
  if (name === undefined) return DEFAULT_WHATSAPP_CLIENT;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new KabarError(
      'invalid_config',
      `WhatsAppModule: name must be letters, digits, "_", "." or "-" (like 'kirem' or 'toko-2'), got ${JSON.stringify(name) ?? String(name)}`,
    );
  }
  return name;
}

/**
 * The token under which the `WhatsAppModule` named `name` exports `token`. Without a name (or
 * with `'default'`) it is `token` itself, which is how an unnamed module exports it; a named
 * module exports only its named tokens, so two modules never answer for the same one.
 *
 * @example
 * ```ts
 * import { getWhatsAppToken, WhatsAppService } from '@kabar/nestjs';
 * import type { INestApplicationContext } from '@nestjs/common';
 *
 * export function qirimOf(app: INestApplicationContext): WhatsAppService {
 *   return app.get(getWhatsAppToken(WhatsAppService, 'qirim'));
 * }
 * ```
 */
export function getWhatsAppToken<T>(
  token: abstract new (...args: never[]) => T,
  name?: string,
): InjectionToken<T>;
export function getWhatsAppToken(token: symbol, name?: string): InjectionToken;
export function getWhatsAppToken(token: WhatsAppExport, name?: string): InjectionToken {
  const key = EXPORT_KEYS.get(token as InjectionToken);
  if (key === undefined) {
    const what = typeof token === 'symbol' ? token.toString() : token.name;
    throw new TypeError(
      `getWhatsAppToken: WhatsAppModule does not provide ${what}; it provides ${[...EXPORT_KEYS.values()].join(', ')}`,
    );
  }
  const client = whatsAppClientName(name);
  if (client === DEFAULT_WHATSAPP_CLIENT) return token as InjectionToken;
  return Symbol.for(`kabar.nestjs.${key}@${client}`);
}

/**
 * Injects what the `WhatsAppModule` named `name` provides, `token` being its class or token:
 * `@InjectWhatsApp(WhatsAppService, 'qirim')`, `@InjectWhatsApp(OtpService, 'meta')`. Without a
 * name, the unnamed module's, as a plain `constructor(private whatsapp: WhatsAppService)` does.
 */
export const InjectWhatsApp = (
  token: WhatsAppExport,
  name?: string,
): ParameterDecorator & PropertyDecorator => Inject(getWhatsAppToken(token as symbol, name));

/**
 * Injects the raw `WhatsAppClient` from `@kabar/core`: the unnamed module's, or that of the module
 * registered with this `name` (`@InjectWhatsAppClient('kirem')`).
 */
export const InjectWhatsAppClient = (name?: string): ParameterDecorator & PropertyDecorator =>
  InjectWhatsApp(WHATSAPP_CLIENT, name);
