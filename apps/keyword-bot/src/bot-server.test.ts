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
