import type { OtpRoute } from '@kabar/core/otp';
import {
  Body,
  Controller,
  HttpCode,
  Inject,
  Ip,
  Param,
  Post,
  Res,
  type Type,
} from '@nestjs/common';
import { OtpService } from './otp.service.js';

/** The part of Express's (or Fastify's) reply the controller writes. */
interface Reply {
  status(code: number): unknown;
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

const ROUTES = new Set<string>(['request', 'verify', 'resend']);

/** POST <path>/request, /verify and /resend, answering exactly like the Express router. */
export function createOtpController(path: string): Type {
  @Controller(path)
  class WhatsAppOtpController {
    constructor(@Inject(OtpService) private readonly otp: OtpService) {}

    @Post(':route')
    @HttpCode(200)
    async handle(
      @Param('route') route: string,
      @Ip() ip: string,
      @Body() body: unknown,
      @Res({ passthrough: true }) reply: Reply,
    ): Promise<Record<string, unknown>> {
      if (!ROUTES.has(route)) {
        reply.status(404);
        return { success: false, error: { code: 'not_found', message: 'no such OTP route' } };
      }
      const response = await this.otp.handleHttp(route as OtpRoute, ip, body);
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
