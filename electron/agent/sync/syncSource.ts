/**
 * One incremental pass of one source (DESIGN §6): list under the prefix page by page, decide per object
 * from its stored state, and read only what is new — through the one ingest pipeline (ingestObjects), so
 * events and each object's checkpoint commit together and a crash at any point loses and doubles nothing.
 *
 * Per listed object:
 * - unseen → read whole;
 * - same version, read to the end → no read at all;
 * - same version, not finished (a crash, a failure) → resume from its checkpoint, failures only once their
 *   backoff has passed;
 * - a folder file with the same inode, grown → read the tail from the stored offset (a compressed one is
 *   read whole again, passing over the lines already stored);
 * - anything else changed (object stores rewrite whole objects, a truncated or rotated file) → read whole
 *   again; identical lines are one event, so counts stay exact;
 * - modified within the settle time → left for the next pass (an exporter may still be writing it).
 * Deletions upstream delete nothing here: retention is ours.
 */
import picomatch from 'picomatch';
import type { SourceConfig } from '../../../shared/sourceConfig.ts';
import { resolveFormats } from '../ingest/formatConfig.ts';
import { ingestObjects, type ObjectToRead, type ResumePoint } from '../ingest/ingestObjects.ts';
import type { WriterClient } from '../store/writerClient.ts';
import { RpcError } from '../rpc/client.ts';
import type { RemoteObject, Source } from '../sources/source.ts';
import { EventIdHasher } from '../store/eventId.ts';
import {
  noSyncCounts,
  type SyncCounts,
  type SyncError,
  type SyncObjectState,
  type SyncStatus,
  type SyncTrigger,
} from '../store/syncRuns.ts';
import { prefetch } from './prefetch.ts';

export interface SyncPassOptions {
  readonly writer: WriterClient;
  readonly source: Source;
  readonly config: SourceConfig;
  readonly sourceId: number;
  /** The stored state of the source's objects (read while this process holds the writer lock). */
  readonly states: () => Map<string, SyncObjectState>;
  /** The database's event id key (secret: never logged). */
  readonly idKey: string;
  readonly trigger: SyncTrigger;
  readonly now: () => number;
  /**
   * Objects modified less than this long ago wait for the next pass, ms. Default 0: checkpoints are exact
   * (a file still being written is read to its last complete line and resumed from there), and object
   * stores show an object only once its upload is complete.
   */
  readonly settleMs?: number;
  /** Listing page size (tests use 1–2); the source's default otherwise. */
  readonly pageSize?: number;
  /** Objects downloading at once ahead of the parser. Default 4. */
  readonly concurrency?: number;
  /** First retry delay of a failed object, ms; doubles per failure. Default 60 000. */
  readonly retryBaseMs?: number;
  /** Longest retry delay, ms. Default 6 h. */
  readonly retryMaxMs?: number;
  readonly signal?: AbortSignal;
  /**
   * The listing, when the caller started it already (syncService lists while the writer thread starts),
   * with the clock (`now()`) when it started: what was modified shortly before that waits (the settle
   * time), as if listed here. Listed here otherwise.
   */
  readonly listed?: { readonly objects: Promise<RemoteObject[]>; readonly at: number };
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Called once the run is recorded, with its id. */
  readonly onStart?: (runId: number) => void;
}

export interface SyncProgress {
  source: string;
  run: number;
  /** Objects started / to read this pass. */
  objects: number;
  objectsToRead: number;
  bytes: number;
  events: number;
  /** New events per second since the pass started. */
  eventsPerSecond: number;
}

export interface SyncPassResult {
  name: string;
  run: number;
  status: Exclude<SyncStatus, 'running'>;
  objects: Pick<SyncCounts, 'listed' | 'new' | 'changed' | 'skipped' | 'failed'>;
  bytes: number;
  events: number;
  duplicates: number;
  quarantined: number;
  errors: SyncError[];
}

export const DEFAULT_SETTLE_MS = 0;
/**
 * A folder file modified this recently may be in the middle of a line: its last line without a newline is
 * left for the next pass instead of being read (and quarantined) half-written.
 */
export const PARTIAL_LINE_MS = 5_000;

/** Runs one pass and records it in sync_runs; never throws for a source's own failure (it is the run's status). */
export async function syncSource(options: SyncPassOptions): Promise<SyncPassResult> {
  const { writer, config, now } = options;
  const started = now();
  const clockStarted = performance.now();
  const run = await writer.call('syncRunBegin', {
    sourceId: options.sourceId,
    trigger: options.trigger,
    now: started,
  });
  options.onStart?.(run);
  const counts = noSyncCounts();
  const errors: SyncError[] = [];
  let status: Exclude<SyncStatus, 'running'> = 'ok';
  try {
    const listed = await (options.listed?.objects ?? listSource(options.source, config, options));
    const listedAt = options.listed?.at ?? started;
    counts.listed = listed.length;
    const states = options.states();
    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    const toRead: ObjectToRead[] = [];
    for (const remote of listed) {
      const plan = planObject(remote, states.get(remote.key) ?? null, config.kind === 'folder', {
        now: listedAt,
        settleMs,
      });
      if (plan.kind === 'skip') {
        counts.skipped++;
        continue;
      }
      counts[plan.kind]++;
      toRead.push({
        key: remote.key,
        etag: remote.version,
        size: remote.size,
        modified: remote.modified,
        resume: plan.resume,
        holdUnterminated: config.kind === 'folder' && remote.modified > listedAt - PARTIAL_LINE_MS,
        open: async (offset) =>
          (await options.source.open(remote.key, { offset, version: remote.version, signal: options.signal }))
            .body,
      });
    }
    const { formats, pinned } = resolveFormats({ pinned: config.format === 'auto' ? null : config.format });
    const summary = await ingestObjects(
      writer,
      options.sourceId,
      prefetch(toRead, Math.max(1, options.concurrency ?? 4)),
      {
        prepare: { formats, pinned, redact: config.redact, ids: new EventIdHasher(options.idKey) },
        signal: options.signal,
        onProgress: (p) => {
          const seconds = Math.max((performance.now() - clockStarted) / 1000, 0.001);
          options.onProgress?.({
            source: config.name,
            run,
            objects: p.objects,
            objectsToRead: toRead.length,
            bytes: p.bytes,
            events: p.events,
            eventsPerSecond: Math.round(p.events / seconds),
          });
        },
      },
    );
    counts.bytes = summary.bytes;
    counts.events = summary.events;
    counts.duplicates = summary.duplicates;
    counts.quarantined = summary.quarantined;
    const failed: string[] = [];
    const succeeded: string[] = [];
    for (const outcome of summary.perObject) {
      if (outcome.error === null) succeeded.push(outcome.key);
      else if (outcome.errorName === 'ObjectChangedError') {
        // Changed between the listing and the read: not a failure, the next listing shows the new version.
        counts.skipped++;
        counts[states.has(outcome.key) ? 'changed' : 'new']--;
      } else {
        failed.push(outcome.key);
        counts.failed++;
        errors.push({ object: outcome.key, error: outcome.error });
      }
    }
    await writer.call('recordAttempts', {
      sourceId: options.sourceId,
      failed,
      succeeded,
      baseMs: options.retryBaseMs ?? 60_000,
      maxMs: options.retryMaxMs ?? 6 * 3600_000,
      now: now(),
    });
    if (summary.stopped) status = 'stopped';
    else if (counts.failed > 0) status = 'partial';
  } catch (error) {
    // The listing failed (credentials, a missing bucket, the network) or the writer did (disk full).
    status = options.signal?.aborted ? 'stopped' : 'failed';
    errors.push({ object: null, error: error instanceof Error ? error.message : String(error) });
    // A writer failure ends the process's writes: record the run if the writer still can, then rethrow.
    if (isWriterFailure(error)) {
      await finish().catch(() => undefined);
      throw error;
    }
  }
  await finish();
  return {
    name: config.name,
    run,
    status,
    objects: {
      listed: counts.listed,
      new: counts.new,
      changed: counts.changed,
      skipped: counts.skipped,
      failed: counts.failed,
    },
    bytes: counts.bytes,
    events: counts.events,
    duplicates: counts.duplicates,
    quarantined: counts.quarantined,
    errors,
  };

  function finish() {
    return writer.call('syncRunFinish', { runId: run, status, counts, errors, now: now() });
  }
}

/** The writer failed (disk full, damage): not the source's fault, and nothing more can be stored. */
function isWriterFailure(error: unknown): boolean {
  return error instanceof RpcError;
}

/**
 * Every object under the prefix that the include glob takes, all pages. It needs no writer and no lock:
 * every decision made from it is checked against the object's stored state read under the lock, and every
 * read is conditional on the listed version, so an old listing costs at most a pass's delay, never an event.
 */
export async function listSource(
  source: Source,
  config: SourceConfig,
  options: { pageSize?: number; signal?: AbortSignal },
): Promise<RemoteObject[]> {
  const include = config.include ? picomatch(config.include, { dot: true }) : null;
  const objects: RemoteObject[] = [];
  let pageToken: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await source.list({
      prefix: config.prefix,
      pageToken,
      pageSize: options.pageSize,
      signal: options.signal,
    });
    for (const object of page.objects) {
      const below = object.key.startsWith(config.prefix)
        ? object.key.slice(config.prefix.length)
        : object.key;
      if (include === null || include(below.replace(/^\/+/, ''))) objects.push(object);
    }
    pageToken = page.next ?? undefined;
  } while (pageToken !== undefined);
  return objects;
}

type Plan = { kind: 'skip' } | { kind: 'new' | 'changed'; resume: ResumePoint | null };

/** What to do with one listed object, given what is stored about it. Exported for unit tests. */
export function planObject(
  remote: RemoteObject,
  state: SyncObjectState | null,
  folder: boolean,
  at: { now: number; settleMs: number },
): Plan {
  // An exporter may still be writing it: a read now could take half a line or half an object.
  if (remote.modified > at.now - at.settleMs) return { kind: 'skip' };
  if (state === null) return { kind: 'new', resume: null };
  const checkpoint: ResumePoint | null =
    state.lines > 0 || state.bytesRead > 0
      ? { offset: state.bytesRead, lines: state.lines, compressed: state.compressed }
      : null;
  if (state.etag === remote.version) {
    if (state.status === 'done') return { kind: 'skip' };
    // Failed before at this version: wait for the backoff. Interrupted (a crash, a stop): go on now.
    if (state.status === 'error' && state.nextAttempt !== null && state.nextAttempt > at.now)
      return { kind: 'skip' };
    return { kind: 'changed', resume: checkpoint };
  }
  if (folder && grewInPlace(remote, state)) return { kind: 'changed', resume: checkpoint };
  return { kind: 'changed', resume: null };
}

/** A folder file with the same inode that only got longer: an append (a log being written). */
function grewInPlace(remote: RemoteObject, state: SyncObjectState): boolean {
  const inode = /-(\d+)$/.exec(state.etag ?? '')?.[1];
  return (
    inode !== undefined &&
    remote.inode != null &&
    String(remote.inode) === inode &&
    state.size !== null &&
    // Same size with another mtime is a rewrite in place, not an append: read whole.
    remote.size > state.size &&
    remote.size >= state.bytesRead
  );
}
