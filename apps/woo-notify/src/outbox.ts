import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Job } from './order.js';

/**
 * pending → sending → sent
 *                   ↘ pending (retry later) → … → dead (max attempts / permanent error)
 * sending found at startup on a non-deduplicating gateway → maybe_sent (left for the admin)
 * failed: recorded at once, never sendable (an unusable phone number)
 */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'dead' | 'maybe_sent' | 'failed';

export interface OutboxRow {
  id: number;
  dedupe_key: string;
  order_id: number;
  order_number: string;
  status: string;
  recipient: string;
  role: string;
  message: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  gateway_message_id: string | null;
  created_at: number;
  updated_at: number;
}

type Awaitable<T> = T | Promise<T>;

/** What the HTTP side needs from either outbox: SQLite answers at once, Redis with a promise. */
export interface OutboxStore {
  /** Several webhooks' jobs in one write (group commit); how many were new, per group. */
  enqueueGroups(groups: Job[][]): Awaitable<number[]>;
  /** Dead letters, maybe-sent and failed rows. */
  failed(): Awaitable<OutboxRow[]>;
  /** Requeues one dead or maybe-sent row (attempts reset). */
  replay(id: number): Awaitable<boolean>;
  replayAll(): Awaitable<number>;
  counts(): Awaitable<Record<OutboxState, number>>;
}

export interface Outbox extends OutboxStore {
  /** Inserts the jobs in one transaction; returns how many were new (the rest were duplicates). */
  enqueue(jobs: Job[]): number;
  /** Several webhooks' jobs in ONE transaction (group commit); how many were new, per group. */
  enqueueGroups(groups: Job[][]): number[];
  /** Marks up to `limit` due pending rows `sending` and returns them. */
  claim(limit: number, now?: number): OutboxRow[];
  markSent(id: number, gatewayMessageId: string): void;
  retryLater(id: number, nextAttemptAt: number, error: string): void;
  markDead(id: number, error: string): void;
  markMaybeSent(id: number, error: string): void;
  /** Startup: what to do with rows a crash left in `sending`. */
  recover(gatewayDeduplicates: boolean): { requeued: number; maybeSent: number };
  failed(): OutboxRow[];
  replay(id: number): boolean;
  replayAll(): number;
  get(id: number): OutboxRow | undefined;
  counts(): Record<OutboxState, number>;
  all(): OutboxRow[];
  nextDueAt(): number | undefined;
  readonly open: boolean;
  close(): void;
}

export function openOutbox(path: string, { synchronous = 'FULL' } = {}): Outbox {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      dedupe_key TEXT NOT NULL UNIQUE,
      order_id INTEGER NOT NULL,
      order_number TEXT NOT NULL,
      status TEXT NOT NULL,
      recipient TEXT NOT NULL,
      role TEXT NOT NULL,
      message TEXT,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      gateway_message_id TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
  `);

  const insert = db.prepare(`
    INSERT INTO outbox (dedupe_key, order_id, order_number, status, recipient, role, message, state,
                        attempts, next_attempt_at, last_error, created_at, updated_at)
    VALUES (@dedupeKey, @orderId, @orderNumber, @status, @recipient, @role, @message, @state,
            0, @now, @error, @now, @now)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const insertJobs = (jobs: Job[], now: number) => {
    let added = 0;
    for (const job of jobs) {
      added += insert.run({
        dedupeKey: job.dedupeKey,
        orderId: job.orderId,
        orderNumber: job.orderNumber,
        status: job.status,
        recipient: job.recipient,
        role: job.role,
        message: job.message ? JSON.stringify(job.message) : null,
        state: job.failure ? 'failed' : 'pending',
        error: job.failure ?? null,
        now,
      }).changes;
    }
    return added;
  };
  const enqueue = db.transaction((jobs: Job[]) => insertJobs(jobs, Date.now()));
  const enqueueGroups = db.transaction((groups: Job[][]) => {
    const now = Date.now();
    return groups.map((jobs) => insertJobs(jobs, now));
  });

  const due = db.prepare(
    `SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
  );
  const toSending = db.prepare(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`,
  );
  const claim = db.transaction((limit: number, now: number) => {
    const rows = due.all(now, limit) as OutboxRow[];
    for (const row of rows) {
      toSending.run(now, row.id);
      row.state = 'sending';
      row.attempts += 1;
    }
    return rows;
  });
  const sent = db.prepare(
    `UPDATE outbox SET state = 'sent', gateway_message_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`,
  );
  const later = db.prepare(
    `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const dead = db.prepare(
    `UPDATE outbox SET state = 'dead', last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const maybe = db.prepare(
    `UPDATE outbox SET state = 'maybe_sent', last_error = ?, updated_at = ? WHERE id = ?`,
  );
  const replayOne = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND state IN ('dead', 'maybe_sent') AND message IS NOT NULL`,
  );
  const replayEvery = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
     WHERE state IN ('dead', 'maybe_sent') AND message IS NOT NULL`,
  );

  return {
    enqueue: (jobs) => enqueue(jobs),
    enqueueGroups: (groups) => enqueueGroups(groups),
    claim: (limit, now = Date.now()) => claim(limit, now),
    markSent: (id, messageId) => void sent.run(messageId, Date.now(), id),
    retryLater: (id, at, error) => void later.run(at, error, Date.now(), id),
    markDead: (id, error) => void dead.run(error, Date.now(), id),
    markMaybeSent: (id, error) => void maybe.run(error, Date.now(), id),
    recover(gatewayDeduplicates) {
      const now = Date.now();
      if (gatewayDeduplicates) {
        // The resend carries the same Idempotency-Key, so the gateway drops it if the first got through.
        const requeued = db
          .prepare(
            `UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = 'sending'`,
          )
          .run(now, now).changes;
        return { requeued, maybeSent: 0 };
      }
      const maybeSent = db
        .prepare(
          `UPDATE outbox SET state = 'maybe_sent', last_error = 'interrupted while sending: may have been delivered', updated_at = ? WHERE state = 'sending'`,
        )
        .run(now).changes;
      return { requeued: 0, maybeSent };
    },
    failed: () =>
      db
        .prepare(`SELECT * FROM outbox WHERE state IN ('dead', 'maybe_sent', 'failed') ORDER BY id`)
        .all() as OutboxRow[],
    replay: (id) => replayOne.run(Date.now(), Date.now(), id).changes === 1,
    replayAll: () => replayEvery.run(Date.now(), Date.now()).changes,
    get: (id) => db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined,
    counts() {
      const counts: Record<OutboxState, number> = {
        pending: 0,
        sending: 0,
        sent: 0,
        dead: 0,
        maybe_sent: 0,
        failed: 0,
      };
      for (const row of db
        .prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state')
        .all() as {
        state: OutboxState;
        n: number;
      }[]) {
        counts[row.state] = row.n;
      }
      return counts;
    },
    all: () => db.prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[],
    nextDueAt() {
      const row = db
        .prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`)
        .get() as { at: number | null };
      return row.at ?? undefined;
    },
    get open() {
      return db.open;
    },
    close: () => db.close(),
  };
}
