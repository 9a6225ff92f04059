import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { resolve } from 'node:path';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { Sandbox } from './sandbox.js';
import {
  captureSession,
  readSession,
  restoreSession,
  type SessionData,
  subscribeToSession,
  templateProviders,
  type UncheckedSession,
} from './session.js';

/** What the file's `kabar_sandbox` table says it is, so a foreign SQLite file is not taken for one. */
const FILE_FORMAT = 'kabar-sandbox-data';
/** The layout this sandbox writes; it reads this one and none newer. */
const FILE_VERSION = 1;
/** A burst of changes (a test sending ten messages) is written once, this long after the last. */
const SAVE_DELAY_MS = 200;
/** A steady stream of changes still reaches the disk this long after the first unsaved one. */
const MAX_SAVE_DELAY_MS = 2000;

/**
 * One JSON document per row, in the stores' own order (`position`): messages newest first with
 * their request and statuses, templates per provider, media and deliveries oldest first.
 */
const SCHEMA = `
  CREATE TABLE kabar_sandbox (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE messages (position INTEGER PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE templates (
    provider TEXT NOT NULL, position INTEGER NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (provider, position)
  );
  CREATE TABLE media (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, provider TEXT NOT NULL,
    mime_type TEXT NOT NULL, filename TEXT NOT NULL, sha256 TEXT NOT NULL, bytes BLOB NOT NULL
  );
  CREATE TABLE deliveries (position INTEGER PRIMARY KEY, json TEXT NOT NULL);
`;

/**
 * A sandbox's session kept in an SQLite file (`SandboxOptions.dataFile`). Each save writes the
 * whole session to a temporary file next to it and renames that over it, so a crash leaves the
 * previous save or the new one, never half of one.
 */
export class DataFile {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstUnsavedAt: number | undefined;
  #closed = false;
  readonly #unsubscribe: () => void;

  private constructor(
    private readonly sandbox: Sandbox,
    /** Absolute, so errors name the file wherever the process was started. */
    readonly path: string,
    private readonly sqlite: SqlJsStatic,
  ) {
    this.#unsubscribe = subscribeToSession(sandbox, () => this.#changed());
  }

  /**
   * Loads the file into the sandbox's stores, or creates it from them when it is missing or empty,
   * and saves it after every change from then on. Rejects with an Error naming the file when it
   * cannot be read or written, is not a sandbox data file, or is corrupt.
   */
  static async open(sandbox: Sandbox, file: string): Promise<DataFile> {
    const path = resolve(file);
    const bytes = readExisting(path);
    const sqlite = await loadSqlite();
    if (bytes) restoreSession(sandbox, readDataFile(sqlite, sandbox, path, bytes));
    const dataFile = new DataFile(sandbox, path, sqlite);
    // A new file is written at once, so a path that cannot be written fails the start, not a save.
    if (!bytes) {
      try {
        dataFile.#write();
      } catch (error) {
        dataFile.close();
        throw new Error(`cannot write the data file ${path}: ${messageOf(error)}`);
      }
    }
    return dataFile;
  }

  /** Saves now if a change is waiting; close() does this. */
  flush(): void {
    if (this.#timer === undefined) return;
    this.#save();
  }

  /** Saves what is waiting and stops: later changes (a closed sandbox's timers) are not written. */
  close(): void {
    this.flush();
    this.#closed = true;
    this.#unsubscribe();
  }

  #changed(): void {
    if (this.#closed) return;
    const now = Date.now();
    this.#firstUnsavedAt ??= now;
    clearTimeout(this.#timer);
    const wait = Math.min(SAVE_DELAY_MS, this.#firstUnsavedAt + MAX_SAVE_DELAY_MS - now);
    this.#timer = setTimeout(() => this.#save(), Math.max(0, wait));
  }

  /** A failed save must not stop the sandbox; the next change tries again. */
  #save(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firstUnsavedAt = undefined;
    try {
      this.#write();
    } catch (error) {
      console.error(`kabar-sandbox: could not save ${this.path}: ${messageOf(error)}`);
    }
  }

  #write(): void {
    const bytes = encode(this.sqlite, captureSession(this.sandbox));
    writeAtomically(this.path, bytes);
  }
}

let sqlitePromise: Promise<SqlJsStatic> | undefined;

/** sql.js and its WebAssembly, loaded on first use: a sandbox without a data file never needs them. */
function loadSqlite(): Promise<SqlJsStatic> {
  sqlitePromise ??= import('sql.js').then((module) => module.default());
  return sqlitePromise;
}

/** The file's bytes, or undefined when there is no file yet or it is empty (as `touch` leaves it). */
function readExisting(path: string): Uint8Array | undefined {
  try {
    const bytes = readFileSync(path);
    return bytes.length > 0 ? bytes : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the data file ${path}: ${messageOf(error)}`);
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** An error whose message already says what is wrong with the file, to pass on as it is. */
class DataFileError extends Error {}

/** The session a data file holds, or an Error naming the file and saying what it is instead. */
function readDataFile(
  sqlite: SqlJsStatic,
  sandbox: Sandbox,
  path: string,
  bytes: Uint8Array,
): SessionData {
  const notOurs = (why: string) =>
    new DataFileError(
      `${path} is not a kabar-sandbox data file (${why}); choose another file, or move this one away`,
    );
  if (Buffer.from(bytes.subarray(0, SQLITE_HEADER.length)).toString('latin1') !== SQLITE_HEADER) {
    throw notOurs('it is not an SQLite database');
  }
  let db: Database | undefined;
  let raw: UncheckedSession;
  try {
    db = new sqlite.Database(bytes);
    const tables = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kabar_sandbox'";
    if (rows(db, tables).length === 0) throw notOurs('an SQLite database of something else');
    const about = new Map(rows(db, 'SELECT key, value FROM kabar_sandbox').map(([k, v]) => [k, v]));
    if (about.get('format') !== FILE_FORMAT) throw notOurs('an SQLite database of something else');
    const version = Number(about.get('version'));
    if (Number.isInteger(version) && version > FILE_VERSION) {
      throw new DataFileError(
        `${path} was written by a newer kabar-sandbox (data file version ${version}; this one reads ${FILE_VERSION})`,
      );
    }
    if (version !== FILE_VERSION) throw new DataFileError(`${path} is corrupt: no valid version`);
    raw = readTables(db, templateProviders(sandbox));
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    // SQLite's own words ('database disk image is malformed'), or JSON.parse's for a damaged row.
    throw new Error(`${path} is corrupt: ${messageOf(error)}`);
  } finally {
    db?.close();
  }
  const session = readSession(sandbox, raw);
  if (!session.ok) throw new Error(`${path} is corrupt: ${session.problem}`);
  return session.data;
}

/** The tables as session content, JSON parsed but not yet checked. */
function readTables(db: Database, providers: readonly string[]): UncheckedSession {
  const parse = (row: SqlValue[]) => JSON.parse(String(row[0]));
  // Every store is written on each save, so a store without rows is an empty one.
  const templates = new Map<string, unknown[]>(providers.map((provider) => [provider, []]));
  const templateRows = rows(db, 'SELECT provider, json FROM templates ORDER BY provider, position');
  for (const [provider, json] of templateRows) {
    const list = templates.get(String(provider)) ?? [];
    list.push(JSON.parse(String(json)));
    templates.set(String(provider), list);
  }
  return {
    messages: rows(db, 'SELECT json FROM messages ORDER BY position').map(parse),
    templates: Object.fromEntries(templates),
    media: rows(
      db,
      'SELECT id, provider, mime_type, filename, sha256, bytes FROM media ORDER BY position',
    ).map(([id, provider, mimeType, filename, sha256, bytes]) => ({
      id,
      provider,
      mimeType,
      filename,
      sha256,
      bytes,
    })),
    deliveries: rows(db, 'SELECT json FROM deliveries ORDER BY position').map(parse),
  };
}

function rows(db: Database, sql: string): SqlValue[][] {
  return db.exec(sql)[0]?.values ?? [];
}

/** The session as the bytes of an SQLite database. */
function encode(sqlite: SqlJsStatic, session: SessionData): Uint8Array {
  const db = new sqlite.Database();
  try {
    db.exec(SCHEMA);
    db.exec('BEGIN');
    const insert = (sql: string, values: SqlValue[][]) => {
      const statement = db.prepare(sql);
      try {
        for (const row of values) statement.run(row);
      } finally {
        statement.free();
      }
    };
    insert('INSERT INTO kabar_sandbox (key, value) VALUES (?, ?)', [
      ['format', FILE_FORMAT],
      ['version', String(FILE_VERSION)],
      ['savedAt', new Date().toISOString()],
    ]);
    insert(
      'INSERT INTO messages (position, json) VALUES (?, ?)',
      session.messages.map((entry, position) => [position, JSON.stringify(entry)]),
    );
    insert(
      'INSERT INTO templates (provider, position, json) VALUES (?, ?, ?)',
      Object.entries(session.templates).flatMap(([provider, templates]) =>
        (templates ?? []).map((template, position) => [
          provider,
          position,
          JSON.stringify(template),
        ]),
      ),
    );
    insert(
      'INSERT INTO media (position, id, provider, mime_type, filename, sha256, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
      session.media.map((file, position) => [
        position,
        file.id,
        file.provider,
        file.mimeType,
        file.filename,
        file.sha256,
        file.bytes,
      ]),
    );
    insert(
      'INSERT INTO deliveries (position, json) VALUES (?, ?)',
      session.deliveries.map((delivery, position) => [position, JSON.stringify(delivery)]),
    );
    db.exec('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}

/** Writes a temporary file beside `path`, flushes it to disk and renames it over `path`. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
