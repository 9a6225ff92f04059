import type { AddressInfo } from 'node:net';
import { useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoginApp, type LoginAppOptions } from './app.js';
import { DEV_SECRETS, loginSettings } from './settings.js';

const sandbox = useSandbox();

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  vi.restoreAllMocks();
});

async function start(extra: Partial<LoginAppOptions> = {}) {
  const app = createLoginApp({
    kiremApiKey: sandbox.kirem.apiKey,
    kiremBaseUrl: sandbox.kirem.baseUrl,
    otpSecret: 'test-otp-secret-0123456789',
    tokenSecret: 'test-token-secret-0123456789',
    ...extra,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => new Promise((resolve) => server.close(resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  return { base, post };
}

describe('the login app', () => {
  it('logs a customer in with the code that reached their WhatsApp, logging the number masked', async () => {
    const lines = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { base, post } = await start();
    expect((await fetch(base)).headers.get('content-type')).toMatch(/html/);
    const requested = await post('/otp/request', { phone: '0812-3456-7890', purpose: 'login' });
    expect(requested.body.success).toBe(true);
    const delivered = await sandbox.latest({ to: '6281234567890' });
    const code = /\d{6}/.exec(delivered?.text ?? '')?.[0];
    const verified = await post('/otp/verify', { phone: '0812-3456-7890', purpose: 'login', code });
    const me = await fetch(`${base}/me`, {
      headers: { authorization: `Bearer ${verified.body.data.token}` },
    }).then((r) => r.json());
    expect(me).toEqual({ phone: '6281234567890' });

    const logged = lines.mock.calls.flat().join('\n');
    expect(logged).toContain('62812****7890');
    expect(logged).not.toContain('6281234567890');
  });

  it('sends codes to Indonesian numbers only, of the length and lifetime it chose', async () => {
    const { post } = await start();
    const foreign = await post('/otp/request', { phone: '+44 20 7946 0958' });
    expect(foreign).toMatchObject({
      status: 422,
      body: { error: { fields: { phone: expect.any(String) } } },
    });
    const shortCode = await post('/otp/request', {
      phone: '081234567890',
      code_length: 4,
      ttl: 1800,
    });
    expect(shortCode).toMatchObject({ status: 422, body: { error: { code: 'validation_error' } } });
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it('refuses to start with an empty TOKEN_SECRET', () => {
    expect(() => loginSettings({ TOKEN_SECRET: '' })).toThrow(/TOKEN_SECRET is required/);
    expect(() =>
      createLoginApp({
        kiremApiKey: 'kirem_test_key',
        kiremBaseUrl: 'http://127.0.0.1:1',
        otpSecret: 'test-otp-secret-0123456789',
        tokenSecret: '',
      }),
    ).toThrow(/secret/);
  });
});

describe('loginSettings', () => {
  it('runs on 127.0.0.1 with the public development secrets', () => {
    expect(loginSettings({})).toMatchObject({
      host: '127.0.0.1',
      port: 4030,
      app: { otpSecret: DEV_SECRETS.OTP_SECRET, tokenSecret: DEV_SECRETS.TOKEN_SECRET },
    });
  });

  it('refuses to listen beyond this machine with them, naming the settings to change', () => {
    expect(() => loginSettings({ HOST: '0.0.0.0' })).toThrow(/OTP_SECRET, TOKEN_SECRET/);
    expect(() =>
      loginSettings({ HOST: '0.0.0.0', OTP_SECRET: 'a-real-otp-secret-0123456789' }),
    ).toThrow(/TOKEN_SECRET/);
    const settings = loginSettings({
      HOST: '0.0.0.0',
      OTP_SECRET: 'a-real-otp-secret-0123456789',
      TOKEN_SECRET: 'a-real-token-secret-0123456789',
    });
    expect(settings.host).toBe('0.0.0.0');
  });

  it('never puts a secret in its error', () => {
    const error = (() => {
      try {
        loginSettings({ HOST: '10.0.0.5' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/10\.0\.0\.5/);
    for (const secret of Object.values(DEV_SECRETS)) expect(error?.message).not.toContain(secret);
  });
});
