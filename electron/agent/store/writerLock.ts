import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { WriterBusyError, WriterLockFileError, WriterStoppedError } from './errors.ts';

/**
 * One writer per database, across processes.
 *
 * The writer keeps state in memory (dictionary ids, the next keys, column segments to merge) that another
 * process's writes would silently invalidate, so only one connection in any process may write a database
 * at a time. The lock is a SQLite write lock on a side file, `DB.writer-lock`: the writer opens a
 * transaction there (`BEGIN IMMEDIATE`) and keeps it open while it lives. That is an OS file lock, so it
 * dies with its process — a writer killed with SIGKILL, or a machine that lost power, never leaves a stale
 * lock behind (a pid file would). It works the same between threads of one process, and readers of the
 * database itself never touch it.
 *
 * The side file also records who holds the lock (pid, command, since), committed by the holder right after
 * it got the lock, so a process that waits can say whom it is waiting for. The record is only advice: a
 * stale one (left by a holder that crashed) is overwritten by the next holder.
 */

/** Who holds the writer lock, as recorded by the holder. */
export interface WriterHolder {
  readonly pid: number;
  /** What the holder is doing (`ingest`, `gc`, `agent`, ...). */
  readonly command: string;
  /** When it took the lock, epoch ms. */
  readonly since: number;
}

export interface WriterLockOptions {
  /** What this process is doing, recorded for the processes that wait for it. */
  readonly command: string;
  /** How long to wait for another writer before giving up with {@link WriterBusyError}, in ms. */
  readonly timeoutMs: number;
  /** Called once when the lock is held by another writer and this one starts to wait. */
  readonly onWait?: (holder: WriterHolder | null) => void;
  /** Aborting it stops the wait with {@link WriterStoppedError}. */
  readonly signal?: AbortSignal;
  /** Time between two attempts, in ms. */
  readonly pollMs?: number;
}

/** A held writer lock. */
export interface WriterLock {
  /** Releases the lock (idempotent). Closing the process releases it too. */
  release(): void;
}

/**
 * The side file holding the writer lock of `dbFile`, next to it. Its folder is resolved through symlinks,
 * so two processes that reach one database by different paths still share one lock.
 */
export function writerLockFile(dbFile: string): string {
  const file = path.resolve(dbFile);
  let dir = path.dirname(file);
  try {
    dir = fs.realpathSync(dir);
  } catch {
    // The folder does not exist yet: nobody can reach the database through another path either.
  }
  return path.join(dir, `${path.basename(file)}.writer-lock`);
}

/**
 * Takes the writer lock of `dbFile`, waiting for the process that holds it (polling, so the calling
 * thread's event loop keeps running and the wait can be stopped). An in-memory database has no other
 * writer: its lock is a no-op.
 */
export async function acquireWriterLock(dbFile: string, options: WriterLockOptions): Promise<WriterLock> {
  if (dbFile === ':memory:') return { release() {} };
  const lockFile = writerLockFile(dbFile);
  let lockDb: Database.Database;
  try {
    lockDb = new Database(lockFile);
  } catch (error) {
    throw new WriterLockFileError(lockFile, { cause: error });
  }
  try {
    // Failing at once is what we want: the wait happens below, where it can be stopped and reported.
    lockDb.pragma('busy_timeout = 0');
    const deadline = performance.now() + options.timeoutMs;
    let waiting = false;
    for (;;) {
      if (options.signal?.aborted) throw new WriterStoppedError();
      if (tryLock(lockDb)) {
        recordHolder(lockDb, options.command);
        // Recording committed, which let go of the lock for an instant; whoever took it then is the
        // writer now, and this one waits for it like for any other.
        if (tryLock(lockDb)) return { release: () => lockDb.close() };
      }
      const holder = readHolder(lockDb);
      if (!waiting) {
        waiting = true;
        options.onWait?.(holder);
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new WriterBusyError(dbFile, holder, options.timeoutMs);
      try {
        await sleep(Math.min(options.pollMs ?? 200, left), undefined, { signal: options.signal });
      } catch {
        throw new WriterStoppedError();
      }
    }
  } catch (error) {
    lockDb.close();
    throw error;
  }
}

function tryLock(lockDb: Database.Database): boolean {
  try {
    lockDb.exec('BEGIN IMMEDIATE');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  }
}

function recordHolder(lockDb: Database.Database, command: string): void {
  lockDb.exec(
    'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, ' +
      'command TEXT NOT NULL, since INTEGER NOT NULL)',
  );
  lockDb
    .prepare('INSERT OR REPLACE INTO holder (id, pid, command, since) VALUES (1, ?, ?, ?)')
    .run(process.pid, command, Date.now());
  // The commit needs the waiters' brief reads of the record to end: allow it a moment.
  lockDb.pragma('busy_timeout = 5000');
  try {
    lockDb.exec('COMMIT');
  } finally {
    lockDb.pragma('busy_timeout = 0');
  }
}

/** The recorded holder, or null when there is no record yet (or it is being written right now). */
function readHolder(lockDb: Database.Database): WriterHolder | null {
  let holder: WriterHolder | undefined;
  try {
    holder = lockDb.prepare('SELECT pid, command, since FROM holder WHERE id = 1').get() as
      WriterHolder | undefined;
  } catch {
    return null;
  }
  // A record whose process is gone was left by a holder that crashed; the new holder is about to write its own.
  return holder !== undefined && isAlive(holder.pid) ? holder : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
