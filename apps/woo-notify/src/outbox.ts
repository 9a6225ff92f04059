import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Job } from './order.js';
import type { ReconcileStore } from './reconcile.js';

/**
 * pending → sending → sent
 *                   ↘ pending (retry later) → … → dead (max attempts / permanent error)
 *                   ↘ maybe_sent: an attempt may have reached the gateway and resending could
 *                     deliver twice; the reconciler (reconcile.ts) settles it from the gateway's
 *                     records as sent, dead or pending again, or leaves it for the admin
 *                   ↘ skipped: the send policy refused the contact before any request
 *                     (`opted_out`, `outside_window` in last_error); replayable by hand
 * failed: recorded at once, never sendable (an unusable phone number)
 */
export type OutboxState =
  | 'pending'
  | 'sending'
  | 'sent'
  | 'dead'
  | 'maybe_sent'
  | 'failed'
  | 'skipped';

/** One message to deliver, as stored (SQLite row, or JSON in Redis). */
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
  /** When the latest attempt was claimed, i.e. started. */
  attempt_started_at: number | null;
  /** Start of the first attempt that may have reached the gateway; null while none may have. */
  uncertain_since: number | null;
  /** Start of the latest attempt that may have reached the gateway. */
  uncertain_until: number | null;
  /** What the gateway's records said when the reconciler last asked (numbers masked). */
  evidence: string | null;
  /** When the reconciler last asked the gateway about this row. */
  checked_at: number | null;
  /** The id of the webhook request that created the row (see `X-Request-Id`), for the logs. */
  request_id: string | null;
}

/** The fields a worker or the reconciler changes on a row; `updated_at` is set with them. */
export type RowPatch = Partial<
  Pick<
    OutboxRow,
    | 'state'
    | 'next_attempt_at'
    | 'last_error'
    | 'gateway_message_id'
    | 'uncertain_since'
    | 'uncertain_until'
    | 'evidence'
    | 'checked_at'
  >
>;

const PATCHABLE: readonly (keyof RowPatch)[] = [
  'state',
  'next_attempt_at',
  'last_error',
  'gateway_message_id',
  'uncertain_since',
  'uncertain_until',
  'evidence',
  'checked_at',
];

/** A value now (SQLite) or later (Redis). */
export type Awaitable<T> = T | Promise<T>;

/** States `GET /admin/failed` lists: dead letters, maybe-sent, failed and skipped rows. */
export const FAILED_STATES: readonly OutboxState[] = ['dead', 'maybe_sent', 'failed', 'skipped'];

/** One page of failed rows, by id; `next` is the cursor of the following page, if there is one. */
export interface FailedPage {
  rows: OutboxRow[];
  next: number | null;
}

/** What the HTTP side needs from either outbox: SQLite answers at once, Redis with a promise. */
export interface OutboxStore {
  /** Several webhooks' jobs in one write (group commit); how many were new, per group. */
  enqueueGroups(groups: Job[][]): Awaitable<number[]>;
  /**
   * Up to `limit` dead letters, maybe-sent, failed and skipped rows with an id above `after`,
   * oldest first, read through an index (never every row).
   */
  failedPage(after: number, limit: number): Awaitable<FailedPage>;
  /**
   * Requeues one dead, maybe-sent or skipped row (attempts reset); a skipped one is checked
   * against the send policy again (the customer may have written since).
   */
  replay(id: number): Awaitable<boolean>;
  /** Requeues every dead and maybe-sent row; skipped rows only one by one. */
  replayAll(): Awaitable<number>;
  counts(): Awaitable<Record<OutboxState, number>>;
  /** When the oldest row still `pending` was created; undefined when none is. */
  oldestPendingAt(): Awaitable<number | undefined>;
}

/** The SQLite outbox: one process per database file. */
export interface Outbox extends OutboxStore, ReconcileStore {
  /** Inserts the jobs in one transaction; returns how many were new (the rest were duplicates). */
  enqueue(jobs: Job[]): number;
  /** Several webhooks' jobs in ONE transaction (group commit); how many were new, per group. */
  enqueueGroups(groups: Job[][]): number[];
  /** Marks up to `limit` due pending rows `sending` (their attempt starts now) and returns them. */
  claim(limit: number, now?: number): OutboxRow[];
  /** Records the result of an attempt on a claimed row. */
  update(id: number, patch: RowPatch): void;
  uncertainRows(): OutboxRow[];
  messageIdsTo(recipient: string): string[];
  settle(row: OutboxRow, patch: RowPatch): boolean;
  /**
   * Startup: rows a crash left in `sending` may have reached the gateway. They are requeued when
   * the gateway drops a resend with the same Idempotency-Key, else left `maybe_sent`.
   */
  recover(gatewayDeduplicates: boolean): { requeued: number; maybeSent: number };
  failedPage(after: number, limit: number): FailedPage;
  replay(id: number): boolean;
  replayAll(): number;
  get(id: number): OutboxRow | undefined;
  counts(): Record<OutboxState, number>;
  oldestPendingAt(): number | undefined;
  all(): OutboxRow[];
  nextDueAt(): number | undefined;
  readonly open: boolean;
  close(): void;
}

// Columns added after the first release; a database created earlier gains them at open.
const ADDED_COLUMNS = [
  'attempt_started_at INTEGER',
  'uncertain_since INTEGER',
  'uncertain_until INTEGER',
  'evidence TEXT',
  'checked_at INTEGER',
  'request_id TEXT',
];

/** Opens (creating or upgrading) the SQLite outbox at `path`: WAL, `synchronous=FULL`. */
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
    -- Failed rows page by id without walking the sent ones (GET /admin/failed).
    CREATE INDEX IF NOT EXISTS outbox_state_id ON outbox (state, id);
    -- The reconciler's lookup of what was sent to one customer (messageIdsTo).
    CREATE INDEX IF NOT EXISTS outbox_sent_to ON outbox (recipient) WHERE gateway_message_id IS NOT NULL;
  `);
  const columns = new Set(
    (db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name),
  );
  for (const column of ADDED_COLUMNS) {
    if (!columns.has(column.split(' ')[0] as string))
      db.exec(`ALTER TABLE outbox ADD COLUMN ${column}`);
  }

  const insert = db.prepare(`
    INSERT INTO outbox (dedupe_key, order_id, order_number, status, recipient, role, message, state,
                        attempts, next_attempt_at, last_error, created_at, updated_at, request_id)
    VALUES (@dedupeKey, @orderId, @orderNumber, @status, @recipient, @role, @message, @state,
            0, @now, @error, @now, @now, @requestId)
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
        requestId: job.requestId ?? null,
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
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, attempt_started_at = @now, updated_at = @now
     WHERE id = @id AND state = 'pending'`,
  );
  const claim = db.transaction((limit: number, now: number) => {
    const rows = due.all(now, limit) as OutboxRow[];
    for (const row of rows) {
      toSending.run({ now, id: row.id });
      row.state = 'sending';
      row.attempts += 1;
      row.attempt_started_at = now;
      row.updated_at = now;
    }
    return rows;
  });
  // `settle` only changes a row still as the reconciler read it: maybe_sent, not touched since.
  const statements = new Map<string, Database.Statement>();
  const patchRow = (id: number, patch: RowPatch, expectUpdatedAt?: number) => {
    const keys = PATCHABLE.filter((key) => patch[key] !== undefined);
    const sets = [...keys.map((key) => `${key} = @${key}`), 'updated_at = @now'].join(', ');
    const where =
      expectUpdatedAt === undefined
        ? 'id = @id'
        : `id = @id AND state = 'maybe_sent' AND updated_at = @expectUpdatedAt`;
    const sql = `UPDATE outbox SET ${sets} WHERE ${where}`;
    const statement = statements.get(sql) ?? db.prepare(sql);
    statements.set(sql, statement);
    const values: Record<string, unknown> = { id, now: Date.now() };
    for (const key of keys) values[key] = patch[key];
    if (expectUpdatedAt !== undefined) values.expectUpdatedAt = expectUpdatedAt;
    return statement.run(values).changes;
  };
  const replayOne = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND state IN ('dead', 'maybe_sent', 'skipped') AND message IS NOT NULL`,
  );
  const failedAfter = db.prepare(
    `SELECT * FROM outbox WHERE id > ? AND state IN (${FAILED_STATES.map((s) => `'${s}'`).join(', ')})
     ORDER BY id LIMIT ?`,
  );
  const oldestPending = db.prepare(
    `SELECT MIN(created_at) AS at FROM outbox WHERE state = 'pending'`,
  );
  const replayEvery = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
     WHERE state IN ('dead', 'maybe_sent') AND message IS NOT NULL`,
  );

  return {
    enqueue: (jobs) => enqueue(jobs),
    enqueueGroups: (groups) => enqueueGroups(groups),
    claim: (limit, now = Date.now()) => claim(limit, now),
    update: (id, patch) => void patchRow(id, patch),
    uncertainRows: () =>
      db
        .prepare(
          `SELECT * FROM outbox WHERE message IS NOT NULL AND (state IN ('maybe_sent', 'sending')
             OR (state = 'pending' AND uncertain_since IS NOT NULL)) ORDER BY id`,
        )
        .all() as OutboxRow[],
    messageIdsTo: (recipient) =>
      (
        db
          .prepare(
            'SELECT gateway_message_id AS id FROM outbox WHERE recipient = ? AND gateway_message_id IS NOT NULL',
          )
          .all(recipient) as { id: string }[]
      ).map((row) => row.id),
    settle: (row, patch) => patchRow(row.id, patch, row.updated_at) === 1,
    recover(gatewayDeduplicates) {
      // The interrupted attempt may have reached the gateway: it joins the row's uncertain attempts.
      const uncertain = `uncertain_since = COALESCE(uncertain_since, attempt_started_at, updated_at),
        uncertain_until = COALESCE(attempt_started_at, updated_at)`;
      const now = Date.now();
      if (gatewayDeduplicates) {
        // The resend carries the same Idempotency-Key, so the gateway drops it if the first got through.
        const requeued = db
          .prepare(
            `UPDATE outbox SET state = 'pending', ${uncertain}, next_attempt_at = ?, updated_at = ?
             WHERE state = 'sending'`,
          )
          .run(now, now).changes;
        return { requeued, maybeSent: 0 };
      }
      const maybeSent = db
        .prepare(
          `UPDATE outbox SET state = 'maybe_sent', ${uncertain},
             last_error = 'interrupted while sending: may have been delivered', updated_at = ?
           WHERE state = 'sending'`,
        )
        .run(now).changes;
      return { requeued: 0, maybeSent };
    },
    failedPage(after, limit) {
      // One row past the page says whether there is a next one.
      const rows = failedAfter.all(after, limit + 1) as OutboxRow[];
      const page = rows.slice(0, limit);
      return { rows: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
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
        skipped: 0,
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
    oldestPendingAt() {
      const row = oldestPending.get() as { at: number | null };
      return row.at ?? undefined;
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
