import type { ClientOptions, ConsentKeyword, CountryCode, SendPolicy } from '@kabar/core';
import type { ChatStateStore } from '@kabar/core/bot';
import type { OtpEngine, OtpEngineOptions, OtpHttpLimits, OtpTemplate } from '@kabar/core/otp';
import type { WebhookHandlerOptions } from '@kabar/core/webhooks';
import type { Type } from '@nestjs/common';

/**
 * The webhook endpoint mounted at `webhookPath`: `createWebhookHandler`'s options (`provider`,
 * `secret`, `verifyToken`, `bodyLimit`, `dedupe`, `dedupeTtlMs`, `messageIds`, `messageIdTtlMs`); the
 * events go to the decorated
 * handlers. Nest's own JSON parser stops at 100 kB unless raised, whatever `bodyLimit` says:
 * `app.useBodyParser('json', { limit: '3mb' })`.
 */
export type WhatsAppWebhookOptions = Pick<
  WebhookHandlerOptions,
  | 'provider'
  | 'secret'
  | 'verifyToken'
  | 'bodyLimit'
  | 'dedupe'
  | 'dedupeTtlMs'
  | 'messageIds'
  | 'messageIdTtlMs'
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

/**
 * The send policy (`createClient`'s `policy`: `window`, `consent`, `now`), and how the webhook
 * endpoint keeps its stores current (`createConversationTracker`'s keywords and confirmation).
 * Every send through the module (`WhatsAppService`, the raw client, `@Hears` replies) follows it:
 * marketing (`category: 'marketing'`) to a contact who opted out throws `opted_out`, and on Meta
 * and Kirem a free-form message outside the customer's 24-hour window throws `outside_window`
 * (unless `window.outside` says otherwise). The window opens only when the endpoint at
 * `webhookPath` hears the customer, so give `window` with a webhook.
 */
export interface WhatsAppPolicyOptions extends SendPolicy {
  /** Words that opt a customer out. Default `STOP`, `UNSUBSCRIBE` (English), `BERHENTI` (Indonesian). */
  optOutKeywords?: ConsentKeyword[];
  /** Words that opt a customer back in. Default `START` (English), `MULAI` (Indonesian). */
  optInKeywords?: ConsentKeyword[];
  /**
   * Answers an opt-out keyword once per opt-out, in the keyword's language, through the module's
   * client: `true` for the default Indonesian and English texts, or `{ texts }` keyed by language.
   * Default off.
   */
  confirm?: boolean | { texts?: Record<string, string> };
}

/** What `forRoot` takes (or `forRootAsync`'s factory returns): the client's options and these. */
export interface WhatsAppModuleOptions extends ClientOptions {
  /** Checks and parses incoming webhooks; mount the endpoint with `webhookPath`. */
  webhook?: WhatsAppWebhookOptions;
  /** Enables `OtpService`; mount its routes with `otpPath`. */
  otp?: WhatsAppOtpOptions;
  /** Where `@Hears` handlers keep `context.state`. Default: in memory. */
  chatState?: ChatStateStore;
  /**
   * The send policy: the 24-hour window and marketing consent, kept current by the webhook
   * endpoint; enables `ConsentService`.
   */
  policy?: WhatsAppPolicyOptions;
  /**
   * Only the providers and controllers of these modules are scanned for handlers (`@Hears`, `@On`,
   * ...), as nestjs-telegraf's `include`; the modules are matched by class. Default: every module.
   */
  include?: Type[];
}

/** Known when the module is declared, so they can shape it (the async options come later). */
export interface WhatsAppModuleExtras {
  /**
   * Registers one of several gateways in an app, under this name (`'kirem'`, `'meta'`): inject its
   * parts with `@InjectWhatsAppClient(name)` or `@InjectWhatsApp(WhatsAppService, name)`, and bind
   * handlers to it with `@WhatsAppHandlers({ client: name })`. Default `'default'`, whose parts
   * are injected by class as usual.
   */
  name?: string;
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
