// The query worker: the one thread that answers searches (and every other read that can take long) on a
// read-only connection, so the thread serving requests never waits on a scan. There is exactly one per
// service: it holds the column segments in memory (~20 bytes per event), which more threads would copy.
import { workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { serveRpc, type CallContext, type RpcHandlers } from '../rpc/server.ts';
import { storageFault } from './errors.ts';
import { openDatabase } from './open.ts';
import { READ_METHODS, readHandlers } from './queries.ts';
import type { CancelTicket, QueryData, QueryMethods } from './queryProtocol.ts';
import { previewRetention } from './retention.ts';
import { SearchEngine } from './search.ts';

const { file, flags: buffer, limits, gate: gateBuffer } = workerData as QueryData;
const flags = new Int32Array(buffer);
const gate = gateBuffer === undefined ? null : new Int32Array(gateBuffer);

void serveRpc<QueryMethods>(() => {
  // Opened like the service's reading connection (it never migrates; the writer thread did, under the
  // writer lock) and query-only: this connection cannot write. A file that cannot be written here is
  // opened read-only and still answers searches.
  const db = openDatabase(file, { cacheMiB: 64, migrate: false, readOnlyFallback: true, wal: false });
  db.pragma('query_only = ON');
  const engine = new SearchEngine(db, limits ? { limits } : {});
  const reads = readHandlers(engine);
  const cancelled = (ticket: CancelTicket | null) =>
    ticket === null ? undefined : () => Atomics.load(flags, ticket.slot) !== ticket.generation;
  const handlers = {} as Record<string, (args: unknown, call: CallContext) => unknown>;
  for (const method of READ_METHODS) {
    const read = reads[method] as (input: unknown, ctx: unknown) => unknown;
    handlers[method] = (args) => {
      const { input, now, ticket } = args as { input: unknown; now: number; ticket: CancelTicket | null };
      if (gate !== null) {
        Atomics.add(gate, 1, 1);
        Atomics.notify(gate, 1);
        Atomics.wait(gate, 0, 0);
      }
      return read(input, { now, cancelled: cancelled(ticket) });
    };
  }
  handlers.invalidate = () => engine.raw.clear();
  handlers.retentionPreview = (args) => previewRetention(db, (args as { before: number }).before);
  // Load the column segments now, while the user is still looking at the page: the first search then
  // finds them in memory. A request that arrives meanwhile waits for this (one thread, in order).
  setImmediate(() => {
    try {
      engine.warm();
    } catch {
      // The first search loads them and reports what went wrong.
    }
  });
  return {
    handlers: handlers as RpcHandlers<QueryMethods>,
    options: {
      // A damaged page met by a scan, a file gone read-only: the storage fault's own code and sentence
      // (database_damaged, ...), and a budget's query_too_costly, cross to the service as they are.
      mapError: (error) => storageFault(error, file),
      describe: describeError,
      onClose: () => db.close(),
    },
  };
});
