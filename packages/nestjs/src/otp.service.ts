import { KabarError, type WhatsAppClient } from '@kabar/core';
import {
  createOtpEngine,
  createOtpHttpHandler,
  type OtpEngine,
  type OtpHttpResponse,
  type OtpRoute,
} from '@kabar/core/otp';
import { Inject, Injectable } from '@nestjs/common';
import type { WhatsAppModuleOptions } from './options.js';
import { WHATSAPP_CLIENT, WHATSAPP_MODULE_OPTIONS } from './tokens.js';

type Request = Parameters<OtpEngine['request']>[0];
type Check = Parameters<OtpEngine['verify']>[0];

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
  private readonly answer:
    | ((request: { route: OtpRoute; ip: string; body: unknown }) => Promise<OtpHttpResponse>)
    | undefined;

  constructor(
    @Inject(WHATSAPP_MODULE_OPTIONS) private readonly options: WhatsAppModuleOptions,
    @Inject(WHATSAPP_CLIENT) client: WhatsAppClient,
  ) {
    const otp = options.otp;
    if (!otp) return;
    if ('engine' in otp) {
      this.engine = otp.engine;
    } else {
      const { template, text, limits: _limits, onVerified: _onVerified, ...engineOptions } = otp;
      this.engine = createOtpEngine({ ...engineOptions, delivery: { client, template, text } });
    }
    this.answer = createOtpHttpHandler({ engine: this.engine, limits: otp.limits });
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

  /** The HTTP contract of `@kabar/express`'s `otpRouter`, for the optional controller. */
  async handleHttp(route: OtpRoute, ip: string, body: unknown): Promise<OtpHttpResponse> {
    if (!this.answer) throw notConfigured();
    const response = await this.answer({ route, ip, body });
    if (response.verifiedPhone && this.options.otp?.onVerified) {
      const extra = await this.options.otp.onVerified(response.verifiedPhone);
      Object.assign(response.body.data as Record<string, unknown>, extra);
    }
    return response;
  }
}
