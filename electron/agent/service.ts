import fs from 'node:fs';
import {
  contract,
  type MethodArgs,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type ServiceEvent,
} from '../../shared/contract.ts';
import crypto from 'node:crypto';
import { checkExportTarget } from './export/exporter.ts';
import { exportOnThread } from './export/exportThread.ts';
import { signingKey } from './export/signingKey.ts';
import { parseQuery } from '../../shared/query/index.ts';
import { listFiles } from './ingest/files.ts';
import type { FormatConfig } from './ingest/formatConfig.ts';
import { runIngest } from './ingest/runIngest.ts';
import { projectPath } from './resources.ts';
import { WriterClient } from './ingest/writerClient.ts';
import type { WriterMethod, WriterMethods } from './ingest/writerProtocol.ts';
import { describeError } from './errors.ts';
import { headlessSecretStore } from './sources/secrets/fileSecretStore.ts';
import type { SecretStore } from './sources/secrets/secretStore.ts';
import { getInvestigation, listHistory, listInvestigations, listSavedSearches } from './store/casework.ts';
import { readEventIdKey } from './store/eventId.ts';
import { MIN_TIMED_KEY } from './store/eventKey.ts';
import { IMPORT_SOURCE, SAMPLE_SOURCE } from './store/objects.ts';
import { DatabaseReadOnlyError, storageFault } from './store/errors.ts';
import { needsMigration, notWritable, openDatabase, settleForRest, type Db } from './store/open.ts';
import { SCHEMA_VERSION } from './store/migrations/index.ts';
import { quarantineTotals } from './store/quarantine.ts';
import { previewRetention, retentionHorizon } from './store/retention.ts';
import { readHandlers, type ReadContext, type ReadHandlers, type ReadMethod } from './store/queries.ts';
import { QueryWorker } from './store/queryClient.ts';
import type { SearchLimits } from './store/budget.ts';
import { SearchEngine } from './store/search.ts';
import { createSyncHandlers, type SyncSettings } from './sync/syncService.ts';
import type { SyncPassResult } from './sync/syncSource.ts';
import type { SyncTrigger } from './store/syncRuns.ts';

export interface ServiceOptions {
  /** The database file (created and migrated if needed). */
  readonly dbFile: string;
  /** The clock, in epoch ms (tests pin it). */
  readonly now?: () => number;
  /** Time allowed after an ingest run to merge the full-text index (ms); the rest is merged later. */
  readonly mergeBudgetMs?: number;
  /**
   * Parse imports on the calling thread instead of a worker: for a process that does nothing else while
   * it imports (the CLI). A service that answers queries meanwhile must leave this off.
   */
  readonly ingestOnCallingThread?: boolean;
  /**
   * What this process is (`ingest`, `gc`, `agent`, ...): recorded with the writer lock, so that another
   * process waiting to write can say whom it waits for.
   */
  readonly command?: string;
  /**
   * How long a write (an import, retention) waits while another process writes the database, in ms; then
   * it fails with a `writer_busy` error having written nothing. Default {@link DEFAULT_WRITER_WAIT_MS}.
   */
  readonly writerWaitMs?: number;
  /** Aborting it is {@link AuditService.stop}, also while the service is being created (it may wait to migrate). */
  readonly signal?: AbortSignal;
  /**
   * What one search may cost (time in ms, memory in MiB) before it stops with a `query_too_costly` error
   * that says what to narrow; default DEFAULT_SEARCH_LIMITS (5 s, 256 MiB).
   */
  readonly searchLimits?: Partial<SearchLimits>;
  /**
   * A fault hook: caps the database at this many pages on the writer connection (PRAGMA max_page_count),
   * so tests can fill the "disk" without filling a disk.
   */
  readonly maxDatabasePages?: number;
  /**
   * Answer reads (search, count, facets, values, events) on the query worker instead of the calling
   * thread, so a long search never holds up other calls. Every service that serves requests concurrently
   * (`serve`, the desktop app) turns this on; a one-shot CLI command leaves it off (one thread less).
   */
  readonly queryWorker?: boolean;
  /**
   * Tests only: the query worker pauses at the start of every read until `Int32Array(gate)[0]` is
   * non-zero, counts arrivals there in `[1]` and calls posted to it in `[2]` (so a test can hold a search
   * "running" and know what reached the worker, without timing anything).
   */
  readonly testGate?: SharedArrayBuffer;
  /**
   * Where the installation's secrets live: source credentials (the database keeps references only) and
   * the bundle signing key. Electron safeStorage in the app, memory in tests; default: the encrypted file
   * next to the database (headless mode).
   */
  readonly secrets?: SecretStore;
  /** How sync passes run (settle time, paging, concurrency, backoff, SDK retries). */
  readonly sync?: SyncSettings;
}

/** The tool named in evidence manifests. */
const TOOL = { name: 'audit-explorer', version: readVersion() };

function readVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Ten minutes: long enough for another import of a few million events (or a sync pass) to finish, short
 * enough that a scheduled command does not hang unnoticed for hours.
 */
export const DEFAULT_WRITER_WAIT_MS = 600_000;

/** Per-call options a door passes besides the input. */
export interface CallOptions {
  /**
   * A key naming the caller (a browser tab): a read made with a key cancels the previous call of the same
   * method made with the same key if it is still running (it rejects with code `cancelled`). Only the
   * query worker honours it.
   */
  readonly supersede?: string;
}

/** The API with per-call options; still assignable to {@link AuditApi}. */
export type ServiceApi = {
  [M in MethodName]: (input: MethodInput<M>, call?: CallOptions) => Promise<MethodOutput<M>>;
};

/**
 * The engine behind every door: implements the contract, owns the database, the writer thread and (with
 * `queryWorker`) the query worker. In process it is itself an {@link AuditClient}, like every transport.
 */
export interface AuditService extends ServiceApi {
  readonly dbFile: string;
  /** Listens to the engine's events (ingest progress, waiting for another writer); returns the way to stop. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
  /**
   * Stops the writes in flight: an import stops after the line in hand, commits what it read and resolves
   * with `stopped: true`; a write still waiting for another process's writer gives up (`stopped` error).
   * Later calls start afresh.
   */
  stop(): void;
  /** Stops the writes in flight (see {@link stop}), lets them commit, and closes the database. */
  close(): Promise<void>;
  /**
   * One sync pass of the named source (the scheduler's entry; `sync.run` is the API's). A pass of the
   * same source already running in this process is joined, not doubled.
   */
  syncSource(name: string, trigger: SyncTrigger, signal?: AbortSignal): Promise<SyncPassResult>;
  /** The scheduler running in this process tells the service its next run times (for `sources.list`). */
  setNextRuns(nextRuns: (() => Map<string, number | null>) | null): void;
}

/** The least time between two `events.changed` during one import (ms). */
const CHANGED_EVERY_MS = 1000;

/** The bundled sample corpus (shown on a database that has nothing else). */
export const SAMPLE_CORPUS_DIR = projectPath('samples', 'corpus');

type Handlers = {
  [M in MethodName]: (input: MethodArgs<M>, call: CallOptions) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

/** Opens the database and returns the service; the writer thread starts with the first write. */
export async function createService(options: ServiceOptions): Promise<AuditService> {
  const now = options.now ?? Date.now;
  // The reading connection never writes: every write goes through the writer thread, which holds the
  // database's writer lock across processes (store/writerLock.ts). So it leaves migrations to the writer
  // and is made query-only below. A database that cannot be written here (permissions, a read-only
  // mount) still answers searches.
  const db = openDatabase(options.dbFile, {
    cacheMiB: 64,
    migrate: false,
    readOnlyFallback: true,
    wal: false,
  });
  const secrets = options.secrets ?? headlessSecretStore(options.dbFile);
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of listeners) listener(event);
  };
  // The writer thread lives while writes are in flight and closes when the last one ends, so the writer
  // lock is held only while this process writes: a long-running agent and a CLI import take turns.
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
  /**
   * Runs `run` with the writer (started if none runs, and closed when the last write ends). `waitMs`: how
   * long a writer started now waits for another process's lock (default: the service's writerWaitMs);
   * `quiet`: a write that does not wait says nothing about waiting (no `writer.waiting`).
   */
  const withWriter = <T>(
    run: (client: WriterClient, signal: AbortSignal) => Promise<T>,
    {
      waitMs = options.writerWaitMs ?? DEFAULT_WRITER_WAIT_MS,
      quiet = false,
    }: { waitMs?: number; quiet?: boolean } = {},
  ): Promise<T> => {
    if (closing !== null) return Promise.reject(new Error('The service is closed.'));
    if (db.readonly) {
      return Promise.reject(
        new DatabaseReadOnlyError(options.dbFile, {
          mode: 'write',
          why: notWritable(options.dbFile) ?? undefined,
        }),
      );
    }
    const signal = stopping.signal;
    writing++;
    const work = (async () => {
      try {
        writer ??= WriterClient.start(options.dbFile, {
          command: options.command ?? 'agent',
          waitMs,
          signal,
          maxPageCount: options.maxDatabasePages,
          onWait: (holder) => {
            if (quiet) return;
            emit({
              name: 'writer.waiting',
              payload: {
                pid: holder?.pid ?? null,
                command: holder?.command ?? null,
                since: holder?.since ?? null,
              },
            });
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
  // Reads run on the query worker or here; either way through the same handlers (store/queries.ts), on a
  // connection that cannot write, with the same search budgets.
  let queries: QueryWorker | null = null;
  let reads: ReadHandlers | null = null;
  let engine: SearchEngine | null = null;
  // A new file, or one from an older version: the writer creates or migrates it under the lock (which may
  // mean waiting for another process); the query worker opens it after that (it never migrates). Calls
  // wait for that; the service is returned at once, so that its caller can subscribe to hear about the wait.
  const ready = (async () => {
    if (needsMigration(db)) await withWriter(async () => undefined);
    if (options.queryWorker) {
      queries = await QueryWorker.start(options.dbFile, {
        limits: options.searchLimits,
        testGate: options.testGate,
      });
    } else {
      engine = new SearchEngine(db, { limits: options.searchLimits });
      reads = readHandlers(engine);
    }
  })();
  ready.catch(() => undefined); // Reported by every call.
  const read = <M extends ReadMethod>(method: M, input: MethodArgs<M>, call: CallOptions = {}) =>
    queries !== null
      ? queries.call(method, input, now(), call.supersede)
      : Promise.resolve(
          (reads![method] as (i: MethodArgs<M>, c: ReadContext) => MethodOutput<M>)(input, { now: now() }),
        );
  const count = async (query: string) => (await read('events.count', { query, record: false })).total;
  const sourceId = (name: string) =>
    db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name) as number | undefined;

  // Runs inside withWriter: another process may have written since this one last looked, and no other
  // can write now, so what is read here is current.
  const ingest = async (
    client: WriterClient,
    signal: AbortSignal,
    paths: readonly string[],
    source: string,
    redact: boolean,
    formats: FormatConfig,
  ) => {
    const id = await client.call('ensureSource', { name: source, kind: 'import' });
    // Progress is reported as batches commit: a long import tells the UI about new events as it goes
    // (at most once per CHANGED_EVERY_MS), not only at its end.
    let announced = 0;
    let announcedAt = -Infinity;
    const summary = await runIngest(
      client,
      { sourceId: id, target: { kind: 'files', paths }, formats, redact, idKey: readEventIdKey(db) },
      (progress) => {
        emit({ name: 'ingest.progress', payload: { ...progress, source, run: null } });
        if (progress.events > announced && performance.now() - announcedAt >= CHANGED_EVERY_MS) {
          changed(progress.events - announced);
          announced = progress.events;
          announcedAt = performance.now();
        }
      },
      { onThisThread: options.ingestOnCallingThread ?? false, signal },
    );
    if (summary.events > announced) changed(summary.events - announced);
    const indexed = performance.now();
    await mergeFullText(client, signal);
    return { ...summary, indexMs: performance.now() - indexed };
  };
  /** Merges the full-text index's segments after a run that added events (an import, a sync pass). */
  const mergeFullText = async (client: WriterClient, signal: AbortSignal) => {
    // In steps of at most a second, so that a stop does not wait for the whole budget.
    const deadline = performance.now() + (options.mergeBudgetMs ?? 60_000);
    while (!signal.aborted) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      const { merged } = await client.call('maintain', { budgetMs: Math.min(left, 1000) });
      if (merged) break;
    }
  };
  /** A casework write (saved searches, history, investigations): on the writer, like every write. */
  const write = <M extends WriterMethod>(
    method: M,
    args: WriterMethods[M][0],
  ): Promise<WriterMethods[M][1]> => withWriter((client) => client.call(method, args));
  /**
   * Records a query the user ran in the history. Best effort: a search still answers on a read-only
   * database, or while another process writes, and never waits for the writer lock (the history is a
   * convenience; the answer is what was asked for).
   */
  const recordHistory = async (query: string, total: number) => {
    if (db.readonly) return;
    try {
      await withWriter((client) => client.call('historyRecord', { query, total, at: now() }), {
        waitMs: 0,
        quiet: true,
      });
    } catch (error) {
      const { code } = describeError(storageFault(error, options.dbFile));
      if (code === 'writer_busy' || code === 'read_only' || code === 'stopped') return;
      throw error;
    }
  };
  /** Tells listeners that committed writes changed the events (the UI offers a refresh). */
  const changed = (added: number) =>
    emit({ name: 'events.changed', payload: { total: eventTotal(db), added } });

  let nextRuns: (() => Map<string, number | null>) | null = null;
  const sync = createSyncHandlers({
    db,
    secrets,
    now,
    settings: options.sync ?? {},
    withWriter,
    emit,
    mergeFullText,
    changed: (added) => changed(added),
    nextRuns: () => nextRuns?.() ?? null,
  });
  const { syncOne, ...syncHandlers } = sync;

  const handlers: Handlers = {
    ...syncHandlers,
    'events.search': async (input, call) => {
      const result = await read('events.search', input, call);
      if (input.record) await recordHistory(input.query, result.total);
      return result;
    },
    'events.count': async (input, call) => {
      const result = await read('events.count', input, call);
      if (input.record) await recordHistory(input.query, result.total);
      return result;
    },
    'events.facet': (input, call) => read('events.facet', input, call),
    'events.get': (input, call) => read('events.get', input, call),
    'events.surrounding': (input, call) => read('events.surrounding', input, call),
    'values.list': (input, call) => read('values.list', input, call),
    'ingest.paths': async ({ paths, source, redact, format, mappings }) => {
      // Paths are listed before waiting for the writer (a missing one is reported with the run's errors).
      const listed = listFiles(paths);
      return withWriter(async (client, signal) => {
        // The sample corpus is there to show the product on an empty database; the first real import
        // replaces it, so the user's counts are their own. It goes before the import (once the paths are
        // known to hold files): an identical line is stored once, under whichever object brought it first,
        // so removing the samples afterwards could take the user's own events with them.
        let sampleEventsRemoved = 0;
        const sample = sourceId(SAMPLE_SOURCE);
        const sources = db.prepare('SELECT count(*) FROM sources').pluck().get() as number;
        if (sample !== undefined && sources === 1 && source !== SAMPLE_SOURCE && listed.files.length > 0) {
          sampleEventsRemoved = await client.call('deleteSource', { sourceId: sample });
          if (sampleEventsRemoved > 0) changed(0);
        }
        const summary = await ingest(client, signal, paths, source || IMPORT_SOURCE, redact, {
          pinned: format,
          generic: mappings,
        });
        return { ...summary, sampleEventsRemoved };
      });
    },
    'samples.load': async () => {
      const loaded = async () =>
        sourceId(SAMPLE_SOURCE) !== undefined
          ? { events: await count(`source:${SAMPLE_SOURCE}`), alreadyLoaded: true }
          : null;
      return (
        (await loaded()) ??
        withWriter(async (client, signal) => {
          // Another process may have loaded them while this one waited for the writer.
          const already = await loaded();
          if (already !== null) return already;
          const summary = await ingest(client, signal, [SAMPLE_CORPUS_DIR], SAMPLE_SOURCE, true, {});
          return { events: summary.events, alreadyLoaded: false };
        })
      );
    },
    'quarantine.list': (input, call) => read('quarantine.list', input, call),
    'stats.get': () => stats(db, options.dbFile),
    'retention.run': async ({ olderThanMs, before, dryRun }) => {
      const cutoff = before ?? now() - olderThanMs!;
      // Counting what goes can read millions of rows: on the query worker when there is one.
      const preview = () => (queries ? queries.retentionPreview(cutoff) : previewRetention(db, cutoff));
      if (dryRun) return { ...(await preview()), before: cutoff, blocks: 0, dryRun };
      return withWriter(async (client) => {
        // Counted again under the writer lock: another process may have written since.
        const { perSource, held } = await preview();
        const horizon = await client.call('retentionBegin', { before: cutoff });
        let events = 0;
        let blocks = 0;
        for (;;) {
          const chunk = await client.call('retentionChunk', { horizon });
          if (chunk.events === 0) break;
          events += chunk.events;
          blocks += chunk.blocks;
        }
        await client.call('retentionFinish', { horizon });
        engine?.raw.clear();
        await queries?.invalidate();
        if (events > 0) changed(0);
        return { events, perSource, held, before: cutoff, blocks, dryRun };
      });
    },
    'saved.list': () => ({ searches: listSavedSearches(db) }),
    'saved.add': (input) => write('savedAdd', { ...input, now: now() }),
    'saved.rename': ({ name, newName }) => write('savedRename', { name, newName, now: now() }),
    'saved.remove': async ({ name }) => {
      await write('savedRemove', { name });
      return { removed: name };
    },
    'history.list': ({ limit, text }) => ({ entries: listHistory(db, limit, text) }),
    'investigations.create': (input) => write('investigationCreate', { ...input, now: now() }),
    'investigations.list': () => ({ investigations: listInvestigations(db) }),
    // Its pinned events with their raw lines: a read like a search's page (on the query worker if any).
    'investigations.get': (input, call) => read('investigations.get', input, call),
    'investigations.addSearches': ({ name, searches }) =>
      write('investigationAddSearches', { name, searches }),
    'investigations.pin': async ({ name, eventIds }) => {
      const pinned = await write('investigationPin', { name, ids: eventIds, now: now() });
      return { pinned, total: getInvestigation(db, name).pinned };
    },
    'investigations.unpin': async ({ name, eventIds }) => {
      const unpinned = await write('investigationUnpin', { name, ids: eventIds });
      return { unpinned, total: getInvestigation(db, name).pinned };
    },
    'investigations.note': async ({ name, body, eventId }) => {
      await write('investigationNote', { name, body, eventId, now: now() });
      return listInvestigations(db).find((c) => c.name.toLowerCase() === name.toLowerCase())!;
    },
    'investigations.close': ({ name }) => write('investigationClose', { name, now: now() }),
    'export.run': async ({ query, investigation, out, bom, pseudonymize, htmlRows }) => {
      // The user's mistakes are found here, so they come back as their own errors (the query's column,
      // the unknown case, the taken target); the export itself runs on a thread of its own.
      const at = now();
      // Parsed, not run: running it would load the column segments on this thread too (the export's
      // thread loads its own); what only planning finds comes back from the thread as a bad query.
      if (investigation === null) parseQuery(query);
      else getInvestigation(db, investigation);
      checkExportTarget(out);
      const key = await signingKey(secrets);
      return exportOnThread(
        {
          options: {
            dbFile: options.dbFile,
            out,
            query,
            investigation,
            now: at,
            bom,
            htmlRows,
            tool: TOOL,
            // The query is planned like a search's, within the same limits.
            ...(options.searchLimits ? { searchLimits: options.searchLimits } : {}),
          },
          privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          // Without a key of the user's, a random one: its pseudonyms link nothing outside this export.
          pseudonymKeyHex:
            pseudonymize === null ? null : (pseudonymize.key ?? crypto.randomBytes(32).toString('hex')),
        },
        (payload) => emit({ name: 'export.progress', payload }),
      );
    },
    'keys.show': async () => {
      const key = await signingKey(secrets);
      return { publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
    },
  };

  const api = {} as ServiceApi;
  for (const method of Object.keys(contract) as MethodName[]) {
    const schema = contract[method].input;
    (api as Record<string, unknown>)[method] = async (input: unknown, call: CallOptions = {}) => {
      const args = schema.parse(input ?? {});
      try {
        await ready;
        return await (handlers[method] as (a: unknown, c: CallOptions) => unknown)(args, call);
      } catch (error) {
        // A corrupt page met by a query, a full disk: the error that says what to do, not SQLite's text.
        throw storageFault(error, options.dbFile);
      }
    };
  }

  return Object.assign(api, {
    dbFile: options.dbFile,
    subscribe(listener: (event: ServiceEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop,
    async syncSource(name: string, trigger: SyncTrigger, signal?: AbortSignal) {
      await ready;
      return syncOne(name, trigger, signal);
    },
    setNextRuns(fn: (() => Map<string, number | null>) | null) {
      nextRuns = fn;
    },
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
  });
}

/**
 * What `start` and `serve` do on an empty database (no events, no sources): load the bundled sample
 * corpus, so the product shows something. Returns the events loaded, or null when it was not empty.
 */
export async function loadSamplesIfEmpty(service: AuditService): Promise<number | null> {
  const stats = await service['stats.get']({});
  if (stats.events !== 0 || stats.sources !== 0) return null;
  return (await service['samples.load']({})).events;
}

/** Events the database holds (the segments' row counts: one cheap query). */
function eventTotal(db: Db): number {
  return db.prepare('SELECT coalesce(sum(n), 0) FROM segments').pluck().get() as number;
}

function stats(db: Db, file: string): MethodOutput<'stats.get'> {
  const one = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number | null;
  const firstKey = one('SELECT min(pos) FROM events WHERE pos >= ?', MIN_TIMED_KEY);
  const lastKey = one('SELECT max(pos) FROM events WHERE pos >= ?', MIN_TIMED_KEY);
  const quarantine = quarantineTotals(db);
  let dbBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      dbBytes += fs.statSync(file + suffix).size;
    } catch {
      // No WAL file right now.
    }
  }
  return {
    file,
    events: eventTotal(db),
    sources: one('SELECT count(*) FROM sources') ?? 0,
    objects: one('SELECT count(*) FROM objects') ?? 0,
    objectErrors: one("SELECT count(*) FROM objects WHERE status = 'error'") ?? 0,
    quarantined: quarantine.total,
    quarantineExcerpts: quarantine.withExcerpts,
    duplicates: one('SELECT coalesce(sum(duplicates), 0) FROM objects') ?? 0,
    rawBytes: one('SELECT coalesce(sum(size), 0) FROM objects') ?? 0,
    dbBytes,
    first: firstKey === null ? null : one('SELECT ts FROM events WHERE pos = ?', firstKey),
    last: lastKey === null ? null : one('SELECT ts FROM events WHERE pos = ?', lastKey),
    untimed: one('SELECT count(*) FROM events WHERE pos < ?', MIN_TIMED_KEY) ?? 0,
    schemaVersion: SCHEMA_VERSION,
    retentionHorizon: retentionHorizon(db),
  };
}
