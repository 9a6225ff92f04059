import { KabarError, type WhatsAppClient } from '@kabar/core';
import { Inject, Injectable } from '@nestjs/common';
import { WHATSAPP_CLIENT } from './tokens.js';

/** The result shape `@nestjs/terminus` collects: `{ [key]: { status, ...details } }`. */
export type WhatsAppHealthResult = Record<
  string,
  { status: 'up' | 'down' } & Record<string, unknown>
>;

/**
 * What terminus (10 and 11) recognises as a failed check, by its `isHealthCheckError` flag, so this
 * package needs no dependency on terminus.
 */
export class WhatsAppHealthCheckError extends Error {
  readonly isHealthCheckError = true;
  constructor(
    message: string,
    readonly causes: WhatsAppHealthResult,
  ) {
    super(message);
    this.name = 'WhatsAppHealthCheckError';
  }
}

/**
 * A terminus health indicator: `() => whatsapp.isHealthy('whatsapp')` in `health.check([...])`.
 * It asks the gateway the most telling question it answers: whether the WhatsApp session is
 * logged in (Waviro), the gateway's own health endpoint (Qirim), or an authenticated read of the
 * business profile (Kirem, Meta). A gateway with none of these is reported up but unchecked.
 */
@Injectable()
export class WhatsAppHealthIndicator {
  constructor(@Inject(WHATSAPP_CLIENT) private readonly client: WhatsAppClient) {}

  /**
   * Asks the gateway and resolves with `{ [key]: { status: 'up', provider, check, ... } }`. Rejects
   * with `WhatsAppHealthCheckError` (its `causes` the same shape with `status: 'down'` and a
   * `message`) when the session is logged out or the gateway does not answer within
   * `options.timeoutMs` (default 5000 ms).
   */
  async isHealthy(
    key = 'whatsapp',
    options: { timeoutMs?: number } = {},
  ): Promise<WhatsAppHealthResult> {
    const { client } = this;
    const call = { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) };
    const details: Record<string, unknown> = { provider: client.provider };
    let problem: string | undefined;
    try {
      if (client.supports('connection.status')) {
        details.check = 'session';
        const connection = await client.connection.status(call);
        details.authenticated = connection.authenticated;
        if (connection.number) details.number = connection.number;
        if (!connection.authenticated) {
          problem = 'the WhatsApp session is logged out; scan the QR code again';
        }
      } else if (client.supports('health')) {
        details.check = 'health';
        await client.health(call);
      } else if (client.supports('profile.get')) {
        details.check = 'profile';
        await client.profile.get(call);
      } else {
        details.check = 'none';
        details.message = `the ${client.provider} gateway has no status endpoint; not checked`;
      }
    } catch (error) {
      if (KabarError.isInstance(error)) details.error = error.code;
      const message = error instanceof Error ? error.message : String(error);
      problem = `the ${client.provider} gateway did not answer: ${message}`;
    }
    if (problem) {
      throw new WhatsAppHealthCheckError(problem, {
        [key]: { status: 'down', ...details, message: problem },
      });
    }
    return { [key]: { status: 'up', ...details } };
  }
}
