import fs from 'node:fs';
import {
  contract,
  type AuditApi,
  type MethodArgs,
  type MethodName,
  type MethodOutput,
  type ServiceEvent,
} from '../../shared/contract.ts';
import { listFiles } from './ingest/files.ts';
import type { FormatConfig } from './ingest/formatConfig.ts';
import { runIngest } from './ingest/runIngest.ts';
import { projectPath } from './resources.ts';
import { WriterClient } from './ingest/writerClient.ts';
import { MIN_TIMED_KEY } from './store/eventKey.ts';
import { IMPORT_SOURCE, SAMPLE_SOURCE } from './store/objects.ts';
import { DatabaseReadOnlyError, storageFault } from './store/errors.ts';
import { notWritable, openDatabase, settleForRest, type Db } from './store/open.ts';
import { SCHEMA_VERSION } from './store/migrations/index.ts';
import { listQuarantine, quarantineTotals } from './store/quarantine.ts';
import { previewRetention, retentionHorizon } from './store/retention.ts';
import { SearchEngine } from './store/search.ts';

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
   * A fault hook: caps the database at this many pages on the writer connection (PRAGMA max_page_count),
   * so tests can fill the "disk" without filling a disk.
   */
  readonly maxDatabasePages?: number;
}

/** The engine behind every door: implements the contract, owns the database and the writer thread. */
export interface AuditService extends AuditApi {
  readonly dbFile: string;
  /** Listens to the engine's events (ingest progress); returns the way to stop. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
  /** Finishes writes in flight, checkpoints and closes the database. */
  close(): Promise<void>;
}

/** The bundled sample corpus (shown on a database that has nothing else). */
export const SAMPLE_CORPUS_DIR = projectPath('samples', 'corpus');

type Handlers = { [M in MethodName]: (input: MethodArgs<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

/** Opens the database and returns the service; the writer thread starts with the first write. */
export async function createService(options: ServiceOptions): Promise<AuditService> {
  const now = options.now ?? Date.now;
  // A database that cannot be written here (permissions, a read-only mount) still answers searches.
  const db = openDatabase(options.dbFile, { cacheMiB: 64, readOnlyFallback: true, wal: false });
  const engine = new SearchEngine(db);
  let writer: Promise<WriterClient> | null = null;
  let closing: Promise<void> | null = null;
  const writerClient = () => {
    if (db.readonly) {
      return Promise.reject(
        new DatabaseReadOnlyError(options.dbFile, {
          mode: 'write',
          why: notWritable(options.dbFile) ?? undefined,
        }),
      );
    }
    return (writer ??= WriterClient.start(options.dbFile, { maxPageCount: options.maxDatabasePages }));
  };
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of listeners) listener(event);
  };
  const sourceId = (name: string) =>
    db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name) as number | undefined;

  const ingest = async (paths: readonly string[], source: string, redact: boolean, formats: FormatConfig) => {
    const client = await writerClient();
    const id = await client.call('ensureSource', { name: source, kind: 'import' });
    const summary = await runIngest(
      client,
      { sourceId: id, target: { kind: 'files', paths }, formats, redact },
      (progress) => emit({ name: 'ingest.progress', payload: progress }),
      { onThisThread: options.ingestOnCallingThread ?? false },
    );
    const indexed = performance.now();
    await client.call('maintain', { budgetMs: options.mergeBudgetMs ?? 60_000 });
    return { ...summary, indexMs: performance.now() - indexed };
  };

  const handlers: Handlers = {
    'events.search': (input) => engine.search({ ...input, now: now() }),
    'events.count': ({ query }) => ({ total: engine.count(query, now()) }),
    'events.facet': ({ query, field, limit }) => {
      const result = engine.search({
        query,
        limit: 0,
        facets: [field],
        facetLimit: limit,
        histogram: false,
        now: now(),
      });
      return { ...result.facets[field]!, total: result.total };
    },
    'ingest.paths': async ({ paths, source, redact, format, mappings }) => {
      // The sample corpus is there to show the product on an empty database; the first real import
      // replaces it, so the user's counts are their own. It goes before the import (once the paths are
      // known to hold files): an identical line is stored once, under whichever object brought it first, so
      // removing the samples afterwards could take the user's own events with them.
      let sampleEventsRemoved = 0;
      const sample = sourceId(SAMPLE_SOURCE);
      const sources = db.prepare('SELECT count(*) FROM sources').pluck().get() as number;
      if (
        sample !== undefined &&
        sources === 1 &&
        source !== SAMPLE_SOURCE &&
        listFiles(paths).files.length > 0
      ) {
        sampleEventsRemoved = await (await writerClient()).call('deleteSource', { sourceId: sample });
      }
      const summary = await ingest(paths, source || IMPORT_SOURCE, redact, {
        pinned: format,
        generic: mappings,
      });
      return { ...summary, sampleEventsRemoved };
    },
    'samples.load': async () => {
      if (sourceId(SAMPLE_SOURCE) !== undefined) {
        return { events: engine.count(`source:${SAMPLE_SOURCE}`, now()), alreadyLoaded: true };
      }
      const summary = await ingest([SAMPLE_CORPUS_DIR], SAMPLE_SOURCE, true, {});
      return { events: summary.events, alreadyLoaded: false };
    },
    'quarantine.list': ({ limit }) => listQuarantine(db, limit),
    'stats.get': () => stats(db, options.dbFile),
    'retention.run': async ({ olderThanMs, before, dryRun }) => {
      const cutoff = before ?? now() - olderThanMs!;
      const preview = previewRetention(db, cutoff);
      if (dryRun) return { ...preview, before: cutoff, blocks: 0, dryRun };
      const client = await writerClient();
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
      engine.raw.clear();
      return { events, perSource: preview.perSource, before: cutoff, blocks, dryRun };
    },
  };

  const api = {} as AuditApi;
  for (const method of Object.keys(contract) as MethodName[]) {
    const schema = contract[method].input;
    (api as Record<string, unknown>)[method] = async (input: unknown) => {
      const args = schema.parse(input ?? {});
      try {
        return await (handlers[method] as (a: unknown) => unknown)(args);
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
    close() {
      // Idempotent: a second close (shutdown paths race) waits for the first.
      closing ??= (async () => {
        // A writer that never started (its error was already reported) has nothing to close.
        if (writer !== null)
          await writer.then(
            (w) => w.close(),
            () => undefined,
          );
        settleForRest(db);
        db.close();
      })();
      return closing;
    },
  });
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
    events: one('SELECT coalesce(sum(n), 0) FROM segments') ?? 0,
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
