// The single writer: one thread owns the write connection, so ingest never blocks the thread that answers
// queries. Plain RPC over postMessage (from the thread that started it, or any port attached to it); every
// method is a store function.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract.ts';
import { describeError } from '../errors.ts';
import { deleteSource } from '../store/deleteSource.ts';
import { storageFault } from '../store/errors.ts';
import { mergeFullText } from '../store/ftsMaintenance.ts';
import { ensureSource, failObjects } from '../store/objects.ts';
import { openDatabase } from '../store/open.ts';
import { beginRetention, deleteRetentionChunk, finishRetention } from '../store/retention.ts';
import { BatchWriter } from '../store/writeBatch.ts';
import type { WriterData, WriterMethods, WriterReply, WriterRequest } from './writerProtocol.ts';

const { file, maxPageCount } = workerData as WriterData;
const main = parentPort!;

try {
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
        reply = { seq: request.seq, ok: false, error: replyError(error) };
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
  main.postMessage({ seq: 0, ok: false, error: replyError(error) } satisfies WriterReply);
}

/**
 * An error as it crosses back: a storage fault (disk full, damage, read-only) as the domain error that
 * says what to do, with its stable code — never raw SQLite text.
 */
function replyError(error: unknown): { name: string; message: string; code: ErrorCode } {
  const fault = storageFault(error, file);
  const e = fault instanceof Error ? fault : new Error(String(fault));
  return { name: e.name, message: e.message, code: describeError(e).code };
}
