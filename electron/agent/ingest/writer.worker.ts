// The single writer: one thread owns the write connection, so ingest never blocks the thread that answers
// queries. Served over the engine's RPC helper (from the thread that started it, or any port attached to
// it); every method is a store function.
import { workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { serveRpc } from '../rpc/server.ts';
import { deleteSource } from '../store/deleteSource.ts';
import { mergeFullText } from '../store/ftsMaintenance.ts';
import { ensureSource } from '../store/objects.ts';
import { openDatabase } from '../store/open.ts';
import { beginRetention, deleteRetentionChunk, finishRetention } from '../store/retention.ts';
import { BatchWriter } from '../store/writeBatch.ts';
import type { WriterData, WriterMethods } from './writerProtocol.ts';

const { file } = workerData as WriterData;

serveRpc<WriterMethods>(() => {
  const db = openDatabase(file, { cacheMiB: 4 });
  // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: pages that batches rewrite again and again
  // (FTS segments, b-tree interiors) are then copied into the database once instead of many times.
  db.pragma('wal_autocheckpoint = 10000');
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
    },
    options: {
      describe: describeError,
      onClose: () => {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      },
    },
  };
});
