import fs from 'node:fs';
import {
  contract,
  type AuditApi,
  type MethodArgs,
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
import { WriterClient, WriterError } from './ingest/writerClient.ts';
import { headlessSecretStore } from './sources/secrets/fileSecretStore.ts';
import type { SecretStore } from './sources/secrets/secretStore.ts';
import {
  ConflictError,
  getInvestigation,
  listHistory,
  listInvestigations,
  listSavedSearches,
  NotFoundError,
} from './store/casework.ts';
import { MIN_TIMED_KEY } from './store/eventKey.ts';
import { IMPORT_SOURCE, SAMPLE_SOURCE } from './store/objects.ts';
import { openDatabase, type Db } from './store/open.ts';
import { SCHEMA_VERSION } from './store/migrations/index.ts';
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
   * Where the installation's secrets live (the bundle signing key among them); default: the encrypted file
   * next to the database (headless mode).
   */
  readonly secrets?: SecretStore;
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
  const db = openDatabase(options.dbFile, { cacheMiB: 64 });
  const engine = new SearchEngine(db);
  let writer: Promise<WriterClient> | null = null;
  let closing: Promise<void> | null = null;
  const writerClient = () => (writer ??= WriterClient.start(options.dbFile));
  const secrets = options.secrets ?? headlessSecretStore(options.dbFile);
  /** A writer call whose domain errors come back as their own classes (they crossed a thread as data). */
  const write = async <M extends Parameters<WriterClient['call']>[0]>(
    method: M,
    args: Parameters<WriterClient['call']>[1] & object,
  ) => {
    try {
      return await (await writerClient()).call(method, args as never);
    } catch (error) {
      if (error instanceof WriterError && error.name === 'NotFoundError')
        throw new NotFoundError(error.message);
      if (error instanceof WriterError && error.name === 'ConflictError')
        throw new ConflictError(error.message);
      throw error;
    }
  };
  const record = async (query: string, total: number) => {
    await write('historyRecord', { query, total, at: now() });
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
    'events.search': async ({ record: recorded, ...input }) => {
      const result = engine.search({ ...input, now: now() });
      if (recorded) await record(input.query, result.total);
      return result;
    },
    'events.count': async ({ query, record: recorded }) => {
      const total = engine.count(query, now());
      if (recorded) await record(query, total);
      return { total };
    },
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
      // replaces it, so the user's counts are their own. It goes before the import (after the paths are
      // known to exist): an identical line is stored once, under whichever object brought it first, so
      // removing the samples afterwards could take the user's own events with them.
      let sampleEventsRemoved = 0;
      const sample = sourceId(SAMPLE_SOURCE);
      const sources = db.prepare('SELECT count(*) FROM sources').pluck().get() as number;
      if (sample !== undefined && sources === 1 && source !== SAMPLE_SOURCE) {
        listFiles(paths);
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
      return { events, perSource: preview.perSource, held: preview.held, before: cutoff, blocks, dryRun };
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
    'investigations.get': ({ name }) => {
      const detail = getInvestigation(db, name);
      const events = engine.events(
        detail.pins.map((p) => p.pos),
        true,
      );
      const byId = new Map(events.map((e) => [e.id, e]));
      return {
        ...detail,
        pins: detail.pins.map((p) => ({
          eventId: p.eventId,
          pinnedAt: p.pinnedAt,
          event: byId.get(p.eventId) ?? null,
        })),
      };
    },
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
          options: { dbFile: options.dbFile, out, query, investigation, now: at, bom, htmlRows, tool: TOOL },
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

  const api = {} as AuditApi;
  for (const method of Object.keys(contract) as MethodName[]) {
    const schema = contract[method].input;
    (api as Record<string, unknown>)[method] = async (input: unknown) => {
      const args = schema.parse(input ?? {});
      return (handlers[method] as (a: unknown) => unknown)(args);
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
        if (writer !== null) await (await writer).close();
        db.close();
      })();
      return closing;
    },
  });
}

function listQuarantine(db: Db, limit: number): MethodOutput<'quarantine.list'> {
  const entries = db
    .prepare(
      `SELECT s.name AS source, o.key AS object, q.line, q.reason, q.excerpt, q.at
       FROM quarantine q JOIN objects o ON o.id = q.object_id JOIN sources s ON s.id = o.source_id
       ORDER BY s.name, o.key, q.line LIMIT ?`,
    )
    .all(limit) as MethodOutput<'quarantine.list'>['entries'];
  const total = db.prepare('SELECT count(*) FROM quarantine').pluck().get() as number;
  return { total, entries };
}

function stats(db: Db, file: string): MethodOutput<'stats.get'> {
  const one = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number | null;
  const firstKey = one('SELECT min(pos) FROM events WHERE pos >= ?', MIN_TIMED_KEY);
  const lastKey = one('SELECT max(pos) FROM events WHERE pos >= ?', MIN_TIMED_KEY);
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
    quarantined: one('SELECT count(*) FROM quarantine') ?? 0,
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
