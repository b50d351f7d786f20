// The single writer: one thread owns the write connection, so ingest never blocks the thread that answers
// queries. Served over the engine's RPC helper (from the thread that started it, or any port attached to
// it); every method is a store function. It is also the one writer across processes: it takes the
// database's writer lock before it opens the database and lets go of it when it closes
// (store/writerLock.ts).
import { workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { serveRpc } from '../rpc/server.ts';
import {
  addInvestigationSearches,
  addNote,
  addSavedSearch,
  closeInvestigation,
  createInvestigation,
  describeInvestigation,
  pinEvents,
  recordHistory,
  removeInvestigationSearches,
  removeSavedSearch,
  renameSavedSearch,
  reopenInvestigation,
  unpinEvents,
} from './casework.ts';
import { deleteSource } from './deleteSource.ts';
import { storageFault } from './errors.ts';
import { mergeFullText } from './ftsMaintenance.ts';
import { ensureSource, failObjects } from './objects.ts';
import { openDatabase } from './open.ts';
import { beginRetention, deleteRetentionChunk, finishRetention } from './retention.ts';
import { setSetting } from './settings.ts';
import { beginSyncRun, finishSyncRun, recordAttempts, saveSource, unconfigureSource } from './syncRuns.ts';
import { BatchWriter } from './writeBatch.ts';
import { acquireWriterLock, type WriterLock } from './writerLock.ts';
import type { WriterData, WriterMethods, WriterWaiting } from './writerProtocol.ts';

const { file, command, waitMs, maxPageCount } = workerData as WriterData;

/**
 * How a failure crosses back: a storage fault (disk full, damage, read-only) as the domain error that says
 * what to do, with its stable code — never raw SQLite text.
 */
const failure = {
  mapError: (error: unknown) => storageFault(error, file),
  describe: describeError,
};

void serveRpc<WriterMethods>(async ({ notify, signal }) => {
  const lock: WriterLock = await acquireWriterLock(file, {
    command,
    timeoutMs: waitMs,
    signal,
    onWait: (holder) => notify({ waiting: holder } satisfies WriterWaiting),
  });
  try {
    // Everything below reads the database afresh (the dictionary, the keys in use, the segments): another
    // process may have written it since this one last looked.
    const db = openDatabase(file, { cacheMiB: 4 });
    // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: pages that batches rewrite again and again
    // (FTS segments, b-tree interiors) are then copied into the database once instead of many times.
    db.pragma('wal_autocheckpoint = 10000');
    if (maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(maxPageCount)}`);
    const writer = new BatchWriter(db);
    return {
      handlers: {
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
        savedAdd: (input) => addSavedSearch(db, input),
        savedRename: ({ name, newName, now }) => renameSavedSearch(db, name, newName, now),
        savedRemove: ({ name }) => removeSavedSearch(db, name),
        historyRecord: ({ query, total, at }) => recordHistory(db, query, total, at),
        investigationCreate: (input) => createInvestigation(db, input),
        investigationAddSearches: ({ name, searches, now }) =>
          addInvestigationSearches(db, name, searches, now),
        investigationRemoveSearches: ({ name, searches, now }) =>
          removeInvestigationSearches(db, name, searches, now),
        investigationDescribe: ({ name, description, now }) =>
          describeInvestigation(db, name, description, now),
        investigationPin: ({ name, ids, now }) => pinEvents(db, name, ids, now),
        investigationUnpin: ({ name, ids, now }) => unpinEvents(db, name, ids, now),
        investigationNote: ({ name, body, eventId, now }) => addNote(db, name, body, eventId, now),
        investigationClose: ({ name, now }) => closeInvestigation(db, name, now),
        investigationReopen: ({ name, now }) => reopenInvestigation(db, name, now),
      },
      options: {
        ...failure,
        onClose: () => {
          try {
            db.pragma('wal_checkpoint(TRUNCATE)');
            db.close();
          } finally {
            lock.release();
          }
        },
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}, failure);
