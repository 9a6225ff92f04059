import { KabarError, type WhatsAppClient } from '@kabar/core';
import {
  createOtpEngine,
  createOtpHttpHandler,
  createTrustedOtpHttpHandler,
  type OtpEngine,
  type OtpHttpHandler,
  type OtpHttpRequest,
  type OtpHttpResponse,
  otpErrorResponse,
} from '@kabar/core/otp';
import { Inject, Injectable } from '@nestjs/common';
import type { WhatsAppModuleOptions } from './options.js';
import { WHATSAPP_CLIENT, WHATSAPP_MODULE_OPTIONS } from './tokens.js';

type Request = Parameters<OtpEngine['request']>[0];
type Check = Parameters<OtpEngine['verify']>[0];

/** Which contract an OTP route speaks: `otpPath` serves browsers, `trustedOtpPath` backends. */
export type OtpHttpContract = 'browser' | 'trusted';

function notConfigured() {
  return new KabarError(
    'invalid_config',
    'OtpService: give WhatsAppModule an `otp` option (a secret and a template, or an engine)',
  );
}

/** OTP login: codes sent over WhatsApp, stored only as keyed hashes, checked once. */
@Injectable()
export class OtpService {
  private readonly engine: OtpEngine | undefined;
  private readonly handlers: Partial<Record<OtpHttpContract, OtpHttpHandler>> = {};
  private readonly bodyLimit: number;

  constructor(
    @Inject(WHATSAPP_MODULE_OPTIONS) private readonly options: WhatsAppModuleOptions,
    @Inject(WHATSAPP_CLIENT) client: WhatsAppClient,
  ) {
    const otp = options.otp;
    this.bodyLimit = otp?.bodyLimit ?? 10 * 1024;
    if (!otp) return;
    const { limits, purposes, allowedCountries, trusted } = otp;
    if ('engine' in otp) {
      this.engine = otp.engine;
    } else {
      const {
        template,
        text,
        limits: _limits,
        purposes: _purposes,
        allowedCountries: _allowedCountries,
        bodyLimit: _bodyLimit,
        trusted: _trusted,
        onVerified: _onVerified,
        ...engineOptions
      } = otp;
      this.engine = createOtpEngine({ ...engineOptions, delivery: { client, template, text } });
    }
    this.handlers.browser = createOtpHttpHandler({
      engine: this.engine,
      limits,
      purposes,
      allowedCountries,
    });
    if (trusted) {
      this.handlers.trusted = createTrustedOtpHttpHandler({
        engine: this.engine,
        limits,
        allowedCountries,
        apiKey: trusted.apiKey,
      });
    }
  }

  private get required(): OtpEngine {
    if (!this.engine) throw notConfigured();
    return this.engine;
  }

  /** Sends a new code. Rejects with `resend_cooldown` or `daily_limit` (with `retryAfter`). */
  async request(request: Request) {
    return this.required.request(request);
  }

  /** A new code; the old one stops working and its spent attempts carry over. */
  async resend(request: Request) {
    return this.required.resend(request);
  }

  /** Resolves once the code is right; rejects with `otp_incorrect`, `otp_expired`, `too_many_attempts`. */
  async verify(check: Check) {
    return this.required.verify(check);
  }

  /**
   * Throws `invalid_config` unless the module can serve this contract; the OTP controllers call it
   * when they are built, so a missing option stops the app at start.
   */
  assertServes(contract: OtpHttpContract): void {
    if (!this.engine) throw notConfigured();
    if (contract === 'trusted' && !this.handlers.trusted) {
      throw new KabarError(
        'invalid_config',
        'trustedOtpPath: give WhatsAppModule `otp.trusted.apiKey`, the key your backends present',
      );
    }
  }

  /**
   * One call to the OTP routes, in the contract of `@kabar/express`'s `otpRouter` (browser) or
   * `trustedOtpRouter` (trusted). `bodyBytes` is the size of the body as it arrived; over the
   * body limit the answer is 413.
   */
  async handleHttp(
    contract: OtpHttpContract,
    request: OtpHttpRequest,
    bodyBytes: number,
  ): Promise<OtpHttpResponse> {
    const answer = this.handlers[contract];
    if (!answer) throw notConfigured();
    if (bodyBytes > this.bodyLimit) {
      return otpErrorResponse(
        new KabarError('payload_too_large', `body over ${this.bodyLimit} bytes`, { status: 413 }),
      );
    }
    const response = await answer(request);
    if (response.verifiedPhone && this.options.otp?.onVerified) {
      const extra = await this.options.otp.onVerified(response.verifiedPhone);
      Object.assign(response.body.data as Record<string, unknown>, extra);
    }
    return response;
  }
}
