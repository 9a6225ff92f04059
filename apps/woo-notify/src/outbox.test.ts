import { describe, expect, it } from 'vitest';
import { tempDbPath } from './config.js';
import type { Job } from './order.js';
import { openOutbox } from './outbox.js';

const job = (recipient: string, status = 'processing'): Job => ({
  dedupeKey: `woo:7:${status}:${recipient}`,
  orderId: 7,
  orderNumber: '7',
  status,
  recipient,
  role: 'customer',
  message: { to: `+${recipient}`, text: 'Halo', idempotencyKey: `woo:7:${status}:${recipient}` },
});

describe('the SQLite outbox', () => {
  it('keeps one row per (order, status, recipient), even across reopenings', () => {
    const path = tempDbPath('outbox');
    const outbox = openOutbox(path);
    expect(outbox.enqueue([job('6281'), job('6282')])).toBe(2);
    expect(outbox.enqueue([job('6281'), job('6281', 'completed')])).toBe(1);
    outbox.close();
    const again = openOutbox(path);
    expect(again.enqueue([job('6281')])).toBe(0);
    expect(again.all()).toHaveLength(3);
    again.close();
  });

  it('requeues interrupted sends when the gateway deduplicates, else lists them as maybe sent', () => {
    for (const deduplicates of [true, false]) {
      const path = tempDbPath('recover');
      const outbox = openOutbox(path);
      outbox.enqueue([job('6281'), job('6282')]);
      expect(outbox.claim(1)).toHaveLength(1);
      outbox.close(); // a crash: the row stays 'sending'
      const reopened = openOutbox(path);
      const result = reopened.recover(deduplicates);
      if (deduplicates) {
        expect(result).toEqual({ requeued: 1, maybeSent: 0 });
        expect(reopened.counts()).toMatchObject({ pending: 2, sending: 0 });
      } else {
        expect(result).toEqual({ requeued: 0, maybeSent: 1 });
        expect(reopened.counts()).toMatchObject({ pending: 1, maybe_sent: 1 });
        const [maybe] = reopened.failed();
        expect(maybe?.state).toBe('maybe_sent');
        // Nothing resends it automatically; the admin may replay it.
        expect(reopened.claim(10).map((r) => r.id)).not.toContain(maybe?.id);
        expect(reopened.replay(maybe?.id ?? 0)).toBe(true);
        expect(reopened.counts()).toMatchObject({ maybe_sent: 0 });
      }
      reopened.close();
    }
  });

  it('uses WAL mode', async () => {
    const path = tempDbPath('wal');
    openOutbox(path).close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
