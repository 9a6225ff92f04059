import { setTimeout as delay } from 'node:timers/promises';
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, type WhatsAppClient } from '../client.js';
import { KabarError } from '../errors.js';
import { kirem } from '../providers/kirem/index.js';
import {
  type BroadcastProgress,
  type BroadcastResult,
  type BroadcastRun,
  broadcast,
} from './index.js';

const sandbox = useSandbox();

function kiremClient(extra: Partial<ClientOptions> = {}) {
  return createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    ...extra,
  });
}

interface Customer {
  id: string;
  name: string;
  phone: string;
}

/** Customer i: a distinct Indonesian mobile number, written the way people type it. */
function customer(i: number): Customer {
  const digits = String(i).padStart(7, '0');
  return {
    id: `c-${i}`,
    name: `Pelanggan ${i}`,
    phone: `08123-${digits.slice(0, 3)}-${digits.slice(3)}`,
  };
}

/** How the sandbox stores customer i's number. */
const stored = (i: number) => `628123${String(i).padStart(7, '0')}`;

/** Rows the way a database cursor hands them out, counting how many were taken and whether it was closed. */
function cursor(count: number, options: { failAfter?: number } = {}) {
  const state = { pulled: 0, closed: false };
  async function* rows(): AsyncGenerator<Customer> {
    try {
      for (let i = 0; i < count; i++) {
        if (i === options.failAfter) throw new Error('database connection lost');
        await Promise.resolve();
        state.pulled++;
        yield customer(i);
      }
    } finally {
      state.closed = true;
    }
  }
  return { rows: rows(), state };
}

const greeting = (c: Customer) => ({
  to: c.phone,
  text: `Halo ${c.name}, promo Ramadan sudah dimulai!`,
});

async function collect<Row>(run: BroadcastRun<Row>): Promise<BroadcastResult<Row>[]> {
  const results: BroadcastResult<Row>[] = [];
  for await (const result of run) results.push(result);
  return results;
}

async function outbound() {
  return sandbox.messages({ direction: 'outbound' });
}

describe('broadcast', () => {
  it('sends 200 rows from an async generator, each to its own number with its own name', async () => {
    const { rows, state } = cursor(200);
    const progress: BroadcastProgress[] = [];
    const run = broadcast(kiremClient({ rateLimit: false }), rows, {
      key: (c) => c.id,
      message: greeting,
      onProgress: (p) => progress.push(p),
    });
    const results = await collect(run);

    expect(state).toEqual({ pulled: 200, closed: true });
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(new Set(results.map((r) => r.index)).size).toBe(200);

    const messages = await outbound();
    expect(messages).toHaveLength(200);
    const byId = new Map(messages.map((m) => [m.id, m]));
    for (const result of results) {
      if (result.status !== 'sent') throw new Error('unreachable');
      expect(result.key).toBe(`c-${result.index}`);
      expect(result.to).toBe(customer(result.index).phone);
      const message = byId.get(result.messageId);
      expect(message?.to).toBe(stored(result.index));
      expect(message?.text).toContain(`Halo Pelanggan ${result.index},`);
    }

    expect(progress).toHaveLength(200);
    expect(progress.map((p) => p.processed)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(progress.at(-1)).toEqual({
      processed: 200,
      sent: 200,
      skipped: 0,
      failed: 0,
      inFlight: 0,
    });
    const summary = await run.done();
    expect(summary).toMatchObject({ processed: 200, sent: 200, aborted: false, inFlight: 0 });
  });

  it('skips opted-out rows, rows sent by an earlier run and rows without a message, without sending them', async () => {
    const optedOut = new Set(['08123-000-0002', '08123-000-0005']);
    const sentBefore = new Set(['c-3', 'c-7']);
    const run = broadcast(
      kiremClient(),
      Array.from({ length: 10 }, (_, i) => customer(i)),
      {
        key: (c) => c.id,
        isOptedOut: async (c) => optedOut.has(c.phone),
        alreadySent: async (key) => sentBefore.has(key),
        message: (c, i) => (i === 8 ? null : greeting(c)),
      },
    );
    const results = await collect(run);

    const skipped = results
      .filter((r) => r.status === 'skipped')
      .map((r) => [r.index, r.key, r.reason])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(skipped).toEqual([
      [2, 'c-2', 'opted_out'],
      [3, 'c-3', 'already_sent'],
      [5, 'c-5', 'opted_out'],
      [7, 'c-7', 'already_sent'],
      [8, 'c-8', 'no_message'],
    ]);
    const sentTo = (await outbound()).map((m) => m.to).sort();
    expect(sentTo).toEqual([0, 1, 4, 6, 9].map(stored));
    expect(await run.done()).toMatchObject({
      processed: 10,
      sent: 5,
      skipped: 5,
      failed: 0,
      inFlight: 0,
      aborted: false,
    });
  });

  it('reports a bad number, a throwing callback and a gateway refusal as failed rows, and sends the rest', async () => {
    await sandbox.fault({ provider: 'kirem', path: '/messages', status: 401, times: 1 });
    const rows = Array.from({ length: 10 }, (_, i) => customer(i));
    rows[3] = { ...customer(3), phone: 'bukan-nomor' };
    const results = await collect(
      broadcast(kiremClient(), rows, {
        concurrency: 1,
        message: (c, i) => {
          if (i === 6) throw new TypeError('template data missing');
          return greeting(c);
        },
      }),
    );

    const failed = new Map(
      results.flatMap((r) => (r.status === 'failed' ? [[r.index, r] as const] : [])),
    );
    expect([...failed.keys()].sort()).toEqual([0, 3, 6]);
    // concurrency 1: the first send met the injected 401
    expect(failed.get(0)?.error).toMatchObject({ status: 401, provider: 'kirem' });
    expect(failed.get(0)?.to).toBe(customer(0).phone);
    expect(failed.get(3)?.error.code).toBe('invalid_phone');
    expect(failed.get(3)?.to).toBe('bukan-nomor');
    const thrown = failed.get(6)?.error;
    expect(KabarError.isInstance(thrown)).toBe(true);
    expect(thrown?.code).toBe('provider_error');
    expect(thrown?.message).toContain('template data missing');
    expect(thrown?.cause).toBeInstanceOf(TypeError);
    expect(failed.get(6)?.to).toBeUndefined();

    const sentTo = (await outbound()).map((m) => m.to).sort();
    expect(sentTo).toEqual([1, 2, 4, 5, 7, 8, 9].map(stored));
  });

  it('never has more than `concurrency` sends in flight, and never hands the client a signal', async () => {
    const real = kiremClient({ rateLimit: false });
    let active = 0;
    let most = 0;
    const signals: unknown[] = [];
    const counting: WhatsAppClient = {
      ...real,
      async send(message, options) {
        signals.push(options?.signal);
        active++;
        most = Math.max(most, active);
        try {
          return await real.send(message, options);
        } finally {
          active--;
        }
      },
    };
    const controller = new AbortController();
    const summary = await broadcast(counting, cursor(30).rows, {
      concurrency: 3,
      message: greeting,
      signal: controller.signal,
    }).done();

    expect(summary).toMatchObject({ processed: 30, sent: 30 });
    expect(most).toBe(3);
    expect(signals).toHaveLength(30);
    expect(signals.every((s) => s === undefined)).toBe(true);
    expect(await outbound()).toHaveLength(30);
  });

  it('stops pulling rows on abort; sends in flight finish, are reported, and land exactly once', async () => {
    const { rows, state } = cursor(100);
    const controller = new AbortController();
    const run = broadcast(kiremClient({ rateLimit: false }), rows, {
      concurrency: 4,
      message: greeting,
      signal: controller.signal,
    });
    const results: BroadcastResult<Customer>[] = [];
    for await (const result of run) {
      results.push(result);
      if (results.length === 10) controller.abort();
    }
    const summary = await run.done();

    expect(summary.aborted).toBe(true);
    expect(summary.processed).toBe(results.length);
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.length).toBeLessThanOrEqual(10 + 4);
    expect(summary.sent).toBeLessThan(100);
    expect(state.pulled).toBeLessThanOrEqual(10 + 4 + 1);
    expect(state.closed).toBe(true);

    const messages = await outbound();
    expect(messages).toHaveLength(summary.sent);
    const sentTo = results.map((r) => stored(r.index)).sort();
    expect(messages.map((m) => m.to).sort()).toEqual(sentTo);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { rows, state } = cursor(10);
    const summary = await broadcast(kiremClient(), rows, {
      message: greeting,
      signal: AbortSignal.abort(),
    }).done();
    expect(summary).toMatchObject({ processed: 0, sent: 0, aborted: true });
    expect(state.pulled).toBe(0);
    expect(await outbound()).toHaveLength(0);
  });

  it('holds the input back while the reader is slow (back-pressure)', async () => {
    const { rows, state } = cursor(1000);
    const run = broadcast(kiremClient({ rateLimit: false }), rows, {
      concurrency: 4,
      message: greeting,
    });
    const iterator = run[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    await delay(250); // the reader is busy; the sends in flight finish meanwhile
    expect(state.pulled).toBeLessThanOrEqual(4 + 2);

    await iterator.return?.();
    const summary = await run.done();
    expect(state.closed).toBe(true);
    expect(summary.aborted).toBe(true);
    expect(summary.processed).toBe(state.pulled);
    expect(await outbound()).toHaveLength(summary.sent);
  });

  it('after an early break, stops pulling and lets the sends in flight finish unreported', async () => {
    const { rows, state } = cursor(100);
    const run = broadcast(kiremClient({ rateLimit: false }), rows, {
      concurrency: 5,
      message: greeting,
    });
    let seen = 0;
    for await (const _ of run) {
      if (++seen === 3) break;
    }
    const summary = await run.done();
    expect(state.closed).toBe(true);
    expect(summary.processed).toBeGreaterThanOrEqual(3);
    expect(summary.processed).toBeLessThanOrEqual(3 + 5);
    expect(summary).toMatchObject({ inFlight: 0, aborted: true });
    expect(await outbound()).toHaveLength(summary.sent);
  });

  it('fails the run when the rows themselves fail, after the sends in flight settle', async () => {
    const { rows } = cursor(20, { failAfter: 5 });
    const results: BroadcastResult<Customer>[] = [];
    const run = broadcast(kiremClient(), rows, { message: greeting });
    await expect(
      (async () => {
        for await (const result of run) results.push(result);
      })(),
    ).rejects.toThrow('database connection lost');
    expect(results.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await outbound()).toHaveLength(5);
    await expect(run.done()).rejects.toThrow('database connection lost');

    await sandbox.clear();
    const again = cursor(20, { failAfter: 5 });
    await expect(
      broadcast(kiremClient(), again.rows, { message: greeting }).done(),
    ).rejects.toThrow('database connection lost');
    expect(await outbound()).toHaveLength(5);
  });

  it('is lazy, and can be consumed only once', async () => {
    const { rows, state } = cursor(3);
    const run = broadcast(kiremClient(), rows, { message: greeting });
    await delay(20);
    expect(state.pulled).toBe(0);
    expect(await outbound()).toHaveLength(0);

    expect(await collect(run)).toHaveLength(3);
    expect(() => run[Symbol.asyncIterator]()).toThrow(/only once/);
    expect(await run.done()).toMatchObject({ processed: 3, sent: 3 });

    const other = broadcast(kiremClient(), [customer(9)], { message: greeting });
    expect(await other.done()).toMatchObject({ sent: 1 });
    await expect(collect(other)).rejects.toMatchObject({ code: 'invalid_config' });
    expect(await outbound()).toHaveLength(4);
  });

  it('is paced by the client’s rate limit', async () => {
    const client = kiremClient({ rateLimit: { perSecond: 20, burst: 1 } });
    const started = performance.now();
    const summary = await broadcast(
      client,
      Array.from({ length: 30 }, (_, i) => customer(i)),
      { concurrency: 10, message: greeting },
    ).done();
    const elapsed = performance.now() - started;

    expect(summary.sent).toBe(30);
    // 30 sends at 20 a second, one token at a time: 29 waits of 50 ms
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(summary.durationMs).toBeGreaterThanOrEqual(1000);
    expect(await outbound()).toHaveLength(30);
  });

  it('rejects bad options at once', () => {
    const client = kiremClient();
    const message = greeting;
    const bad = [
      () => broadcast(client, [], {} as never),
      () => broadcast(client, [], { message, concurrency: 0 }),
      () => broadcast(client, [], { message, concurrency: 2.5 }),
      () => broadcast(client, [], { message, concurrency: 257 }),
      () => broadcast({} as WhatsAppClient, [], { message }),
      () => broadcast(client, 42 as never, { message }),
    ];
    for (const call of bad) {
      expect(call).toThrow(KabarError);
      try {
        call();
      } catch (error) {
        expect(error).toMatchObject({ code: 'invalid_config' });
      }
    }
    expect(() => broadcast(client, [], { message, concurrency: 256 })).not.toThrow();
  });
});
