/**
 * The store behind one interface: the one place that owns the database for a service. Reads go through
 * the reading connection (query-only) or the query worker; every write goes through the writer thread,
 * which holds the database's writer lock across processes (writerLock.ts) while this process writes.
 * The service above it (../service.ts) holds no SQL: it asks the store.
 */
import type { MethodArgs, MethodOutput } from '../../../shared/contract.ts';
import type { SearchLimits } from './budget.ts';
import {
  getInvestigation,
  investigationsForEvent,
  listHistory,
  listInvestigations,
  listSavedSearches,
  type EventCasework,
  type HistoryEntry,
  type InvestigationDetail,
  type InvestigationSummary,
  type SavedSearch,
} from './casework.ts';
import { DatabaseReadOnlyError } from './errors.ts';
import { readEventIdKey } from './eventId.ts';
import { countSources, findSource } from './objects.ts';
import { needsMigration, notWritable, openDatabase, settleForRest, type Db } from './open.ts';
import { readHandlers, type ReadContext, type ReadHandlers, type ReadMethod } from './queries.ts';
import { QueryWorker } from './queryClient.ts';
import { previewRetention, type RetentionPreview } from './retention.ts';
import { SearchEngine } from './search.ts';
import { databaseStats, eventTotal } from './stats.ts';
import { WriterClient } from './writerClient.ts';
import type { WriterHolder } from './writerLock.ts';

export interface StoreOptions {
  /** The database file (created and migrated by the writer if needed). */
  readonly file: string;
  /** What this process is (`ingest`, `agent`, ...), recorded with the writer lock. */
  readonly command: string;
  /** How long a write waits while another process writes the database, in ms (then `writer_busy`). */
  readonly writerWaitMs: number;
  /** Aborting it is {@link Store.stop}. */
  readonly signal?: AbortSignal;
  /** Answer reads on the query worker instead of the calling thread (see ServiceOptions.queryWorker). */
  readonly queryWorker?: boolean;
  readonly searchLimits?: Partial<SearchLimits>;
  /** Tests only: see ServiceOptions.testGate. */
  readonly testGate?: SharedArrayBuffer;
  /** A fault hook: PRAGMA max_page_count on the writer connection (see ServiceOptions.maxDatabasePages). */
  readonly maxDatabasePages?: number;
  /** Another process holds the writer lock and a write of this one starts to wait for it. */
  readonly onWriterWaiting?: (holder: WriterHolder | null) => void;
}

export interface WriteOptions {
  /** How long a writer started now waits for another process's lock (default: the store's writerWaitMs). */
  readonly waitMs?: number;
  /** A write that does not wait says nothing about waiting (no `onWriterWaiting`). */
  readonly quiet?: boolean;
}

/** Runs with the writer: its client, and the signal that {@link Store.stop} aborts. */
export type WithWriter = <T>(
  run: (client: WriterClient, signal: AbortSignal) => Promise<T>,
  options?: WriteOptions,
) => Promise<T>;

export interface Store {
  readonly file: string;
  /**
   * The reading connection (query-only). For the store's own modules (the sync handlers read source
   * state through it); the service asks the methods below.
   */
  readonly db: Db;
  /** The file could not be opened for writing here: reads work, writes fail with `read_only`. */
  readonly readonly: boolean;
  /** Settles once the file is created or migrated and the reads are ready; rejects with what kept it. */
  readonly ready: Promise<void>;
  /**
   * Runs `run` with the writer thread (started if none runs, and closed when the last write ends, so the
   * writer lock is held only while this process writes).
   */
  readonly withWriter: WithWriter;
  /** A contract read, on the query worker when there is one. `supersede`: see CallOptions. */
  read<M extends ReadMethod>(
    method: M,
    input: MethodArgs<M>,
    call: { now: number; supersede?: string },
  ): Promise<MethodOutput<M>>;
  /** What deleting events before `before` would remove (on the query worker when there is one). */
  retentionPreview(before: number): Promise<RetentionPreview>;
  /** Events were deleted: forget cached raw blocks. */
  forgetDeleted(): Promise<void>;
  sourceId(name: string): number | undefined;
  sourceCount(): number;
  eventTotal(): number;
  /** The database's event id key (secret: never logged or sent elsewhere). */
  eventIdKey(): string;
  stats(): MethodOutput<'stats.get'>;
  savedSearches(): SavedSearch[];
  history(limit: number, text: string | null): HistoryEntry[];
  investigations(): InvestigationSummary[];
  investigation(name: string): InvestigationDetail;
  /** The investigations that pin an event, with their notes on it. */
  investigationsForEvent(id: string): EventCasework[];
  /**
   * Stops the writes in flight (their signal aborts; a write still waiting for another process's writer
   * gives up). Later writes start afresh.
   */
  stop(): void;
  /** Stops the writes in flight, lets them commit, and closes the database (idempotent). */
  close(): Promise<void>;
}

/** Opens the database; the writer thread starts with the first write. */
export function openStore(options: StoreOptions): Store {
  const { file } = options;
  // The reading connection never writes: every write goes through the writer thread. So it leaves
  // migrations to the writer and is made query-only below. A database that cannot be written here
  // (permissions, a read-only mount) still answers searches.
  const db = openDatabase(file, { cacheMiB: 64, migrate: false, readOnlyFallback: true, wal: false });
  let writer: Promise<WriterClient> | null = null;
  let writing = 0;
  let stopping = new AbortController();
  const stop = () => {
    stopping.abort();
    stopping = new AbortController();
  };
  options.signal?.addEventListener('abort', stop);
  if (options.signal?.aborted) stopping.abort();
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | null = null;

  const withWriter: WithWriter = (run, { waitMs = options.writerWaitMs, quiet = false } = {}) => {
    if (closing !== null) return Promise.reject(new Error('The service is closed.'));
    if (db.readonly) {
      return Promise.reject(
        new DatabaseReadOnlyError(file, { mode: 'write', why: notWritable(file) ?? undefined }),
      );
    }
    const signal = stopping.signal;
    writing++;
    const work = (async () => {
      try {
        writer ??= WriterClient.start(file, {
          command: options.command,
          waitMs,
          signal,
          maxPageCount: options.maxDatabasePages,
          onWait: (holder) => {
            if (!quiet) options.onWriterWaiting?.(holder);
          },
        });
        return await run(await writer, signal);
      } finally {
        if (--writing === 0 && writer !== null) {
          const ending = writer;
          writer = null;
          await ending.then(
            (client) => client.close(),
            () => undefined,
          );
        }
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  db.pragma('query_only = ON');
  // Reads run on the query worker or here; either way through the same handlers (queries.ts), on a
  // connection that cannot write, with the same search budgets.
  let queries: QueryWorker | null = null;
  let reads: ReadHandlers | null = null;
  let engine: SearchEngine | null = null;
  // A new file, or one from an older version: the writer creates or migrates it under the lock (which may
  // mean waiting for another process); the query worker opens it after that (it never migrates). Calls
  // wait for that; the store is returned at once, so that its caller can hear about the wait.
  const ready = (async () => {
    if (needsMigration(db)) await withWriter(async () => undefined);
    if (options.queryWorker) {
      queries = await QueryWorker.start(file, { limits: options.searchLimits, testGate: options.testGate });
    } else {
      engine = new SearchEngine(db, { limits: options.searchLimits });
      reads = readHandlers(engine);
    }
  })();
  ready.catch(() => undefined); // Reported by every call.

  return {
    file,
    db,
    get readonly() {
      return db.readonly;
    },
    ready,
    withWriter,
    read(method, input, { now, supersede }) {
      return queries !== null
        ? queries.call(method, input, now, supersede)
        : Promise.resolve(
            (reads![method] as (i: typeof input, c: ReadContext) => MethodOutput<typeof method>)(input, {
              now,
            }),
          );
    },
    retentionPreview: (before) =>
      queries ? queries.retentionPreview(before) : Promise.resolve(previewRetention(db, before)),
    async forgetDeleted() {
      engine?.raw.clear();
      await queries?.invalidate();
    },
    sourceId: (name) => findSource(db, name),
    sourceCount: () => countSources(db),
    eventTotal: () => eventTotal(db),
    eventIdKey: () => readEventIdKey(db),
    stats: () => databaseStats(db, file),
    savedSearches: () => listSavedSearches(db),
    history: (limit, text) => listHistory(db, limit, text),
    investigations: () => listInvestigations(db),
    investigation: (name) => getInvestigation(db, name),
    investigationsForEvent: (id) => investigationsForEvent(db, id),
    stop,
    close() {
      // Idempotent: a second close (shutdown paths race) waits for the first.
      closing ??= (async () => {
        stopping.abort();
        // Each write closes the writer (and lets go of the lock) when it ends.
        await Promise.allSettled([...inFlight]);
        options.signal?.removeEventListener('abort', stop);
        // The query worker starts once the file is migrated (ready); its connection closes before this one.
        await ready.catch(() => undefined);
        await queries?.close();
        // The last connection of this process: leave the file at rest in rollback mode (settleForRest).
        if (!db.readonly) db.pragma('query_only = OFF');
        settleForRest(db);
        db.close();
      })();
      return closing;
    },
  };
}
