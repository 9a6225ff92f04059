import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { closedPort, failure, transportUnderTest } from '../test-helpers.js';
import { failover } from './failover.js';
import { kirem } from './kirem/index.js';
import { kirimy } from './kirimy/index.js';
import { meta } from './meta/index.js';
import { createProvider } from './registry.js';

const sandbox = useSandbox();

const kiremProvider = () => kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl });
const kirimyProvider = () =>
  kirimy({
    apiKey: sandbox.kirimy.apiKey,
    baseUrl: sandbox.kirimy.baseUrl,
    sessionId: sandbox.kirimy.sessionId,
  });
const metaProvider = () =>
  meta({
    accessToken: sandbox.meta.accessToken,
    phoneNumberId: sandbox.meta.phoneNumberId,
    baseUrl: sandbox.meta.baseUrl,
  });

function client(...providers: Parameters<typeof failover>[0]) {
  return createClient({
    provider: failover(providers),
    retry: false,
    rateLimit: false,
    ...transportUnderTest(),
  });
}

const text = { to: '081234567890', text: 'Pesanan #1001 dikirim' };

describe('failover', () => {
  it('sends through the primary when it accepts', async () => {
    const result = await client(kiremProvider(), kirimyProvider()).send(text);
    expect(result.provider).toBe('kirem');
    expect(await sandbox.messages({ provider: 'kirimy' })).toHaveLength(0);
  });

  it('moves on when the primary clearly refused: 429, 503 with Retry-After, inactive session', async () => {
    await sandbox.fault({ provider: 'kirem', status: 429, times: 1 });
    expect((await client(kiremProvider(), kirimyProvider()).send(text)).provider).toBe('kirimy');

    await sandbox.fault({ provider: 'kirem', status: 503, retryAfter: 30, times: 1 });
    expect((await client(kiremProvider(), kirimyProvider()).send(text)).provider).toBe('kirimy');

    await sandbox.setKirimySession(sandbox.kirimy.sessionId, { active: false });
    expect((await client(kirimyProvider(), kiremProvider()).send(text)).provider).toBe('kirem');

    expect(await sandbox.messages({ provider: 'kirem' })).toHaveLength(1);
    expect(await sandbox.messages({ provider: 'kirimy' })).toHaveLength(2);
  });

  it('moves on when the primary cannot be reached at all', async () => {
    const port = await closedPort();
    const unreachable = kirem({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}` });
    expect((await client(unreachable, kirimyProvider()).send(text)).provider).toBe('kirimy');
  });

  it('never fails over after an ambiguous failure, so nothing is sent twice', async () => {
    await sandbox.fault({ provider: 'meta', status: 503, when: 'after', times: 1 });
    const error = await failure(client(metaProvider(), kirimyProvider()).send(text));
    expect(error.maybeAccepted).toBe(true);
    expect(await sandbox.messages({ provider: 'meta' })).toHaveLength(1);
    expect(await sandbox.messages({ provider: 'kirimy' })).toHaveLength(0);
  });

  it('skips providers that cannot send the message, and says when none can', async () => {
    const both = client(kirimyProvider(), kiremProvider());
    const image = await both.send({ to: '081234567890', image: { link: 'https://x.id/a.png' } });
    expect(image.provider).toBe('kirem');

    await expect(both.send({ to: { group: 'g1' }, text: 'grup' })).rejects.toThrow(
      'The failover(kirimy,kirem) provider does not support group',
    );
  });

  it('needs at least two providers', () => {
    expect(() => failover([kiremProvider()])).toThrow(/at least two/);
  });
});

describe('failover between the WhatsApp Web gateways (Fonnte, Wablas), built from the registry', () => {
  const fonnte = () => createProvider('fonnte', sandbox.fonnte);
  const wablas = () => createProvider('wablas', sandbox.wablas);

  it('moves on to Wablas when the Fonnte device needs a new QR scan', async () => {
    await sandbox.setFonnteDevice({ connected: false });
    const result = await client(fonnte(), wablas()).send(text);
    expect(result.provider).toBe('wablas');
    expect(await sandbox.messages({ provider: 'fonnte' })).toHaveLength(0);
    expect(await sandbox.messages({ provider: 'wablas' })).toHaveLength(1);
  });

  it('stays put after a 502 from Fonnte: the message may be queued there', async () => {
    await sandbox.fault({ provider: 'fonnte', status: 502, times: 1 });
    const error = await failure(client(fonnte(), wablas()).send(text));
    expect(error).toMatchObject({ provider: 'fonnte', maybeAccepted: true });
    expect(await sandbox.messages({ provider: 'wablas' })).toHaveLength(0);
  });
});
