import type { ClientOptions } from '@kabar/core';
import type { ChatStateStore } from '@kabar/core/bot';
import type { OtpEngine, OtpEngineOptions, OtpHttpOptions } from '@kabar/core/otp';
import type { SignedProvider } from '@kabar/core/webhooks';

export interface WhatsAppWebhookOptions {
  /** Whose signature and payload format the endpoint expects. */
  provider: SignedProvider;
  /** Kirem's webhook secret, or Meta's app secret. */
  secret: string;
  /** Meta only: the token the GET subscription handshake must present. */
  verifyToken?: string;
}

/** Codes generated and checked here, sent through the module's client. */
export interface WhatsAppLocalOtpOptions extends Omit<OtpEngineOptions, 'delivery'> {
  /** An approved AUTHENTICATION template whose first body parameter is the code. */
  template?: { name: string; language: string };
  /** The text for gateways without templates. */
  text?: (code: string, ttlSeconds: number) => string;
}

export type WhatsAppOtpOptions = (
  | WhatsAppLocalOtpOptions
  /** Codes generated, sent and checked by the gateway (Qirim), or any engine of your own. */
  | { engine: OtpEngine }
) & {
  /** Per-IP and per-number caps on the OTP routes. */
  limits?: OtpHttpOptions['limits'];
  /**
   * Called once a number is verified over HTTP; what it returns is added to the answer's `data`
   * (a session token, say).
   */
  onVerified?: (
    phone: string,
  ) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
};

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
  /** Mounts POST <otpPath>/request, /verify and /resend (the Express router's contract). */
  otpPath?: string;
}
