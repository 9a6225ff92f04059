import { describe, expect, it } from 'vitest';
import * as seed from './seed-examples.js';
import { useSandbox } from './vitest.js';

describe('useSandbox', () => {
  const sandbox = useSandbox({ kirem: { apiKeys: ['helper_key'] } });

  const send = () =>
    fetch(`${sandbox.kirem.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.kirem.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(seed.sendText),
    });

  it('starts a sandbox with the given options before the tests', async () => {
    expect(sandbox.port).toBeGreaterThan(0);
    expect(sandbox.kirem.apiKey).toBe('helper_key');
    expect((await send()).status).toBe(201);
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('resets it after each test', async () => {
    expect(await sandbox.messages()).toEqual([]);
  });
});

describe('useSandbox before beforeAll ran', () => {
  const early = useSandbox();
  let error: unknown;
  try {
    early.url;
  } catch (caught) {
    error = caught;
  }

  it('threw a clear error at collection time and works inside tests', () => {
    expect(String(error)).toMatch(/sandbox is not running, so 'url' is not available yet/);
    expect(early.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
