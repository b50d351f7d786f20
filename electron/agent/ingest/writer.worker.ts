// The single writer: one thread owns the write connection, so ingest never blocks the thread that answers
// queries. Plain RPC over postMessage (from the thread that started it, or any port attached to it); every
// method is a store function. It is also the one writer across processes: it takes the database's writer
// lock before it opens the database and lets go of it when it closes (store/writerLock.ts).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { deleteSource } from '../store/deleteSource.ts';
import { storageFault } from '../store/errors.ts';
import { mergeFullText } from '../store/ftsMaintenance.ts';
import { ensureSource, failObjects } from '../store/objects.ts';
import { openDatabase } from '../store/open.ts';
import { beginRetention, deleteRetentionChunk, finishRetention } from '../store/retention.ts';
import { setSetting } from '../store/settings.ts';
import {
  beginSyncRun,
  finishSyncRun,
  recordAttempts,
  saveSource,
  unconfigureSource,
} from '../store/syncRuns.ts';
import { BatchWriter } from '../store/writeBatch.ts';
import { acquireWriterLock, type WriterLock } from '../store/writerLock.ts';
import {
  STOP_WAITING,
  type WriterData,
  type WriterMethods,
  type WriterReply,
  type WriterRequest,
  type WriterWaiting,
} from './writerProtocol.ts';

const { file, command, waitMs, maxPageCount } = workerData as WriterData;
const main = parentPort!;

/**
 * A failure as it crosses back: a storage fault (disk full, damage, read-only) as the domain error that
 * says what to do, with its stable code — never raw SQLite text.
 */
const failure = (seq: number, error: unknown): WriterReply => {
  const fault = storageFault(error, file);
  const e = fault instanceof Error ? fault : new Error(String(fault));
  return { seq, ok: false, error: { name: e.name, message: e.message, code: describeError(e).code } };
};

let lock: WriterLock | null = null;
try {
  const stopWaiting = new AbortController();
  const onControl = (message: unknown) => {
    if (message === STOP_WAITING) stopWaiting.abort();
  };
  main.on('message', onControl);
  try {
    lock = await acquireWriterLock(file, {
      command,
      timeoutMs: waitMs,
      signal: stopWaiting.signal,
      onWait: (holder) => main.postMessage({ waiting: holder } satisfies WriterWaiting),
    });
  } finally {
    main.off('message', onControl);
  }
  // Everything below reads the database afresh (the dictionary, the keys in use, the segments): another
  // process may have written it since this one last looked.
  const db = openDatabase(file, { cacheMiB: 4 });
  // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: pages that batches rewrite again and again
  // (FTS segments, b-tree interiors) are then copied into the database once instead of many times.
  db.pragma('wal_autocheckpoint = 10000');
  if (maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(maxPageCount)}`);
  const writer = new BatchWriter(db);
  const attached: MessagePort[] = [];
  let closed = false;

  const handlers: { [M in keyof WriterMethods]: (args: WriterMethods[M][0]) => WriterMethods[M][1] } = {
    ensureSource: ({ name, kind }) => ensureSource(db, name, kind),
    write: (batch) => writer.write(batch),
    maintain: ({ budgetMs }) => mergeFullText(db, budgetMs),
    deleteSource: ({ sourceId }) => deleteSource(db, sourceId),
    retentionBegin: ({ before }) => beginRetention(db, before),
    retentionChunk: ({ horizon }) => deleteRetentionChunk(db, horizon),
    retentionFinish: ({ horizon }) => finishRetention(db, horizon),
    failObjects: ({ sourceId, keys, error }) => failObjects(db, sourceId, keys, error),
    saveSource: (source) => saveSource(db, source),
    unconfigureSource: ({ sourceId }) => unconfigureSource(db, sourceId),
    syncRunBegin: ({ sourceId, trigger, now }) => beginSyncRun(db, sourceId, trigger, now),
    syncRunFinish: ({ runId, now, ...outcome }) => finishSyncRun(db, runId, outcome, now),
    recordAttempts: ({ sourceId, now, ...outcome }) => recordAttempts(db, sourceId, outcome, now),
    setSetting: ({ key, value }) => setSetting(db, key, value),
    attach: ({ port }) => {
      attached.push(port);
      serve(port);
    },
    close: () => {
      closed = true;
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      } finally {
        lock?.release();
      }
    },
  };

  const serve = (port: MessagePort | typeof main) => {
    port.on('message', (request: WriterRequest | typeof STOP_WAITING) => {
      // A stop that arrived just after the lock was taken: there is no wait left to stop.
      if (request === STOP_WAITING) return;
      let reply: WriterReply;
      try {
        if (closed) throw new Error('The writer was closed.');
        const handler = handlers[request.method] as (args: unknown) => unknown;
        reply = { seq: request.seq, ok: true, value: handler(request.args) };
      } catch (error) {
        reply = failure(request.seq, error);
      }
      port.postMessage(reply);
      if (request.method === 'close') {
        for (const other of attached) other.close();
        main.close();
      }
    });
  };

  serve(main);
  main.postMessage({ seq: 0, ok: true, value: 'ready' } satisfies WriterReply);
} catch (error) {
  lock?.release();
  main.postMessage(failure(0, error));
  main.close();
}
