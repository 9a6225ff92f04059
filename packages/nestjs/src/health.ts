import { KabarError, type WhatsAppClient } from '@kabar/core';
import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WHATSAPP_CLIENT } from './tokens.js';

/** The result shape `@nestjs/terminus` collects: `{ [key]: { status, ...details } }`. */
export type WhatsAppHealthResult = Record<
  string,
  { status: 'up' | 'down' } & Record<string, unknown>
>;

/**
 * The failed check that terminus 10 recognises, by its `isHealthCheckError` flag, so this package
 * needs no dependency on terminus. `WhatsAppHealthIndicator` throws it only where terminus 11's
 * `HealthIndicatorService` is not in the app (terminus 10, or no `TerminusModule`).
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

/** The part of terminus 11's `HealthIndicatorService` used here, restated to avoid importing it. */
interface HealthIndicatorSessions {
  check(key: string): {
    up(details: Record<string, unknown>): WhatsAppHealthResult;
    down(details: Record<string, unknown>): WhatsAppHealthResult;
  };
}

/**
 * A terminus health indicator: `() => whatsapp.isHealthy('whatsapp')` in `health.check([...])`.
 * It asks the gateway the most telling question it answers: whether the WhatsApp session is
 * logged in (Waviro), the gateway's own health endpoint (Qirim), or an authenticated read of the
 * business profile (Kirem, Meta). A gateway with none of these is reported up but unchecked.
 *
 * With terminus 11 it reports through terminus's `HealthIndicatorService`; with terminus 10 it
 * throws `WhatsAppHealthCheckError` for a failed check, as terminus 10 expects.
 */
@Injectable()
export class WhatsAppHealthIndicator {
  private sessions: HealthIndicatorSessions | undefined;

  constructor(
    @Inject(WHATSAPP_CLIENT) private readonly client: WhatsAppClient,
    // Optional for code that constructs the indicator by hand; it then reports the terminus 10 way.
    @Inject(DiscoveryService) private readonly discovery?: DiscoveryService,
  ) {}

  /**
   * Asks the gateway and resolves with `{ [key]: { status: 'up', provider, check, ... } }`. When
   * the session is logged out or the gateway does not answer within `options.timeoutMs` (default
   * 5000 ms), the check is down: `{ [key]: { status: 'down', ...details, message } }`. With
   * terminus 11 (its `HealthIndicatorService` in the app) that is what it resolves with; otherwise
   * it rejects with `WhatsAppHealthCheckError`, whose `causes` hold that result.
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
    const sessions = this.healthIndicatorService();
    if (problem) {
      const down = { ...details, message: problem };
      if (sessions) return sessions.check(key).down(down);
      // Terminus 10 files every resolved result under `info`, whatever its status, so a down
      // result must be thrown there to count as a failure.
      throw new WhatsAppHealthCheckError(problem, { [key]: { status: 'down', ...down } });
    }
    return sessions ? sessions.check(key).up(details) : { [key]: { status: 'up', ...details } };
  }

  /**
   * Terminus 11's `HealthIndicatorService`, found by class name among the app's providers:
   * importing the class would make terminus a dependency of every app. Terminus 10 has the class
   * but never provides it, and its executor ignores a resolved `status: 'down'`, so being provided
   * is exactly what tells the two apart. Not found is not remembered, in case it was asked before
   * the app finished compiling.
   */
  private healthIndicatorService(): HealthIndicatorSessions | undefined {
    if (this.sessions) return this.sessions;
    for (const wrapper of this.discovery?.getProviders() ?? []) {
      const instance: unknown = wrapper.instance;
      if (
        wrapper.metatype?.name === 'HealthIndicatorService' &&
        typeof (instance as Partial<HealthIndicatorSessions> | undefined)?.check === 'function'
      ) {
        this.sessions = instance as HealthIndicatorSessions;
        return this.sessions;
      }
    }
    return undefined;
  }
}
