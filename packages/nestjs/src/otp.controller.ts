import type { OtpRoute } from '@kabar/core/otp';
import { Controller, HttpCode, Inject, Param, Post, Req, Res, type Type } from '@nestjs/common';
import { type OtpHttpContract, OtpService } from './otp.service.js';

/** The part of Express's (or Fastify's) request the controller reads. */
interface OtpRequest {
  ip?: string;
  body?: unknown;
  rawBody?: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** The part of Express's (or Fastify's) reply the controller writes. */
interface Reply {
  status(code: number): unknown;
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

const ROUTES = new Set<string>(['request', 'verify', 'resend']);

// The app's JSON parser has read the body already (Meta's webhooks make apps raise its limit to
// megabytes), so the OTP routes measure what arrived and refuse what their own cap would have.
function bodyBytes(req: OtpRequest): number {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody.length;
  return Buffer.byteLength(JSON.stringify(req.body ?? null));
}

/**
 * POST <path>/request, /verify and /resend, answering exactly like the Express routers: the
 * browser contract of `otpRouter`, or the trusted one of `trustedOtpRouter`.
 */
export function createOtpController(path: string, contract: OtpHttpContract): Type {
  @Controller(path)
  class WhatsAppOtpController {
    constructor(@Inject(OtpService) private readonly otp: OtpService) {
      otp.assertServes(contract);
    }

    @Post(':route')
    @HttpCode(200)
    async handle(
      @Param('route') route: string,
      @Req() req: OtpRequest,
      @Res({ passthrough: true }) reply: Reply,
    ): Promise<Record<string, unknown>> {
      if (!ROUTES.has(route)) {
        reply.status(404);
        return { success: false, error: { code: 'not_found', message: 'no such OTP route' } };
      }
      const response = await this.otp.handleHttp(
        contract,
        { route: route as OtpRoute, ip: req.ip ?? 'unknown', body: req.body, headers: req.headers },
        bodyBytes(req),
      );
      reply.status(response.status);
      for (const [name, value] of Object.entries(response.headers)) {
        if (reply.setHeader) reply.setHeader(name, value);
        else reply.header?.(name, value);
      }
      return response.body;
    }
  }
  return WhatsAppOtpController;
}
