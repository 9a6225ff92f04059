import { request } from 'node:http';
import { computeSignature } from '@kabar/core/webhooks';
import { eventually, useSandbox } from '@kabar/sandbox/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK, HOURS, PRICES, WELCOME } from './keyword-bot.js';
import { startBotAgainst } from './test-setup.js';

const sandbox = useSandbox();
const customer = '6281234567890';
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function botReplies(count: number) {
  const replies = await eventually(
    () => sandbox.messages({ to: customer, direction: 'outbound' }),
    (messages) => messages.length >= count,
  );
  return replies.reverse().map((m) => m.text);
}

describe('the keyword bot behind a Kirem webhook', () => {
  it('answers each customer message through the gateway, as Kirem’s n8n guide does', async () => {
    stop = (await startBotAgainst(sandbox)).close;
    for (const text of ['Halo', 'berapa harga?', 'jam buka', 'apa kabar']) {
      const before = (await sandbox.messages({ to: customer, direction: 'outbound' })).length;
      await sandbox.inbound({ provider: 'kirem', from: customer, text });
      await eventually(
        () => sandbox.messages({ to: customer, direction: 'outbound' }),
        (messages) => messages.length > before,
      );
    }
    expect(await botReplies(4)).toEqual([WELCOME, PRICES, HOURS, FALLBACK]);
  });

  it('offers help as buttons and answers the button the customer taps', async () => {
    stop = (await startBotAgainst(sandbox)).close;
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'bantuan' });
    await botReplies(1);
    await sandbox.inbound({
      provider: 'kirem',
      from: customer,
      button: { id: 'bantuan_tagihan', title: 'Tagihan' },
    });
    expect(await botReplies(2)).toEqual([
      'Pilih bantuan yang Anda butuhkan:',
      'Tim kami akan menghubungi Anda soal: Tagihan. Terima kasih!',
    ]);
  });

  it('answers a redelivery 200 without replying twice', async () => {
    stop = (await startBotAgainst(sandbox)).close;
    const { deliveries } = await sandbox.inbound({
      provider: 'kirem',
      from: customer,
      text: 'jam',
    });
    expect(await botReplies(1)).toEqual([HOURS]);
    const redelivered = await sandbox.redeliver(deliveries[0]?.id ?? '');
    expect(redelivered.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sandbox.messages({ to: customer, direction: 'outbound' })).toHaveLength(1);
  });

  it('refuses webhooks signed with another secret, which the delivery log shows as 401', async () => {
    stop = (await startBotAgainst(sandbox, 'a-different-secret')).close;
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'halo' });
    const [delivery] = await eventually(
      () => sandbox.deliveries({ provider: 'kirem' }),
      (deliveries) => deliveries.some((d) => d.status !== null),
    );
    expect(delivery?.status).toBe(401);
    expect(await sandbox.messages({ to: customer, direction: 'outbound' })).toHaveLength(0);
  });
});

describe('the webhook endpoint at its edges', () => {
  const post = (url: string, init: { body?: BodyInit; headers?: Record<string, string> }) =>
    fetch(url, { method: 'POST', duplex: 'half', ...init } as RequestInit);

  it('refuses a body over the cap with 413, without reading it, and no stack trace', async () => {
    const bot = await startBotAgainst(sandbox);
    stop = bot.close;
    let streamed = 0;
    // 64 MiB offered in 1 MiB chunks, pulled only as fast as the server reads.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (streamed >= 64 * 1024 * 1024) return controller.close();
        streamed += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const response = await post(bot.url, {
      body,
      headers: { 'content-type': 'application/json' },
    }).catch(() => undefined);
    // The server may close the socket mid-upload; then fetch fails, which is also a refusal.
    if (response) {
      expect(response.status).toBe(413);
      expect(await response.text()).not.toMatch(/\n\s+at /);
    }
    expect(streamed).toBeLessThan(64 * 1024 * 1024);

    // A declared length over the cap is refused before any of the body arrives.
    const declared = await new Promise<number>((resolve) => {
      const req = request(bot.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 1024 ** 3 },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', () => {});
      req.flushHeaders();
    });
    expect(declared).toBe(413);
  });

  it('answers 415 to a body that is not JSON and 400 to a signed body that is not a webhook', async () => {
    const bot = await startBotAgainst(sandbox);
    stop = bot.close;
    const plain = await post(bot.url, { body: 'halo', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);

    const body = '{"not":"a webhook"}';
    const signature = computeSignature(body, 'kirem_webhook_secret');
    const bad = await post(bot.url, {
      body,
      headers: { 'content-type': 'application/json', 'x-kirem-signature': signature },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_payload' });
  });

  it('will not start with an empty or short webhook secret', async () => {
    await expect(startBotAgainst(sandbox, '')).rejects.toThrow(/KIREM_WEBHOOK_SECRET is required/);
    await expect(startBotAgainst(sandbox, 'rahasia')).rejects.toThrow(/too short/);
  });
});
