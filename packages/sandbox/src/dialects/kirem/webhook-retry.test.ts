import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../index.js';
import { call, sleep, useReceiver } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const sandbox = useSandbox();
const receiver = useReceiver(() => ({ status: 200, body: { ok: true } }));

const CUSTOMER = '6281234567890';
const inbound = (text = 'Halo') => sandbox.inbound({ provider: 'kirem', from: CUSTOMER, text });
/** A consumer that is down for its first `failures` requests, then answers 200. */
const failFirst = (failures: number) => {
  receiver.respond = () =>
    receiver.received.length <= failures
      ? { status: 500, body: { error: 'down' } }
      : { status: 200, body: { ok: true } };
};
/** A URL on a port nothing listens on: bound, then released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
const attempts = async () =>
  (await sandbox.deliveries({ provider: 'kirem' })).map((d) => [d.url, d.attempt, d.status]);

describe('Kirem automatic webhook retries', () => {
  it('retries a failing consumer until it answers 2xx, and then stops', async () => {
    await sandbox.setKiremWebhookRetry([50, 100, 100]);
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hook` });
    failFirst(1);
    const { deliveries } = await inbound();
    expect(deliveries[0]).toMatchObject({ attempt: 1, status: 500 });

    const [first, second] = await receiver.waitFor(2);
    await sleep(300);
    expect(receiver.received).toHaveLength(2);
    expect(second?.raw.equals(first?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(second?.headers['x-kirem-signature']).toBe(first?.headers['x-kirem-signature']);
    const log = await sandbox.deliveries();
    expect(log.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(log[1]?.body).toBe(log[0]?.body);
  });

  it('gives up after the last delay of the schedule', async () => {
    await sandbox.setKiremWebhookRetry([20, 40]);
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hook` });
    receiver.respond = () => ({ status: 503, body: 'busy' });
    await inbound();
    await receiver.waitFor(3);
    await sleep(200);
    expect(receiver.received).toHaveLength(3);
    expect((await sandbox.deliveries()).map((d) => [d.attempt, d.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
    ]);
  });

  it('retries a consumer that is unreachable, and each routed target on its own', async () => {
    await sandbox.setKiremWebhookRetry([30]);
    const downUrl = await closedPortUrl();
    await sandbox.addKiremWebhookTarget({ id: 'down', url: downUrl });
    await sandbox.addKiremWebhookTarget({ id: 'up', url: `${receiver.url}/up` });
    await inbound();
    await sleep(300);
    expect(receiver.received).toHaveLength(1);
    const log = await sandbox.deliveries();
    expect(log.filter((d) => d.url === `${receiver.url}/up`).map((d) => d.attempt)).toEqual([1]);
    const down = log.filter((d) => d.url === downUrl);
    expect(down.map((d) => [d.attempt, d.status])).toEqual([
      [1, null],
      [2, null],
    ]);
    expect(down[1]?.error).toMatch(/ECONNREFUSED/);
  });

  it('waits about a second before the first retry by default', async () => {
    expect(await sandbox.kiremWebhookRetry()).toEqual({
      delaysMs: [1000, 2000, 4000, 8000, 16000],
    });
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hook` });
    failFirst(1);
    await inbound();
    await sleep(500);
    expect(receiver.received).toHaveLength(1);
    await receiver.waitFor(2);
    const [first, retry] = await sandbox.deliveries();
    const waited = Date.parse(retry?.at ?? '') - Date.parse(first?.at ?? '');
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(1900);
    expect(retry).toMatchObject({ attempt: 2, status: 200 });
  });

  it('fires no pending retry after reset()', async () => {
    await sandbox.setKiremWebhookRetry([200]);
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hook` });
    receiver.respond = () => ({ status: 500, body: 'down' });
    await inbound();
    await sandbox.reset();
    await sleep(400);
    expect(receiver.received).toHaveLength(1);
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('retries nothing with the schedule []', async () => {
    expect(await sandbox.setKiremWebhookRetry([])).toEqual({ delaysMs: [] });
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hook` });
    receiver.respond = () => ({ status: 500, body: 'down' });
    await inbound();
    // Past the default schedule's first retry, in case [] were ignored.
    await sleep(1300);
    expect(receiver.received).toHaveLength(1);
    expect(await attempts()).toEqual([[`${receiver.url}/hook`, 1, 500]]);
  });

  it('still redelivers by hand, numbered after the automatic attempts, without retrying it', async () => {
    await sandbox.setKiremWebhookRetry([30]);
    await sandbox.setWebhook('kirem', { url: `${receiver.url}/hook` });
    receiver.respond = () => ({ status: 500, body: 'down' });
    const { deliveries } = await inbound();
    await receiver.waitFor(2);
    const replay = await sandbox.redeliver(deliveries[0]?.id ?? '');
    expect(replay).toMatchObject({ attempt: 3, status: 500 });
    await sleep(150);
    expect(receiver.received).toHaveLength(3);
    receiver.respond = () => ({ status: 200, body: 'ok' });
    expect(await sandbox.redeliver(replay.id)).toMatchObject({ attempt: 4, status: 200 });
  });

  it('leaves other gateways unretried', async () => {
    await sandbox.setKiremWebhookRetry([20]);
    await sandbox.setWebhook('meta', { url: `${receiver.url}/meta` });
    receiver.respond = () => ({ status: 500, body: 'down' });
    await sandbox.inbound({ provider: 'meta', from: CUSTOMER, text: 'Halo' });
    await sleep(150);
    expect(receiver.received).toHaveLength(1);
    expect(await sandbox.deliveries()).toHaveLength(1);
  });

  it('stops retrying when the sandbox closes', async () => {
    const own = await createSandbox();
    await own.setKiremWebhookRetry([100]);
    await own.setWebhook('kirem', { url: `${receiver.url}/hook` });
    receiver.respond = () => ({ status: 500, body: 'down' });
    await own.inbound({ provider: 'kirem', from: CUSTOMER, text: 'Halo' });
    await own.close();
    await sleep(300);
    expect(receiver.received).toHaveLength(1);
  });
});

describe('the retry schedule through the control API', () => {
  it('refuses schedules that are not a short list of delays', async () => {
    const put = async (json: unknown) =>
      (await call(`${sandbox.url}/api/v1/kirem/webhook-retry`, { method: 'PUT', json })).status;
    expect(await put({ delaysMs: [1, 2.5] })).toBe(400);
    expect(await put({ delaysMs: [-1] })).toBe(400);
    expect(await put({ delaysMs: [3_600_001] })).toBe(400);
    expect(await put({ delaysMs: Array(21).fill(1) })).toBe(400);
    expect(await put({ delays: [1] })).toBe(400);
    expect(await put({ delaysMs: [0, 3_600_000] })).toBe(200);
  });

  it('reset restores the default schedule', async () => {
    await sandbox.setKiremWebhookRetry([5]);
    expect(await sandbox.kiremWebhookRetry()).toEqual({ delaysMs: [5] });
    await sandbox.reset();
    expect(await sandbox.kiremWebhookRetry()).toEqual({
      delaysMs: [1000, 2000, 4000, 8000, 16000],
    });
  });
});
