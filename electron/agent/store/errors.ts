import path from 'node:path';
import type { ErrorCode } from '../../../shared/contract.ts';
import type { WriterHolder } from './writerLock.ts';

/** The database was written by a newer Audit Explorer than this one. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
  readonly file: string;
  readonly found: number;
  readonly supported: number;

  constructor(file: string, found: number, supported: number) {
    super(
      `The database ${file} has schema version ${found}, written by a newer Audit Explorer; this version ` +
        `understands up to ${supported}. Update Audit Explorer, or point --db at another file.`,
    );
    this.file = file;
    this.found = found;
    this.supported = supported;
  }
}

/**
 * The file is a SQLite database of another application (another application_id, or foreign tables), or a
 * file whose content is clearly not a database of ours. Never used for a damaged or unreadable file of
 * ours: this message invites the user to use another file, which must not cost them good data.
 */
export class NotOurDatabaseError extends Error {
  override name = 'NotOurDatabaseError';
  readonly file: string;

  constructor(file: string, options?: { cause?: unknown }) {
    super(
      `${file} is not an Audit Explorer database (it belongs to another application or is not a database). ` +
        `It was left as it is. Point --db (or AUDIT_EXPLORER_DB) at a new file or one Audit Explorer created.`,
      options,
    );
    this.file = file;
  }
}

/** `--db` names a folder. */
export class DatabaseIsFolderError extends Error {
  override name = 'DatabaseIsFolderError';
  readonly file: string;

  constructor(file: string) {
    super(
      `${file} is a folder, not a database file. Point --db (or AUDIT_EXPLORER_DB) at a file, for example ` +
        `${path.join(file, 'audit-explorer.db')}.`,
    );
    this.file = file;
  }
}

/** The database cannot be written here: a read-only file, folder or mount, or a folder we may not create in. */
export class DatabaseReadOnlyError extends Error {
  override name = 'DatabaseReadOnlyError';
  readonly file: string;

  /**
   * `create`: there is no database yet and it cannot be made. `write`: the database is open for searching
   * and a write was refused. `read`: not even searching works, because the file is in WAL mode (it was open
   * elsewhere, or not closed cleanly) and SQLite must create a `-shm` file beside it to read it.
   */
  constructor(file: string, options: { mode: 'create' | 'write' | 'read'; why?: string; cause?: unknown }) {
    const why = options.why ? ` (${options.why})` : '';
    const messages = {
      create:
        `Cannot create the database ${file}: its folder ${path.dirname(path.resolve(file))} is not ` +
        `writable${why}. Point --db (or AUDIT_EXPLORER_DB) at a file in a folder you can write to.`,
      write:
        `The database ${file} is read-only here${why}: searches work, but importing, retention and other ` +
        `changes need write permission on the file and its folder. Check the permissions or the mount ` +
        `(or copy the database to a folder you can write to); nothing was changed.`,
      read:
        `The database ${file} cannot be read here${why}: it was left in write-ahead-log mode (open in ` +
        `another process, or not closed cleanly), and reading it then needs a -shm file beside it. Run any ` +
        `command on it once where its folder is writable, or copy it (with its -wal file, if any) to a ` +
        `folder you can write to. Nothing was changed.`,
    };
    super(messages[options.mode], { cause: options.cause });
    this.file = file;
  }
}

/** A write failed because the disk (or the database's size limit) is full; the transaction rolled back. */
export class DiskFullError extends Error {
  override name = 'DiskFullError';
  readonly file: string;

  constructor(file: string, options?: { cause?: unknown; detail?: string }) {
    super(
      `The disk holding ${file} is full: the write in progress was rolled back${options?.detail ? ` (${options.detail})` : ''}, ` +
        `and nothing stored before it was lost. Free some space and run the same command again: events ` +
        `already stored are recognised and not duplicated.`,
      options,
    );
    this.file = file;
  }
}

/** The database file of ours is damaged: a truncated file, a broken header, a corrupt page. */
export class DatabaseDamagedError extends Error {
  override name = 'DatabaseDamagedError';
  readonly file: string;
  readonly detail: string;

  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super(
      `The database ${file} is damaged (${detail}). Its answers cannot be trusted and nothing was changed. ` +
        `Run "audit-explorer check --db ${file}" to see what is wrong; to recover, import your sources ` +
        `again into a new database file (identical lines are one event, so the result is exact).`,
      options,
    );
    this.file = file;
    this.detail = detail;
  }
}

/** The database file does not exist (when opening without creating). */
export class DatabaseMissingError extends Error {
  override name = 'DatabaseMissingError';
  readonly file: string;

  constructor(file: string) {
    super(
      `There is no database at ${file}. Import something first (audit-explorer ingest PATH) or fix --db.`,
    );
    this.file = file;
  }
}

/**
 * Stored data that fails our own checks (a column segment or a block of raw lines that does not decode or
 * does not agree with its row): damage SQLite cannot see, since it checks structure, not content.
 */
export class StoreCorruptError extends Error {
  override name = 'StoreCorruptError';
}

/** SQLite's extended result codes arrive as e.g. `SQLITE_CORRUPT_VTAB`; this is the primary part. */
function primaryCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const m = /^SQLITE_[A-Z]+/.exec(code);
  return m ? m[0] : null;
}

/**
 * Turns a SQLite error about the storage itself (disk full, corruption, read-only, I/O) into the domain
 * error that says what to do; returns other errors unchanged. Used wherever SQLite errors can surface
 * (the writer thread, queries), so no door shows raw SQLite text for a storage fault.
 */
export function storageFault(error: unknown, file: string): unknown {
  if (error instanceof StoreCorruptError)
    return new DatabaseDamagedError(file, error.message, { cause: error });
  switch (primaryCode(error)) {
    case 'SQLITE_FULL':
      return new DiskFullError(file, { cause: error });
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new DatabaseDamagedError(file, (error as Error).message, { cause: error });
    case 'SQLITE_IOERR':
      return new DatabaseDamagedError(
        file,
        `an I/O error reading or writing it: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return new DatabaseReadOnlyError(file, { mode: 'write', cause: error });
    default:
      return error;
  }
}

/** Another process kept the database's writer lock longer than this one was willing to wait. */
export class WriterBusyError extends Error {
  override name = 'WriterBusyError';
  readonly file: string;

  constructor(file: string, holder: WriterHolder | null, timeoutMs: number) {
    super(
      `${describeHolder(holder)} is still writing to ${file} after ${formatSeconds(timeoutMs)}; nothing was ` +
        `written by this command. Run it again when the other one has finished, or let it wait longer ` +
        `with --wait-timeout SECONDS.`,
    );
    this.file = file;
  }
}

/** The wait for another writer was stopped (Ctrl-C, SIGTERM, shutdown) before anything was written. */
export class WriterStoppedError extends Error {
  override name = 'WriterStoppedError';

  constructor() {
    super('Stopped while waiting for another Audit Explorer process to finish writing; nothing was written.');
  }
}

/** The writer lock's side file (store/writerLock.ts) cannot be created or opened next to the database. */
export class WriterLockFileError extends Error {
  override name = 'WriterLockFileError';
  readonly file: string;

  constructor(file: string, options: { cause: unknown }) {
    super(
      `Cannot open ${file}: writing to a database takes a lock file next to it. ` +
        `Check that the folder exists and that you may write in it, or point --db at a database in a folder ` +
        `you can write to.`,
      options,
    );
    this.file = file;
  }
}

/** "Another Audit Explorer process (pid 4242, `ingest` since 14:05)", for messages about a waiting writer. */
export function describeHolder(holder: WriterHolder | null): string {
  if (holder === null) return 'Another Audit Explorer process';
  const since = new Date(holder.since);
  const hhmm = `${String(since.getHours()).padStart(2, '0')}:${String(since.getMinutes()).padStart(2, '0')}`;
  return `Another Audit Explorer process (pid ${holder.pid}, \`${holder.command}\` since ${hhmm})`;
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} s`;
}

/** The stable code of an error the store raises, or null for anything else (it crosses threads with it). */
export function storeErrorCode(error: unknown): ErrorCode | null {
  if (error instanceof WriterBusyError) return 'writer_busy';
  if (error instanceof WriterStoppedError) return 'stopped';
  if (error instanceof SchemaTooNewError) return 'schema_too_new';
  if (error instanceof NotOurDatabaseError) return 'not_our_database';
  if (error instanceof DatabaseMissingError) return 'not_found';
  if (error instanceof DatabaseReadOnlyError) return 'read_only';
  if (error instanceof DatabaseIsFolderError) return 'db_is_folder';
  if (error instanceof DiskFullError) return 'disk_full';
  if (error instanceof DatabaseDamagedError) return 'database_damaged';
  return null;
}
