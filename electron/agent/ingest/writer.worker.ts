// The single writer: one thread owns the write connection, so ingest never blocks the thread that answers
// queries. Plain RPC over postMessage; every method is a store function.
import { parentPort, workerData } from 'node:worker_threads';
import { beginObject, ensureSource } from '../store/objects.ts';
import { openDatabase } from '../store/open.ts';
import { BatchWriter } from '../store/writeBatch.ts';
import type { WriterData, WriterMethods, WriterReply, WriterRequest } from './writerProtocol.ts';

const { file } = workerData as WriterData;
const port = parentPort!;

try {
  const db = openDatabase(file, { cacheMiB: 64 });
  const writer = new BatchWriter(db);

  const handlers: { [M in keyof WriterMethods]: (args: WriterMethods[M][0]) => WriterMethods[M][1] } = {
    ensureSource: ({ name, kind }) => ensureSource(db, name, kind),
    beginObject: ({ sourceId, info, restart, compressed }) =>
      beginObject(db, sourceId, info, { restart, compressed }),
    write: (batch) => writer.write(batch),
    close: () => {
      db.close();
    },
  };

  port.on('message', (request: WriterRequest) => {
    let reply: WriterReply;
    try {
      const handler = handlers[request.method] as (args: unknown) => unknown;
      reply = { seq: request.seq, ok: true, value: handler(request.args) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply = { seq: request.seq, ok: false, error: { name: e.name, message: e.message } };
    }
    port.postMessage(reply);
    if (request.method === 'close') port.close();
  });
  port.postMessage({ seq: 0, ok: true, value: 'ready' } satisfies WriterReply);
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  port.postMessage({ seq: 0, ok: false, error: { name: e.name, message: e.message } } satisfies WriterReply);
}
