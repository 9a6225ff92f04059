import type { AddressInfo } from 'node:net';
import { useSandbox } from '@kabar/sandbox/vitest';
import { expect, it } from 'vitest';
import { createLoginApp } from './app.js';

const sandbox = useSandbox();

it('logs a customer in with the code that reached their WhatsApp', async () => {
  const app = createLoginApp({
    kiremApiKey: sandbox.kirem.apiKey,
    kiremBaseUrl: sandbox.kirem.baseUrl,
    otpSecret: 'test-otp-secret-0123456789',
    tokenSecret: 'test-token-secret-0123456789',
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json());

    expect((await fetch(base)).headers.get('content-type')).toMatch(/html/);
    const requested = await post('/otp/request', { phone: '0812-3456-7890', purpose: 'login' });
    expect(requested.success).toBe(true);
    const delivered = await sandbox.latest({ to: '6281234567890' });
    const code = /\d{6}/.exec(delivered?.text ?? '')?.[0];
    const verified = await post('/otp/verify', { phone: '0812-3456-7890', purpose: 'login', code });
    const me = await fetch(`${base}/me`, {
      headers: { authorization: `Bearer ${verified.data.token}` },
    }).then((r) => r.json());
    expect(me).toEqual({ phone: '6281234567890' });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
