import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  DatabaseDamagedError,
  DatabaseIsFolderError,
  DatabaseMissingError,
  DatabaseReadOnlyError,
  NotOurDatabaseError,
  SchemaTooNewError,
  storageFault,
} from './errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.ts';

/** `PRAGMA application_id`: marks the file as ours ('AuEx'), so we never migrate someone else's database. */
export const APPLICATION_ID = 0x41754578;

export interface OpenOptions {
  /** Open for reading only: never migrates, never writes. */
  readonly readonly?: boolean;
  /**
   * When the file exists but cannot be written here (permissions, a read-only mount), open it read-only
   * instead of failing, so searches still work; `db.readonly` then says so. Without it such a file is a
   * {@link DatabaseReadOnlyError}.
   */
  readonly readOnlyFallback?: boolean;
  /**
   * Switch the file to WAL (default true). A connection that only reads (the service's; its writes go
   * through the writer thread, which switches) leaves the mode as it is: switching costs a header write
   * and an fsync at every open, and a file at rest in rollback mode (see settleForRest) is what opens
   * on a read-only folder. Connections follow the file into WAL as soon as a writer switches it.
   */
  readonly wal?: boolean;
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

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** What the first bytes of a database file say, before SQLite is asked anything. */
export type HeaderVerdict =
  | { kind: 'missing' }
  | { kind: 'folder' }
  /** Zero bytes: SQLite makes it a new database. */
  | { kind: 'empty' }
  | { kind: 'sqlite'; applicationId: number; pageSize: number; pages: number; bytes: number }
  | { kind: 'foreign' }
  | { kind: 'damaged'; detail: string };

/**
 * Reads the 100-byte header of a database file and judges it: ours or another application's, or damaged
 * (a broken header, or a file shorter than the header says — truncated). Costs one stat and one 100-byte
 * read, so every open can afford it; SQLite alone would call all of these "not a database".
 */
export function inspectHeader(file: string): HeaderVerdict {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { kind: 'missing' };
  }
  if (stat.isDirectory()) return { kind: 'folder' };
  if (stat.size === 0) return { kind: 'empty' };
  const head = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let got: number;
  try {
    got = fs.readSync(fd, head, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  const header = head.subarray(0, got);
  const magic = header.subarray(0, 16).equals(SQLITE_MAGIC);
  const ours = got >= 72 && header.readUInt32BE(68) === APPLICATION_ID;
  if (!magic) {
    // A prefix of the magic is a file cut short while being copied; our id with a broken magic is a
    // damaged header. Anything else is someone else's content.
    if (got < 16 && header.equals(SQLITE_MAGIC.subarray(0, got)))
      return { kind: 'damaged', detail: `it is truncated to ${got} bytes` };
    if (ours) return { kind: 'damaged', detail: 'the file header is overwritten' };
    return { kind: 'foreign' };
  }
  if (got < 100) return { kind: 'damaged', detail: `it is truncated to ${got} bytes, inside its header` };
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const validPageSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  // Bytes 21-23 are fixed by the file format (payload fractions 64, 32, 32).
  if (!validPageSize || header[21] !== 64 || header[22] !== 32 || header[23] !== 32)
    return { kind: 'damaged', detail: 'the file header is invalid' };
  const applicationId = header.readUInt32BE(68);
  // The page count in the header is valid when its "version-valid-for" matches the change counter.
  const pages = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : 0;
  if (stat.size % pageSize !== 0 && !pendingJournal(file))
    return { kind: 'damaged', detail: `it is truncated: ${stat.size} bytes is not a whole number of pages` };
  // Page 1 names the page count as of the last checkpoint or commit; a shorter file lost its end — unless
  // a journal beside it holds what an interrupted checkpoint or transaction left (pendingJournal).
  if (pages > 0 && stat.size < pages * pageSize && !pendingJournal(file)) {
    return {
      kind: 'damaged',
      detail: `it is truncated: ${stat.size} bytes of the ${pages * pageSize} its header names`,
    };
  }
  return { kind: 'sqlite', applicationId, pageSize, pages, bytes: stat.size };
}

/**
 * A WAL with frames or a rollback journal beside the file: SQLite replays or rolls back from it on open,
 * so the file's own size may legitimately disagree with its header until then.
 */
function pendingJournal(file: string): boolean {
  const size = (suffix: string) => {
    try {
      return fs.statSync(file + suffix).size;
    } catch {
      return 0;
    }
  };
  return size('-wal') > 32 || size('-journal') > 0;
}

/**
 * Why the database file cannot be written here (null when it can): the file or its folder is read-only
 * (permissions, a read-only mount, an immutable file). SQLite would otherwise open it read-only without
 * a word and fail at the first write.
 */
export function notWritable(file: string): string | null {
  for (const target of [file, path.dirname(path.resolve(file))]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const what = target === file ? 'the file' : 'its folder';
      if (code === 'EROFS') return `${what} is on a read-only mount`;
      if (code === 'EACCES' || code === 'EPERM') return `${what} is not writable`;
      if (code !== 'ENOENT') return `${what} cannot be written: ${code}`;
    }
  }
  return null;
}

/**
 * Opens (creating if needed) an Audit Explorer database: WAL (unless `wal: false`), foreign keys, a busy
 * timeout so readers and the writer thread wait for each other instead of failing, and migrations up to
 * {@link SCHEMA_VERSION}. The 100-byte header is judged first (inspectHeader: ~0.1-0.3 ms), which is the
 * open-time damage check; a full `quick_check` took 4-5 s on a million events, so it is left to `check`.
 * Each way a file can be unusable has its own error: {@link SchemaTooNewError}, {@link NotOurDatabaseError}
 * (another application's), {@link DatabaseDamagedError}, {@link DatabaseReadOnlyError},
 * {@link DatabaseIsFolderError}, {@link DatabaseMissingError} (read-only open of no file).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let readonly = options.readonly ?? false;
  if (file !== ':memory:') {
    const verdict = inspectHeader(file);
    switch (verdict.kind) {
      case 'folder':
        throw new DatabaseIsFolderError(file);
      case 'damaged':
        throw new DatabaseDamagedError(file, verdict.detail);
      case 'foreign':
        throw new NotOurDatabaseError(file);
      case 'sqlite':
        if (verdict.applicationId !== APPLICATION_ID && verdict.applicationId !== 0)
          throw new NotOurDatabaseError(file);
        break;
      case 'missing':
        if (readonly) throw new DatabaseMissingError(file);
        try {
          fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        } catch (error) {
          throw new DatabaseReadOnlyError(file, {
            mode: 'create',
            why: (error as NodeJS.ErrnoException).code,
            cause: error,
          });
        }
        break;
      case 'empty':
        break;
    }
    if (!readonly && verdict.kind !== 'missing') {
      const why = notWritable(file);
      if (why !== null) {
        if (!options.readOnlyFallback) throw new DatabaseReadOnlyError(file, { mode: 'write', why });
        readonly = true;
      }
    } else if (verdict.kind === 'missing') {
      const why = notWritable(file);
      if (why !== null) throw new DatabaseReadOnlyError(file, { mode: 'create', why });
    }
  }
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw openFault(error, file, readonly);
  }
  try {
    db.pragma('busy_timeout = 10000');
    checkIdentity(db, file);
    if (!readonly && options.wal !== false) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a power loss may drop the last transactions but never corrupts the file; a
      // crash of the app loses nothing that was committed.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? 32)}`);
    db.pragma('temp_store = MEMORY');
    if (!readonly && options.migrate !== false) migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw openFault(error, file, readonly);
  }
}

/** An error while opening, as the domain error that says what is wrong with the file. */
function openFault(error: unknown, file: string, readonly: boolean): unknown {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_CANTOPEN') {
    const why = notWritable(file);
    if (why !== null) {
      const mode = !fs.existsSync(file) ? 'create' : readonly ? 'read' : 'write';
      return new DatabaseReadOnlyError(file, { mode, why, cause: error });
    }
  }
  return storageFault(error, file);
}

/**
 * Before the database is closed for good by its last user: rollback-journal mode, so the file at rest
 * is one self-contained file that opens read-only on a read-only folder or mount (a WAL database needs
 * to create a `-shm` file beside it even to be read). Every writable open switches back to WAL. Only
 * when no other connection has it open (no wait): otherwise it stays in WAL mode, which is fine too.
 */
export function settleForRest(db: Db): void {
  if (db.readonly || !db.open) return;
  try {
    db.pragma('busy_timeout = 0');
    // A connection notices that another one switched the file to WAL only when it next reads.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    db.pragma('journal_mode = DELETE');
  } catch {
    // Another connection (another process) has it open: it stays in WAL mode.
  }
}

function checkIdentity(db: Db, file: string): void {
  // The header was judged already (inspectHeader): an error here is damage or access, never a foreign
  // file, and openFault names it.
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
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
