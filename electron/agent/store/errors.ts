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

/** The file exists but is not an Audit Explorer database (or not SQLite at all). */
export class NotOurDatabaseError extends Error {
  override name = 'NotOurDatabaseError';
  readonly file: string;

  constructor(file: string, options?: { cause?: unknown }) {
    super(
      `${file} is not an Audit Explorer database. Point --db (or AUDIT_EXPLORER_DB) at a new file or one ` +
        `Audit Explorer created.`,
      options,
    );
    this.file = file;
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
  return null;
}
