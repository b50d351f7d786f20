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
import { checkExportTarget, type ExportProgress } from './export/exporter.ts';
import { exportOnThread } from './export/exportThread.ts';
import {
  ExportsFolder,
  exportsDirFor,
  NotOnThisDoorError,
  sha256File,
  slugSource,
  type OpenedDownload,
} from './export/exportsFolder.ts';
import { CSV_FILE, HTML_FILE, NDJSON_FILE } from './export/manifest.ts';
import path from 'node:path';
import { signingKey } from './export/signingKey.ts';
import { parseQuery } from '../../shared/query/index.ts';
import { listFiles } from './ingest/files.ts';
import type { FormatConfig } from './ingest/formatConfig.ts';
import { runIngest } from './ingest/runIngest.ts';
import { projectPath } from './resources.ts';
import { describeError } from './errors.ts';
import { headlessSecretStore } from './sources/secrets/fileSecretStore.ts';
import type { SecretStore } from './sources/secrets/secretStore.ts';
import { ConflictError } from './store/casework.ts';
import { IMPORT_SOURCE, SAMPLE_SOURCE } from './store/objects.ts';
import { storageFault } from './store/errors.ts';
import type { ReadMethod } from './store/queries.ts';
import type { SearchLimits } from './store/budget.ts';
import { openStore } from './store/store.ts';
import type { WriterClient } from './store/writerClient.ts';
import type { WriterMethod, WriterMethods } from './store/writerProtocol.ts';
import { createSyncHandlers, type SyncSettings } from './sync/syncService.ts';
import type { SyncPassResult } from './sync/syncSource.ts';
import { agentTimeZone, cronProblem, isTimeZone, nextRuns as cronNextRuns } from './sync/cronTimes.ts';
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
  /** Where `exports.create` writes; default `exports/` beside the database (exportsDirFor). */
  readonly exportsDir?: string;
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
  /** The folder `exports.create` writes to. */
  readonly exportsDir: string;
  /**
   * Uses up a one-time download ticket from `exports.download` and opens its file (the caller streams
   * it and closes the handle); null for an unknown, used or expired ticket.
   */
  openDownload(id: string): Promise<OpenedDownload | null>;
}

/** exports.create calls that may run at once. */
const MAX_EXPORTS = 2;

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
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of listeners) listener(event);
  };
  const store = openStore({
    file: options.dbFile,
    command: options.command ?? 'agent',
    writerWaitMs: options.writerWaitMs ?? DEFAULT_WRITER_WAIT_MS,
    signal: options.signal,
    queryWorker: options.queryWorker,
    searchLimits: options.searchLimits,
    testGate: options.testGate,
    maxDatabasePages: options.maxDatabasePages,
    onWriterWaiting: (holder) =>
      emit({
        name: 'writer.waiting',
        payload: { pid: holder?.pid ?? null, command: holder?.command ?? null, since: holder?.since ?? null },
      }),
  });
  const { withWriter } = store;
  const secrets = options.secrets ?? headlessSecretStore(options.dbFile);
  const read = <M extends ReadMethod>(method: M, input: MethodArgs<M>, call: CallOptions = {}) =>
    store.read(method, input, { now: now(), supersede: call.supersede });
  const count = async (query: string) => (await read('events.count', { query, record: false })).total;

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
      { sourceId: id, target: { kind: 'files', paths }, formats, redact, idKey: store.eventIdKey() },
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
  const recordHistory = async (query: string, total: number | null): Promise<boolean> => {
    if (store.readonly) return false;
    try {
      await withWriter((client) => client.call('historyRecord', { query, total, at: now() }), {
        waitMs: 0,
        quiet: true,
      });
      return true;
    } catch (error) {
      const { code } = describeError(storageFault(error, options.dbFile));
      if (code === 'writer_busy' || code === 'read_only' || code === 'stopped') return false;
      throw error;
    }
  };
  /** Tells listeners that committed writes changed the events (the UI offers a refresh). */
  const changed = (added: number) =>
    emit({ name: 'events.changed', payload: { total: store.eventTotal(), added } });

  let nextRuns: (() => Map<string, number | null>) | null = null;
  const sync = createSyncHandlers({
    db: store.db,
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

  const exportsFolder = new ExportsFolder(options.exportsDir ?? exportsDirFor(options.dbFile));
  /** exports.create calls running, by job: exports.cancel aborts one. */
  const jobs = new Map<string, AbortController>();
  /** Every exports.create running (with or without a job): closing the service stops them. */
  const exporting = new Set<AbortController>();
  /** An export (export.run's, exports.create's) to `out`, on a thread of its own. */
  const runExportTo = async (
    out: string,
    {
      query,
      investigation,
      bom,
      pseudonymize,
      htmlRows,
      at = now(),
    }: {
      query: string;
      investigation: string | null;
      bom: boolean;
      pseudonymize: { key: string | null } | null;
      htmlRows: number;
      at?: number;
    },
    onProgress: (progress: ExportProgress) => void,
    signal?: AbortSignal,
  ) => {
    // The user's mistakes are found here, so they come back as their own errors (the query's column,
    // the unknown case, the taken target); the export itself runs on a thread of its own.
    // Parsed, not run: running it would load the column segments on this thread too (the export's
    // thread loads its own); what only planning finds comes back from the thread as a bad query.
    if (investigation === null) parseQuery(query);
    else store.investigation(investigation);
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
      onProgress,
      signal,
    );
  };

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
        const sample = store.sourceId(SAMPLE_SOURCE);
        const sources = store.sourceCount();
        if (sample !== undefined && sources === 1 && source !== SAMPLE_SOURCE && listed.files.length > 0) {
          sampleEventsRemoved = (await client.call('deleteSource', { sourceId: sample })).events;
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
        store.sourceId(SAMPLE_SOURCE) !== undefined
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
    'stats.get': () => store.stats(),
    'retention.run': async ({ olderThanMs, before, dryRun }) => {
      const cutoff = before ?? now() - olderThanMs!;
      // Counting what goes can read millions of rows: on the query worker when there is one.
      const preview = () => store.retentionPreview(cutoff);
      if (dryRun) return { ...(await preview()), before: cutoff, blocks: 0, dryRun };
      return withWriter(async (client) => {
        // Counted again under the writer lock: another process may have written since.
        const { perSource, held, sources } = await preview();
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
        await store.forgetDeleted();
        if (events > 0) changed(0);
        return { events, perSource, held, sources, before: cutoff, blocks, dryRun };
      });
    },
    'schedule.preview': ({ cron: expression, count, timeZone }) => {
      const zone = timeZone ?? agentTimeZone();
      if (!isTimeZone(zone))
        return {
          valid: false,
          error: `Time zone "${zone}" is unknown: write an IANA name such as "UTC" or "Europe/Paris".`,
          next: [],
          timeZone: zone,
        };
      const error = cronProblem(expression);
      return error === null
        ? { valid: true, error: null, next: cronNextRuns(expression, count, timeZone), timeZone: zone }
        : { valid: false, error, next: [], timeZone: zone };
    },
    'sources.setSchedule': async ({ name, schedule }) => {
      // The configuration as shown (secrets as "stored", which update keeps) with only the schedule changed:
      // the same validation and save as any update.
      const { config } = await syncHandlers['sources.get']({ name });
      return syncHandlers['sources.update']({ name, config: { ...config, schedule } });
    },
    'saved.list': () => ({ searches: store.savedSearches() }),
    'saved.add': (input) => write('savedAdd', { ...input, now: now() }),
    'saved.rename': ({ name, newName }) => write('savedRename', { name, newName, now: now() }),
    'saved.remove': async ({ name }) => {
      await write('savedRemove', { name });
      return { removed: name };
    },
    'history.list': ({ limit, text }) => ({ entries: store.history(limit, text) }),
    'history.record': async ({ query, total }) => ({ recorded: await recordHistory(query, total) }),
    'investigations.create': (input) => write('investigationCreate', { ...input, now: now() }),
    'investigations.list': () => ({ investigations: store.investigations() }),
    // Its pinned events with their raw lines: a read like a search's page (on the query worker if any).
    'investigations.get': (input, call) => read('investigations.get', input, call),
    'investigations.forEvent': ({ id }) => ({ investigations: store.investigationsForEvent(id) }),
    'investigations.addSearches': ({ name, searches }) =>
      write('investigationAddSearches', { name, searches, now: now() }),
    'investigations.removeSearches': ({ name, searches }) =>
      write('investigationRemoveSearches', { name, searches, now: now() }),
    'investigations.update': ({ name, description }) =>
      write('investigationDescribe', { name, description, now: now() }),
    'investigations.pin': async ({ name, eventIds }) => {
      const pinned = await write('investigationPin', { name, ids: eventIds, now: now() });
      return { pinned, total: store.investigation(name).pinned };
    },
    'investigations.unpin': async ({ name, eventIds }) => {
      const unpinned = await write('investigationUnpin', { name, ids: eventIds, now: now() });
      return { unpinned, total: store.investigation(name).pinned };
    },
    'investigations.note': async ({ name, body, eventId }) => {
      await write('investigationNote', { name, body, eventId, now: now() });
      return store.investigations().find((c) => c.name.toLowerCase() === name.toLowerCase())!;
    },
    'investigations.close': ({ name }) => write('investigationClose', { name, now: now() }),
    'investigations.reopen': ({ name }) => write('investigationReopen', { name, now: now() }),
    'export.run': ({ query, investigation, out, bom, pseudonymize, htmlRows }) =>
      runExportTo(out, { query, investigation, bom, pseudonymize, htmlRows }, (payload) =>
        emit({ name: 'export.progress', payload }),
      ),
    'exports.create': async ({ query, investigation, format, bom, pseudonymize, job }) => {
      if (job !== null && jobs.has(job))
        throw new ConflictError(`An export named ${job} is running already; give each export its own job.`);
      // Each export is a thread with up to ~200 MB: a page (or a script on the door) cannot start dozens.
      if (exporting.size >= MAX_EXPORTS)
        throw new ConflictError(
          `${MAX_EXPORTS} exports are running already; wait for one to finish (or cancel it), then export again.`,
        );
      const at = now();
      // Everything is written in a private staging folder; only the finished file is moved into sight.
      const staging = exportsFolder.stage();
      const controller = new AbortController();
      exporting.add(controller);
      if (job !== null) jobs.set(job, controller);
      try {
        const started = performance.now();
        // The exporter writes every format in one pass; a single format is taken from its folder (the
        // others cost the same pass and are discarded with the staging folder), a bundle is its zip.
        const out = path.join(staging, format === 'bundle' ? 'bundle.zip' : 'files');
        const result = await runExportTo(
          out,
          {
            query,
            investigation,
            bom,
            pseudonymize: pseudonymize ? { key: null } : null,
            htmlRows: 1000,
            at,
          },
          (payload) =>
            emit({ name: 'export.progress', payload: job === null ? payload : { ...payload, job } }),
          controller.signal,
        );
        const single = { ndjson: NDJSON_FILE, csv: CSV_FILE, html: HTML_FILE, bundle: null }[format];
        const produced = single === null ? out : path.join(out, single);
        // The exporter hashed each file as it wrote it; the zip is hashed here, streamed.
        const sha256 =
          single === null ? await sha256File(out) : result.files.find((f) => f.name === single)!.sha256;
        return exportsFolder.commit(
          produced,
          investigation ?? slugSource(query),
          {
            format,
            createdAt: at,
            query: investigation === null ? query : '',
            investigation,
            matched: result.matched,
            exported: result.exported,
            reconciled: result.exported === result.matched,
            pseudonymized: pseudonymize,
            bom: format === 'csv' && bom,
            fingerprint: format === 'bundle' ? result.fingerprint : null,
            seconds: (performance.now() - started) / 1000,
          },
          sha256,
        );
      } finally {
        if (job !== null) jobs.delete(job);
        exporting.delete(controller);
        exportsFolder.discard(staging);
      }
    },
    'exports.cancel': ({ job }) => {
      const controller = jobs.get(job);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    'exports.list': ({ limit }) => ({ folder: exportsFolder.dir, exports: exportsFolder.list(limit) }),
    'exports.remove': ({ name }) => ({ removed: exportsFolder.remove(name) }),
    'exports.download': ({ name }) => {
      const { id, expiresAt } = exportsFolder.ticket(name, now());
      return { url: `/download/${id}`, expiresAt };
    },
    'exports.save': () => {
      // The desktop's main process answers this one itself (it owns the save dialog); the engine cannot.
      throw new NotOnThisDoorError(
        "Saving with a dialog is the desktop window's; over `serve` use exports.download, from the CLI `audit-explorer export --out PATH`.",
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
        await store.ready;
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
    stop: () => store.stop(),
    async syncSource(name: string, trigger: SyncTrigger, signal?: AbortSignal) {
      await store.ready;
      return syncOne(name, trigger, signal);
    },
    setNextRuns(fn: (() => Map<string, number | null>) | null) {
      nextRuns = fn;
    },
    exportsDir: exportsFolder.dir,
    openDownload: (id: string) => exportsFolder.redeem(id, now()),
    async close() {
      // A running export is a thread of its own reading this file: stop it before the store closes.
      for (const running of exporting) running.abort();
      await store.close();
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
