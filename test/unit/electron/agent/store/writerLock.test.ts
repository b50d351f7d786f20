/**
 * The writer lock (store/writerLock.ts): one writer per database at a time, a waiter that knows whom it
 * waits for, a timeout and a stop. Between processes it is the same OS lock (see
 * test/integration/cli/concurrentWriters.test.ts); here two holders in one process show the protocol.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import {
  WriterBusyError,
  WriterLockFileError,
  WriterStoppedError,
} from '../../../../../electron/agent/store/errors.ts';
import {
  acquireWriterLock,
  writerLockFile,
  type WriterHolder,
} from '../../../../../electron/agent/store/writerLock.ts';

function dbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-lock-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'audit.db');
}

test('a second writer waits for the first, is told who holds the lock, and takes it when it is released', async () => {
  const db = dbFile();
  const before = Date.now();
  const first = await acquireWriterLock(db, { command: 'ingest', timeoutMs: 0 });
  expect(fs.existsSync(writerLockFile(db))).toBe(true);
  const waits: (WriterHolder | null)[] = [];
  let acquired = false;
  const second = acquireWriterLock(db, {
    command: 'gc',
    timeoutMs: 30_000,
    pollMs: 20,
    onWait: (holder) => {
      waits.push(holder);
      // Released only once the second is known to wait.
      setTimeout(() => first.release(), 100);
    },
  }).then((lock) => {
    acquired = true;
    return lock;
  });
  const lock = await second;
  expect(acquired).toBe(true);
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatchObject({ pid: process.pid, command: 'ingest' });
  expect(waits[0]!.since).toBeGreaterThanOrEqual(before);
  // The new holder recorded itself: a third writer is told about it.
  const third = await acquireWriterLock(db, { command: 'start', timeoutMs: 0 }).catch((e: unknown) => e);
  expect(third).toBeInstanceOf(WriterBusyError);
  expect((third as Error).message).toContain(`(pid ${process.pid}, \`gc\` since `);
  lock.release();
  lock.release(); // Idempotent.
  (await acquireWriterLock(db, { command: 'ingest', timeoutMs: 0 })).release();
});

test('the wait ends after the timeout with WriterBusyError naming the holder, the file and what to do', async () => {
  const db = dbFile();
  const held = await acquireWriterLock(db, { command: 'agent', timeoutMs: 0 });
  try {
    const started = performance.now();
    const error = await acquireWriterLock(db, { command: 'ingest', timeoutMs: 300, pollMs: 20 }).catch(
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(error).toBeInstanceOf(WriterBusyError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Another Audit Explorer process \\(pid ${process.pid}, \`agent\` since \\d\\d:\\d\\d\\) is still writing to .*audit\\.db after 0\\.3 s; nothing was written by this command\\. Run it again when the other one has finished, or let it wait longer with --wait-timeout SECONDS\\.$`,
      ),
    );
  } finally {
    held.release();
  }
});

test('aborting the wait ends it at once with WriterStoppedError', async () => {
  const db = dbFile();
  const held = await acquireWriterLock(db, { command: 'agent', timeoutMs: 0 });
  try {
    const stop = new AbortController();
    const waiting = acquireWriterLock(db, {
      command: 'ingest',
      timeoutMs: 60_000,
      signal: stop.signal,
      onWait: () => stop.abort(),
    });
    const started = performance.now();
    await expect(waiting).rejects.toBeInstanceOf(WriterStoppedError);
    expect(performance.now() - started).toBeLessThan(5_000);
  } finally {
    held.release();
  }
});

test('a lock file that cannot be created is a WriterLockFileError saying what to do, not SQLite text', async () => {
  const db = path.join(path.dirname(dbFile()), 'no-such-folder', 'audit.db');
  const error = await acquireWriterLock(db, { command: 'ingest', timeoutMs: 0 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WriterLockFileError);
  expect((error as Error).message).toBe(
    `Cannot open ${writerLockFile(db)}: writing to a database takes a lock file next to it. ` +
      'Check that the folder exists and that you may write in it, or point --db at a database in a folder you ' +
      'can write to.',
  );
});
