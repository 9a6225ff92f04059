import { describe, expect, it } from 'vitest';
import { counterpart, groupConversations, matchesFilter, matchesQuery } from './message-search.js';
import type { SandboxMessage } from './types.js';

const message = (fields: Partial<SandboxMessage>): SandboxMessage => ({
  id: 'wamid.ABC',
  provider: 'kirem',
  direction: 'outbound',
  to: '6281234567890',
  type: 'text',
  text: 'Pesanan #12 sudah dikirim',
  payload: {},
  status: 'sent',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('message search', () => {
  it('finds text, ids, template names and idempotency keys, ignoring case', () => {
    const sent = message({
      template: {
        name: 'order_shipped',
        language: 'id',
        status: 'APPROVED',
        category: 'UTILITY',
      },
      idempotencyKey: 'order-12',
    });
    for (const query of ['pesanan #12', 'WAMID.abc', 'ORDER_SHIP', 'order-12']) {
      expect(matchesQuery(sent, query)).toBe(true);
    }
    expect(matchesQuery(sent, 'dibatalkan')).toBe(false);
  });

  it('finds numbers however they are written, but only as digits when they look like one', () => {
    const sent = message({});
    expect(matchesQuery(sent, '+62 812-3456')).toBe(true);
    expect(matchesQuery(sent, '(0812) 3456')).toBe(true);
    expect(matchesQuery(sent, '0813')).toBe(false);
    expect(matchesQuery(sent, '812 3456 7890')).toBe(true);
    expect(matchesQuery(message({ text: 'call 0800' }), 'call 0800')).toBe(true);
  });

  it('names the conversation by the customer: number, else business-scoped user id', () => {
    expect(counterpart(message({}))).toBe('6281234567890');
    expect(counterpart(message({ to: '', userId: 'ID.15025' }))).toBe('ID.15025');
    const inbound = message({ direction: 'inbound', from: '6289', to: '6285' });
    expect(counterpart(inbound)).toBe('6289');
    expect(matchesFilter(inbound, { conversation: '6289', status: 'sent' })).toBe(true);
    expect(matchesFilter(inbound, { conversation: '6285' })).toBe(false);
  });

  it('groups messages by customer in order of their newest message', () => {
    const newestFirst = [
      message({ id: '3', to: '62811', provider: 'meta' }),
      message({ id: '2', to: '62822' }),
      message({ id: '1', to: '62811' }),
    ];
    expect(groupConversations(newestFirst)).toEqual([
      { counterpart: '62811', providers: ['meta', 'kirem'], count: 2, last: newestFirst[0] },
      { counterpart: '62822', providers: ['kirem'], count: 1, last: newestFirst[1] },
    ]);
  });
});
