// The query worker: the one thread that answers searches (and every other read that can take long) on a
// read-only connection, so the thread serving requests never waits on a scan. There is exactly one per
// service: it holds the column segments in memory (~20 bytes per event), which more threads would copy.
import { workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { serveRpc, type RpcHandlers } from '../rpc/server.ts';
import { openDatabase } from './open.ts';
import { READ_METHODS, readHandlers } from './queries.ts';
import type { CancelTicket, QueryData, QueryMethods } from './queryProtocol.ts';
import { previewRetention } from './retention.ts';
import { SearchEngine } from './search.ts';

const { file, flags: buffer, gate: gateBuffer } = workerData as QueryData;
const flags = new Int32Array(buffer);
const gate = gateBuffer === undefined ? null : new Int32Array(gateBuffer);

serveRpc<QueryMethods>(() => {
  const db = openDatabase(file, { readonly: true, cacheMiB: 64 });
  const engine = new SearchEngine(db);
  const reads = readHandlers(engine);
  const cancelled = (ticket: CancelTicket | null) =>
    ticket === null ? undefined : () => Atomics.load(flags, ticket.slot) !== ticket.generation;
  const handlers = {} as Record<string, (args: unknown) => unknown>;
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
    options: { describe: describeError, onClose: () => db.close() },
  };
});
