import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { kirem } from '../src/providers/kirem.js';
import { parseWebhook } from '../src/webhooks/parse.js';
import { createKeywordBot, FALLBACK, HOURS, PRICES, WELCOME } from './keyword-bot.js';

const sandbox = useSandbox();
const customer = '6281234567890';

/** What Kirem posts when the customer writes (the seed's `messages.received` envelope). */
function kiremInbound(content: Record<string, unknown>) {
  return JSON.stringify({
    event: 'messages.received',
    data: { from: customer, message_id: `wamid.${Math.random()}`, ...content },
  });
}

async function conversation(...inbound: string[]) {
  const client = createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
  const bot = createKeywordBot(client);
  for (const body of inbound) await bot.handle(parseWebhook(body));
  const sent = await sandbox.messages({ to: customer });
  return sent.reverse().map((m) => m.text);
}

describe('the keyword bot from Kirem’s n8n guide', () => {
  it('greets, quotes prices and opening hours, and falls back on anything else', async () => {
    const replies = await conversation(
      kiremInbound({ type: 'text', text: { body: 'Hai kak' } }),
      kiremInbound({ type: 'text', text: { body: 'berapa HARGA paket pro?' } }),
      kiremInbound({ type: 'text', text: { body: 'Jam buka?' } }),
      kiremInbound({ type: 'text', text: { body: 'apakah bisa COD' } }),
    );
    expect(replies).toEqual([WELCOME, PRICES, HOURS, FALLBACK]);
  });

  it('offers help as buttons and answers the button tapped', async () => {
    const replies = await conversation(
      kiremInbound({ type: 'text', text: { body: 'bantuan' } }),
      kiremInbound({
        type: 'interactive',
        interactive: {
          type: 'button_reply',
          button_reply: { id: 'bantuan_tagihan', title: 'Tagihan' },
        },
      }),
    );
    expect(replies).toEqual([
      'Pilih bantuan yang Anda butuhkan:',
      'Tim kami akan menghubungi Anda soal: Tagihan. Terima kasih!',
    ]);
    const [buttons] = await sandbox.messages({ to: customer, type: 'interactive' });
    expect(buttons?.payload).toMatchObject({ interactive: { type: 'button' } });
  });

  it('does not mistake a word that merely contains a keyword', async () => {
    expect(
      await conversation(kiremInbound({ type: 'text', text: { body: 'jamur goreng' } })),
    ).toEqual([FALLBACK]);
  });
});
