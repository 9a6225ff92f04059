import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { kirem } from '../providers/kirem/index.js';
import { meta } from '../providers/meta/index.js';
import type { MessageEvent, WebhookEvent } from '../webhooks/events.js';
import { createBot } from './bot.js';
import { memoryChatStateStore } from './chat-state.js';

const sandbox = useSandbox();

function client() {
  return createClient({
    provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
  });
}

function message(content: MessageEvent['content'], from = '6281234567890'): MessageEvent {
  return { kind: 'message', provider: 'kirem', from, sender: { phone: from }, content, raw: {} };
}

describe('createBot routing', () => {
  it('takes the first matching route, in the order routes were added', async () => {
    const seen: string[] = [];
    const bot = createBot({ client: client() })
      .hears(/^order (\d+)$/i, (chat) => {
        seen.push(`order:${chat.match?.[1]}`);
      })
      .hears('order', () => {
        seen.push('order-keyword');
      })
      .onButton('ya', () => {
        seen.push('button:ya');
      })
      .onList(/^menu_/, (chat) => {
        seen.push(`list:${chat.text}`);
      })
      .onMedia((chat) => {
        seen.push(`media:${chat.event.content.type}`);
      })
      .fallback(() => {
        seen.push('fallback');
      });

    const events: WebhookEvent[] = [
      message({ type: 'text', text: 'ORDER 1001' }),
      message({ type: 'text', text: 'status order saya?' }),
      message({ type: 'button', id: 'ya', title: 'Ya' }),
      message({ type: 'button', id: 'tidak', title: 'Tidak' }),
      message({ type: 'list', id: 'menu_billing', title: 'Cek Tagihan' }),
      message({ type: 'image', mediaId: 'm1' }),
      { kind: 'status', provider: 'kirem', messageId: 'w', status: 'read', errors: [], raw: {} },
    ];
    expect(await bot.handle(events)).toBe(6);
    expect(seen).toEqual([
      'order:1001',
      'order-keyword',
      'button:ya',
      'fallback',
      'list:Cek Tagihan',
      'media:image',
    ]);
  });

  it('without a fallback, reports an unmatched message as not handled', async () => {
    const bot = createBot({ client: client() }).hears('harga', () => {});
    expect(await bot.handle(message({ type: 'text', text: 'halo' }))).toBe(0);
  });

  it('replies to the sender through the client', async () => {
    const bot = createBot({ client: client() }).fallback((chat) =>
      chat.reply.list('Menu', 'Pilih', [{ rows: [{ id: 'a', title: 'Cek tagihan' }] }]),
    );
    await bot.handle(message({ type: 'text', text: 'menu' }, '6281111111111'));
    const [sent] = await sandbox.messages({ to: '6281111111111' });
    expect(sent?.payload).toMatchObject({ type: 'interactive', interactive: { type: 'list' } });
  });

  it('answers a customer known only by a business-scoped user id at that id', async () => {
    const wa = createClient({
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        baseUrl: sandbox.meta.baseUrl,
      }),
    });
    const bot = createBot({ client: wa }).fallback((chat) => chat.reply.text('Halo!'));
    const userId = 'ID.1502576394655843';
    await bot.handle({
      kind: 'message',
      provider: 'meta',
      from: userId,
      sender: { userId, username: 'budi.santoso' },
      content: { type: 'text', text: 'halo' },
      raw: {},
    });
    const [sent] = await sandbox.messages({ userId, direction: 'outbound' });
    expect(sent).toMatchObject({ userId, text: 'Halo!' });
    expect(sent?.payload).toMatchObject({ recipient: userId });
  });

  it('keeps state per chat for multi-step flows, and forgets it after its TTL', async () => {
    const store = memoryChatStateStore();
    const asked: string[] = [];
    const bot = createBot<{ step: 'name' }>({ client: client(), store })
      .hears('daftar', async (chat) => {
        await chat.state.set({ step: 'name' }, 200);
        asked.push(`${chat.from}:ask-name`);
      })
      .fallback(async (chat) => {
        const state = await chat.state.get();
        if (state?.step === 'name') {
          asked.push(`${chat.from}:name=${chat.text}`);
          await chat.state.clear();
        } else {
          asked.push(`${chat.from}:unknown`);
        }
      });
    await bot.handle(message({ type: 'text', text: 'daftar' }, '621'));
    await bot.handle(message({ type: 'text', text: 'Budi' }, '622'));
    await bot.handle(message({ type: 'text', text: 'Budi' }, '621'));
    await bot.handle(message({ type: 'text', text: 'Budi lagi' }, '621'));
    await bot.handle(message({ type: 'text', text: 'daftar' }, '623'));
    await new Promise((resolve) => setTimeout(resolve, 250));
    await bot.handle(message({ type: 'text', text: 'terlambat' }, '623'));
    expect(asked).toEqual([
      '621:ask-name',
      '622:unknown',
      '621:name=Budi',
      '621:unknown',
      '623:ask-name',
      '623:unknown',
    ]);
  });

  it('needs a client', () => {
    expect(() => createBot({} as never)).toThrow(/client/);
  });
});
