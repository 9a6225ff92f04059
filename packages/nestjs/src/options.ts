import type { ClientOptions, CountryCode } from '@kabar/core';
import type { ChatStateStore } from '@kabar/core/bot';
import type { OtpEngine, OtpEngineOptions, OtpHttpLimits, OtpTemplate } from '@kabar/core/otp';
import type { WebhookHandlerOptions } from '@kabar/core/webhooks';

/**
 * The webhook endpoint mounted at `webhookPath`: `createWebhookHandler`'s options (`provider`,
 * `secret`, `verifyToken`, `bodyLimit`, `dedupe`, `dedupeTtlMs`); the events go to the decorated
 * handlers. Nest's own JSON parser stops at 100 kB unless raised, whatever `bodyLimit` says:
 * `app.useBodyParser('json', { limit: '3mb' })`.
 */
export type WhatsAppWebhookOptions = Pick<
  WebhookHandlerOptions,
  'provider' | 'secret' | 'verifyToken' | 'bodyLimit' | 'dedupe' | 'dedupeTtlMs'
>;

/** Codes generated and checked here, sent through the module's client. */
export interface WhatsAppLocalOtpOptions extends Omit<OtpEngineOptions, 'delivery'> {
  /**
   * An approved AUTHENTICATION template: the code goes in its body and, unless `button: 'none'`,
   * in its copy-code or one-tap button, as Meta requires.
   */
  template?: OtpTemplate;
  /** The text for gateways without templates. */
  text?: (code: string, ttlSeconds: number) => string;
}

/** How the OTP routes (`otpPath`, `trustedOtpPath`) answer over HTTP. */
export interface WhatsAppOtpHttpOptions {
  /** Per-IP, per-number-per-IP and per-number caps on the OTP routes. */
  limits?: OtpHttpLimits;
  /**
   * The purposes a browser may name in `purpose` at `otpPath`; the first is the default. Default
   * `['default']`, so bodies need no purpose.
   */
  purposes?: readonly string[];
  /** Countries whose numbers may ask for a code, e.g. `['ID']`. Default: any. */
  allowedCountries?: readonly CountryCode[];
  /** JSON body cap of the OTP routes, in bytes. Default 10 KiB (413 past it). */
  bodyLimit?: number;
  /**
   * Opt-in: Qirim's backend-to-backend contract at `trustedOtpPath`, for your servers presenting
   * this key as `X-Api-Key` or a Bearer token (at least 24 characters). They may choose
   * `code_length`, `ttl` and `purpose`, and get detailed verify answers.
   */
  trusted?: { apiKey: string };
  /**
   * Called once a number is verified over HTTP; what it returns is added to the answer's `data`
   * (a session token, say).
   */
  onVerified?: (
    phone: string,
  ) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
}

/** Enables `OtpService`: codes made here (a secret and a template) or by an engine of your own. */
export type WhatsAppOtpOptions = (
  | WhatsAppLocalOtpOptions
  /** Codes generated, sent and checked by the gateway (Qirim), or any engine of your own. */
  | { engine: OtpEngine }
) &
  WhatsAppOtpHttpOptions;

/** What `forRoot` takes (or `forRootAsync`'s factory returns): the client's options and these. */
export interface WhatsAppModuleOptions extends ClientOptions {
  /** Checks and parses incoming webhooks; mount the endpoint with `webhookPath`. */
  webhook?: WhatsAppWebhookOptions;
  /** Enables `OtpService`; mount its routes with `otpPath`. */
  otp?: WhatsAppOtpOptions;
  /** Where `@Hears` handlers keep `context.state`. Default: in memory. */
  chatState?: ChatStateStore;
}

/** Known when the module is declared, so they can shape it (the async options come later). */
export interface WhatsAppModuleExtras {
  /** Registers the module's providers in every module. Default false. */
  isGlobal?: boolean;
  /** Mounts the webhook controller here (e.g. 'whatsapp/webhook'); none without it. */
  webhookPath?: string;
  /** Mounts POST <otpPath>/request, /verify and /resend for browsers (`otpRouter`'s contract). */
  otpPath?: string;
  /**
   * Mounts the same routes with the backend-to-backend contract (`trustedOtpRouter`'s); needs
   * `otp.trusted.apiKey`. Never point browsers at it.
   */
  trustedOtpPath?: string;
}
