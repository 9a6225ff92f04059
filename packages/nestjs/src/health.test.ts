import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kirem } from '@kabar/core/kirem';
import { waviro } from '@kabar/core/waviro';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Controller, Get, type INestApplication, Inject, Module } from '@nestjs/common';
import * as terminus from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  WhatsAppHealthCheckError,
  WhatsAppHealthIndicator,
  WhatsAppModule,
  type WhatsAppModuleOptions,
} from './index.js';

// The same file runs on terminus 11 here and on terminus 10 in packages/nestjs-nest10-test; only
// 11 exports HealthIndicatorService.
const terminus11 = 'HealthIndicatorService' in terminus;
const { HealthCheck, HealthCheckService, TerminusModule } = terminus;

const sandbox = useSandbox();

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  vi.restoreAllMocks();
});

@Controller('health')
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: terminus.HealthCheckService,
    @Inject(WhatsAppHealthIndicator) private readonly whatsapp: WhatsAppHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.whatsapp.isHealthy('whatsapp')]);
  }
}

/** An app as the README sets it up: WhatsAppModule, TerminusModule and a `/health` controller. */
async function boot(
  options: WhatsAppModuleOptions,
  { withTerminus = true }: { withTerminus?: boolean } = {},
) {
  @Module({
    imports: [WhatsAppModule.forRoot(options), ...(withTerminus ? [TerminusModule] : [])],
    controllers: withTerminus ? [HealthController] : [],
  })
  class AppModule {}
  const testing = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = testing.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function getHealth(url: string) {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A local port that refuses connections: one that was just free. */
async function closedPortUrl() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe(`GET /health with WhatsAppHealthIndicator (terminus ${terminus11 ? 11 : 10})`, () => {
  it('answers 200 with the gateway up while the Waviro session is logged in', async () => {
    const { url } = await boot({ provider: waviro(sandbox.waviro) });
    expect(await getHealth(url)).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: {
          whatsapp: {
            status: 'up',
            provider: 'waviro',
            check: 'session',
            authenticated: true,
            number: expect.any(String),
          },
        },
        error: {},
        details: { whatsapp: expect.objectContaining({ status: 'up' }) },
      },
    });
  });

  it('answers 503 with the reason once the Waviro session is logged out', async () => {
    const { url } = await boot({ provider: waviro(sandbox.waviro) });
    await sandbox.setWaviroConnection({ authenticated: false });
    expect(await getHealth(url)).toEqual({
      status: 503,
      body: {
        status: 'error',
        info: {},
        error: {
          whatsapp: {
            status: 'down',
            provider: 'waviro',
            check: 'session',
            authenticated: false,
            message: 'the WhatsApp session is logged out; scan the QR code again',
          },
        },
        details: { whatsapp: expect.objectContaining({ status: 'down' }) },
      },
    });
  });

  it('answers 503 when the gateway cannot be reached', async () => {
    const { url } = await boot({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: await closedPortUrl() }),
      retry: false,
    });
    const { status, body } = await getHealth(url);
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'error',
      info: {},
      error: {
        whatsapp: {
          status: 'down',
          provider: 'kirem',
          check: 'profile',
          error: expect.any(String),
          message: expect.stringMatching(/^the kirem gateway did not answer: /),
        },
      },
    });
  });
});

describe('WhatsAppHealthIndicator.isHealthy', () => {
  it.runIf(terminus11)(
    "resolves with a down result from terminus 11's HealthIndicatorService instead of throwing",
    async () => {
      const { app } = await boot({ provider: waviro(sandbox.waviro) });
      const check = vi.spyOn(app.get(terminus.HealthIndicatorService), 'check');
      await sandbox.setWaviroConnection({ authenticated: false });
      await expect(app.get(WhatsAppHealthIndicator).isHealthy('wa')).resolves.toEqual({
        wa: expect.objectContaining({ status: 'down', authenticated: false }),
      });
      expect(check).toHaveBeenCalledWith('wa');
    },
  );

  it.skipIf(terminus11)(
    'throws WhatsAppHealthCheckError on terminus 10, which files any resolved result as up',
    async () => {
      const { app } = await boot({ provider: waviro(sandbox.waviro) });
      await sandbox.setWaviroConnection({ authenticated: false });
      const error = await app
        .get(WhatsAppHealthIndicator)
        .isHealthy('wa')
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WhatsAppHealthCheckError);
      expect(error).toMatchObject({
        isHealthCheckError: true,
        causes: { wa: { status: 'down', authenticated: false } },
      });
    },
  );

  it('throws WhatsAppHealthCheckError in an app without TerminusModule', async () => {
    const { app } = await boot({ provider: waviro(sandbox.waviro) }, { withTerminus: false });
    await sandbox.setWaviroConnection({ authenticated: false });
    await expect(app.get(WhatsAppHealthIndicator).isHealthy()).rejects.toMatchObject({
      name: 'WhatsAppHealthCheckError',
      causes: { whatsapp: { status: 'down', message: expect.stringMatching(/logged out/) } },
    });
    await sandbox.setWaviroConnection({ authenticated: true });
    await expect(app.get(WhatsAppHealthIndicator).isHealthy()).resolves.toMatchObject({
      whatsapp: { status: 'up', check: 'session' },
    });
  });
});
