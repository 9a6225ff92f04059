import { describe, expect, it } from 'vitest';
import { memoryConsentStore } from './consent.js';
import { createConversationTracker } from './tracker.js';

describe('memoryConsentStore', () => {
  it('keeps a newer record when an older one arrives late, as out-of-order webhooks do', async () => {
    const store = memoryConsentStore();
    const stop = { status: 'opted_out' as const, source: 'keyword', at: 2_000 };
    const start = { status: 'opted_in' as const, source: 'keyword', at: 1_000 };
    expect(await store.set('628111', stop)).toBeUndefined();
    expect(await store.set('628111', start)).toEqual(stop);
    expect(await store.get('628111')).toEqual(stop);
  });
});

describe('createConversationTracker', () => {
  it('names contacts as webhooks do, whatever form the API is given', async () => {
    const consent = memoryConsentStore();
    const tracker = createConversationTracker({ consent, now: () => 5_000 });
    await tracker.optOut('0812-3456-7890', 'checkout');
    expect(await consent.get('6281234567890')).toEqual({
      status: 'opted_out',
      source: 'checkout',
      at: 5_000,
    });
    await tracker.optIn('US.13491208655302741918');
    expect(await consent.get('US.13491208655302741918')).toMatchObject({
      status: 'opted_in',
      source: 'api',
    });
  });

  it('reads a long hostile message as conversation at once, not as a keyword', async () => {
    const consent = memoryConsentStore();
    const tracker = createConversationTracker({ consent, now: () => 5_000 });
    const text = `a${'!'.repeat(200_000)}b`;
    await tracker.observe([
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890' },
        content: { type: 'text', text },
        raw: {},
      },
      {
        kind: 'message',
        provider: 'meta',
        from: '6281234567890',
        sender: { phone: '6281234567890' },
        content: { type: 'text', text: ' Stop! ' },
        raw: {},
      },
    ]);
    expect(await consent.get('6281234567890')).toMatchObject({ status: 'opted_out' });
  }, 2_000);
});
