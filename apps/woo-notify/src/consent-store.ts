import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConsentRecord, ConsentStore } from '@kabar/core';
import Database from 'better-sqlite3';

/**
 * The consent ledger in SQLite, beside the outbox, for a single instance: checkout opt-ins survive
 * a restart without Redis. better-sqlite3 is synchronous, so reading the old record and writing
 * the new one in one transaction is atomic in this process.
 */
export function sqliteConsentStore(path: string): ConsentStore & { close(): void } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS consent (
      contact TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      source TEXT NOT NULL,
      at INTEGER NOT NULL
    );
  `);
  const select = db.prepare<[string], ConsentRecord>(
    'SELECT status, source, at FROM consent WHERE contact = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO consent (contact, status, source, at) VALUES (@contact, @status, @source, @at)
     ON CONFLICT (contact) DO UPDATE SET status = @status, source = @source, at = @at`,
  );
  const set = db.transaction((contact: string, record: ConsentRecord) => {
    const previous = select.get(contact);
    // An older record (a late webhook, a redelivered order) never replaces a newer one.
    if (previous === undefined || previous.at <= record.at) upsert.run({ contact, ...record });
    return previous;
  });
  return {
    async get(contact) {
      return select.get(contact);
    },
    async set(contact, record) {
      return set(contact, { status: record.status, source: record.source, at: record.at });
    },
    close() {
      db.close();
    },
  };
}
