import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { NotOurDatabaseError, SchemaTooNewError } from './errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.ts';

/** `PRAGMA application_id`: marks the file as ours ('AuEx'), so we never migrate someone else's database. */
export const APPLICATION_ID = 0x41754578;

export interface OpenOptions {
  /** Open for reading only: never migrates, never writes. */
  readonly readonly?: boolean;
  /** Page cache per connection in MiB (the writer wants more than a reader). */
  readonly cacheMiB?: number;
  /**
   * Run the migrations the file needs (default). A connection that must not write (the service's reading
   * connection) passes false and leaves them to the writer, which runs them under the writer lock
   * (store/writerLock.ts), so two processes never migrate one file at once.
   */
  readonly migrate?: boolean;
}

export type Db = Database.Database;

/**
 * Opens (creating if needed) an Audit Explorer database: WAL, foreign keys, a busy timeout so readers and
 * the writer thread wait for each other instead of failing, and migrations up to {@link SCHEMA_VERSION}.
 * A database from a newer version is refused with {@link SchemaTooNewError}.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (!options.readonly && file !== ':memory:')
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
  } catch (error) {
    throw new NotOurDatabaseError(file, { cause: error });
  }
  try {
    db.pragma('busy_timeout = 10000');
    checkIdentity(db, file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a power loss may drop the last transactions but never corrupts the file; a
      // crash of the app loses nothing that was committed.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? 32)}`);
    db.pragma('temp_store = MEMORY');
    if (!options.readonly && options.migrate !== false) migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkIdentity(db: Db, file: string): void {
  let appId: number;
  let version: number;
  let tables: number;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  } catch (error) {
    throw new NotOurDatabaseError(file, { cause: error });
  }
  if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) throw new NotOurDatabaseError(file);
  if (version > SCHEMA_VERSION) throw new SchemaTooNewError(file, version, SCHEMA_VERSION);
}

/** The file's schema is older than this version's (the writer migrates it when it opens it). */
export function needsMigration(db: Db): boolean {
  return (db.pragma('user_version', { simple: true }) as number) < SCHEMA_VERSION;
}

/** Runs the migrations newer than the file's `user_version`, each in its own transaction. */
export function migrate(db: Db, file = db.name): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(file, current, SCHEMA_VERSION);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Another process may have run this step while this one waited for the write lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      migration.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
