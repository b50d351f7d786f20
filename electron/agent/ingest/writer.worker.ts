// The single writer: one thread owns the write connection, so ingest never blocks the thread that answers
// queries. Plain RPC over postMessage (from the thread that started it, or any port attached to it); every
// method is a store function.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  addInvestigationSearches,
  addNote,
  addSavedSearch,
  closeInvestigation,
  createInvestigation,
  pinEvents,
  recordHistory,
  removeSavedSearch,
  renameSavedSearch,
  unpinEvents,
} from '../store/casework.ts';
import { deleteSource } from '../store/deleteSource.ts';
import { mergeFullText } from '../store/ftsMaintenance.ts';
import { ensureSource } from '../store/objects.ts';
import { openDatabase } from '../store/open.ts';
import { beginRetention, deleteRetentionChunk, finishRetention } from '../store/retention.ts';
import { BatchWriter } from '../store/writeBatch.ts';
import type { WriterData, WriterMethods, WriterReply, WriterRequest } from './writerProtocol.ts';

const { file } = workerData as WriterData;
const main = parentPort!;

try {
  const db = openDatabase(file, { cacheMiB: 4 });
  // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: pages that batches rewrite again and again
  // (FTS segments, b-tree interiors) are then copied into the database once instead of many times.
  db.pragma('wal_autocheckpoint = 10000');
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
    savedAdd: (input) => addSavedSearch(db, input),
    savedRename: ({ name, newName, now }) => renameSavedSearch(db, name, newName, now),
    savedRemove: ({ name }) => removeSavedSearch(db, name),
    historyRecord: ({ query, total, at }) => recordHistory(db, query, total, at),
    investigationCreate: (input) => createInvestigation(db, input),
    investigationAddSearches: ({ name, searches }) => addInvestigationSearches(db, name, searches),
    investigationPin: ({ name, ids, now }) => pinEvents(db, name, ids, now),
    investigationUnpin: ({ name, ids }) => unpinEvents(db, name, ids),
    investigationNote: ({ name, body, eventId, now }) => addNote(db, name, body, eventId, now),
    investigationClose: ({ name, now }) => closeInvestigation(db, name, now),
    attach: ({ port }) => {
      attached.push(port);
      serve(port);
    },
    close: () => {
      closed = true;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };

  const serve = (port: MessagePort | typeof main) => {
    port.on('message', (request: WriterRequest) => {
      let reply: WriterReply;
      try {
        if (closed) throw new Error('The writer was closed.');
        const handler = handlers[request.method] as (args: unknown) => unknown;
        reply = { seq: request.seq, ok: true, value: handler(request.args) };
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        reply = { seq: request.seq, ok: false, error: { name: e.name, message: e.message } };
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
  const e = error instanceof Error ? error : new Error(String(error));
  main.postMessage({ seq: 0, ok: false, error: { name: e.name, message: e.message } } satisfies WriterReply);
}
