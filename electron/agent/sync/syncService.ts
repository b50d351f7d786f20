/**
 * The service's sync methods (shared/contract.ts `sources.*`, `sync.*`, `retention.settings.*`): source
 * configuration with secrets kept in the secret store, passes of every (or one) source, run history and
 * object state. Wired into createService (service.ts), which owns the database and the writer.
 */
import type { MethodArgs, MethodOutput, ServiceEvent } from '../../../shared/contract.ts';
import { SourceConfigSchema, type SourceConfig } from '../../../shared/sourceConfig.ts';
import type { WriterClient } from '../store/writerClient.ts';
import { openSource, type OpenSourceOptions } from '../sources/openSource.ts';
import type { SecretStore } from '../sources/secrets/secretStore.ts';
import { readEventIdKey } from '../store/eventId.ts';
import type { Db } from '../store/open.ts';
import { sourceByName } from '../store/objects.ts';
import { getSetting } from '../store/settings.ts';
import {
  getStoredSource,
  listObjects,
  listStoredSources,
  listSyncRuns,
  noSyncCounts,
  objectStates,
  sourceTotals,
  type StoredSource,
  type SyncTrigger,
} from '../store/syncRuns.ts';
import {
  deleteSecrets,
  locationOf,
  parseSourceConfig,
  publicConfig,
  SourceConfigError,
} from './sourceSettings.ts';
import { cronProblem, nextRunAfter } from './cronTimes.ts';
import { listSource, syncSource, type SyncPassResult } from './syncSource.ts';
import { storeSecrets } from './sourceSettings.ts';

import { SourceNotFoundError } from './errors.ts';

export { SourceNotFoundError };

/** How passes run (tests shorten the waits). */
export interface SyncSettings {
  /** Objects modified less than this long ago wait for the next pass, ms. Default 0 (see syncSource.ts). */
  readonly settleMs?: number;
  readonly pageSize?: number;
  readonly concurrency?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Retry tuning of each SDK, and where `{env}` secrets resolve. */
  readonly sources?: OpenSourceOptions;
}

export interface SyncDeps {
  readonly db: Db;
  readonly secrets: SecretStore;
  readonly now: () => number;
  readonly settings: SyncSettings;
  readonly withWriter: <T>(run: (client: WriterClient, signal: AbortSignal) => Promise<T>) => Promise<T>;
  readonly emit: (event: ServiceEvent) => void;
  /** Merges the full-text index after a pass that added events, as after an import (service.ts). */
  readonly mergeFullText: (client: WriterClient, signal: AbortSignal) => Promise<void>;
  /** A pass committed new events (the UI offers a refresh). */
  readonly changed: (added: number) => void;
  /** Next run per source, when a scheduler runs in this process (else computed from the schedule). */
  readonly nextRuns: () => Map<string, number | null> | null;
}

export const RETENTION_SETTINGS = {
  retentionDays: 'retention.days',
  gcSchedule: 'retention.gcSchedule',
  gcDisabled: 'retention.gcDisabled',
} as const;
/** The exporters' own GC schedule (DESIGN §1): daily at 01:00. */
export const DEFAULT_GC_SCHEDULE = '0 0 1 * * *';

type SyncMethods =
  | 'sources.list'
  | 'sources.get'
  | 'sources.add'
  | 'sources.update'
  | 'sources.remove'
  | 'sources.test'
  | 'sync.run'
  | 'sync.runs'
  | 'sync.objects'
  | 'retention.settings.get'
  | 'retention.settings.set';

export type SyncHandlers = {
  [M in SyncMethods]: (input: MethodArgs<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

/**
 * A listing started while the writer started is used if the writer was ready within this long of its
 * start; after a longer wait (another process was writing) the pass lists again, so that it does not act on
 * an old picture.
 */
const LISTING_MAX_AGE_MS = 30_000;

/** The stored configuration, parsed (it was validated on the way in; a bad row is reported, not trusted). */
export function storedConfig(row: StoredSource): SourceConfig {
  const parsed = SourceConfigSchema.safeParse(JSON.parse(row.config));
  if (!parsed.success)
    throw new SourceConfigError(
      `The stored configuration of source '${row.name}' is no longer valid; fix it with sources update ${row.name} --file SOURCE.json.`,
    );
  return parsed.data;
}

export function createSyncHandlers(deps: SyncDeps): SyncHandlers & {
  /** One pass of one source (joins a pass of it already in flight in this process). */
  syncOne(name: string, trigger: SyncTrigger, signal?: AbortSignal): Promise<SyncPassResult>;
} {
  const { db, secrets, now } = deps;
  const inFlight = new Map<string, Promise<SyncPassResult>>();

  const find = (name: string) => {
    const row = getStoredSource(db, name);
    if (row === null)
      throw new SourceNotFoundError(
        `There is no source named '${name}'. See the configured ones with: audit-explorer sources list`,
      );
    return row;
  };

  const summary = (row: StoredSource): MethodOutput<'sources.list'>[number] => {
    const config = storedConfig(row);
    const last = listSyncRuns(db, { source: row.name, limit: 1 })[0];
    const totals = sourceTotals(db, row.id);
    const scheduled = deps.nextRuns();
    const nextRun = !config.enabled
      ? null
      : scheduled !== null
        ? (scheduled.get(row.name) ?? null)
        : nextRunAfter(config.schedule, now());
    return {
      name: row.name,
      kind: row.kind,
      location: locationOf(config),
      enabled: config.enabled,
      schedule: config.schedule,
      status: last?.status ?? 'never',
      lastRun: last?.startedAt ?? null,
      nextRun,
      events: totals.events,
      objects: totals.objects,
      errors: totals.errors,
      lastError: last?.errors[0]?.error ?? null,
    };
  };

  const save = async (config: SourceConfig, previous: SourceConfig | null) => {
    const stored = await storeSecrets(config, secrets, previous);
    await deps.withWriter((client) =>
      client.call('saveSource', {
        name: stored.name,
        kind: stored.kind,
        config: JSON.stringify(stored),
        format: stored.format === 'auto' ? null : stored.format,
        redact: stored.redact,
      }),
    );
    if (previous !== null) await deleteSecrets(previous, secrets, stored);
    return summary(find(stored.name));
  };

  const runPass = async (row: StoredSource, trigger: SyncTrigger, signal?: AbortSignal) => {
    const config = storedConfig(row);
    // The source (its SDK loads on first use) is opened and listed while the writer thread starts and
    // takes the lock: a re-sync of an unchanged bucket is little more than those two, so it takes the
    // longer of them instead of their sum. A listing that waited long for the lock is taken again.
    const early = new AbortController();
    const listSignal = signal ? AbortSignal.any([signal, early.signal]) : early.signal;
    const opening = openSource(config, secrets, deps.settings.sources);
    const listedAt = now();
    const listing = opening.then((source) =>
      listSource(source, config, { pageSize: deps.settings.pageSize, signal: listSignal }),
    );
    listing.catch(() => undefined); // reported by the pass (or dropped with it)
    const stopListing = () => early.abort();
    let stopSignalSeen: AbortSignal | null = null;
    try {
      return await deps.withWriter(async (client, stopSignal) => {
        const fresh = now() - listedAt <= LISTING_MAX_AGE_MS;
        if (!fresh) early.abort();
        stopSignalSeen = stopSignal;
        stopSignal.addEventListener('abort', stopListing, { once: true });
        if (stopSignal.aborted) early.abort();
        const passSignal = signal ? AbortSignal.any([signal, stopSignal]) : stopSignal;
        let source;
        try {
          source = await opening;
        } catch (error) {
          // A secret that does not resolve, a malformed key: the run fails with the reason, others go on.
          return recordOpenFailure(client, row, trigger, error);
        }
        const result = await syncSource({
          writer: client,
          source,
          config,
          sourceId: row.id,
          states: () => objectStates(db, row.id),
          idKey: readEventIdKey(db),
          trigger,
          now,
          settleMs: deps.settings.settleMs,
          pageSize: deps.settings.pageSize,
          concurrency: deps.settings.concurrency,
          retryBaseMs: deps.settings.retryBaseMs,
          retryMaxMs: deps.settings.retryMaxMs,
          signal: passSignal,
          ...(fresh ? { listed: { objects: listing, at: listedAt } } : {}),
          onProgress: (payload) => deps.emit({ name: 'sync.progress', payload }),
        });
        // Each batch added a full-text segment: merged now, searches stay as fast as after an import.
        if (result.events > 0) await deps.mergeFullText(client, passSignal);
        return result;
      });
    } finally {
      // The service's stop signal outlives the pass: leave no listener on it.
      (stopSignalSeen as AbortSignal | null)?.removeEventListener('abort', stopListing);
      early.abort();
      await listing.catch(() => undefined);
      await (await opening.catch(() => null))?.close();
    }
  };

  const recordOpenFailure = async (
    client: WriterClient,
    row: StoredSource,
    trigger: SyncTrigger,
    error: unknown,
  ): Promise<SyncPassResult> => {
    const run = await client.call('syncRunBegin', { sourceId: row.id, trigger, now: now() });
    const message = error instanceof Error ? error.message : String(error);
    const errors = [{ object: null, error: message }];
    const counts = noSyncCounts();
    await client.call('syncRunFinish', { runId: run, status: 'failed', counts, errors, now: now() });
    return {
      name: row.name,
      run,
      status: 'failed' as const,
      objects: counts,
      bytes: 0,
      events: 0,
      duplicates: 0,
      quarantined: 0,
      errors,
    };
  };

  const syncOne = (name: string, trigger: SyncTrigger, signal?: AbortSignal) => {
    // One pass per source at a time in this process: a second request joins the one in flight.
    const running = inFlight.get(name.toLowerCase());
    if (running) return running;
    const pass = (async () => {
      const result = await runPass(find(name), trigger, signal);
      if (result.events > 0) deps.changed(result.events);
      return result;
    })();
    inFlight.set(name.toLowerCase(), pass);
    void pass.finally(() => inFlight.delete(name.toLowerCase())).catch(() => undefined);
    return pass;
  };

  const retentionSettings = (): MethodOutput<'retention.settings.get'> => {
    const days = getSetting(db, RETENTION_SETTINGS.retentionDays);
    return {
      retentionDays: days === null || days === '' ? null : Number(days),
      gcSchedule: getSetting(db, RETENTION_SETTINGS.gcSchedule) ?? DEFAULT_GC_SCHEDULE,
      gcDisabled: getSetting(db, RETENTION_SETTINGS.gcDisabled) === 'true',
    };
  };

  return {
    syncOne,
    'sources.list': () => listStoredSources(db).map(summary),
    'sources.get': ({ name }) => {
      const row = find(name);
      return { ...summary(row), config: publicConfig(storedConfig(row)) };
    },
    'sources.add': async ({ config: input }) => {
      const config = parseSourceConfig(input);
      const existing = sourceByName(db, config.name);
      if (existing !== undefined && existing.config !== '{}')
        throw new SourceConfigError(
          `name: a source named '${config.name}' exists already. Change it with sources update ${config.name} --file, or pick another name.`,
        );
      if (existing !== undefined && existing.kind !== config.kind)
        throw new SourceConfigError(
          `name: '${config.name}' already names the ${existing.kind} events imported earlier. Pick another name.`,
        );
      return save(config, null);
    },
    'sources.update': async ({ name, config: input }) => {
      const row = find(name);
      const config = parseSourceConfig(input);
      if (config.name.toLowerCase() !== row.name.toLowerCase())
        throw new SourceConfigError(
          `name: "${config.name}" differs from the source being updated ('${row.name}'). Renaming is not supported: add a new source and remove this one.`,
        );
      if (config.kind !== row.kind)
        throw new SourceConfigError(
          `kind: a ${row.kind} source cannot become ${config.kind}. Add a new source and remove this one.`,
        );
      return save(config, storedConfig(row));
    },
    'sources.remove': async ({ name, deleteEvents }) => {
      const row = find(name);
      const config = storedConfig(row);
      const { events, held } = await deps.withWriter(async (client) => {
        if (deleteEvents) return client.call('deleteSource', { sourceId: row.id });
        await client.call('unconfigureSource', { sourceId: row.id });
        return { events: 0, held: 0 };
      });
      await deleteSecrets(config, secrets);
      return { removed: true, eventsDeleted: events, eventsHeld: held };
    },
    'sources.test': async ({ name, config: input }) => {
      const saved = name === undefined ? null : storedConfig(find(name));
      let config: SourceConfig;
      let store: SecretStore = secrets;
      if (input === undefined) config = saved!;
      else {
        // A configuration not saved (the form's "Test connection"): checked like sources.add, its typed
        // secrets kept in memory for this test only, "stored" standing for what source `name` keeps.
        const parsed = parseSourceConfig(input);
        store = testOnlySecrets(secrets);
        config = await storeSecrets(parsed, store, saved);
      }
      try {
        const source = await openSource(config, store, deps.settings.sources);
        try {
          const report = await source.test({ prefix: config.prefix });
          return { ok: report.ok, message: report.message, sample: [...report.sample] };
        } finally {
          await source.close();
        }
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error), sample: [] };
      }
    },
    'sync.run': async ({ source }) => {
      const names =
        source !== undefined
          ? [find(source).name]
          : listStoredSources(db)
              .filter((row) => storedConfig(row).enabled)
              .map((row) => row.name);
      const sources: SyncPassResult[] = [];
      // One after the other: they share the one writer, and each reads its objects concurrently already.
      for (const name of names) sources.push(await syncOne(name, 'manual'));
      return { sources };
    },
    'sync.runs': ({ source, limit }) => {
      if (source !== undefined) find(source);
      return listSyncRuns(db, { source, limit });
    },
    'sync.objects': ({ source, limit }) => listObjects(db, find(source).id, limit),
    'retention.settings.get': retentionSettings,
    'retention.settings.set': async (input) => {
      const next = { ...retentionSettings(), ...input };
      const problem = cronProblem(next.gcSchedule);
      if (problem !== null) throw new SourceConfigError(`gcSchedule: ${problem}`);
      await deps.withWriter(async (client) => {
        await client.call('setSetting', {
          key: RETENTION_SETTINGS.retentionDays,
          value: next.retentionDays === null ? '' : String(next.retentionDays),
        });
        await client.call('setSetting', { key: RETENTION_SETTINGS.gcSchedule, value: next.gcSchedule });
        await client.call('setSetting', {
          key: RETENTION_SETTINGS.gcDisabled,
          value: String(next.gcDisabled),
        });
      });
      return retentionSettings();
    },
  };
}

/** Reads through to `store`; writes stay in memory and are forgotten with it (a test of unsaved input). */
function testOnlySecrets(store: SecretStore): SecretStore {
  const typed = new Map<string, string>();
  return {
    get: async (name) => typed.get(name) ?? store.get(name),
    set: async (name, value) => {
      typed.set(name, value);
    },
    delete: async (name) => {
      typed.delete(name);
    },
  };
}
