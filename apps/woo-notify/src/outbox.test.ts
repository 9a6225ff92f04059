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
      // Either way the interrupted attempt may have been delivered: the row says since when.
      const interrupted = reopened.all().find((row) => row.attempts === 1);
      expect(interrupted?.uncertain_since).toBe(interrupted?.attempt_started_at);
      expect(interrupted?.uncertain_until).toBe(interrupted?.attempt_started_at);
      if (deduplicates) {
        expect(result).toEqual({ requeued: 1, maybeSent: 0 });
        expect(reopened.counts()).toMatchObject({ pending: 2, sending: 0 });
      } else {
        expect(result).toEqual({ requeued: 0, maybeSent: 1 });
        expect(reopened.counts()).toMatchObject({ pending: 1, maybe_sent: 1 });
        const [maybe] = reopened.failedPage(0, 100).rows;
        expect(maybe?.state).toBe('maybe_sent');
        // Nothing resends it automatically; the admin may replay it.
        expect(reopened.claim(10).map((r) => r.id)).not.toContain(maybe?.id);
        expect(reopened.replay(maybe?.id ?? 0)).toBe(true);
        expect(reopened.counts()).toMatchObject({ maybe_sent: 0 });
      }
      reopened.close();
    }
  });

  it('opens a database from before reconciliation, keeping its rows and adding the new fields', async () => {
    const path = tempDbPath('upgrade');
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(path);
    old.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, dedupe_key TEXT NOT NULL UNIQUE,
        order_id INTEGER NOT NULL, order_number TEXT NOT NULL, status TEXT NOT NULL,
        recipient TEXT NOT NULL, role TEXT NOT NULL, message TEXT, state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
        gateway_message_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      INSERT INTO outbox (dedupe_key, order_id, order_number, status, recipient, role, message,
        state, attempts, next_attempt_at, last_error, created_at, updated_at)
      VALUES ('woo:7:processing:6281', 7, '7', 'processing', '6281', 'customer', '{"to":"+6281","text":"Halo"}',
        'maybe_sent', 1, 1, 'interrupted while sending: may have been delivered', 1, 2);`);
    old.close();
    const outbox = openOutbox(path);
    expect(outbox.uncertainRows()).toMatchObject([
      { dedupe_key: 'woo:7:processing:6281', state: 'maybe_sent', uncertain_since: null },
    ]);
    expect(outbox.enqueue([job('6282')])).toBe(1);
    expect(outbox.claim(1)[0]?.attempt_started_at).toBeTypeOf('number');
    outbox.close();
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
